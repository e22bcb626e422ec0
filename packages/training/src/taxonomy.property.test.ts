/**
 * Property test of a task's taxonomy over a label column, as loadDataset applies it: each cell resolved
 * (`resolveLabel`: aliases followed, retired masked, outside the labels refused), then rare labels merged into
 * `other` or dropped (`finaliseTaskLabels`). Tasks are drawn as configs the config accepts, over a small pool of
 * labels (JavaScript's own member names and `other` among them), and checked against the README's rules: every
 * learnt label is in the taxonomy or `other`, masked cells stay masked, and the report counts what happened.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig, type TaskConfig } from './config.js';
import { TrainingConfigError } from './errors.js';
import { finaliseTaskLabels, OTHER_LABEL, readLabel, resolveLabel } from './taxonomy.js';
import { lookalikeWarning } from './data/label-lookalikes.js';

const POOL = ['a', 'b', 'c', 'd', OTHER_LABEL, 'constructor', 'toString', 'hasOwnProperty', 'Ü'];
const name = fc.constantFrom(...POOL);

/** A task the config accepts (drawn freely, those it refuses skipped). */
const task = fc
  .record(
    {
      labels: fc.uniqueArray(name, { minLength: 1, maxLength: 6 }),
      aliases: fc.dictionary(name, name, { maxKeys: 4 }),
      retired: fc.uniqueArray(name, { maxLength: 2 }),
      minCount: fc.integer({ min: 1, max: 4 }),
      rare: fc.constantFrom('other', 'drop'),
    },
    { requiredKeys: [] },
  )
  .map((t): TaskConfig | undefined => {
    try {
      return parseTrainingConfig({ columns: { body: 'body' }, tasks: [{ name: 'queue', ...t }] }).tasks[0];
    } catch (error) {
      if (error instanceof TrainingConfigError) return undefined;
      throw error;
    }
  })
  .filter((t): t is TaskConfig => t !== undefined);

/** A cell as exports write it: a label of the pool (as it is, padded or decomposed), blank, or missing. */
const cell = fc.oneof(
  name,
  name.map((l) => ` ${l.normalize('NFD')} `),
  fc.constantFrom('', '  ', null, 'zzz'),
);

describe('a task\'s taxonomy over a label column (property)', () => {
  it('learns only labels of the taxonomy or other, keeps masked cells masked, and reports what it did', () => {
    fc.assert(
      fc.property(task, fc.array(cell, { maxLength: 40 }), (t, cells) => {
        const resolved = cells.map((c) => resolveLabel(t, c));
        // A cell is blank, retired, outside the labels or one of them, by the aliases as the config gives them.
        resolved.forEach((r, i) => {
          const value = readLabel(cells[i] ?? '');
          if (value === '') return expect(r).toEqual({ kind: 'missing' });
          let label = value;
          while (Object.hasOwn(t.aliases, label)) label = t.aliases[label];
          if (t.retired.includes(label)) return expect(r).toEqual({ kind: 'retired', label: value });
          if (t.labels && !t.labels.includes(label)) return expect(r).toEqual({ kind: 'unknown', label: value });
          expect(r).toEqual(label === value ? { kind: 'label', label } : { kind: 'label', label, renamedFrom: value });
        });
        // As loadDataset: rows with a bad cell are not among the rows finalised.
        const kept = resolved.filter((r) => r.kind !== 'unknown');
        const labels = kept.map((r) => (r.kind === 'label' ? r.label : null));
        const stats = { renamed: {}, retired: kept.filter((r) => r.kind === 'retired').length, missing: kept.filter((r) => r.kind === 'missing').length };
        const { labels: out, report } = finaliseTaskLabels(t, labels, stats);

        expect(out).toHaveLength(labels.length);
        const before = new Map<string, number>();
        for (const l of labels) if (l !== null) before.set(l, (before.get(l) ?? 0) + 1);
        out.forEach((l, i) => {
          if (labels[i] === null) return expect(l).toBeNull();
          const rare = labels[i] !== OTHER_LABEL && (before.get(labels[i] as string) as number) < t.minCount;
          expect(l).toBe(rare ? (t.rare === 'other' ? OTHER_LABEL : null) : labels[i]);
        });
        // Every learnt label is in the taxonomy, or `other` that rare labels merged into; none is retired.
        for (const l of out) if (l !== null && t.labels && !t.labels.includes(l)) expect(l).toBe(OTHER_LABEL);
        for (const l of out) if (l !== null) expect(t.retired).not.toContain(l);
        // The counts are the rows' final labels; the labels are those counted, in the taxonomy's order, `other` last.
        const counted = Object.entries(report.counts);
        expect(counted.reduce((n, [, c]) => n + c, 0)).toBe(out.filter((l) => l !== null).length);
        for (const [l, c] of counted) expect(c).toBe(out.filter((x) => x === l).length);
        expect([...report.labels].sort()).toEqual(counted.map(([l]) => l).sort());
        if (t.labels) expect(report.labels).toEqual([...t.labels, OTHER_LABEL].filter((l, i, all) => all.indexOf(l) === i && Object.hasOwn(report.counts, l)));
        // Rare labels are those under minCount (never `other`); absent ones are those no row carries, even merged.
        expect(Object.entries(report.rare).sort()).toEqual([...before].filter(([l, n]) => n < t.minCount && l !== OTHER_LABEL).sort());
        expect(report.absent).toEqual((t.labels ?? []).filter((l) => !before.has(l) && !out.includes(l)));
        expect(report.retired + report.missing).toBe(labels.filter((l) => l === null).length);
      }),
      { seed: 4, numRuns: 600 },
    );
  });

  it('suggests aliases for lookalike labels that the config accepts and that leave one label of each group', () => {
    const spelling = fc.constantFrom('billing', 'Billing', 'BILLING', 'billing  issue', 'Billing Issue', 'tax', 'Tax', OTHER_LABEL, 'Other', 'rare');
    fc.assert(
      fc.property(fc.array(spelling, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 3 }), (cells, minCount) => {
        const stats = { renamed: {}, retired: 0, missing: 0 };
        const before = finaliseTaskLabels(parseTrainingConfig({ columns: { body: 'b' }, tasks: [{ name: 'queue', minCount }] }).tasks[0], cells, stats);
        const warning = lookalikeWarning(before.report);
        if (warning === undefined) {
          expect(before.report.lookalikes).toBeUndefined();
          return;
        }
        const aliases = JSON.parse(warning.slice(warning.lastIndexOf(': {') + 2)) as Record<string, string>;
        // Added to the task as the warning says, the config takes them, and the groups are one label each.
        const task = parseTrainingConfig({ columns: { body: 'b' }, tasks: [{ name: 'queue', minCount, aliases }] }).tasks[0];
        const labels = cells.map((c) => {
          const r = resolveLabel(task, c);
          return r.kind === 'label' ? r.label : null;
        });
        const after = finaliseTaskLabels(task, labels, stats).report;
        expect(after.lookalikes).toBeUndefined();
        expect(Object.values(after.counts).reduce((a, b) => a + b, 0)).toBe(cells.length);
      }),
      { seed: 9, numRuns: 400 },
    );
  });
});
