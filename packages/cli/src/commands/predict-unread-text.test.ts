import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { trainFromConfig } from '@mailroute/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';

// predict and evaluate --model on a file that lacks the body column (its text under another name) and carries a
// label the model, which has other, never met: both were scored silently, from the subject alone and as other.
const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-unread-'));
const home = path.join(dir, 'home');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (argv: string[]) => runCli(argv, { env: { CI: 'true', MAILROUTE_HOME: home }, cwd: dir });

const words: Record<string, string> = { cards: 'Karte gesperrt PIN', billing: 'Rechnung Zahlung Lastschrift', hr: 'Bewerbung Gehalt Urlaub', inheritance: 'Erbschaft Nachlass' };
const labels = [...Array.from({ length: 90 }, (_, i) => ['cards', 'billing', 'hr'][i % 3]), 'inheritance', 'inheritance'];
let modelId = '';

beforeAll(async () => {
  const data = path.join(dir, 'train.csv');
  writeFileSync(data, ['id,subject,body,queue', ...labels.map((l, i) => `${i},Anfrage ${i},${words[l]} Nummer ${i},${l}`)].join('\n'));
  // minCount 5: inheritance is merged into other, so the model has other.
  const config = { columns: { id: 'id', subject: 'subject', body: 'body' }, tasks: [{ name: 'queue', minCount: 5 }], model: { epochs: 1, buckets: 2 ** 12, dim: 8 } };
  modelId = (await trainFromConfig({ config, dataPath: data, home })).modelId;
  const rows = [['cards', 'cards'], ['billing', 'Billing'], ['hr', 'hr'], ['inheritance', 'inheritance']];
  writeFileSync(path.join(dir, 'export.csv'), ['case_id,subject,message,queue', ...rows.map(([l, truth], i) => `c${i},Anfrage,${words[l]},${truth}`)].join('\n'));
}, 120_000);

describe('predict and evaluate --model', () => {
  it('warn of a text column the file lacks and of truths the model does not know that are scored as other', async () => {
    for (const argv of [
      ['predict', '--model', modelId, '--data', 'export.csv', '--out', 'out.jsonl'],
      ['evaluate', '--model', modelId, '--data', 'export.csv', '--out', 'rep', '--no-png'],
    ]) {
      const { code, stderr } = await run(argv);
      expect(code, stderr).toBe(0);
      expect(stderr, argv[0]).toMatch(/warning: \S*export\.csv lacks text column\(s\) "body" that the model's training config reads: the model reads only "subject" of these emails/);
      expect(stderr, argv[0]).toContain('e.g. "columns": {"body": "message"}');
      expect(stderr, argv[0]).toContain(`warning: queue: 1 row(s) whose truth is a label model ${modelId} does not know (Billing x1) are scored as truth other`);
      expect(stderr, argv[0]).toContain('e.g. with "aliases": {"billing": "Billing"} in task queue');
      // inheritance was merged into other at training: rightly other, not said.
      expect(stderr, argv[0]).not.toContain('inheritance');
    }
  }, 120_000);
});
