import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePredictionLines } from '@mailroute/evaluation';
import { DEMO_CONFIG_PATH } from '@mailroute/training';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';


function run(argv: string[], cwd: string) {
  return runCli(argv, { env: { CI: 'true' }, cwd, home: path.join(cwd, '.mailroute') });
}

describe('mailroute train / predict / runs', () => {
  it('trains from a config, registers as PendingManualApproval, predicts, and lists and compares runs', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-train-'));
    expect((await run(['demo-data', '--out', 'demo.csv', '--rows', '500', '--seed', '9'], cwd)).code).toBe(0);
    expect((await run(['demo-data', '--out', 'inbox-labelled.csv', '--rows', '60', '--seed', '3'], cwd)).code).toBe(0);
    const config = JSON.parse(readFileSync(DEMO_CONFIG_PATH, 'utf8'));
    writeFileSync(path.join(cwd, 'cfg.json'), JSON.stringify({ ...config, model: { epochs: 3, buckets: 16384, dim: 16 } }));

    const trained = await run(['train', '--config', 'cfg.json', '--data', 'demo.csv'], cwd);
    expect(trained.code, trained.stderr).toBe(0);
    const epochLines = trained.stdout.split('\n').filter((l) => l.startsWith("{'loss': "));
    expect(epochLines.length).toBeGreaterThan(0);
    expect(epochLines[0]).toMatch(/'eval_f1': \d\.\d+/);
    // After the epochs, one line for metric regexes: the kept weights' eval_f1 is the last 'eval_f1' match,
    // then the held-out figures.
    const final = trained.stdout.split('\n').find((l) => l.startsWith("{'eval_f1': ") && l.includes("'best_epoch'"));
    expect(final).toMatch(/^\{'eval_f1': \d\.\d+, 'best_epoch': \d\.0, ('averaged_epochs': \d+, )?'test_accuracy': \d\.\d+, 'test_f1': \d\.\d+, 'test_business_area_f1': /);
    const evalF1s = [...trained.stdout.matchAll(/'eval_f1': ([0-9.]+)/g)].map((m) => Number(m[1]));
    const best = Number(/'best_epoch': (\d+)/.exec(final ?? '')?.[1]);
    const averaged = /'averaged_epochs': (\d+)/.exec(final ?? '');
    // One epoch's weights: that epoch's own line; the average of the last epochs: its own score, kept only when it is at least the best epoch's.
    if (averaged) expect(evalF1s.at(-1)).toBeGreaterThanOrEqual(Math.max(...evalF1s.slice(0, -1)) - 1e-4);
    else expect(evalF1s.at(-1)).toBeCloseTo(evalF1s[best - 1], 4);
    const id = /registered (\S+) \(version 1, PendingManualApproval\)/.exec(trained.stdout)?.[1];
    expect(id).toBeDefined();
    expect(trained.stderr).toContain('queue: 9 labels');
    // Tenths from a second up, two significant digits below: never `training 0.0 s`.
    expect(trained.stderr).toMatch(/\ntraining (?:[1-9]\d*\.\d|0\.0*[1-9]\d) s \(the whole run (?:[1-9]\d*\.\d|0\.0*[1-9]\d) s: reading, cleaning, measuring and registering too\), run run-/);
    expect(trained.stderr).toMatch(/train clean: 100% /);
    expect(trained.stderr).toMatch(/train epoch: \d+% /);

    const list = await run(['registry', 'list'], cwd);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('PendingManualApproval');
    expect(list.stdout).toMatch(/measured on +data\n[- ]+\n.*held-out test split \(seed \d+, 0\.\d+\) +[0-9a-f]{12}\n/);

    const predicted = await run(['predict', '--model', id as string, '--data', 'demo.csv', '--out', 'preds.jsonl'], cwd);
    expect(predicted.code, predicted.stderr).toBe(0);
    const lines = parsePredictionLines(readFileSync(path.join(cwd, 'preds.jsonl'), 'utf8'));
    expect(lines).toHaveLength(500);
    expect(lines[0].prediction.queue.label).toBeTypeOf('string');

    // The rows the model held out, found again in the same file: no training row is evaluated.
    // The data line says the rows read and used, then how the used ones split.
    expect(trained.stderr).toMatch(/\ndata [0-9a-f]{12}: 500 row\(s\) read, \d+ used \(\d+ train, \d+ valid, \d+ test\)/);
    const testRows = Number(/data \w+: \d+ row\(s\) read, \d+ used \(\d+ train, \d+ valid, (\d+) test\)/.exec(trained.stderr)?.[1]);
    const heldOut = await run(['predict', '--model', id as string, '--data', 'demo.csv', '--split', 'test', '--out', 'held-out.jsonl'], cwd);
    expect(heldOut.code, heldOut.stderr).toBe(0);
    const heldOutLines = parsePredictionLines(readFileSync(path.join(cwd, 'held-out.jsonl'), 'utf8'));
    expect(heldOutLines.length).toBe(testRows);
    expect(testRows).toBeGreaterThan(50);
    const otherData = await run(['evaluate', '--model', id as string, '--data', 'inbox-labelled.csv', '--split', 'test', '--out', 'rep'], cwd);
    expect(otherData.stderr).toMatch(/\[DATASET_MISMATCH\] --split test: \S*inbox-labelled\.csv is not the data model \S+ was trained on/);
    // Data the model's config cannot read (a label it does not know) is other data too, not a hint to train.
    writeFileSync(path.join(cwd, 'other-labels.csv'), 'id,subject,body,html,bank,receivedAt,from,business_area,queue,topic\n1,Depot,Bitte Depot übertragen,,,,,,no_such_queue,\n');
    const unreadable = await run(['evaluate', '--model', id as string, '--data', 'other-labels.csv', '--split', 'test', '--out', 'rep2'], cwd);
    expect(unreadable.stderr).toMatch(/\[DATASET_MISMATCH\] --split test: \S*other-labels\.csv is not the data model \S+ was trained on \(read with its training config it has bad rows: /);
    expect(unreadable.stderr).not.toContain('to train without them');
    expect((await run(['predict', '--model', id as string, '--data', 'demo.csv', '--split', 'valid', '--out', 'x.jsonl'], cwd)).code).toBe(2);

    // A CRM export of unlabelled emails needs only a text column; its truths are null.
    writeFileSync(path.join(cwd, 'inbox.csv'), 'subject,body\nFreistellungsauftrag,Bitte den Freistellungsauftrag auf 1000 EUR erhöhen.\n');
    const inbox = await run(['predict', '--model', id as string, '--data', 'inbox.csv', '--out', 'out/inbox.jsonl'], cwd);
    expect(inbox.code, inbox.stderr).toBe(0);
    const [scored] = parsePredictionLines(readFileSync(path.join(cwd, 'out', 'inbox.jsonl'), 'utf8'));
    expect(scored.truth).toEqual({ business_area: null, queue: null, topic: null });
    expect(scored.id).toBe('inbox.csv:2');
    // With a config that skips bad rows, the rows left unpredicted are said.
    writeFileSync(path.join(cwd, 'inbox-bad.csv'), 'subject,body,bank\nFreistellungsauftrag,Bitte erhöhen.,Comdirect\n,,Comdirect\n');
    const demoConfig = JSON.parse(readFileSync(DEMO_CONFIG_PATH, 'utf8'));
    writeFileSync(path.join(cwd, 'skip.json'), JSON.stringify({ ...demoConfig, onBadRow: 'skip' }));
    const skipping = await run(['predict', '--model', id as string, '--config', 'skip.json', '--data', 'inbox-bad.csv', '--out', 'out/inbox-bad.jsonl'], cwd);
    expect(skipping.code, skipping.stderr).toBe(0);
    expect(skipping.stderr).toMatch(/warning: 1 bad row\(s\) skipped, not predicted \(\d+ problems?\): \S*inbox-bad\.csv line 3; first: \S*inbox-bad\.csv:3/);
    expect(skipping.stdout).toContain('wrote 1 prediction lines');
    // An --out that cannot be written is refused before the work, not with a raw ENOENT after it.
    const toDir = await run(['predict', '--model', id as string, '--data', 'inbox.csv', '--out', 'out'], cwd);
    expect(toDir.code).toBe(1);
    expect(toDir.stderr).toContain('[OUTPUT_PATH_INVALID] --out out is a directory; it must name a file');
    // An --out that is the input itself would overwrite the export with predictions.
    const ontoInput = await run(['predict', '--model', id as string, '--data', 'inbox.csv', '--out', './inbox.csv'], cwd);
    expect(ontoInput.code).toBe(2);
    expect(ontoInput.stderr).toContain('mailroute: --out ./inbox.csv is also an input file; it would be overwritten: choose another --out');
    expect(readFileSync(path.join(cwd, 'inbox.csv'), 'utf8')).toMatch(/^subject,body\n/);
    // `--out -` is standard output to clean only: predict and evaluate refuse it instead of writing a file or folder called "-".
    const dash = await run(['predict', '--model', id as string, '--data', 'inbox.csv', '--out', '-'], cwd);
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain('mailroute: --out -: this command writes a file, not standard output (only mailroute clean writes to it): name one');
    expect((await run(['evaluate', '--model', id as string, '--data', 'demo.csv', '--out', '-'], cwd)).stderr).toContain('--out -: this command writes a directory');
    expect(existsSync(path.join(cwd, '-'))).toBe(false);
    const underFile = await run(['evaluate', '--model', id as string, '--data', 'demo.csv', '--out', 'demo.csv/report'], cwd);
    expect(underFile.stderr).toContain('[OUTPUT_PATH_INVALID] --out demo.csv/report: cannot create its folder (a file stands where a folder is needed)');
    // A path that is no model says so.
    const notModel = await run(['predict', '--model', './out', '--data', 'inbox.csv', '--out', 'p.jsonl'], cwd);
    expect(notModel.stderr).toMatch(/\[ARTIFACT_MISSING\] .*out: no manifest\.json here, so not a model directory/);

    // A second run (demo config by default) to compare with.
    const second = await run(['train', '--data', 'demo.csv'], cwd);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('no --config: using the demo config');
    const runs = await run(['runs'], cwd);
    const ids = runs.stdout.split('\n').slice(2).map((l) => l.split(/\s+/)[0]).filter((s) => s.startsWith('run-'));
    expect(ids).toHaveLength(2);
    const compared = await run(['runs', 'compare', ids[1], ids[0]], cwd);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/mean_macro_f1\s+\d\.\d{4}\s+\d\.\d{4}\s+[+-]\d+\.\d{2} pts/);
    expect(compared.stdout).toMatch(/data hash .* same/);
    // The run records the final line's eval_f1 (the kept weights'), and compare shows it.
    const shown = JSON.parse((await run(['runs', 'show', ids[1], '--json'], cwd)).stdout) as { bestValidF1?: number; averagedEpochs?: number };
    expect(shown.bestValidF1).toBeCloseTo(Number(/'eval_f1': ([0-9.]+)/.exec(final ?? '')?.[1]), 4);
    expect(shown.averagedEpochs ?? 0).toBe(Number(averaged?.[1] ?? 0));
    expect(compared.stdout).toMatch(new RegExp(`best valid F1\\s+${shown.bestValidF1?.toFixed(4)}\\s+\\d\\.\\d{4}`));
    // An export of other columns, without --config: the columns looked for are said to be the demo config's.
    writeFileSync(path.join(cwd, 'crm.csv'), 'id,subject,body,business_area,queue,topic\n1,Hallo,Text,brokerage,orders_trading,sparplan\n');
    const noConfig = await run(['train', '--data', 'crm.csv'], cwd);
    expect(noConfig.code).toBe(1);
    expect(noConfig.stderr).toMatch(/crm\.csv:1: header lacks column\(s\) .*; those are the demo config's columns \(no --config was given\): write a training config that names your export's columns and tasks, and pass it with --config/);
    // The same for a JSONL export, whose lines lack the keys.
    writeFileSync(path.join(cwd, 'crm.jsonl'), '{"text":"Hallo, bitte Depot schliessen","intent":"close_account"}\n');
    const noConfigJsonl = await run(['train', '--data', 'crm.jsonl'], cwd);
    expect(noConfigJsonl.code).toBe(1);
    expect(noConfigJsonl.stderr).toMatch(/crm\.jsonl: no line has .*; those are the demo config's columns \(no --config was given\)/);

    // compare --split test finds that the champion's data differ before predicting with the challenger.
    expect((await run(['demo-data', '--out', 'other.csv', '--rows', '300', '--seed', '4'], cwd)).code).toBe(0);
    const third = await run(['train', '--config', 'cfg.json', '--data', 'other.csv'], cwd);
    const thirdId = /registered (\S+) \(version/.exec(third.stdout)?.[1] as string;
    const mixed = await run(['compare', '--challenger', id as string, '--champion', thirdId, '--data', 'demo.csv', '--split', 'test'], cwd);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(new RegExp(`\\[DATASET_MISMATCH\\] --split test: \\S*demo\\.csv is not the data model ${thirdId} was trained on`));
    expect(mixed.stderr).not.toContain('predict challenger');
  }, 240_000);

  it('fails with a located one-line error on a bad export and exit 2 without --data', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-train-'));
    writeFileSync(path.join(cwd, 'bad.csv'), 'id,subject,body,html,from,bank,receivedAt,business_area,queue,topic\n1,Hallo,Text,,,,,brokerage,no_such_queue,sparplan\n');
    const bad = await run(['train', '--data', 'bad.csv'], cwd);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\[DATASET_ROW_INVALID\] .*bad\.csv:2, column "queue" \(9\): label "no_such_queue" is not in the queue taxonomy/);
    expect(bad.stderr).not.toContain('    at ');
    // runs list says why the run failed (the first line of its error, cut short), not only `failed`.
    const runs = await run(['runs'], cwd);
    expect(runs.stdout.split('\n')[0]).toMatch(/ note +error$/);
    expect(runs.stdout).toMatch(/\nrun-\S+ +failed .* -  +1 bad row\(s\) \(1 problem\): bad\.csv:2, column "queue" \(9\): label "no_such_queue" .*…\n/);
    expect((await run(['train'], cwd)).code).toBe(2);
    const unknown = await run(['predict', '--model', 'no-such-model', '--data', 'bad.csv', '--out', 'p.jsonl'], cwd);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('[REGISTRY_NOT_FOUND]');
  });

  it('refuses a --data or --test-data that is not there or is a folder before a run is recorded (none left failed in runs list)', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-train-'));
    expect((await run(['demo-data', '--out', 'demo.csv', '--rows', '60', '--seed', '4'], cwd)).code).toBe(0);
    const cases: [string[], string][] = [
      [['--data', 'missing.csv'], `${path.join(cwd, 'missing.csv')}: cannot read (no such file)`],
      [['--data', 'demo.csv', 'missing.csv'], `${path.join(cwd, 'missing.csv')}: cannot read (no such file)`],
      [['--data', '.'], `${cwd}: cannot read (a directory, not a file)`],
      [['--data', 'demo.csv', '--test-data', '.'], `${cwd}: cannot read (a directory, not a file)`],
      [['--data', 'demo.csv', '--test-data', 'missing.csv'], `${path.join(cwd, 'missing.csv')}: cannot read (no such file)`],
    ];
    for (const [argv, said] of cases) {
      const res = await run(['train', ...argv], cwd);
      expect([res.code, res.stderr.trimEnd().split('\n').at(-1)], argv.join(' ')).toEqual([1, `mailroute: [DATASET_FILE_INVALID] ${said}`]);
    }
    expect((await run(['runs', 'list'], cwd)).stdout).toBe(`no runs in ${path.join(cwd, '.mailroute')}\n`);
  });

  it('says to add the alias for a renamed label to the --config given, naming it; without one, to write a config', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-train-'));
    expect((await run(['demo-data', '--out', 'demo.csv', '--rows', '200', '--seed', '9'], cwd)).code).toBe(0);
    writeFileSync(path.join(cwd, 'renamed.csv'), readFileSync(path.join(cwd, 'demo.csv'), 'utf8').replaceAll(',tax_documents,', ',tax,'));
    writeFileSync(path.join(cwd, 'crm-config.json'), readFileSync(DEMO_CONFIG_PATH, 'utf8'));
    const given = await run(['train', '--config', 'crm-config.json', '--data', 'renamed.csv'], cwd);
    expect(given.code).toBe(1);
    expect(given.stderr).toMatch(/ rows: if it was renamed, add an alias to crm-config\.json, e\.g\. "aliases": \{"tax": "tax_documents"\} in task queue; otherwise fix them/);
    const skipped = await run(['train', '--config', 'crm-config.json', '--data', 'renamed.csv', '--on-bad-row', 'skip'], cwd);
    expect(skipped.stderr).toContain('; if "tax" was renamed, add an alias to crm-config.json, e.g. "aliases": {"tax": "tax_documents"} in task queue\n');
    const demo = await run(['train', '--data', 'renamed.csv'], cwd);
    expect(demo.stderr).toContain(' rows: if it was renamed, map it with aliases in a training config (--config; see packages/training/demo/demo-config.json), e.g. ');
  }, 120_000);

  it('takes --on-bad-row and --delimiter over the config\'s onBadRow and delimiter, and its hints name them', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-train-'));
    expect((await run(['demo-data', '--out', 'demo.jsonl', '--rows', '300', '--seed', '9'], cwd)).code).toBe(0);
    // The same rows as CSV split by ";", every field quoted; one row with a queue outside the taxonomy.
    const rows = readFileSync(path.join(cwd, 'demo.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    rows[4] = { ...rows[4], queue: 'no_such_queue' };
    const header = Object.keys(rows[0]);
    const quote = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
    writeFileSync(path.join(cwd, 'semi.csv'), `${[header.join(';'), ...rows.map((r) => header.map((h) => quote(r[h])).join(';'))].join('\n')}\n`);
    const config = JSON.parse(readFileSync(DEMO_CONFIG_PATH, 'utf8'));
    writeFileSync(path.join(cwd, 'cfg.json'), JSON.stringify({ ...config, model: { epochs: 2, buckets: 4096, dim: 8 } }));

    const comma = await run(['train', '--config', 'cfg.json', '--data', 'semi.csv'], cwd);
    expect(comma.code).toBe(1);
    expect(comma.stderr).toMatch(/its first line is split by ";": set "delimiter" in the config or pass --delimiter ";"/);
    const failing = await run(['train', '--config', 'cfg.json', '--data', 'semi.csv', '--delimiter', ';'], cwd);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/semi\.csv:\d+, column "queue" \(\d+\): label "no_such_queue" .*or pass --on-bad-row skip to train without them/);
    const skipping = await run(['train', '--config', 'cfg.json', '--data', 'semi.csv', '--delimiter', ';', '--on-bad-row', 'skip'], cwd);
    expect(skipping.code, skipping.stderr).toBe(0);
    expect(skipping.stderr).toMatch(/warning: 1 bad row\(s\) skipped \(1 problem\): \S*semi\.csv line \d+; first: \S*semi\.csv:\d+, column "queue"/);
    // The run and the model keep the config as used.
    const [record] = JSON.parse((await run(['runs', 'list', '--json'], cwd)).stdout) as Array<{ status: string; config: { delimiter: string; onBadRow: string } }>;
    expect(record).toMatchObject({ status: 'finished', config: { delimiter: ';', onBadRow: 'skip' } });
    // And back: --on-bad-row fail overrides a config that says skip.
    writeFileSync(path.join(cwd, 'skip.json'), JSON.stringify({ ...config, onBadRow: 'skip', delimiter: ';', model: { epochs: 2, buckets: 4096, dim: 8 } }));
    expect((await run(['train', '--config', 'skip.json', '--data', 'semi.csv', '--on-bad-row', 'fail'], cwd)).stderr).toContain('[DATASET_ROW_INVALID]');

    const two = await run(['train', '--config', 'cfg.json', '--data', 'semi.csv', '--delimiter', ';;'], cwd);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('--delimiter takes one character (or tab), not ";;"');
    expect((await run(['train', '--data', 'semi.csv', '--on-bad-row', 'maybe'], cwd)).code).toBe(2);
    const help = await run(['train', '--help'], cwd);
    expect(help.stdout).toMatch(/--on-bad-row <mode>/);
    expect(help.stdout).toMatch(/--delimiter <char>/);
  }, 240_000);

  it("takes --mode over the config's model.mode, says what a single-task run kept, and runs compare says so beside the models' sizes", async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-train-'));
    expect((await run(['demo-data', '--out', 'demo.csv', '--rows', '400', '--seed', '9'], cwd)).code).toBe(0);
    const config = JSON.parse(readFileSync(DEMO_CONFIG_PATH, 'utf8'));
    writeFileSync(path.join(cwd, 'cfg.json'), JSON.stringify({ ...config, model: { epochs: 3, buckets: 4096, dim: 8 } }));
    const multi = await run(['train', '--config', 'cfg.json', '--data', 'demo.csv'], cwd);
    expect(multi.code, multi.stderr).toBe(0);
    expect(multi.stdout).not.toContain("'best_epoch_");
    expect(multi.stderr).not.toContain('single-task');
    const single = await run(['train', '--config', 'cfg.json', '--data', 'demo.csv', '--mode', 'single-task'], cwd);
    expect(single.code, single.stderr).toBe(0);
    // The final line: each task's own kept epoch, in keys of their own; a line for a person on stderr.
    const final = single.stdout.split('\n').find((l) => l.startsWith("{'eval_f1': ") && l.includes("'best_epoch'")) ?? '';
    expect(final).toMatch(/^\{'eval_f1': \d\.\d+, 'best_epoch': \d\.0, ('averaged_epochs': \d, )?'best_epoch_business_area': \d\.0, .*'best_epoch_queue': \d\.0, .*'best_epoch_topic': \d\.0, .*'test_f1': /);
    expect(single.stderr).toMatch(/\nsingle-task: each task kept its own weights \(business_area (epoch \d|the average of epochs \d-\d); queue .*\): eval_f1 \d\.\d{4} is the mean of each task's own best on the validation rows, not any one epoch's; compare it with a multi-task run on the test figures\n/);
    // The run and the model keep the config as used: the mode among its params, the rest of model as the config gave it.
    const [record] = JSON.parse((await run(['runs', 'list', '--json'], cwd)).stdout) as Array<{ runId: string; params: { mode: string; dim: number }; config: { model: Record<string, unknown> }; taskBestEpochs?: Record<string, number>; artifactBytes?: Record<string, number> }>;
    expect(record.params).toMatchObject({ mode: 'single-task', dim: 8 });
    expect(record.config.model).toEqual({ epochs: 3, buckets: 4096, dim: 8, mode: 'single-task' });
    expect(Object.keys(record.taskBestEpochs ?? {})).toEqual(['business_area', 'queue', 'topic']);
    expect(record.artifactBytes?.['model.onnx']).toBeGreaterThan(0);
    const ids = JSON.parse((await run(['runs', 'list', '--json'], cwd)).stdout).map((r: { runId: string }) => r.runId) as string[];
    const compared = await run(['runs', 'compare', ids[1], ids[0]], cwd);
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toMatch(/param mode +"multi-task" +"single-task" +differs/);
    expect(compared.stdout).toMatch(/best valid F1 .*; b single-task: per-task best epochs favour it \(compare test figures\)/);
    expect(compared.stdout).toMatch(/best epoch queue +\d+ +\d+/);
    expect(compared.stdout).toMatch(/model\.onnx size +\d+\.\d+ [kM]B +\d+\.\d+ [kM]B +\+\d+\.\d+ [kM]B \([\d.]+x\)/);
    expect((await run(['runs'], cwd)).stdout.split('\n')[0]).toMatch(/mean macro-F1 +model\.onnx +measured on/);
    expect((await run(['train', '--data', 'demo.csv', '--mode', 'single'], cwd)).code).toBe(2);
    expect((await run(['train', '--help'], cwd)).stdout).toMatch(/--mode <mode>/);
  }, 240_000);
});
