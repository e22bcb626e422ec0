/**
 * Evaluation benchmark: our metrics against the live scikit-learn (Debian python3-sklearn) on the
 * same BANKING77-shaped input, side by side — the largest difference of any figure and the median
 * time of each — plus the time of a full multi-task evaluation, the bootstrap comparison and the report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  classificationReportText,
  comparePredictions,
  computeTaskMetrics,
  evaluatePredictions,
  seededRandom,
  syntheticPredictionLines,
  topKAccuracy,
  writeEvaluationReport,
} from '@mailroute/evaluation';
import { SKLEARN_ABSENT, sklearnPython } from './lib/python.js';
import { median, sharedData, sharedDataAbsent, type Figure, type SectionResult } from './lib/report.js';

function time<T>(repeats: number, fn: () => T): { ms: number; value: T } {
  const times: number[] = [];
  let value = fn();
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    value = fn();
    times.push(performance.now() - start);
  }
  return { ms: median(times), value };
}

/** The last field of every record of a CSV text (quoted fields may hold commas, quotes and newlines). */
function csvLastColumn(text: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') field = '';
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      out.push(field);
      field = '';
    } else field += ch;
  }
  if (field !== '') out.push(field);
  return out;
}

/** BANKING77 test labels when the shared data is there (3,080 rows, 77 intents), else a synthetic stand-in. */
function banking77Truth(notes: string[]): string[] {
  const dir = sharedData();
  if (dir) {
    const labels = csvLastColumn(readFileSync(path.join(dir, 'banking77/test.csv'), 'utf8')).slice(1);
    notes.push(`Truth labels: the ${labels.length} BANKING77 test labels (${new Set(labels).size} intents) from ${path.join(dir, 'banking77/test.csv')}; predictions are invented (seeded noise).`);
    return labels;
  }
  notes.push(`Truth labels are SYNTHETIC (a 77-label stand-in of the same size), not BANKING77's: ${sharedDataAbsent()}.`);
  const random = seededRandom(77);
  return Array.from({ length: 3080 }, () => `intent_${Math.floor(random() * 77)}`);
}

export async function run(): Promise<SectionResult> {
  const notes: string[] = [];
  const figures: Figure[] = [];
  const truth = banking77Truth(notes);
  const labels = [...new Set(truth)];
  const random = seededRandom(5);
  const predicted = truth.map((t) => (random() < 0.8 ? t : labels[Math.floor(random() * labels.length)]));
  const order = [...new Set([...truth, ...predicted])].sort();
  const scoreRows = truth.map(() => order.map(() => random()));

  const ours = time(20, () => computeTaskMetrics(truth, predicted));
  const python = sklearnPython();
  if (python) {
    const script = path.resolve('packages/evaluation/fixtures/sklearn-live.py');
    const input = JSON.stringify([{ truth, predicted, labels: null, scores: scoreRows, k: [1, 3, 5], time_repeats: 20 }]);
    const res = spawnSync(python, [script], { input, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
    if (res.status !== 0) throw new Error(`sklearn reference failed: ${res.stderr}`);
    const [want] = JSON.parse(res.stdout) as Array<{
      report: Record<string, { precision: number; recall: number; 'f1-score': number } | number>;
      report_text: string;
      f1_macro: number;
      confusion: number[][];
      top_k: Record<string, number>;
      median_ms: number;
    }>;
    const m = ours.value;
    let maxDiff = 0;
    const diff = (a: number, b: number) => (maxDiff = Math.max(maxDiff, Math.abs(a - b)));
    for (const c of m.perClass) {
      const e = want.report[c.label] as { precision: number; recall: number; 'f1-score': number };
      diff(c.precision, e.precision);
      diff(c.recall, e.recall);
      diff(c.f1, e['f1-score']);
    }
    for (const [key, avg] of [['macro avg', m.macro], ['weighted avg', m.weighted]] as const) {
      const e = want.report[key] as { precision: number; recall: number; 'f1-score': number };
      diff(avg.precision, e.precision);
      diff(avg.recall, e.recall);
      diff(avg.f1, e['f1-score']);
    }
    diff(m.accuracy, want.report.accuracy as number);
    diff(m.macro.f1, want.f1_macro);
    const rows = scoreRows.map((r) => Object.fromEntries(order.map((l, j) => [l, r[j]])));
    for (const [k, v] of Object.entries(want.top_k)) diff(topKAccuracy(truth, rows, Number(k), order), v);
    const sameMatrix = JSON.stringify(m.confusion.counts) === JSON.stringify(want.confusion);
    const sameText = classificationReportText(m, 4) === want.report_text;
    figures.push(
      { name: 'largest absolute difference, ours vs scikit-learn, over every per-class figure, average, accuracy, macro-F1 and top-k', value: maxDiff, unit: 'absolute', note: 'must be < 1e-9' },
      { name: 'confusion matrix equal to scikit-learn', value: sameMatrix ? 'yes' : 'NO', unit: '' },
      { name: 'classification report text equal to scikit-learn (digits=4)', value: sameText ? 'yes' : 'NO', unit: '' },
      {
        name: 'computeTaskMetrics, 3,080 x 77 labels (median of 20)',
        value: ours.ms,
        unit: 'ms',
        reference: { name: 'scikit-learn classification_report + confusion_matrix (median of 20)', value: want.median_ms },
      },
      { name: 'time ratio scikit-learn / ours', value: want.median_ms / ours.ms, unit: 'x' },
    );
  } else {
    notes.push(`${SKLEARN_ABSENT} The live comparison with it (equal figures, confusion matrix, report text, time) was not made.`);
    figures.push({ name: 'computeTaskMetrics, 3,080 x 77 labels (median of 20)', value: ours.ms, unit: 'ms', note: 'scikit-learn reference ABSENT (no Python with sklearn)' });
  }

  const tasks = { area: ['retail', 'wealth', 'corporate'], queue: ['payments', 'cards', 'loans', 'fraud', 'securities', 'accounts', 'tax', 'complaints', 'kyc', 'other'], topic: order };
  const lines = syntheticPredictionLines({ n: 3080, tasks, seed: 3, meta: { language: ['de', 'en'], bank: ['A', 'B', 'C'] } });
  const other = syntheticPredictionLines({ n: 3080, tasks, seed: 3, skill: 0.75 }).map((l, i) => ({ ...l, truth: lines[i].truth }));
  const full = time(5, () => evaluatePredictions(lines));
  figures.push({ name: 'evaluatePredictions: 3,080 emails, 3 tasks (3/10/77 labels), with top-k, calibration, coverage, 2 slice keys (median of 5)', value: full.ms, unit: 'ms' });
  const cmp = time(3, () => comparePredictions(other, lines, { bootstrap: { resamples: 1000 } }));
  figures.push({ name: 'comparePredictions: 3 tasks, 1,000 paired-bootstrap resamples (median of 3)', value: cmp.ms, unit: 'ms' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-bench-eval-'));
  try {
    const start = performance.now();
    const files = await writeEvaluationReport(dir, full.value);
    figures.push({ name: `writeEvaluationReport with PNGs (${files.length} files, once)`, value: performance.now() - start, unit: 'ms' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  notes.push('Timings include no process start-up; scikit-learn is timed inside Python (perf_counter) on the same labels.');
  return { section: 'evaluation', figures, tables: [], notes };
}
