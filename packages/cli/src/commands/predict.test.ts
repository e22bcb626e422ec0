import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePredictionLines } from '@mailroute/evaluation';
import { createLocalRegistry } from '@mailroute/model';
import { DEMO_COLUMNS, DEMO_CONFIG_PATH, ensureDemoChampion, generateDemoRows, writeDemoData } from '@mailroute/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';

// Reading an export the model's own config cannot read as it is: --on-bad-row and --delimiter override it.
describe('mailroute predict, evaluate and compare on an export with bad rows or another delimiter', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-predict-'));
  const home = path.join(dir, 'home');
  const run = (argv: string[]) => runCli(argv, { env: { CI: 'true', MAILROUTE_HOME: home }, cwd: dir });
  // compare refuses one model on both sides: a second version (the champion's artifact under another id) challenges it.
  const challenger = 'demo-challenger';
  beforeAll(async () => {
    const registry = createLocalRegistry({ home });
    const { id } = await ensureDemoChampion({ home, rows: 400 });
    const copy = path.join(dir, 'challenger-artifact');
    cpSync(await registry.artifactDir(id), copy, { recursive: true });
    const manifestFile = path.join(copy, 'manifest.json');
    writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), modelId: challenger }));
    await registry.register(copy);
    await writeDemoData(path.join(dir, 'labelled.csv'), { rows: 30, seed: 7 });
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const champion = async () => {
    const c = await createLocalRegistry({ home }).champion();
    if (!c) throw new Error('the demo champion is there');
    return c;
  };

  it('fails on a row with no text naming --on-bad-row, and with --on-bad-row skip predicts the rest and says which rows it left out', async () => {
    // An unlabelled export: line 3 is an HTML-only email, its html column left out of the export.
    writeFileSync(path.join(dir, 'inbox.csv'), 'subject,body,bank\nDepot,Bitte übertragen Sie mein Depot.,Comdirect\n,,Comdirect\nSteuer,Bitte den Freistellungsauftrag erhöhen.,\n');
    const failed = await run(['predict', '--model', 'champion', '--data', 'inbox.csv', '--out', 'p.jsonl']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^mailroute: \[DATASET_ROW_INVALID\] 1 bad row\(s\) \(1 problem\): \S*inbox\.csv:3: no text .*\(fix them, or pass --on-bad-row skip to leave them out\)\n$/);
    const skipped = await run(['predict', '--model', 'champion', '--data', 'inbox.csv', '--out', 'p.jsonl', '--on-bad-row', 'skip']);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toMatch(/warning: 1 bad row\(s\) skipped, not predicted \(1 problem\): \S*inbox\.csv line 3; first: \S*inbox\.csv:3: no text/);
    expect(skipped.stdout).toContain('wrote 2 prediction lines');
    expect(parsePredictionLines(readFileSync(path.join(dir, 'p.jsonl'), 'utf8')).map((l) => l.id)).toEqual(['inbox.csv:2', 'inbox.csv:4']);
    const bad = await run(['predict', '--model', 'champion', '--data', 'inbox.csv', '--out', 'p.jsonl', '--on-bad-row', 'maybe']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'maybe' is invalid. Allowed choices are fail, skip.");
  }, 60_000);

  it('marks the lines of automated mail, which evaluate leaves out of its scores, saying how many', async () => {
    // An out-of-office reply, labelled as an agent filed it, after the 30 demo rows.
    const labels = generateDemoRows({ rows: 1, seed: 7 })[0];
    const reply: Record<string, string> = { id: 'ooo-1', subject: 'Automatische Antwort: Ihre Nachricht', body: 'Ich bin bis 14.12. nicht im Büro.', business_area: labels.business_area, queue: labels.queue, topic: labels.topic };
    writeFileSync(path.join(dir, 'with-ooo.csv'), `${readFileSync(path.join(dir, 'labelled.csv'), 'utf8').trimEnd()}\n${DEMO_COLUMNS.map((c) => reply[c] ?? '').join(',')}\n`);
    const predicted = await run(['predict', '--model', 'champion', '--data', 'with-ooo.csv', '--out', 'ooo.jsonl']);
    expect(predicted.code, predicted.stderr).toBe(0);
    const lines = parsePredictionLines(readFileSync(path.join(dir, 'ooo.jsonl'), 'utf8'));
    expect(lines.filter((l) => l.meta?.automated !== undefined).map((l) => [l.id, l.meta?.automated])).toEqual([['ooo-1', 'auto_reply']]);
    const report = path.join(dir, 'ooo-report');
    const evaluated = await run(['evaluate', '--predictions', 'ooo.jsonl', '--out', report]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stderr).toContain('warning: 1 of these 31 lines are automated mail (auto-replies, bounces: marked automated when predicted) and are left out of the scores');
    const metrics = JSON.parse(readFileSync(path.join(report, 'metrics.json'), 'utf8')) as { lines: number; warnings: string[] };
    expect(metrics.lines).toBe(30);
    expect(metrics.warnings).toContainEqual(expect.stringContaining('1 of these 31 lines are automated mail'));
    // With --model, the predictions kept beside the report are every line, as predict writes them.
    const withModel = await run(['evaluate', '--model', 'champion', '--data', 'with-ooo.csv', '--out', 'ooo-model-report']);
    expect(withModel.code, withModel.stderr).toBe(0);
    expect(parsePredictionLines(readFileSync(path.join(dir, 'ooo-model-report', 'predictions.jsonl'), 'utf8')).map((l) => l.id)).toContain('ooo-1');
    // Nothing but automated mail: nothing to score, said as such.
    writeFileSync(path.join(dir, 'only-ooo.jsonl'), `${JSON.stringify(lines.find((l) => l.id === 'ooo-1'))}\n`);
    const only = await run(['evaluate', '--predictions', 'only-ooo.jsonl', '--out', 'only-report']);
    expect([only.code, only.stderr]).toEqual([2, expect.stringContaining('the only line is automated mail (auto-replies, bounces: marked automated when predicted): there is nothing to score')]);
  }, 60_000);

  it('says when the rows of --data repeat ids (the same export given twice), and predicts every row all the same', async () => {
    const twice = await run(['predict', '--model', 'champion', '--data', 'labelled.csv', 'labelled.csv', '--out', 'twice.jsonl']);
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stderr).toMatch(/warning: the rows repeat 30 ids \(demo-s7-000001 at \S*labelled\.csv:\d+ and \S*labelled\.csv:\d+; .*, and 25 more\): each such row gets a prediction line of its own under that id \(the same export given twice\?\)/);
    expect(twice.stdout).toContain('wrote 60 prediction lines');
    const once = await run(['predict', '--model', 'champion', '--data', 'labelled.csv', '--out', 'once.jsonl']);
    expect(once.stderr).not.toContain('repeat');
  }, 60_000);

  it('marks the lines of emails a model trained on, so that evaluate and compare of the files alone warn of them, and the gate keeps it', async () => {
    // The rows the demo champion was trained on (the demo data's default seed, 400 rows).
    await writeDemoData(path.join(dir, 'trained.csv'), { rows: 400 });
    const predicted = await run(['predict', '--model', 'champion', '--data', 'trained.csv', '--out', 'trained.jsonl']);
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(predicted.stderr).toContain('warning: these are the rows model');
    const lines = parsePredictionLines(readFileSync(path.join(dir, 'trained.jsonl'), 'utf8'));
    expect(lines.filter((l) => l.meta?.seenInTraining === true).length).toBeGreaterThan(300);
    const report = await run(['evaluate', '--predictions', 'trained.jsonl', '--out', 'trained-report', '--no-png']);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toMatch(/warning: \d+ of these 400 lines \(\d+\.\d%\) are of emails whose text model \S+ was trained or validated on \(marked seenInTraining when predicted\): its metrics on them flatter it/);
    const metrics = JSON.parse(readFileSync(path.join(dir, 'trained-report', 'metrics.json'), 'utf8')) as { warnings?: string[]; tasks: { slices: { key: string }[] }[] };
    expect(metrics.warnings?.[0]).toMatch(/are of emails whose text model/);
    expect(metrics.tasks[0].slices.map((sl) => sl.key)).not.toContain('seenInTraining');
    expect(readFileSync(path.join(dir, 'trained-report', 'report.md'), 'utf8')).toMatch(/> \*\*Warning:\*\* \d+ of these 400 lines/);
    // The challenger (a copy of the champion's artifact) on the same rows: the gate from the two files says so, and keeps it.
    expect((await run(['predict', '--model', challenger, '--data', 'trained.csv', '--out', 'trained-challenger.jsonl'])).code).toBe(0);
    const gate = await run(['compare', '--challenger', 'trained-challenger.jsonl', '--champion', 'trained.jsonl', '--resamples', '20', '--out', 'trained-gate']);
    expect(gate.stdout).toMatch(/> \*\*Warning:\*\* challenger: \d+ of these 400 lines/);
    expect(gate.stdout).toMatch(/> \*\*Warning:\*\* champion: \d+ of these 400 lines/);
    const version = await createLocalRegistry({ home }).get(challenger);
    expect(version.gate?.warnings?.[0]).toMatch(/^challenger: \d+ of these 400 lines/);
    // Lines of mail the model never saw carry no mark, and the report no such warning.
    expect((await run(['predict', '--model', 'champion', '--data', 'labelled.csv', '--out', 'unseen.jsonl'])).code).toBe(0);
    expect(readFileSync(path.join(dir, 'unseen.jsonl'), 'utf8')).not.toContain('seenInTraining');
  }, 120_000);

  it('compare names a champion that does not exist before the challenger reads the data (no warnings about its rows first)', async () => {
    // labelled.csv with one row of no text: read with --on-bad-row skip, it warns.
    writeFileSync(path.join(dir, 'with-empty.csv'), `${readFileSync(path.join(dir, 'labelled.csv'), 'utf8').trimEnd()}\nempty-1,,,,,,,,brokerage,payments,sparplan\n`);
    const res = await run(['compare', '--challenger', 'champion', '--champion', 'no-such-model', '--data', 'with-empty.csv', '--on-bad-row', 'skip', '--resamples', '20']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^mailroute: \[REGISTRY_NOT_FOUND\] no model "no-such-model" in the registry/);
  }, 60_000);

  it('reads a ;-delimited export with --delimiter, and says so when it is missing', async () => {
    writeFileSync(path.join(dir, 'semi.csv'), 'subject;body\nDepot;Bitte übertragen Sie mein Depot, danke.\n');
    const failed = await run(['predict', '--model', 'champion', '--data', 'semi.csv', '--out', 's.jsonl']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/its first line is split by ";": pass --delimiter ";"\n$/);
    const read = await run(['predict', '--model', 'champion', '--data', 'semi.csv', '--out', 's.jsonl', '--delimiter', ';']);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toContain('wrote 1 prediction lines');
    expect((await run(['predict', '--model', 'champion', '--data', 'semi.csv', '--out', 's.jsonl', '--delimiter', ';;'])).code).toBe(2);
    // On a JSONL export the delimiter splits nothing: said, and the lines are read as they are.
    writeFileSync(path.join(dir, 'inbox.jsonl'), `${JSON.stringify({ subject: 'Depot', body: 'Bitte übertragen Sie mein Depot.' })}\n`);
    const jsonl = await run(['predict', '--model', 'champion', '--data', 'inbox.jsonl', '--out', 'j.jsonl', '--delimiter', ';']);
    expect([jsonl.code, jsonl.stdout], jsonl.stderr).toEqual([0, expect.stringContaining('wrote 1 prediction lines')]);
    expect(jsonl.stderr).toContain('--delimiter is not used: inbox.jsonl is read as JSONL (one JSON object a line), which no delimiter splits');
  }, 60_000);

  it('compare says when the two models route mail otherwise, which the gate does not judge', async () => {
    const registry = createLocalRegistry({ home });
    const copy = path.join(dir, 'rerouted-artifact');
    cpSync(await registry.artifactDir((await champion()).id), copy, { recursive: true });
    const manifestFile = path.join(copy, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, modelId: 'demo-rerouted', routing: { queueTask: 'queue', abstainTasks: ['queue', 'topic'] } }));
    await registry.register(copy);
    const compared = await run(['compare', '--challenger', 'demo-rerouted', '--champion', 'champion', '--data', 'labelled.csv', '--resamples', '20']);
    expect(compared.stderr).toContain('warning: the models route mail otherwise: the challenger routes by queue (manual triage when queue or topic abstains), the champion routes by queue (manual triage when queue abstains); approving the challenger changes where mail goes, which the gate does not judge');
    // Automated mail routed to a queue of its own is a change of where mail goes too.
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, modelId: 'demo-automated', routing: { ...manifest.routing, automatedQueues: { auto_reply: 'auto_replies' } } }));
    await registry.register(copy);
    const automated = await run(['compare', '--challenger', 'demo-automated', '--champion', 'champion', '--data', 'labelled.csv', '--resamples', '20']);
    expect(automated.stderr).toContain('warning: the models route mail otherwise: the challenger routes by queue (manual triage when queue abstains; automated mail: auto_reply to auto_replies), the champion routes by queue (manual triage when queue abstains)');
    // Models that route alike: nothing said.
    const alike = await run(['compare', '--challenger', challenger, '--champion', 'champion', '--data', 'labelled.csv', '--resamples', '20']);
    expect(alike.stderr).not.toContain('route mail otherwise');
  }, 60_000);

  it('names the delimiter that reads the header in predict, evaluate and compare, in either direction', async () => {
    // The model's config read with ";" (as a model trained from a ;-export carries it), on a comma file.
    const config = JSON.parse(readFileSync(path.join(home, 'models', (await champion()).id, 'manifest.json'), 'utf8')).trainingConfig as Record<string, unknown>;
    writeFileSync(path.join(dir, 'semi-config.json'), JSON.stringify({ ...config, delimiter: ';' }));
    const hint = /; its first line is split by ",": pass --delimiter ","\n$/;
    const predicted = await run(['predict', '--model', 'champion', '--config', 'semi-config.json', '--data', 'labelled.csv', '--out', 'c.jsonl']);
    expect(predicted.stderr).toMatch(/header lacks a text column \(wants one of "subject", "body", "html"; has id,subject,body,/);
    expect(predicted.stderr).toMatch(hint);
    const evaluated = await run(['evaluate', '--model', 'champion', '--config', 'semi-config.json', '--data', 'labelled.csv', '--out', 'rep-c', '--no-png']);
    expect(evaluated.stderr).toMatch(hint);
    const compared = await run(['compare', '--challenger', challenger, '--champion', 'champion', '--config', 'semi-config.json', '--data', 'labelled.csv', '--resamples', '20']);
    expect(compared.stderr).toMatch(hint);
    // The model's own training rows exported with ";": the same data (same hash read with --delimiter), so
    // --split test says the config cannot read it and which flag does, not that it is other data.
    const quote = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
    const rows = generateDemoRows({ rows: 400 });
    writeFileSync(path.join(dir, 'train-semi.csv'), `${[DEMO_COLUMNS.join(';'), ...rows.map((r) => DEMO_COLUMNS.map((c) => quote(r[c])).join(';'))].join('\n')}\n`);
    const split = await run(['compare', '--challenger', challenger, '--champion', 'champion', '--data', 'train-semi.csv', '--split', 'test', '--resamples', '20']);
    expect(split.code).toBe(1);
    expect(split.stderr).toContain('train-semi.csv cannot be read with the training config of model');
    expect(split.stderr).not.toContain('is not the data model');
    expect(split.stderr).toMatch(/; its first line is split by ";": pass --delimiter ";"\n$/);
    const read = await run(['compare', '--challenger', challenger, '--champion', 'champion', '--data', 'train-semi.csv', '--split', 'test', '--resamples', '20', '--delimiter', ';']);
    expect(read.code, read.stderr).toBe(0);
  }, 90_000);

  it('refuses several --data files that no one delimiter reads in predict, evaluate and compare, naming each file\'s', async () => {
    // labelled.csv is split by ","; the same kind of export split by ";" beside it.
    writeFileSync(path.join(dir, 'more-semi.csv'), 'id;subject;body;queue\nm9;Depot;Bitte übertragen Sie mein Depot, danke.;securities_transfers\n');
    const said = (file: string) => `[DATASET_FILE_INVALID] the files are split by different delimiters, --data ${path.join(dir, 'labelled.csv')} by "," and --data ${path.join(dir, file)} by ";"`;
    const runs = [
      ['predict', '--model', 'champion', '--data', 'labelled.csv', 'more-semi.csv', '--out', 'mixed.jsonl'],
      ['evaluate', '--model', 'champion', '--data', 'labelled.csv', 'more-semi.csv', '--out', 'rep-mixed', '--no-png'],
      ['compare', '--challenger', challenger, '--champion', 'champion', '--data', 'labelled.csv', 'more-semi.csv', '--resamples', '20'],
    ];
    for (const argv of runs) {
      const res = await run(argv);
      expect(res.code, res.stderr).toBe(1);
      expect(res.stderr).toContain(said('more-semi.csv'));
      expect(res.stderr).toContain(`save ${path.join(dir, 'more-semi.csv')} with "," as delimiter, or ${path.join(dir, 'labelled.csv')} with ";"`);
      // Not the hint of one file, which breaks the other.
      expect(res.stderr).not.toContain('pass --delimiter');
    }
  }, 90_000);

  it('takes --on-bad-row in evaluate and compare too, which read --data the same way', async () => {
    // A labelled export with one row that has no text.
    const labelled = readFileSync(path.join(dir, 'labelled.csv'), 'utf8');
    const columns = labelled.split('\n')[0].split(',');
    const empty = columns.map((c) => (c === 'id' ? 'no-text' : c === 'bank' ? 'Comdirect' : ''));
    writeFileSync(path.join(dir, 'labelled-bad.csv'), `${labelled.trimEnd()}\n${empty.join(',')}\n`);
    const failed = await run(['evaluate', '--model', 'champion', '--data', 'labelled-bad.csv', '--out', 'rep', '--no-png']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('pass --on-bad-row skip');
    const evaluated = await run(['evaluate', '--model', 'champion', '--data', 'labelled-bad.csv', '--out', 'rep', '--no-png', '--on-bad-row', 'skip']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stderr).toMatch(/warning: 1 bad row\(s\) skipped, not predicted \(1 problem\): \S*labelled-bad\.csv line \d+;/);
    const compared = await run(['compare', '--challenger', challenger, '--champion', 'champion', '--data', 'labelled-bad.csv', '--resamples', '20', '--on-bad-row', 'skip']);
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stderr).toContain('warning: 1 bad row(s) skipped');
    // With prediction files there is no --data to read.
    expect((await run(['evaluate', '--predictions', 'rep/predictions.jsonl', '--out', 'rep2', '--on-bad-row', 'skip'])).code).toBe(2);
  }, 90_000);

  it('points a label renamed in the export to aliases in a training config, warns when skipping drops its class, and recommends a test file over leaving out --split', async () => {
    const demo = path.join(dir, 'renamed.csv');
    await writeDemoData(demo, { rows: 200, seed: 11 });
    const renamed = readFileSync(demo, 'utf8').replaceAll(',tax_documents,', ',tax,');
    const rows = renamed.split(',tax,').length - 1;
    expect(rows).toBeGreaterThanOrEqual(5);
    writeFileSync(demo, renamed);
    const alias = `label "tax" of queue is on ${rows} rows: if it was renamed, map it with aliases in a training config (--config; see packages/training/demo/demo-config.json), e.g. "aliases": {"tax": "tax_documents"} in task queue`;
    const failed = await run(['evaluate', '--model', 'champion', '--data', 'renamed.csv', '--out', 'rep-r', '--no-png']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`(${alias}; otherwise fix them, or pass --on-bad-row skip to leave them out)`);
    const skipped = await run(['evaluate', '--model', 'champion', '--data', 'renamed.csv', '--out', 'rep-r', '--no-png', '--on-bad-row', 'skip']);
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.stderr).toContain(
      `warning: queue: all ${rows} rows labelled "tax" were skipped as bad rows (the label is not in the queue taxonomy), so they are not predicted or scored, and its label "tax_documents" has no rows left; if "tax" was renamed`,
    );
    // Read with a config given (--config), the hint says to add the alias to that file.
    writeFileSync(path.join(dir, 'crm-config.json'), readFileSync(DEMO_CONFIG_PATH, 'utf8'));
    const given = await run(['evaluate', '--model', 'champion', '--config', 'crm-config.json', '--data', 'renamed.csv', '--out', 'rep-r', '--no-png']);
    expect(given.code).toBe(1);
    expect(given.stderr).toContain(`(label "tax" of queue is on ${rows} rows: if it was renamed, add an alias to crm-config.json, e.g. "aliases": {"tax": "tax_documents"} in task queue; otherwise fix them`);
    const givenSkipped = await run(['predict', '--model', 'champion', '--config', 'crm-config.json', '--data', 'renamed.csv', '--out', 'p-r.jsonl', '--on-bad-row', 'skip']);
    expect(givenSkipped.code, givenSkipped.stderr).toBe(0);
    expect(givenSkipped.stderr).toContain('; if "tax" was renamed, add an alias to crm-config.json, e.g. "aliases": {"tax": "tax_documents"} in task queue\n');
    const mismatch = await run(['compare', '--challenger', challenger, '--champion', 'champion', '--data', 'renamed.csv', '--split', 'test', '--resamples', '20']);
    expect(mismatch.stderr).toContain('[DATASET_MISMATCH]');
    expect(mismatch.stderr).toContain('to measure on other data, give a separate test file of emails the model(s) never trained on, without --split;');
    expect(mismatch.stderr).toContain('(Leaving out --split with this file scores all its rows, rows the model(s) trained on included.)');
    expect(mismatch.stderr).not.toContain('leave out --split to predict all rows');
  }, 90_000);
});
