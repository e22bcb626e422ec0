import type { Hints } from './read-records.js';

/** Problems the message of a failed load lists; the rest are in the error's `problems`. */
const MAX_LISTED = 5;

/** What the load that failed on bad rows knows of them and of whom it speaks to. */
export interface BadRows {
  /** Bad rows (a row may have several problems). */
  rows: number;
  /** Rows read, the bad ones among them. */
  read: number;
  problems: readonly string[];
  /** JSONL lines that lack a configured key but have one spelt near it (`Body` for `body`), said first. */
  keys?: string;
  /** The hint for a label likely renamed in the export (an alias to add), said first (after `keys`). */
  alias?: string;
  hints: Hints;
  /** The config file read (--config), which the hint names; absent: the demo config or a model's own. */
  configFile?: string;
}

/**
 * `6 bad row(s) (6 problems): <the first problems> (<what to do>)`. A hint the listed problems share is said once,
 * after them; when over half the rows read are bad the config does not fit the data, and leaving the bad rows out
 * (`onBadRow: "skip"`) would train on the few left (or none), so fixing the config is said instead.
 */
export function badRowsMessage(bad: BadRows): string {
  const counted = `${bad.problems.length} problem${bad.problems.length === 1 ? '' : 's'}`;
  const way = bad.rows * 2 > bad.read ? configMisfits(bad) : `fix them, or ${skipHow(bad.hints)}`;
  const first = [bad.keys, bad.alias].filter((h) => h !== undefined);
  const hint = first.length === 0 ? ` (${way})` : ` (${first.join('; ')}; otherwise ${way})`;
  return `${bad.rows} bad row(s) (${counted}): ${listProblems(bad.problems.slice(0, MAX_LISTED))}${hint}`;
}

/** How to leave the bad rows out: the commands reading for a trained model take a flag; the training job only its config. */
function skipHow(hints: Hints): string {
  // Reading for a trained model (predict, evaluate, compare), the config is the model's own: the commands' flag overrides it.
  if (hints === 'flags') return 'pass --on-bad-row skip to leave them out';
  return `set "onBadRow": "skip" in the config${hints === 'job' ? '' : ' or pass --on-bad-row skip'} to train without them`;
}

/** A CSV row's problem of its field count against its header's (`export.csv:2: 13 fields, the header has 11 (...)`). */
const FIELD_COUNT = /:\d+: \d+ fields?, the header has \d+ \(/;

/** Most rows are bad: the config reads the export otherwise than it is written (a date order, labels of another language). */
function configMisfits(bad: BadRows): string {
  const left = bad.read - bad.rows;
  const share = bad.rows === bad.read ? `all ${bad.read} rows read are bad` : `${bad.rows} of the ${bad.read} rows read are bad`;
  const skipped = `leaving them out would ${left === 0 ? 'leave no row' : `keep ${left}`}`;
  // Rows of another number of fields than the file's own header: no setting of the config reads them otherwise.
  if (bad.problems.every((p) => FIELD_COUNT.test(p))) return `${share}, so ${skipped}: the rows do not match the file's own header line, which no config setting changes; fix the export (or its header)`;
  if (bad.hints === 'flags') {
    const how = bad.configFile === undefined ? 'pass --config with a training config that reads it' : `fix ${bad.configFile}`;
    return `${share}, so ${skipped}: the config they are read with does not fit this export; ${how}, or fix the export`;
  }
  return `${share}, so ${skipped}: the config does not fit this export; fix ${bad.configFile ?? 'the training config'} (or the export)`;
}

/**
 * The problems joined by ` | `, those that end in the same hint in parentheses (the forms a date may take, a task's
 * labels) put together with the hint said once after them, not once a row.
 */
export function listProblems(problems: readonly string[]): string {
  const parts = problems.map(splitHint);
  const times = new Map<string, number>();
  for (const { hint } of parts) if (hint !== undefined) times.set(hint, (times.get(hint) ?? 0) + 1);
  // In the order each group first appears: a row's problems keep their order, the rows of a group theirs.
  const groups = new Map<string, string[]>();
  parts.forEach(({ head, hint }, i) => {
    const shared = hint !== undefined && (times.get(hint) ?? 0) > 1;
    const key = shared ? `hint\u0000${hint}` : `own\u0000${i}`;
    groups.set(key, [...(groups.get(key) ?? []), shared ? head : problems[i]]);
  });
  return [...groups]
    .map(([key, texts]) => {
      if (key.startsWith('own\u0000')) return texts[0];
      return `${texts.join(' | ')} (each of these ${texts.length}: ${key.slice('hint\u0000'.length)})`;
    })
    .join(' | ');
}

/** A problem without its closing hint (`... (labels: a, b)`: the last parenthesised part, if it ends the text), and the hint. */
function splitHint(problem: string): { head: string; hint?: string } {
  if (!problem.endsWith(')')) return { head: problem };
  let depth = 0;
  for (let i = problem.length - 1; i >= 0; i--) {
    if (problem[i] === ')') depth++;
    else if (problem[i] === '(' && --depth === 0) {
      // Only one set off by a space: `f(x)` is part of a value.
      return i > 0 && problem[i - 1] === ' ' ? { head: problem.slice(0, i - 1), hint: problem.slice(i + 1, -1) } : { head: problem };
    }
  }
  return { head: problem };
}
