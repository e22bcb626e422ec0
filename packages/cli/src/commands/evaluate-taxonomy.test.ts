import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EvaluationReportSchema } from '@mailroute/evaluation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';

// A taxonomy change as a CRM makes it: the newer export renames `Billing and Payments` to `Zahlungsverkehr` and
// retires `Human Resources`; m1 knows only the old names, m6 was trained on the new ones.
const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-taxonomy-'));
const home = path.join(dir, 'home');
const run = (argv: string[]) => runCli(argv, { env: { CI: 'true', MAILROUTE_HOME: home }, cwd: dir });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const words: Record<string, string> = {
  Accounts: 'Konto eröffnen Kontoauszug Dispo',
  'Billing and Payments': 'Rechnung Zahlung Überweisung Lastschrift',
  Zahlungsverkehr: 'Rechnung Zahlung Überweisung Lastschrift',
  'Human Resources': 'Bewerbung Gehalt Urlaub Arbeitsvertrag',
};
const csv = (rows: Array<[string, string]>) => ['id,body,queue', ...rows.map(([text, label], i) => `r${i},"${text} Nummer ${i}",${label}`)].join('\n');
const model = { epochs: 2, buckets: 2 ** 12, dim: 8 };
// No list of labels: any label reads, and one the model never learnt has no truth for it (a listed one would be a bad row).
const oldConfig = { columns: { id: 'id', body: 'body' }, tasks: [{ name: 'queue' }], model };
const newConfig = {
  columns: { id: 'id', body: 'body' },
  tasks: [{ name: 'queue', labels: ['Accounts', 'Zahlungsverkehr'], aliases: { 'Billing and Payments': 'Zahlungsverkehr' }, retired: ['Human Resources'] }],
  model,
};
const ids = { m1: '', m6: '' };

beforeAll(async () => {
  const old = Object.keys(words).filter((l) => l !== 'Zahlungsverkehr');
  writeFileSync(path.join(dir, 'old.csv'), csv(Array.from({ length: 120 }, (_, i) => [words[old[i % 3]], old[i % 3]])));
  writeFileSync(path.join(dir, 'new-train.csv'), csv(Array.from({ length: 120 }, (_, i) => [i % 2 === 0 ? words.Accounts : words.Zahlungsverkehr, i % 2 === 0 ? 'Accounts' : 'Zahlungsverkehr'])));
  // The newer export: 12 of its emails read as the old HR mail, filed under Accounts now.
  const newer: Array<[string, string]> = Array.from({ length: 48 }, (_, i) => (i % 4 === 0 ? [words['Human Resources'], 'Accounts'] : i % 2 === 0 ? [words.Accounts, 'Accounts'] : [words.Zahlungsverkehr, 'Zahlungsverkehr']));
  writeFileSync(path.join(dir, 'newer.csv'), csv(newer));
  writeFileSync(path.join(dir, 'cfg1.json'), JSON.stringify(oldConfig));
  writeFileSync(path.join(dir, 'cfg5.json'), JSON.stringify(newConfig));
  for (const [key, config, data] of [['m1', 'cfg1.json', 'old.csv'], ['m6', 'cfg5.json', 'new-train.csv']] as const) {
    const trained = await run(['train', '--config', config, '--data', data]);
    expect(trained.code, trained.stderr).toBe(0);
    ids[key] = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
  }
}, 120_000);

describe('predict, evaluate and compare across a taxonomy change', () => {
  it('predict warns of truths the model does not know, naming the --config that scores them, and evaluate --predictions claims no reason', async () => {
    const predicted = await run(['predict', '--model', ids.m1, '--data', 'newer.csv', '--out', 'p.jsonl']);
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(predicted.stderr).toContain(
      `warning: queue: 24 row(s) whose truth is a label model ${ids.m1} does not know (Zahlungsverkehr x24) are left out of its metrics (their truth is null in the prediction lines); if "Zahlungsverkehr" is the new name of one of the model's labels (its labels no row here has: Billing and Payments, Human Resources), pass --config <a training config whose aliases rename that label to it (the newer taxonomy's config)>, e.g. with "aliases": {"<its label>": "Zahlungsverkehr"} in task queue\n`,
    );
    // evaluate --model says it alike; given a config that does not rename it, the hint names that file.
    const evaluated = await run(['evaluate', '--model', ids.m1, '--config', 'cfg1.json', '--data', 'newer.csv', '--out', 'own', '--no-png']);
    expect(evaluated.stderr).toContain('(Zahlungsverkehr x24) are left out of its metrics (their truth is null in the prediction lines); if "Zahlungsverkehr" is the new name of one of the model\'s labels (its labels no row here has: Billing and Payments, Human Resources), add to cfg1.json "aliases": {"<its label>": "Zahlungsverkehr"} in task queue\n');
    const lines = await run(['evaluate', '--predictions', 'p.jsonl', '--out', 'from-lines', '--no-png']);
    expect(lines.code, lines.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'from-lines/report.md'), 'utf8')).toContain(
      '24 of the 48 emails have no queue label and are not in its figures (a truth left blank in the prediction lines: blank in the data, a label the config retires, or one the model does not know, which predicting warns of)',
    );
  }, 60_000);

  it('evaluate under the newer config averages macro-F1 over the labels compare does, and keeps the renamed labels in report.md and the model card', async () => {
    const evaluated = await run(['evaluate', '--model', ids.m1, '--config', 'cfg5.json', '--data', 'newer.csv', '--out', 'under-new', '--no-png']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stderr).toContain("note: the model's labels are scored under the config's names: queue: Billing and Payments -> Zahlungsverkehr");
    const report = EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'under-new/metrics.json'), 'utf8')));
    const queue = report.tasks[0].metrics;
    // m1 gives the retired label to the old HR mail: its predictions count as wrong, the label is no class of the average.
    expect(queue.labels).toContain('Human Resources');
    expect(queue.unscored).toEqual(['Human Resources']);
    const scored = queue.perClass.filter((c) => c.label !== 'Human Resources');
    expect(queue.macro.f1).toBeCloseTo(scored.reduce((a, c) => a + c.f1, 0) / scored.length, 12);
    expect(report.renamedLabels).toEqual(['queue: Billing and Payments -> Zahlungsverkehr']);
    const renamed = "The model's labels are scored under the names of the config the data was read with (its aliases), so its figures here use them, not the names it was trained with: `queue: Billing and Payments -> Zahlungsverkehr`.";
    expect(readFileSync(path.join(dir, 'under-new/report.md'), 'utf8')).toContain(`**Note:** ${renamed}`);
    expect(readFileSync(path.join(dir, 'under-new/model-card.md'), 'utf8')).toContain(`## Labels\n\n${renamed}\n`);
    expect(readFileSync(path.join(dir, 'under-new/report.md'), 'utf8')).toMatch(/The model gave Human Resources, which the config retires, to \d+ emails? \(none can have it\): .* left out of macro-F1, \d\.\d{4} over the other 2 labels/);
    // compare scores m1 (the champion side) over the same labels: the same macro-F1.
    const compared = await run(['compare', '--challenger', ids.m6, '--champion', ids.m1, '--data', 'newer.csv', '--config', 'cfg5.json', '--resamples', '20']);
    expect(compared.stderr).not.toMatch(/COMPARISON_MISMATCH|DATASET_ROW_INVALID/);
    const row = /\n\| queue \| (\d+) \| (\d\.\d{4}) \| (\d\.\d{4}) \|/.exec(compared.stdout)?.slice(1);
    expect(row?.[0]).toBe(String(queue.n));
    expect(row?.[1]).toBe(queue.macro.f1.toFixed(4));
  }, 60_000);
});
