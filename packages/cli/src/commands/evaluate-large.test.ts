import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatPredictionLines, parsePredictionLines, syntheticPredictionLines } from '@mailroute/evaluation';
import { describe, expect, it, vi } from 'vitest';
import { demoChampionFolder } from '../test-support.js';

// Past 2^29 - 24 characters V8 makes no string: Node's readFile(file, 'utf8') of a file over 512 MB fails with
// "Invalid string length", as does joining that much JSON into one. A file that big (140,000 lines of a
// 77-label task, which predict writes in chunks) is too much for a test: these mocks refuse as V8 would,
// the file by its name and the join past 1,000 lines.
const OVER_LIMIT = 'over-512mb';
const JOIN_LIMIT = 1000;
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>();
  const readFile = (async (file: Parameters<typeof fs.readFile>[0], options?: Parameters<typeof fs.readFile>[1]) => {
    if (String(file).includes(OVER_LIMIT) && options !== undefined) throw new RangeError('Invalid string length');
    return fs.readFile(file, options);
  }) as typeof fs.readFile;
  return { ...fs, default: { ...fs, readFile }, readFile };
});
vi.mock('@mailroute/evaluation', async (original) => {
  const evaluation = await original<typeof import('@mailroute/evaluation')>();
  const formatPredictionLines: typeof evaluation.formatPredictionLines = (lines) => {
    if (lines.length > JOIN_LIMIT) throw new RangeError('Invalid string length');
    return evaluation.formatPredictionLines(lines);
  };
  return { ...evaluation, formatPredictionLines };
});

const { dir, run } = demoChampionFolder('mailroute-cli-large-', JOIN_LIMIT + 200);

describe('evaluate with more predictions than one string holds', () => {
  it('reads a predictions file too big for one string, line by line', async () => {
    const lines = syntheticPredictionLines({ n: 50, seed: 3, tasks: { queue: ['payments', 'cards'] } });
    writeFileSync(path.join(dir, `${OVER_LIMIT}.jsonl`), formatPredictionLines(lines));
    const { code, stderr, stdout } = await run(['evaluate', '--predictions', `${OVER_LIMIT}.jsonl`, '--out', 'rep-read', '--no-png']);
    expect(stderr).not.toContain('cannot read');
    expect(code).toBe(0);
    expect(stdout).toMatch(/queue\s+50 /);
  });

  it('keeps the predictions of --model in chunks, not joined into one string', async () => {
    const { code, stderr } = await run(['evaluate', '--model', 'champion', '--data', 'test.csv', '--out', 'rep-model', '--no-png']);
    expect(stderr).not.toContain('Invalid string length');
    expect(code).toBe(0);
    expect(parsePredictionLines(readFileSync(path.join(dir, 'rep-model/predictions.jsonl'), 'utf8'))).toHaveLength(JOIN_LIMIT + 200);
  });
});
