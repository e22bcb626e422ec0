import type { IssuePath } from '../errors.js';
import { sentValue } from './quoted-value.js';

/** Characters of a key of the request (a task or metadata name) that a detail shows at most. */
const KEY_CHARS = 80;

/** `emails[0].id`; '' for the body itself. */
function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The path with its keys masked (`labels.Herr [NAME]`), and the message with each key it quotes masked alike (`metadata.Herr [NAME] is an object`). */
function maskedKeys(issue: IssuePath): { path: (string | number)[]; message: string } {
  let message = issue.message;
  const path = issue.path.map((p) => {
    if (typeof p === 'number') return p;
    const shown = sentValue(p, KEY_CHARS);
    if (shown !== p) message = message.replaceAll(p, shown);
    return shown;
  });
  return { path, message };
}

/**
 * The issues as a problem's `issues` gives them: each message with the keys of its path masked as the detail masks them
 * (`metadata.Kunde [NAME] is an object`), the path as sent (a client matches it to its request).
 */
export function maskedIssues(issues: readonly IssuePath[]): IssuePath[] {
  return issues.map((issue) => ({ ...issue, message: maskedKeys(issue).message }));
}

/** One issue in words: its path, then its message (the path left out when the message starts with its name already). */
function issueText(issue: IssuePath): string {
  const masked = maskedKeys(issue);
  // Lower-cased after the detail's colon (`Send at least one email` reads on as `send at least one email`; `UTF-8` stays).
  const message = masked.message.replace(/\.$/, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
  if (masked.path.length === 0) return message;
  const last = String(masked.path[masked.path.length - 1]);
  // zod's default for a member that is absent: `Invalid input: expected string, received undefined`.
  if (issue.code === 'invalid_type' && / received undefined$/.test(message)) return `${pathText(masked.path)} is required`;
  return message.startsWith(`${last} `) ? message : `${pathText(masked.path)}: ${message}`;
}

/**
 * The 400 detail of a request the schema refuses: the first issue in words (a client's log often shows only
 * the detail), how many more `issues` holds, and `hint` (fields not read, with the ones probably meant).
 */
export function schemaMismatchDetail(issues: readonly IssuePath[], hint?: string): string {
  const first = issues.length === 0 ? '' : `: ${issueText(issues[0])}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more in issues)` : '';
  return `The request does not match the schema${first}${more}.${hint ? ` ${hint}` : ''}`;
}
