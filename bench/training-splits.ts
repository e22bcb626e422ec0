/**
 * `npm run bench -- training-splits`: the tickets config (bench/configs/tickets.json) on other stratified
 * 80/20 splits than the training section's seed 0 — split seeds 1..MAILROUTE_BENCH_SPLITS (default 10) —
 * each against the scikit-learn reference on the same split. One split moves a task's macro-F1 by about
 * 0.01, so this tells whether a gap on seed 0 is the model's or that split's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTrainingConfig, trainFromConfig } from '@mailroute/training';
import { hasReference, REFERENCE_ABSENT, runReference, ticketFiles, writeReferenceInput } from './lib/reference.js';
import { sharedData, type Figure, type SectionResult, type Table } from './lib/report.js';

const CONFIG = 'bench/configs/tickets.json';

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Standard error of the mean (sample standard deviation / sqrt(n)); 0 for fewer than two values. */
export function standardError(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  const variance = xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
  return Math.sqrt(variance / xs.length);
}

function splitCount(): number {
  const raw = process.env.MAILROUTE_BENCH_SPLITS ?? '10';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new Error(`MAILROUTE_BENCH_SPLITS must be an integer from 1 to 100, not ${raw}`);
  return n;
}

export async function run(): Promise<SectionResult> {
  const section = 'training-splits';
  const shared = sharedData();
  if (!shared) return { section, figures: [], tables: [], notes: ['Skipped: ../shared/data is absent (set MAILROUTE_SHARED_DATA to its path).'] };
  if (!hasReference()) return { section, figures: [], tables: [], notes: [`Skipped: this section only compares with the reference. ${REFERENCE_ABSENT}`] };
  const splits = splitCount();
  const files = ticketFiles(shared);
  const base = await loadTrainingConfig(CONFIG);
  const perSplit: Table = { title: 'Macro-F1 per split seed (ours vs reference, same split)', columns: ['split seed', 'task', 'macro-F1', 'ref macro-F1', 'difference'], rows: [] };
  const differences = new Map<string, { ours: number[]; ref: number[] }>();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mailroute-bench-splits-'));
  try {
    for (let seed = 1; seed <= splits; seed++) {
      console.error(`bench: training-splits: split seed ${seed} of ${splits}`);
      const config = { ...base, split: { ...base.split, seed } };
      const dir = mkdtempSync(path.join(tmp, `seed-${seed}-`));
      await writeReferenceInput(config, files, dir);
      const reference = runReference(dir);
      if (typeof reference === 'string') throw new Error(`split seed ${seed}: ${reference}`);
      const ours = await trainFromConfig({ config, dataPath: files, home: path.join(dir, 'home') });
      for (const [task, ref] of Object.entries(reference.tasks)) {
        const f1 = ours.metrics[`${task}.macro_f1`];
        if (f1 === undefined) throw new Error(`split seed ${seed}: our run has no macro-F1 for task ${task}`);
        perSplit.rows.push([seed, task, r4(f1), r4(ref.macro_f1), signed(f1 - ref.macro_f1)]);
        const d = differences.get(task) ?? { ours: [], ref: [] };
        d.ours.push(f1);
        d.ref.push(ref.macro_f1);
        differences.set(task, d);
      }
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const summary: Table = {
    title: `Mean over split seeds 1-${splits}`,
    columns: ['task', 'macro-F1', 'ref macro-F1', 'mean difference', 'standard error', 'splits with ours >= ref', 'lowest difference', 'highest difference'],
    rows: [],
  };
  const figures: Figure[] = [];
  for (const [task, { ours, ref }] of differences) {
    const diff = ours.map((x, i) => x - ref[i]);
    summary.rows.push([task, r4(mean(ours)), r4(mean(ref)), signed(mean(diff)), standardError(diff).toFixed(4), `${diff.filter((x) => x >= 0).length} of ${diff.length}`, signed(Math.min(...diff)), signed(Math.max(...diff))]);
    figures.push({ name: `tickets ${task} macro-F1, mean over split seeds 1-${splits}`, value: r4(mean(ours)), unit: 'F1', reference: { name: 'sklearn TF-IDF + LinearSVC, same splits', value: r4(mean(ref)) } });
  }
  return {
    section,
    figures,
    tables: [summary, perSplit],
    notes: [
      `Ours: ${CONFIG} through trainFromConfig with only split.seed changed (model seed 0); the reference: bench/sklearn_reference.py on the same rows of each split, as in the training section.`,
      'The standard error is that of the mean paired difference (ours minus reference) over the splits. The training section reports split seed 0, the one the issue names; the config was chosen on split seeds 1-20 (see its description), so these splits are not held out from that choice.',
      'MAILROUTE_BENCH_SPLITS=N runs split seeds 1..N (about 15 s per split here).',
    ],
  };
}
