import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDemoChampion } from '@mailroute/training';
import { afterAll, expect, it } from 'vitest';
import { runCli } from './test-support.js';

// The README's walkthrough on a laptop quotes what compare prints for the model `train` makes on the demo data against
// the `npm start` champion. Training and the bootstrap are seeded, so the figures are the same each run; a change to
// the cleaning, the data or the trainer moves them, and the README went stale unseen once (it said the gate passed).
const README = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-readme-walkthrough-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The README's paragraph of the walkthrough's figures. */
function paragraph(): string {
  const start = README.indexOf('On the demo data the two models differ');
  expect(start, 'README.md has the paragraph of the walkthrough figures').toBeGreaterThan(-1);
  return README.slice(start, README.indexOf('\n\n', start)).replace(/\s+/g, ' ');
}

/** Points of macro-F1 as the README writes them: `-0.24`, `+1.13`. */
const points = (x: number, sign = false): string => `${sign && x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;

interface TaskComparison {
  task: string;
  n: number;
  macroF1: { delta: number; lo: number; hi: number };
  mcnemar: { b: number; c: number; pValue: number };
}

it('the README quotes what compare prints for the walkthrough: the same emails, deltas, intervals, McNemar and gate outcome', async () => {
  const home = path.join(dir, 'home');
  const env = { CI: 'true', MAILROUTE_HOME: home, ORT_DISABLE_TELEMETRY: '1' };
  await ensureDemoChampion({ home });
  const demo = path.join(home, 'demo.csv');
  const trained = await runCli(['train', '--data', demo], { env, cwd: dir });
  expect(trained.code, trained.stderr).toBe(0);
  const id = /registered (\S+)/.exec(trained.stdout)?.[1];
  expect(id).toBeDefined();
  const out = path.join(dir, 'cmp');
  const compared = await runCli(['compare', '--challenger', id!, '--champion', 'champion', '--data', demo, '--split', 'test', '--out', out], { env, cwd: dir });
  const { comparison, gate } = JSON.parse(readFileSync(path.join(out, 'comparison.json'), 'utf8')) as {
    comparison: { n: number; tasks: TaskComparison[] };
    gate: { pass: boolean; checks: { name: string; detail: string }[] };
  };
  const text = paragraph();
  expect(text).toContain(`on the ${comparison.n} held-out emails`);
  const task = (name: string) => comparison.tasks.find((t) => t.task === name)!;
  const figures = (t: TaskComparison) => `${points(t.macroF1.delta)} (${points(t.macroF1.lo)} to ${points(t.macroF1.hi, true)})`;
  expect(text).toContain(`business area ${points(task('business_area').macroF1.delta)} points (95% interval ${points(task('business_area').macroF1.lo)} to ${points(task('business_area').macroF1.hi, true)})`);
  expect(text).toContain(`queue ${figures(task('queue'))}`);
  expect(text).toContain(`topic ${figures(task('topic'))}`);
  const mean = gate.checks.find((c) => c.name.startsWith('mean macro-F1'))!.detail;
  expect(text).toContain(`mean ${/\(([-+]\d+\.\d\d) pts\)/.exec(mean)![1]}`);
  const { b, c, pValue } = task('queue').mcnemar;
  expect(text).toContain(`(McNemar ${b}/${c}, p ${pValue.toFixed(3)})`);
  expect(text).toContain(gate.pass ? 'The gate passes' : 'The gate fails');
  expect(compared.code).toBe(gate.pass ? 0 : 1);
}, 180_000);
