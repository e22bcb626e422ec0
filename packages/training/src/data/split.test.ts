import { describe, expect, it } from 'vitest';
import { SplitConfigSchema } from '../config.js';
import type { DatasetRow } from './dataset.js';
import { implausibleTimeWarning, splitDataset, timeTieWarning } from './split.js';

function row(i: number, label: string, text = `text ${i}`, time?: number): DatasetRow {
  return { id: String(i), file: 'f', line: i + 2, email: { body: text }, labels: { queue: label }, dedupeKey: text, time };
}

describe('splitDataset', () => {
  it('keeps label proportions in a stratified split and is the same for the same seed', () => {
    const rows = [...Array.from({ length: 800 }, (_, i) => row(i, 'a')), ...Array.from({ length: 200 }, (_, i) => row(1000 + i, 'b'))];
    const cfg = SplitConfigSchema.parse({ kind: 'stratified', on: 'queue', testShare: 0.2, validShare: 0.1, seed: 7 });
    const s = splitDataset(rows, cfg);
    expect(s.test).toHaveLength(200);
    expect(s.valid).toHaveLength(100);
    expect(s.test.filter((r) => r.labels.queue === 'b')).toHaveLength(40);
    expect(s.valid.filter((r) => r.labels.queue === 'b')).toHaveLength(20);
    expect(splitDataset(rows, cfg).test.map((r) => r.id)).toEqual(s.test.map((r) => r.id));
    const other = splitDataset(rows, { ...cfg, seed: 8 });
    expect(other.test.map((r) => r.id)).not.toEqual(s.test.map((r) => r.id));
  });

  it('keeps exact duplicates on one side', () => {
    const rows = Array.from({ length: 300 }, (_, i) => row(i, i % 2 ? 'a' : 'b', `dup ${i % 50}`));
    const s = splitDataset(rows, SplitConfigSchema.parse({ kind: 'stratified', on: 'queue', testShare: 0.3, validShare: 0.2 }));
    const side = new Map<string, string>();
    for (const [name, part] of Object.entries({ train: s.train, valid: s.valid, test: s.test })) {
      for (const r of part) {
        expect(side.get(r.dedupeKey) ?? name).toBe(name);
        side.set(r.dedupeKey, name);
      }
    }
    expect(s.test.length).toBeGreaterThan(0);
    expect(s.duplicateGroups).toBe(50);
  });

  it('puts the newest mail in the test set in a time split', () => {
    const rows = Array.from({ length: 100 }, (_, i) => row(i, 'a', `t${i}`, Date.UTC(2026, 0, 1) + ((i * 37) % 100) * 86_400_000));
    const s = splitDataset(rows, SplitConfigSchema.parse({ kind: 'time', testShare: 0.2, validShare: 0.1 }));
    expect(s.test).toHaveLength(20);
    expect(s.valid).toHaveLength(10);
    const oldestTest = Math.min(...s.test.map((r) => r.time as number));
    const newestValid = Math.max(...s.valid.map((r) => r.time as number));
    const newestTrain = Math.max(...s.train.map((r) => r.time as number));
    expect(newestValid).toBeLessThan(oldestTest);
    expect(newestTrain).toBeLessThan(Math.min(...s.valid.map((r) => r.time as number)));
  });

  // The size is the point: a group of over about 125,000 copies overflowed the stack when its times were spread into
  // the arguments of Math.max. 220,000 rows take about a second, more than 5 s (vitest's default) on a loaded machine.
  it('splits by time a big export with one text 150,000 times (an auto-reply), the group as old as its oldest copy', () => {
    const day = (d: number) => Date.UTC(2026, 0, 1) + d * 86_400_000;
    const copies = Array.from({ length: 150_000 }, (_, i) => row(i, 'a', 'automatic reply', day(i % 30)));
    const others = Array.from({ length: 70_000 }, (_, i) => row(200_000 + i, 'b', `t${i}`, day(40 + (i % 10))));
    const s = splitDataset([...copies, ...others], SplitConfigSchema.parse({ kind: 'time', testShare: 0.2, validShare: 0.1 }));
    // The copies' newest is day 29, older than every other row: they all train.
    expect(s.train.filter((r) => r.dedupeKey === 'automatic reply')).toHaveLength(150_000);
    expect(s.test).toHaveLength(44_000);
    expect(s.valid).toHaveLength(22_000);
  }, 30_000);

  it('trains a text that came all along (an auto-reply among the mail of a year): the newest mail stays the test set', () => {
    const day = (d: number) => Date.UTC(2025, 0, 1) + d * 86_400_000;
    // 240 emails over 240 days, and after every third one a copy of one auto-reply: 80 copies from day 2 to day 239.
    const rows = Array.from({ length: 240 }, (_, i) => row(i, 'a', `t${i}`, day(i)));
    const copies = Array.from({ length: 80 }, (_, k) => row(1000 + k, 'a', 'abwesenheitsnotiz', day(3 * k + 2)));
    const s = splitDataset([...rows, ...copies], SplitConfigSchema.parse({ kind: 'time', testShare: 0.2, validShare: 0.1 }));
    expect(s.train.filter((r) => r.dedupeKey === 'abwesenheitsnotiz')).toHaveLength(80);
    // The 64 held out for test are the newest 64 emails, every one newer than anything trained on.
    expect(s.test).toHaveLength(64);
    expect(Math.min(...s.test.map((r) => r.time as number))).toBe(day(176));
    expect(s.test.every((r) => r.dedupeKey !== 'abwesenheitsnotiz')).toBe(true);
  });

  it('warns when held-out rows share their received time with training rows: there the split follows file order, not time', () => {
    const cfg = SplitConfigSchema.parse({ kind: 'time', testShare: 0.2, validShare: 0.1 });
    const day = (d: number) => Date.UTC(2026, 0, 1 + d);
    const same = Array.from({ length: 50 }, (_, i) => row(i, 'a', `t${i}`, day(0)));
    expect(timeTieWarning(splitDataset(same, cfg))).toBe(
      'time split: every row has the received time 2026-01-01T00:00:00.000Z, so the split follows the file\'s order, not time: the test rows are no newer than the training rows',
    );
    // Dates only: 10 days of 10 rows; 30 held out take days 7-9 whole, but 25 would split day 7.
    const dated = Array.from({ length: 100 }, (_, i) => row(i, 'a', `d${i}`, day(Math.floor(i / 10))));
    expect(timeTieWarning(splitDataset(dated, cfg))).toBeUndefined();
    const tie = splitDataset(dated, SplitConfigSchema.parse({ kind: 'time', testShare: 0.15, validShare: 0.1 }));
    expect(timeTieWarning(tie)).toBe(
      'time split: 5 held-out row(s) and 5 training row(s) share the received time 2026-01-08T00:00:00.000Z; among them the split follows the file\'s order, not time (dates without a time of day?)',
    );
    // One held-out row of 25 (a twentieth at most) sharing its second with a training row is no warning.
    const one = dated.map((r, i) => ({ ...r, time: day(i === 75 ? 74 : i) }));
    const few = splitDataset(one, SplitConfigSchema.parse({ kind: 'time', testShare: 0.15, validShare: 0.1 }));
    expect(few.train.some((r) => r.time === day(74)) && few.valid.some((r) => r.time === day(74))).toBe(true);
    expect(timeTieWarning(few)).toBeUndefined();
  });

  it('warns of received times no mail has: after now (held out as the newest mail) or before 1990', () => {
    const now = Date.UTC(2026, 11, 4);
    const at = (iso: string) => Date.parse(iso);
    const rows = [row(0, 'a', 'x0', at('2026-11-01')), row(1, 'a', 'x1', at('9999-12-31')), row(2, 'a', 'x2', at('2062-03-15')), row(3, 'a', 'x3', at('1900-01-01')), row(4, 'a', 'x4', now + 3_600_000)];
    expect(implausibleTimeWarning(rows, now)).toBe(
      'time split: 2 received after now (f:3, f:4), which the split holds out as the newest mail and 1 received before 1990 (f:5); placeholder dates (9999-12-31, 1900-01-01) or typos? Correct them, or leave those rows out',
    );
    // An hour ahead (another zone's clock) and mail of 1990 on are mail.
    expect(implausibleTimeWarning([rows[0], rows[4], row(5, 'a', 'x5', at('1990-01-01'))], now)).toBeUndefined();
  });

  it('refuses a time split over rows without a received time (they would all land in training)', () => {
    const rows = Array.from({ length: 20 }, (_, i) => row(i, 'a', `t${i}`, i % 5 === 0 ? undefined : Date.UTC(2026, 0, 1 + i)));
    expect(() => splitDataset(rows, SplitConfigSchema.parse({ kind: 'time', testShare: 0.2, validShare: 0.1 }))).toThrow(
      "a time split needs every row's received time: 4 of 20 row(s) have none (f:2, f:7, f:12, ...); fill them in, leave those rows out (\"onBadRow\": \"skip\" or --on-bad-row skip does), or use a stratified split",
    );
  });

  it('takes no test share when the test set is external', () => {
    const rows = Array.from({ length: 100 }, (_, i) => row(i, 'a'));
    const s = splitDataset(rows, SplitConfigSchema.parse({ kind: 'stratified', on: 'queue' }), { externalTest: true });
    expect(s.test).toHaveLength(0);
    expect(s.valid).toHaveLength(10);
  });
});
