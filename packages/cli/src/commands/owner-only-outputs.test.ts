import { chmodSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLocalServing } from '@mailroute/serving';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoChampionFolder } from '../test-support.js';

// The README's Conventions: files with email text, or email ids with their labels, are 0600 whatever the umask; the
// reports of figures follow it. In process, as the tests run: no `o-w` from bin/mailroute.mjs, the umask alone.
const folder = demoChampionFolder('mailroute-cli-owner-only-', 60);
const modeOf = (file: string) => statSync(path.join(folder.dir, file)).mode & 0o777;

/** Runs `mailroute <argv>` in the folder under `umask`, failing the test with its stderr when it fails. */
async function runUnder(umask: number, argv: string[]): Promise<void> {
  const before = process.umask(umask);
  try {
    const r = await folder.run(argv);
    expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
  } finally {
    process.umask(before);
  }
}

describe('outputs with email text or per-email labels', () => {
  // One case served and confirmed, for `feedback predictions` to write a line of.
  beforeAll(async () => {
    const serving = await createLocalServing({ home: folder.home, pollSeconds: 0 });
    try {
      const post = (url: string, body: unknown) => serving.app.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const email = { id: 'case-1', subject: 'Karte gesperrt', body: 'Meine Karte wurde gesperrt, bitte entsperren. Gruß, Quentin Marmaladewood' };
      const classified = (await (await post('/v1/classify', { emails: [email] })).json()) as { predictions: { predictionId: string; tasks: Record<string, { label: string }> }[] };
      const [served] = classified.predictions;
      const labels = Object.fromEntries(Object.entries(served.tasks).map(([task, p]) => [task, p.label]));
      const answer = await post('/v1/feedback', { predictionId: served.predictionId, labels, closedAt: new Date(Date.now() - 60_000).toISOString() });
      expect(answer.status, await answer.clone().text()).toBe(202);
    } finally {
      await serving.close();
    }
  }, 60_000);

  for (const umask of [0o000, 0o022]) {
    const u = umask.toString(8).padStart(3, '0');
    it(`are 0600 under umask ${u}: predict, clean (masked or not), feedback predictions and evaluate's per-email files`, async () => {
      writeFileSync(path.join(folder.dir, 'in.jsonl'), `${JSON.stringify({ id: 'c1', body: 'My IBAN is GB82 WEST 1234 5698 7654 32. Kind regards, Quentin Marmaladewood' })}\n`);
      // An older mailroute's output, open to others, is replaced by one of the owner's alone.
      writeFileSync(path.join(folder.dir, `p-${u}.jsonl`), 'old\n');
      chmodSync(path.join(folder.dir, `p-${u}.jsonl`), 0o644);
      await runUnder(umask, ['predict', '--model', 'champion', '--data', 'test.csv', '--out', `p-${u}.jsonl`]);
      await runUnder(umask, ['clean', '--in', 'in.jsonl', '--out', `clean-${u}.jsonl`]);
      await runUnder(umask, ['clean', '--in', 'in.jsonl', '--out', `raw-${u}.jsonl`, '--no-redact']);
      await runUnder(umask, ['feedback', 'predictions', '--out', `live-${u}.jsonl`]);
      await runUnder(umask, ['evaluate', '--model', 'champion', '--data', 'test.csv', '--examples', '2', '--no-png', '--out', `ev-${u}`]);
      const owner = [`p-${u}.jsonl`, `clean-${u}.jsonl`, `raw-${u}.jsonl`, `live-${u}.jsonl`, `ev-${u}/predictions.jsonl`, `ev-${u}/mistakes.md`];
      expect(Object.fromEntries(owner.map((f) => [f, modeOf(f).toString(8)]))).toEqual(Object.fromEntries(owner.map((f) => [f, '600'])));
      expect(statSync(path.join(folder.dir, `live-${u}.jsonl`)).size, 'the confirmed case is written').toBeGreaterThan(0);
      // The report's figures stay the umask's.
      for (const f of ['report.md', 'report.html', 'metrics.json', 'model-card.md']) expect(modeOf(`ev-${u}/${f}`), f).toBe(0o666 & ~umask);
    }, 120_000);
  }
});
