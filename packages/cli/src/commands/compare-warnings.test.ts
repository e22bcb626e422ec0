import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatPredictionLines, syntheticPredictionLines, type PredictionLine } from '@mailroute/evaluation';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';
import { gateNotRecordedWarning } from './compare.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-compare-warn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (argv: string[]) => runCli(argv, { env: { CI: 'true' }, cwd: dir });
const warningsOf = (out: string): string[] => (JSON.parse(readFileSync(path.join(dir, out, 'comparison.json'), 'utf8')) as { warnings: string[] }).warnings;

const tasks = { queue: ['payments', 'cards', 'loans', 'fraud'], area: ['retail', 'wealth'] };
const strong = syntheticPredictionLines({ n: 400, tasks, seed: 9, skill: 0.9 });
const weakRun = syntheticPredictionLines({ n: 400, tasks, seed: 9, skill: 0.6 });

describe('mailroute compare: warnings kept with the gate', () => {
  it('warns when the challenger answers more mail at a lower precision, beside the answered share', async () => {
    const abstaining = (abstains: (l: PredictionLine) => boolean) =>
      strong.map((l) => ({ ...l, prediction: { ...l.prediction, queue: { ...l.prediction.queue, abstained: abstains(l) } } }));
    // The champion's lines are of mail it was trained on: a warning about the data, said after the one about the models.
    const seen = abstaining((l) => l.prediction.queue.label !== l.truth.queue).map((l) => ({ ...l, meta: { ...l.meta, seenInTraining: true } }));
    writeFileSync(path.join(dir, 'champ.jsonl'), formatPredictionLines(seen));
    writeFileSync(path.join(dir, 'chall.jsonl'), formatPredictionLines(abstaining(() => false)));
    const res = await run(['compare', '--challenger', 'chall.jsonl', '--champion', 'champ.jsonl', '--resamples', '50', '--out', 'low']);
    // Same labels, so the same figures: the gate passes, warned.
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/> \*\*Warning:\*\* queue: precision on the mail answered at each model's own threshold: challenger \d+\.\d% \(\d+ of 400 wrong\), champion 100\.0% \(0 of \d+ wrong\)/);
    expect(res.stdout).toMatch(/\| queue \| \d+\.\d% \| 100\.0% \| \+\d+\.\d\d \| 100\.0% \| \d+\.\d% \| 0 of \d+ \| \d+ of 400 \|/);
    const kept = warningsOf('low');
    expect(kept[0]).toMatch(/^queue: precision on the mail answered/);
    expect(kept[1]).toMatch(/^champion: 400 of these 400 lines \(100%\) are of emails whose text/);
  });

  it('warns of a task the policy leaves out of the gate at which the challenger is clearly worse', async () => {
    writeFileSync(path.join(dir, 'strong.jsonl'), formatPredictionLines(strong));
    writeFileSync(path.join(dir, 'worse-queue.jsonl'), formatPredictionLines(strong.map((l, i) => ({ ...l, prediction: { ...l.prediction, queue: weakRun[i].prediction.queue } }))));
    writeFileSync(path.join(dir, 'area-only.json'), JSON.stringify({ tasks: ['area'] }));
    const res = await run(['compare', '--challenger', 'worse-queue.jsonl', '--champion', 'strong.jsonl', '--policy', 'area-only.json', '--resamples', '100', '--out', 'ungated']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^# Gate: PASS/);
    expect(res.stdout).toContain("> **Warning:** queue: not checked by the gate (the policy's tasks are area), yet the challenger is worse at it");
    expect(warningsOf('ungated').filter((w) => w.startsWith('queue: not checked by the gate'))).toHaveLength(1);
  });
});

describe('gateNotRecordedWarning', () => {
  it('says a failed gate that could not be recorded is one approve will not refuse', () => {
    const failed = gateNotRecordedWarning('m-2', false, 'ENOSPC: no space left on device');
    expect(failed).toBe(
      'warning: the gate FAILED, and that could not be recorded on m-2 (ENOSPC: no space left on device): `mailroute registry approve m-2` would not refuse it. Run compare again once the registry can be written, before any approval\n',
    );
    expect(gateNotRecordedWarning('m-2', true, 'EROFS')).toBe(
      "warning: the gate's outcome could not be recorded on m-2 (EROFS); `mailroute registry approve m-2` will not know it: run compare again once the registry can be written\n",
    );
  });
});
