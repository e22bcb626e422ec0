/**
 * Property test of `splitDataset` over random datasets (1 to 40 rows, few texts so that exact duplicates are
 * common, few labels and times so that ties are too) and random shares: the same seed gives the same split,
 * every row lands once and in file order, duplicates never straddle two sides, a stratified split takes each
 * label's share of its duplicate groups and trains on one at least, a time split holds out the newest mail (a
 * duplicate group by its oldest copy),
 * and the only error is a SplitError when nothing would be left to train on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SplitConfigSchema, type SplitConfig } from '../config.js';
import { SplitError } from '../errors.js';
import type { DatasetRow } from './dataset.js';
import { splitDataset, type DatasetSplit } from './split.js';

const DAY = 86_400_000;

/** Rows whose text, label and day are drawn from small pools (a label null: masked in the split's task). */
const dataset = fc
  .array(fc.record({ text: fc.nat(12), label: fc.constantFrom('a', 'b', 'c', 'constructor', null), day: fc.nat(6) }), { minLength: 1, maxLength: 40 })
  .map((drawn) =>
    drawn.map(({ text, label, day }, i): DatasetRow => ({
      id: String(i),
      file: 'f.csv',
      line: i + 2,
      email: { body: `t${text}` },
      labels: { queue: label },
      dedupeKey: `t${text}`,
      time: Date.UTC(2026, 0, 1) + day * DAY,
    })),
  );

const share = fc.double({ min: 0, max: 0.6, noNaN: true });
const split = fc
  .record({ kind: fc.constantFrom('stratified', 'time'), testShare: share, validShare: fc.double({ min: 0.01, max: 0.3, noNaN: true }), seed: fc.integer() })
  .filter((s) => s.testShare + s.validShare < 0.95)
  .map((s) => SplitConfigSchema.parse(s.kind === 'stratified' ? { ...s, on: 'queue' } : s));

/** The rows' duplicate groups (by dedupeKey), each as its row indices. */
function groupsOf(rows: readonly DatasetRow[]): number[][] {
  const byKey = new Map<string, number[]>();
  rows.forEach((r, i) => byKey.set(r.dedupeKey, [...(byKey.get(r.dedupeKey) ?? []), i]));
  return [...byKey.values()];
}

/** Which side each row is on (0 train, 1 valid, 2 test), by identity; each row once. */
function sidesOf(rows: readonly DatasetRow[], s: DatasetSplit): number[] {
  const side = new Map<DatasetRow, number>();
  [s.train, s.valid, s.test].forEach((part, p) => {
    for (const r of part) {
      expect(side.has(r)).toBe(false);
      side.set(r, p);
    }
    // Each part keeps the file's order.
    expect(part.map((r) => rows.indexOf(r))).toEqual(part.map((r) => rows.indexOf(r)).sort((a, b) => a - b));
  });
  expect(side.size).toBe(rows.length);
  return rows.map((r) => side.get(r) as number);
}

function checkStratified(rows: readonly DatasetRow[], cfg: Extract<SplitConfig, { kind: 'stratified' }>, groups: number[][], side: number[], testShare: number): void {
  const strata = new Map<string | null, number[][]>();
  for (const g of groups) strata.set(rows[g[0]].labels.queue, [...(strata.get(rows[g[0]].labels.queue) ?? []), g]);
  for (const members of strata.values()) {
    const on = (p: number) => members.filter((g) => side[g[0]] === p).length;
    const n = members.length;
    // Each label trains on one group at least; otherwise it takes its share (rounded) of the groups.
    expect(on(0)).toBeGreaterThanOrEqual(1);
    if (Math.round(n * testShare) + Math.round(n * cfg.validShare) < n) {
      expect(on(2)).toBe(Math.round(n * testShare));
      expect(on(1)).toBe(Math.round(n * cfg.validShare));
    }
  }
}

function checkTime(rows: readonly DatasetRow[], cfg: SplitConfig, groups: number[][], side: number[], testShare: number): void {
  // A group of duplicates is as old as its oldest copy (a text that came all along trains).
  const oldest = (g: number[]) => Math.min(...g.map((i) => rows[i].time as number));
  const times = (p: number) => groups.filter((g) => side[g[0]] === p).map(oldest);
  // Test mail is no older than validation mail, which is no older than training mail.
  expect(Math.min(...times(2))).toBeGreaterThanOrEqual(Math.max(...times(1), ...times(0)));
  expect(Math.min(...times(1))).toBeGreaterThanOrEqual(Math.max(...times(0)));
  // The test set has its share of the rows (or a group's more); validation falls short only when nothing is left to train.
  const count = (p: number) => side.filter((s) => s === p).length;
  const wantTest = Math.round(rows.length * testShare);
  const wantValid = Math.round(rows.length * cfg.validShare);
  expect(count(2)).toBeGreaterThanOrEqual(Math.min(wantTest, rows.length));
  if (count(1) < wantValid) expect(count(0)).toBe(0);
}

describe('splitDataset (property)', () => {
  it('places every row once, keeps duplicates together, and splits by label share or by time, the same for a seed', () => {
    fc.assert(
      fc.property(dataset, split, fc.boolean(), (rows, cfg, externalTest) => {
        let s: DatasetSplit;
        try {
          s = splitDataset(rows, cfg, { externalTest });
        } catch (error) {
          // Only when the held-out shares, taken a duplicate group at a time, leave nothing to train on.
          expect(error).toBeInstanceOf(SplitError);
          expect((error as Error).message).toBe('the split leaves no rows to train on');
          expect(cfg.kind).toBe('time');
          return;
        }
        expect(splitDataset(rows, cfg, { externalTest })).toEqual(s);
        const side = sidesOf(rows, s);
        const groups = groupsOf(rows);
        for (const g of groups) expect(new Set(g.map((i) => side[i])).size).toBe(1);
        expect(s.duplicateGroups).toBe(groups.filter((g) => g.length > 1).length);
        if (externalTest) expect(s.test).toEqual([]);
        const testShare = externalTest ? 0 : cfg.testShare;
        if (cfg.kind === 'stratified') checkStratified(rows, cfg, groups, side, testShare);
        else checkTime(rows, cfg, groups, side, testShare);
      }),
      { seed: 5, numRuns: 1000 },
    );
  });
});
