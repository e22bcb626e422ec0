/**
 * The scikit-learn reference of the training benchmarks (bench/sklearn_reference.py: TF-IDF word 1-2 +
 * char_wb 2-5, LinearSVC), and the split files it reads, made by the same functions as trainFromConfig.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadDataset, NgramBagParamsSchema, prepareModelRows, splitDataset, type DatasetRow, type TrainingConfig } from '@mailroute/training';
import { SKLEARN_ABSENT, sklearnPython } from './python.js';

export interface Reference {
  tasks: Record<string, { accuracy: number; macro_f1: number; support: number }>;
  fit_seconds: number;
  predict_seconds: number;
  test_rows: number;
  max_rss_mib: number;
  sklearn: string;
}

/** Whether a Python with sklearn is there to run the reference (found as for the evaluation section: lib/python.ts). */
export function hasReference(): boolean {
  return sklearnPython() !== undefined;
}

export const REFERENCE_ABSENT = `${SKLEARN_ABSENT} No side-by-side figures.`;

function referenceText(row: DatasetRow): string {
  const e = row.email;
  return [e.subject, e.body ?? e.html].filter((s) => s && s.trim() !== '').join('\n');
}

/**
 * The split trainFromConfig makes of `data` under `config` (same functions, same seed), written to `dir`
 * for the reference (train.jsonl, test.jsonl) and the test emails for a throughput run (emails.jsonl).
 */
export async function writeReferenceInput(config: TrainingConfig, data: string[], dir: string, testFile?: string): Promise<void> {
  const dataset = await loadDataset(data, config);
  // Split as training does: by the clean text, rows with none the model reads left out.
  const prepared = prepareModelRows(dataset.rows, NgramBagParamsSchema.parse({ targetPrecision: config.targetPrecision, ...config.model }));
  const split = splitDataset(prepared.rows, config.split, { externalTest: testFile !== undefined, keys: prepared.keys });
  const fixedLabels = Object.fromEntries(dataset.taxonomy.map((t) => [t.task, t.labels]));
  const test = testFile ? (await loadDataset(testFile, config, { fixedLabels })).rows : split.test;
  const line = (r: DatasetRow) => JSON.stringify({ text: referenceText(r), labels: r.labels });
  // The reference needs no validation split: it trains on everything that is not test.
  writeFileSync(path.join(dir, 'train.jsonl'), [...split.train, ...split.valid].map(line).join('\n') + '\n');
  writeFileSync(path.join(dir, 'test.jsonl'), test.map(line).join('\n') + '\n');
  writeFileSync(path.join(dir, 'emails.jsonl'), test.map((r) => JSON.stringify(r.email)).join('\n') + '\n');
}

/** Runs the reference on the files in `dir`; a string says why it failed. */
export function runReference(dir: string): Reference | string {
  const python = sklearnPython();
  if (python === undefined) return SKLEARN_ABSENT;
  const r = spawnSync(python, [path.resolve('bench/sklearn_reference.py'), dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return `reference failed: ${(r.stderr || r.error?.message || '').split('\n').slice(-3).join(' ')}`;
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Reference;
}

/** The support tickets' two files (v4 and v5 prefixes) under the shared data folder. */
export function ticketFiles(shared: string): string[] {
  const tickets = path.join(shared, 'customer_support_tickets_bueck');
  return [path.join(tickets, 'v4_dataset-tickets-multi-lang-4-20k.prefix.csv'), path.join(tickets, 'v5_aa_dataset-tickets-multi-lang-5-2-50-version.prefix.csv')];
}
