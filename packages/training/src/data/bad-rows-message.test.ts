import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { DatasetError } from '../errors.js';
import { badRowsMessage, listProblems } from './bad-rows-message.js';
import { loadDataset } from './dataset.js';
import { tempFiles } from '../test-support/temp-files.js';

const { file } = tempFiles('mailroute-bad-rows-');

const config = parseTrainingConfig({
  columns: { id: 'id', subject: 'subject', body: 'body', receivedAt: 'receivedAt' },
  tasks: [{ name: 'queue', labels: ['payments', 'tax', 'support'] }],
  split: { kind: 'stratified', on: 'queue' },
});

const header = 'id;subject;body;receivedAt;queue\n';
const DATE_HINT = /day first or month first cannot be told apart/g;

describe('bad rows message', () => {
  it('says a hint the listed rows share once, after them, and fixing the config when every row is bad (QA: German dates without dateOrder)', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i};Konto;Bitte kündigen;06.12.2026 14:0${i % 10};support\n`).join('');
    const p = file('de.csv', header + rows);
    const e = (await loadDataset(p, { ...config, delimiter: ';' }).catch((x: unknown) => x)) as DatasetError;
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.message.match(DATE_HINT)).toHaveLength(1);
    expect(e.message).toContain(`${p}:2, column "receivedAt" (4): not a date/time: "06.12.2026 14:00" | ${p}:3, column "receivedAt" (4): not a date/time: "06.12.2026 14:01" | `);
    expect(e.message).toContain('(each of these 5: day first or month first cannot be told apart');
    // Leaving every row out is no way out.
    expect(e.message).not.toContain('on-bad-row skip');
    expect(e.message).toMatch(/ \(all 30 rows read are bad, so leaving them out would leave no row: the config does not fit this export; fix the training config \(or the export\)\)$/);
    // The error's problems stay whole, each with its hint.
    expect(e.problems).toHaveLength(30);
    expect(e.problems[0]).toMatch(/"06\.12\.2026 14:00" \(day first or month first cannot be told apart/);
  });

  it('still offers skipping when the bad rows are a minority, and lists a hint of one row with it', () => {
    const problems = ['a.csv:2: no text (the text columns subject, body are empty)', 'a.csv:3, column "queue" (5): label "steuer" is not in the queue taxonomy (labels: payments, tax)'];
    const message = badRowsMessage({ rows: 2, read: 10, problems, hints: 'config' });
    expect(message).toBe(`2 bad row(s) (2 problems): ${problems.join(' | ')} (fix them, or set "onBadRow": "skip" in the config or pass --on-bad-row skip to train without them)`);
    expect(badRowsMessage({ rows: 2, read: 10, problems, hints: 'job' })).toMatch(/\(fix them, or set "onBadRow": "skip" in the config to train without them\)$/);
    expect(badRowsMessage({ rows: 2, read: 10, problems, hints: 'flags' })).toMatch(/\(fix them, or pass --on-bad-row skip to leave them out\)$/);
    // Over half: the config the rows are read with is named.
    expect(badRowsMessage({ rows: 6, read: 10, problems, hints: 'config', configFile: 'crm.json' })).toMatch(/\(6 of the 10 rows read are bad, so leaving them out would keep 4: the config does not fit this export; fix crm\.json \(or the export\)\)$/);
    expect(badRowsMessage({ rows: 5, read: 10, problems, hints: 'config' })).toContain('--on-bad-row skip');
    // Rows whose field count is not their own header's: no config setting reads them, so the export is what to fix.
    const counts = [2, 3].map((line) => `a.csv:${line}: 13 fields, the header has 11 (the last 2 are empty: a delimiter at the end of the line, which the header line lacks?)`);
    expect(badRowsMessage({ rows: 2, read: 2, problems: counts, hints: 'config', configFile: 'crm.json' })).toMatch(
      /\(all 2 rows read are bad, so leaving them out would leave no row: the rows do not match the file's own header line, which no config setting changes; fix the export \(or its header\)\)$/,
    );
  });

  it('groups the rows of each shared hint, labels of another language included, and leaves a parenthesis inside a value alone', () => {
    const labels = (line: number, label: string) => `a.csv:${line}, column "queue" (5): label "${label}" is not in the queue taxonomy (labels: payments, tax)`;
    const date = (line: number) => `a.csv:${line}, column "receivedAt" (4): not a date/time: "x" (use ISO 8601)`;
    expect(listProblems([date(2), labels(2, 'Zahlung'), date(3), labels(3, 'Steuer')])).toBe(
      'a.csv:2, column "receivedAt" (4): not a date/time: "x" | a.csv:3, column "receivedAt" (4): not a date/time: "x" (each of these 2: use ISO 8601) | ' +
        'a.csv:2, column "queue" (5): label "Zahlung" is not in the queue taxonomy | a.csv:3, column "queue" (5): label "Steuer" is not in the queue taxonomy (each of these 2: labels: payments, tax)',
    );
    expect(listProblems(['a.csv:2: label "f(x)"', 'a.csv:3: label "f(x)"'])).toBe('a.csv:2: label "f(x)" | a.csv:3: label "f(x)"');
  });
});
