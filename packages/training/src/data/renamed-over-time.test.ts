import { describe, expect, it } from 'vitest';
import { TaskConfigSchema } from '../config.js';
import type { DatasetRow } from './dataset.js';
import { renamedOverTimeWarnings } from './renamed-over-time.js';

/** A row of `label` received on day `day` of 2026 (day 1: January 1st). */
const row = (label: string, day: number): DatasetRow => ({ id: `${label}-${day}`, file: 'f', line: day, email: {}, labels: { queue: label }, dedupeKey: `${label}-${day}`, time: Date.UTC(2026, 0, day) });
const rows = (label: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => row(label, from + i));
const free = [TaskConfigSchema.parse({ name: 'queue' })];

describe('renamedOverTimeWarnings', () => {
  it('warns of a label that ends before another begins in a task without labels, with the alias that merges them', () => {
    const data = [...rows('payments', 1, 40), ...rows('2fa', 1, 20), ...rows('login_2fa', 21, 40)];
    expect(renamedOverTimeWarnings(data, free)).toEqual([
      'queue: "2fa" (20 rows, until 2026-01-20) ends before "login_2fa" (20 rows, from 2026-01-21) begins: if the export renamed it, each old name and its new one train as two classes; ' +
        'add to the task\'s aliases: {"2fa":"login_2fa"} (a label dropped, not renamed, to its retired)',
    ]);
  });

  it('names both sides when several labels were renamed at once, leaving each new name to fill in', () => {
    const data = [...rows('Steuern', 1, 10), ...rows('Depot', 1, 12), ...rows('tax', 13, 30), ...rows('securities', 14, 30)];
    const [warning] = renamedOverTimeWarnings(data, free);
    expect(warning).toContain('"Steuern" (10 rows, until 2026-01-10), "Depot" (12 rows, until 2026-01-12) end before "tax" (18 rows, from 2026-01-13), "securities" (17 rows, from 2026-01-14) begin');
    expect(warning).toContain('{"Steuern":"<its new name>","Depot":"<its new name>"}');
  });

  it('says nothing of labels that overlap in time, of a gap chance explains, of other, or in a task whose labels are listed', () => {
    expect(renamedOverTimeWarnings([...rows('a', 1, 20), ...rows('b', 20, 40)], free)).toEqual([]);
    // A queue opened in the last days: the labels before it stop only where the export ends, not while mail goes on.
    expect(renamedOverTimeWarnings([...rows('a', 1, 30), ...rows('b', 1, 31), ...rows('crypto', 32, 36)], free)).toEqual([]);
    // b begins after a ends, but at b's rate the days before it would hold too few b rows to tell it began.
    expect(renamedOverTimeWarnings([...rows('a', 1, 4), ...rows('b', 10, 40), ...rows('c', 1, 40)], free)).toEqual([]);
    expect(renamedOverTimeWarnings([...rows('other', 1, 10), ...rows('b', 11, 40)], free)).toEqual([]);
    const listed = [TaskConfigSchema.parse({ name: 'queue', labels: ['a', 'b'] })];
    expect(renamedOverTimeWarnings([...rows('a', 1, 10), ...rows('b', 11, 40)], listed)).toEqual([]);
  });
});
