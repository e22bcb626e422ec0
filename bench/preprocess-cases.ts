import { readFileSync } from 'node:fs';

/** One case of `email-reply-fixtures/cases.jsonl` (the fields the scoring needs). */
export interface ReplyCase {
  id: string;
  source_repo: string;
  format: 'text' | 'html';
  input: string;
  expected_reply: string;
  assertion: Assertion;
  lang: string;
  normalization?: 'trim' | 'ignore_whitespace';
  scope?: 'quotes' | 'signature' | 'quotes+signature';
  extra_assertions?: Array<{ assertion: Assertion; value: string }>;
}
type Assertion = 'exact' | 'startsWith' | 'endsWith' | 'contains' | 'notContains';

export function readCases(file: string): ReplyCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ReplyCase);
}

/** The normalisation of SOURCE.md: `trim` (line endings, trailing blanks, outer blanks) or no whitespace at all. */
function normalise(s: string, mode: ReplyCase['normalization'], assertion: Assertion): string {
  if (mode === 'ignore_whitespace') return s.replace(/\s/g, '');
  const lf = s.replace(/\r\n?/g, '\n');
  if (assertion === 'contains' || assertion === 'notContains') return lf;
  return lf
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .trim();
}

function check(assertion: Assertion, out: string, want: string): boolean {
  switch (assertion) {
    case 'exact':
      return out === want;
    case 'startsWith':
      return out.startsWith(want);
    case 'endsWith':
      return out.endsWith(want);
    case 'contains':
      return out.includes(want);
    case 'notContains':
      return !out.includes(want);
  }
}

/** SOURCE.md's runner: the main assertion and every extra assertion on the same output. */
export function passes(c: ReplyCase, output: string): boolean {
  const n = (s: string, a: Assertion) => normalise(s, c.normalization ?? 'trim', a);
  if (!check(c.assertion, n(output, c.assertion), n(c.expected_reply, c.assertion))) return false;
  return (c.extra_assertions ?? []).every((e) => check(e.assertion, n(output, e.assertion), n(e.value, e.assertion)));
}

export interface Tally {
  pass: number;
  total: number;
}

export function tally(rows: Array<{ key: string; ok: boolean }>): Map<string, Tally> {
  const m = new Map<string, Tally>();
  for (const r of rows) {
    const t = m.get(r.key) ?? { pass: 0, total: 0 };
    t.total += 1;
    if (r.ok) t.pass += 1;
    m.set(r.key, t);
  }
  return m;
}
