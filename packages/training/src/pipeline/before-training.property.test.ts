/**
 * Property test of what training does before the trainer runs, as trainFromConfig does it: a config with a drawn
 * taxonomy (task names and labels such as `constructor` and `other` among them), a small export with labels inside
 * and outside it, blank labels and times, under both `onBadRow` modes and both kinds of split; then the taxonomy
 * lines and warnings, the split, and the trainability check. Each step ends, or is refused with the config's,
 * the data's or the split's own error; never another error, and no report shows JavaScript's own values.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig, type TrainingConfig } from '../config.js';
import { loadDataset } from '../data/dataset.js';
import { renamedOverTimeWarnings } from '../data/renamed-over-time.js';
import { splitDataset, timeTieWarning } from '../data/split.js';
import { DatasetError, SplitError, TrainingConfigError } from '../errors.js';
import { formatTaxonomyReport } from '../taxonomy.js';
import { lookalikeWarning } from '../data/label-lookalikes.js';
import { checkTrainable, untrainedLabelWarnings } from './trainable.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-before-training-'));
const name = fc.constantFrom('a', 'b', 'c', 'other', 'constructor', 'toString', 'Ü', 'A');

const taxonomy = fc.record(
  { labels: fc.uniqueArray(name, { minLength: 1, maxLength: 5 }), aliases: fc.dictionary(name, name, { maxKeys: 3 }), retired: fc.uniqueArray(name, { maxLength: 2 }), minCount: fc.integer({ min: 1, max: 4 }), rare: fc.constantFrom('other', 'drop') },
  { requiredKeys: [] },
);
const row = fc.record({ text: fc.nat(8), label: fc.oneof(name, fc.constantFrom('', 'zzz')), second: fc.constantFrom('x', 'y', ''), day: fc.option(fc.nat(20), { nil: undefined }) });

/** The config, or undefined when the config refuses the drawn taxonomy (the config's property test covers that). */
function configOf(task: object, taskName: string, kind: 'stratified' | 'time', onBadRow: 'fail' | 'skip'): TrainingConfig | undefined {
  try {
    const split = kind === 'time' ? { kind } : { kind, on: taskName };
    return parseTrainingConfig({ columns: { body: 'body', receivedAt: 'at' }, tasks: [{ name: taskName, column: 'q', ...task }, { name: 'second', column: 'q2' }], split, onBadRow });
  } catch (error) {
    if (error instanceof TrainingConfigError) return undefined;
    throw error;
  }
}

describe('training up to the trainer (property)', () => {
  it('loads, reports, splits and checks a drawn taxonomy and export, or refuses them with its own error', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(taxonomy, fc.constantFrom('queue', 'constructor', 'hasOwnProperty'), fc.constantFrom('stratified', 'time'), fc.constantFrom('fail', 'skip'), fc.array(row, { minLength: 1, maxLength: 40 }), async (task, taskName, kind, onBadRow, rows) => {
        const config = configOf(task, taskName, kind, onBadRow);
        if (config === undefined) return;
        const file = path.join(dir, `export-${n++}.csv`);
        const at = (day: number | undefined) => (day === undefined ? '' : new Date(Date.UTC(2026, 0, 1 + day)).toISOString());
        writeFileSync(file, `body,q,q2,at\n${rows.map((r) => `text ${r.text},${r.label},${r.second},${at(r.day)}`).join('\n')}\n`);
        try {
          const dataset = await loadDataset(file, config, { needsTime: kind === 'time' });
          const said = [...dataset.taxonomy.map(formatTaxonomyReport), ...dataset.taxonomy.map(lookalikeWarning), ...renamedOverTimeWarnings(dataset.rows, config.tasks)];
          const split = splitDataset(dataset.rows, config.split);
          said.push(...(kind === 'time' ? [timeTieWarning(split)] : []), ...untrainedLabelWarnings(dataset.taxonomy, split, kind));
          said.push(...checkTrainable(dataset.taxonomy, { train: split.train.length, valid: split.valid.length, test: split.test.length }));
          expect(JSON.stringify([dataset.taxonomy, said])).not.toMatch(/function |NaN|\[object /);
        } catch (error) {
          if (!(error instanceof DatasetError || error instanceof SplitError)) throw error;
        }
      }),
      { seed: 10, numRuns: 500 },
    );
  });
});
