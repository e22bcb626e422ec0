/**
 * Measures prediction throughput for bench/training.ts in a process of its own, as a `mailroute predict`
 * or serving process would run it: the benchmark's parent holds datasets and the garbage of earlier
 * sections, which made its garbage collections (and so its figures) depend on what ran before.
 * argv: artifact dir, JSONL file of emails, samples. Prints one JSON line:
 * { endToEnd, modelOnly, endToEndSamples, modelOnlySamples } in emails per second.
 */
import { readFileSync } from 'node:fs';
import { Classifier, prepareModelInput } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';
import { predictProbs } from '@mailroute/training';
import { countFromArg } from './lib/env.js';
import { median } from './lib/report.js';

const [artifactDir, emailsFile, samplesArg] = process.argv.slice(2);
if (!artifactDir || !emailsFile) {
  process.stderr.write('usage: throughput-child.ts <artifact dir> <emails.jsonl> [samples, default 9]\n');
  process.exit(2);
}
// A bad count is refused here: Number('abc') gave no timed pass, NaN medians and null in the results.
const samples = countFromArg('samples (third argument)', samplesArg, 9, 1, 1000);
/** Warm-up: at least this many passes, and at least WARM_UP_MS in all (three passes over 810 emails took under 0.3 s and left the first timed pass the slowest). */
const WARM_UP_PASSES = 3;
const WARM_UP_MS = 1000;
const emails = readFileSync(emailsFile, 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as Email);
const classifier = await Classifier.load(artifactDir, { intraOpThreads: 1 });
const prepare = () => emails.map(prepareModelInput);
const inputs = prepare();
// Warm-up: every code path compiled before timing (cleaning, featurizing, ONNX); the optimising compiler
// works in the background, so one pass leaves the first timed passes still partly unoptimised.
const warmUpStart = performance.now();
for (let i = 0; i < WARM_UP_PASSES || performance.now() - warmUpStart < WARM_UP_MS; i++) await predictProbs(classifier, prepare());
const endToEnd: number[] = [];
const modelOnly: number[] = [];
for (let i = 0; i < samples; i++) {
  let t = performance.now();
  await predictProbs(classifier, prepare());
  endToEnd.push(emails.length / ((performance.now() - t) / 1000));
  t = performance.now();
  await predictProbs(classifier, inputs);
  modelOnly.push(emails.length / ((performance.now() - t) / 1000));
}
await classifier.release();
const round = (xs: number[]) => xs.map((x) => Math.round(x));
process.stdout.write(`${JSON.stringify({ endToEnd: median(endToEnd), modelOnly: median(modelOnly), endToEndSamples: round(endToEnd), modelOnlySamples: round(modelOnly) })}\n`);
