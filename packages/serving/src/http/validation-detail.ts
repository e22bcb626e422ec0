import type { IssuePath } from '../errors.js';

/** `emails[0].id`; '' for the body itself. */
function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** One issue in words: its path, then its message (the path left out when the message starts with its name already). */
function issueText(issue: IssuePath): string {
  // Lower-cased after the detail's colon (`Send at least one email` reads on as `send at least one email`; `UTF-8` stays).
  const message = issue.message.replace(/\.$/, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
  if (issue.path.length === 0) return message;
  const last = String(issue.path[issue.path.length - 1]);
  // zod's default for a member that is absent: `Invalid input: expected string, received undefined`.
  if (issue.code === 'invalid_type' && / received undefined$/.test(message)) return `${pathText(issue.path)} is required`;
  return message.startsWith(`${last} `) ? message : `${pathText(issue.path)}: ${message}`;
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
