import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStore, DB_FILE } from '@mailroute/serving';
import { DEMO_CONFIG_PATH, generateDemoRows } from '@mailroute/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';
import { PROGRESS_CASES } from './feedback-source.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-feedback-progress-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const home = path.join(cwd, 'home');
// CI=true: the progress helper's plain lines (a line each tenth), as in a log.
const run = (argv: string[]) => runCli(argv, { env: { CI: 'true' }, cwd, home });

/** The window's cases: as many as the commands report progress for, the fewest that do. */
const CASES = PROGRESS_CASES;
const base = Date.parse('2026-11-02T08:00:00.000Z');
const closedAt = (i: number) => new Date(base + i * 1000).toISOString();
/** The instant that splits the cases in two windows of half as many, each too small to report progress. */
const middle = closedAt(CASES / 2);

/** A store as a server with --store-text leaves it: CASES emails classified with their text, each confirmed, one a second. */
beforeAll(async () => {
  const rows = generateDemoRows({ rows: 200, seed: 3 });
  const store = createSqliteStore({ file: path.join(home, DB_FILE), writer: 'inline', bufferMs: 0 });
  try {
    for (let start = 0; start < CASES; start += 2500) {
      await store.savePredictions(
        Array.from({ length: 2500 }, (_, k) => {
          const i = start + k;
          const r = rows[i % rows.length];
          return {
            predictionId: `p-${i}`,
            emailId: `e-${i}`,
            modelId: 'ngram-bag-served',
            createdAt: new Date(base + i * 1000 - 60_000).toISOString(),
            labels: { queue: r.queue },
            confidences: { queue: 0.7 },
            abstained: { queue: false },
            queue: r.queue,
            latencyMs: 1,
            text: `${r.subject}\n\n${r.body}`,
            bank: r.bank,
            receivedAt: r.receivedAt,
          };
        }),
      );
    }
    for (let i = 0; i < CASES; i++) {
      const r = rows[i % rows.length];
      // The demo data leaves a label blank now and then: not confirmed then either.
      const labels = Object.fromEntries(Object.entries({ business_area: r.business_area, queue: r.queue }).filter(([, label]) => label !== ''));
      await store.saveFeedback({ emailId: `e-${i}`, labels, closedAt: closedAt(i), receivedAt: closedAt(i) });
    }
  } finally {
    await store.close();
  }
}, 60_000);

/** The progress lines of `title` in a command's stderr, and the rest of it. */
function split(stderr: string, title: string): { progress: string[]; rest: string[] } {
  const lines = stderr.split('\n').filter((l) => l !== '');
  const progress = lines.filter((l) => l.startsWith(`${title}: `));
  return { progress, rest: lines.filter((l) => !l.startsWith(`${title}: `)) };
}

/** The file's lines without its header (`header` lines), for joining the files of two windows. */
const body = (file: string, header: number) => readFileSync(path.join(cwd, file), 'utf8').split('\n').slice(header).join('\n');

describe('progress of reading a large window of cases', () => {
  it('feedback export: a line each tenth on stderr for a window of PROGRESS_CASES cases, the file and stdout as without it; none for a smaller window', async () => {
    const whole = await run(['feedback', 'export', '--out', 'all.csv', '--config', DEMO_CONFIG_PATH]);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).toMatch(new RegExp(`^wrote ${CASES} confirmed cases to all\\.csv \\(columns of .*demo-config\\.json\\)\\n$`));
    const { progress, rest } = split(whole.stderr, 'feedback export');
    expect(progress).toEqual(Array.from({ length: 11 }, (_, t) => `feedback export: ${t * 10}% (${(t * CASES) / 10}/${CASES})`));
    // Said before the notes: the reading is done when they are.
    expect(whole.stderr.indexOf('feedback export: 100%')).toBeLessThan(whole.stderr.indexOf('note:'));
    expect(rest.every((l) => /^(note|warning): /.test(l))).toBe(true);

    // Two windows of half as many report nothing, and their files are the whole file's rows, byte for byte.
    const first = await run(['feedback', 'export', '--out', 'first.csv', '--config', DEMO_CONFIG_PATH, '--until', middle]);
    const second = await run(['feedback', 'export', '--out', 'second.csv', '--config', DEMO_CONFIG_PATH, '--since', middle]);
    for (const half of [first, second]) {
      expect(half.code, half.stderr).toBe(0);
      expect(half.stdout).toMatch(new RegExp(`^wrote ${CASES / 2} confirmed cases to (first|second)\\.csv`));
      expect(split(half.stderr, 'feedback export').progress).toEqual([]);
    }
    const header = readFileSync(path.join(cwd, 'first.csv'), 'utf8').split('\n')[0];
    expect(readFileSync(path.join(cwd, 'all.csv'), 'utf8')).toBe(`${header}\n${body('first.csv', 1)}${body('second.csv', 1)}`);

    // --labels-only reads every case too.
    const labels = await run(['feedback', 'export', '--out', 'labels.csv', '--config', DEMO_CONFIG_PATH, '--labels-only']);
    expect(labels.code, labels.stderr).toBe(0);
    expect(split(labels.stderr, 'feedback export').progress).toHaveLength(11);
    expect(readFileSync(path.join(cwd, 'labels.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(CASES + 1);
  }, 60_000);

  it('feedback predictions: its two reads of the window as one progress, the lines and stdout as without it; none for a smaller window', async () => {
    const whole = await run(['feedback', 'predictions', '--out', 'all.jsonl']);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).toBe(`wrote ${CASES} prediction lines of confirmed cases to all.jsonl; \`mailroute evaluate --predictions all.jsonl --out <dir>\` reports on them\n`);
    const { progress, rest } = split(whole.stderr, 'feedback predictions');
    expect(progress).toEqual(Array.from({ length: 11 }, (_, t) => `feedback predictions: ${t * 10}% (${(t * 2 * CASES) / 10}/${2 * CASES})`));
    expect(rest).toEqual(['note: the artifact of ngram-bag-served is not at hand (pruned, or another home\'s): confirmed labels are read without its renames and merges']);

    const first = await run(['feedback', 'predictions', '--out', 'first.jsonl', '--until', middle]);
    const second = await run(['feedback', 'predictions', '--out', 'second.jsonl', '--since', middle]);
    for (const half of [first, second]) {
      expect(half.code, half.stderr).toBe(0);
      expect(split(half.stderr, 'feedback predictions').progress).toEqual([]);
    }
    expect(readFileSync(path.join(cwd, 'all.jsonl'), 'utf8')).toBe(`${body('first.jsonl', 0)}${body('second.jsonl', 0)}`);
  }, 60_000);
});
