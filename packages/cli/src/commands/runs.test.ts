import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { DEMO_CONFIG_PATH } from '@mailroute/training';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';

function run(argv: string[], cwd: string) {
  return runCli(argv, { env: { CI: 'true' }, cwd, home: path.join(cwd, '.mailroute') });
}

// eslint-disable-next-line no-control-regex -- what must not reach the terminal
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Two failed runs (a label outside the taxonomy): each with a note and an error that hold control characters. */
async function failedRuns(cwd: string): Promise<string[]> {
  writeFileSync(path.join(cwd, 'bad.csv'), 'id,subject,body,html,from,bank,receivedAt,business_area,queue,topic\n1,Hallo,Text,,,,,brokerage,no_\x1b[31msuch,sparplan\n');
  for (let i = 0; i < 2; i++) expect((await run(['train', '--data', 'bad.csv', '--note', 'evil \x1b[31mred\x1b[0m \u009b2J'], cwd)).code).toBe(1);
  return readdirSync(path.join(cwd, '.mailroute', 'runs')).sort();
}

/** `records` (demo-data's JSONL lines) as a CSV of `columns` (each cell quoted), a column renamed by `rename` (`{ topic: 'topic_name' }`). */
function csvOf(records: Array<Record<string, unknown>>, columns: string[], rename: Record<string, string> = {}): string {
  const cell = (value: unknown) => `"${String(value ?? '').replace(/"/g, '""')}"`;
  return `${[columns.map((c) => rename[c] ?? c).map(cell).join(','), ...records.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n')}\n`;
}

describe('mailroute runs', () => {
  it("keeps a training's warnings with its run (runs show, --json); refuses an export whose label column is renamed before a run is recorded", async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-runs-warned-'));
    expect((await run(['demo-data', '--out', 'demo.jsonl', '--rows', '1000', '--seed', '5'], cwd)).code).toBe(0);
    const records = readFileSync(path.join(cwd, 'demo.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const columns = Object.keys(records[0]);
    writeFileSync(path.join(cwd, 'new.csv'), csvOf(records.slice(0, 700), columns));
    // An export from before the topic task: no topic column at all (its rows train the other tasks).
    writeFileSync(path.join(cwd, 'older.csv'), csvOf(records.slice(700), columns.filter((c) => c !== 'topic')));
    const trained = await run(['train', '--data', 'older.csv', 'new.csv'], cwd);
    expect(trained.code).toBe(0);
    const said = 'older.csv has no column "topic" (another file has it: a task added since this export?): its rows train the other tasks, that task masked as for empty cells';
    expect(trained.stderr).toContain(`warning: ${said}`);
    const modelId = /registered (\S+)/.exec(trained.stdout)?.[1] ?? '';
    const record = JSON.parse((await run(['runs', 'show', modelId, '--json'], cwd)).stdout);
    expect(record.warnings).toContain(said);
    // Every warning the terminal showed, in its order.
    const shownWarnings = trained.stderr.split('\n').filter((l) => l.startsWith('warning: ')).map((l) => l.slice('warning: '.length));
    expect(record.warnings).toEqual(shownWarnings);
    const shown = (await run(['runs', 'show', modelId], cwd)).stdout;
    expect(shown).toContain(`\nwarnings (${shownWarnings.length}, as training said them)\n`);
    expect(shown).toContain(`\n- ${said}\n`);

    // The same export with the column renamed (topic_name): refused as one file would be, naming the file that has it.
    writeFileSync(path.join(cwd, 'old.csv'), csvOf(records.slice(700), columns, { topic: 'topic_name' }));
    const runsBefore = readdirSync(path.join(cwd, '.mailroute', 'runs')).length;
    const refused = await run(['train', '--data', 'old.csv', 'new.csv'], cwd);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${path.join(cwd, 'old.csv')}:1: header lacks column(s) "topic" (did you mean "topic_name"?) (has `);
    expect(refused.stderr).toContain('; another file of this run (new.csv) has "topic": "topic_name" of old.csv is likely that column renamed, not a task added since this export');
    expect(refused.stdout).not.toContain('registered');
    // No failed run left behind, nothing registered.
    expect(readdirSync(path.join(cwd, '.mailroute', 'runs'))).toHaveLength(runsBefore);
    expect((await createLocalRegistry({ home: path.join(cwd, '.mailroute') }).list()).map((v) => v.id)).toEqual([modelId]);
  }, 60_000);

  it('prints the notes, errors and paths of run records with their control characters escaped; the files keep them', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-runs-'));
    const [a, b] = await failedRuns(cwd);

    const list = await run(['runs', 'list'], cwd);
    expect(list.stdout).not.toMatch(RAW_CONTROL);
    expect(list.stdout).toMatch(/started \(UTC\)/);
    expect(list.stdout).toContain('evil \\x1b[31mred\\x1b[0m \\x9b2J');
    // A quoted cell is written as JSON quotes it (the escape as `\u001b`: no control character in the record's error).
    expect(list.stdout).toContain('label "no_\\u001b[31msu');
    // Escaped before the columns are aligned: the error column starts at the same place on every row.
    const rows = list.stdout.trimEnd().split('\n');
    expect(new Set(rows.slice(2).map((r) => r.indexOf('1 bad row')))).toEqual(new Set([rows[0].indexOf('error')]));

    const compared = await run(['runs', 'compare', a, b], cwd);
    expect(compared.stdout).not.toMatch(RAW_CONTROL);
    expect(compared.stdout).toMatch(/\nnote +evil \\x1b\[31mred\\x1b\[0m \\x9b2J +evil \\x1b\[31mred\\x1b\[0m \\x9b2J\n/);

    // The summary of runs show escapes them too, and says the error whole.
    const summary = await run(['runs', 'show', a], cwd);
    expect(summary.stdout).not.toMatch(RAW_CONTROL);
    expect(summary.stdout).toMatch(/\nnote +evil \\x1b\[31mred\\x1b\[0m \\x9b2J\n/);
    expect(summary.stdout).toMatch(/\nerror +1 bad row.*label "no_\\u001b\[31msuch"/);

    // JSON: the same values once parsed; JSON.stringify alone leaves the C1 control raw.
    for (const argv of [['runs', 'show', a, '--json'], ['runs', 'list', '--json'], ['runs', 'compare', a, b, '--json']]) {
      const shown = await run(argv, cwd);
      expect(shown.stdout).not.toMatch(RAW_CONTROL);
      expect(shown.stdout).toContain('"note": "evil \\u001b[31mred\\u001b[0m \\u009b2J"');
      const parsed = JSON.parse(shown.stdout) as { note: string; a?: { note: string } } | Array<{ note: string }>;
      expect((Array.isArray(parsed) ? parsed[0] : (parsed.a ?? parsed)).note).toBe('evil \x1b[31mred\x1b[0m \u009b2J');
    }
    // The run's file keeps the note as it was given.
    expect(JSON.parse(readFileSync(path.join(cwd, '.mailroute', 'runs', a, 'run.json'), 'utf8')).note).toBe('evil \x1b[31mred\x1b[0m \u009b2J');
  });

  it('reads `champion` through the registry (no champion: REGISTRY_NOT_APPROVED with the way out) and names the model ids near a mistyped one', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-runs-champ-'));
    const [a] = await failedRuns(cwd);
    const none = await run(['runs', 'show', 'champion'], cwd);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^mailroute: \[REGISTRY_NOT_APPROVED\] There is no champion: the registry at .* has no model version yet; train one/);
    expect((await run(['runs', 'compare', 'champion', a], cwd)).stderr).toContain('[REGISTRY_NOT_APPROVED]');
    // A model made elsewhere (registry add): no run trained it.
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-art-')), 'ngram-bag-20261201-090000-abcdef');
    writeLoadableArtifact(dir, path.basename(dir), { extra: { dataHash: 'h', metrics: {} } });
    const reg = createLocalRegistry({ home: path.join(cwd, '.mailroute') });
    await reg.register(dir);
    const pending = await run(['runs', 'show', 'champion'], cwd);
    expect(pending.stderr).toMatch(/^mailroute: \[REGISTRY_NOT_APPROVED\] There is no champion: .* 1 version\(s\) but no champion \(1 waiting for approval\); approve one .*; or show a run by its id \(mailroute runs list\)\.\n$/);
    // A model id mistyped (one character off): the ids near it are named, as registry show names them.
    const typo = await run(['runs', 'show', 'ngram-bag-20261201-090000-abcdeg'], cwd);
    expect(typo.stderr).toBe(`mailroute: [RUN_NOT_FOUND] no run "ngram-bag-20261201-090000-abcdeg" in ${path.join(cwd, '.mailroute', 'runs')}; no model "ngram-bag-20261201-090000-abcdeg" in the registry either; did you mean ngram-bag-20261201-090000-abcdef?\n`);
    // The model's own id, no run kept for it: said so, not offered as a near id of itself.
    const own = await run(['runs', 'show', 'ngram-bag-20261201-090000-abcdef'], cwd);
    expect(own.stderr).toContain('the model ngram-bag-20261201-090000-abcdef is in the registry, but no run kept there trained it');
    expect(own.stderr).not.toContain('did you mean');
    await reg.approve(path.basename(dir));
    expect((await run(['runs', 'show', 'champion'], cwd)).stderr).toContain('the champion, ngram-bag-20261201-090000-abcdef, was trained by no run kept there');
  });

  it('refuses a MAILROUTE_HOME that is a file, as registry list does, instead of listing no runs', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-runs-'));
    writeFileSync(path.join(cwd, 'd1.csv'), 'id,body\n');
    const res = await runCli(['runs', 'list'], { env: { CI: 'true' }, cwd, home: path.join(cwd, 'd1.csv') });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('[REGISTRY_HOME_NOT_DIRECTORY]');
  });

  it('compares two runs that failed before reading data without calling their data or rows the same', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-runs-'));
    const [a, b] = await failedRuns(cwd);
    const compared = await run(['runs', 'compare', a, b], cwd);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/\ndata hash +- +-\n/);
    expect(compared.stdout).toMatch(/\nmetrics on +- +-\n/);
  });

  it('compare gives every score difference in labelled percentage points, seconds with their unit, and says the units', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-runs-'));
    expect((await run(['demo-data', '--out', 'demo.csv', '--rows', '300'], cwd)).code).toBe(0);
    const config = JSON.parse(readFileSync(DEMO_CONFIG_PATH, 'utf8')) as { model: Record<string, unknown> };
    writeFileSync(path.join(cwd, 'short.json'), JSON.stringify({ ...config, model: { ...config.model, epochs: 2 } }));
    const first = await run(['train', '--data', 'demo.csv'], cwd);
    expect(first.code, first.stderr).toBe(0);
    expect((await run(['train', '--data', 'demo.csv', '--config', 'short.json'], cwd)).code).toBe(0);
    const [a, b] = readdirSync(path.join(cwd, '.mailroute', 'runs')).sort();
    const compared = await run(['runs', 'compare', a, b], cwd);
    expect(compared.code, compared.stderr).toBe(0);
    const row = (name: string) => compared.stdout.split('\n').find((l) => l.startsWith(`${name} `))?.trim().split(/ {2,}/);
    for (const name of ['mean_macro_f1', 'queue.accuracy', 'topic.weighted_f1']) expect(row(name)).toEqual([name, expect.stringMatching(/^[01]\.\d{4}$/), expect.stringMatching(/^[01]\.\d{4}$/), expect.stringMatching(/^[+-]\d+\.\d{2} pts$/)]);
    expect(row('queue.support')?.[3]).toBe('+0');
    expect(row('training seconds')).toEqual(['training seconds', expect.stringMatching(/^\d+\.\d{2} s$/), expect.stringMatching(/^\d+\.\d{2} s$/), expect.stringMatching(/^[+-]\d+\.\d{2} s$/)]);
    expect(compared.stdout).toContain('b - a of a score is in percentage points');
    // Other epochs, other weights: the artifacts differ; the same tasks.
    expect(row('model.onnx sha256')?.[3]).toMatch(/^differ: .*model\.onnx/);
    expect(row('tasks')).toEqual(['tasks', 'business_area, queue, topic', 'business_area, queue, topic']);
    // A run is found by the model it trained (registry list gives model ids) and by `champion`.
    const modelId = /registered (\S+)/.exec(first.stdout)?.[1] ?? '';
    const firstRun = /, run (\S+)/.exec(first.stderr)?.[1];
    const other = firstRun === a ? b : a;
    expect(JSON.parse((await run(['runs', 'show', modelId, '--json'], cwd)).stdout).runId).toBe(firstRun);
    expect((await run(['registry', 'approve', modelId], cwd)).code).toBe(0);
    expect(JSON.parse((await run(['runs', 'show', 'champion', '--json'], cwd)).stdout).runId).toBe(firstRun);
    expect((await run(['runs', 'compare', 'champion', other], cwd)).stdout).toMatch(new RegExp(`\\nrun +${firstRun} +${other}\\n`));
    // The first run (the demo config's 10 epochs) against the other (2), validated on the same rows (the same data and
    // split): the best validation F1 gets its b - a too.
    const inOrder = await run(['runs', 'compare', firstRun ?? '', other], cwd);
    const ordered = (name: string) => inOrder.stdout.split('\n').find((l) => l.startsWith(`${name} `))?.trim().split(/ {2,}/);
    expect(ordered('best valid F1')).toEqual(['best valid F1', expect.stringMatching(/^[01]\.\d{4}$/), expect.stringMatching(/^[01]\.\d{4}$/), expect.stringMatching(/^[+-]\d+\.\d{2} pts$/)]);
    // The epochs each run trained, told from the epochs param.
    expect(ordered('epochs run')).toEqual(['epochs run', expect.stringMatching(/^\d+$/), '2']);
    expect(ordered('param epochs')).toEqual(['param epochs', '10', '2', 'differs']);
    expect(inOrder.stdout).not.toMatch(/\nepochs {2,}/);
    // The counts equal in both (the same data and split: all of them) are one line; --json has each.
    expect(ordered('count (15 equal)')).toEqual(['count (15 equal)', 'not shown (runs compare --json has each)']);
    expect(ordered('count read')).toBeUndefined();
    // --json: the same comparison for a program.
    const json = JSON.parse((await run(['runs', 'compare', firstRun ?? '', other, '--json'], cwd)).stdout);
    expect(json.a.runId).toBe(firstRun);
    expect(json.b.params.epochs).toBe(2);
    expect(json.differingParams).toEqual({ epochs: { a: 10, b: 2 } });
    expect(json.compatibility).toMatchObject({ data: 'same', metricsRows: 'same rows', metricsCompare: true, validationRowsSame: true });
    expect(json.metrics.mean_macro_f1).toEqual({ kind: 'score', a: expect.any(Number), b: expect.any(Number), delta: expect.any(Number) });
    expect(json.counts.read).toEqual({ a: 300, b: 300, delta: 0 });

    // runs show: a summary to read (the params not at their defaults, each epoch, the test figures); --json the record.
    const shown = (await run(['runs', 'show', modelId], cwd)).stdout;
    expect(shown).toMatch(new RegExp(`^run +${firstRun}\\nstatus +finished\\nmodel +${modelId}\\n`));
    expect(shown).toMatch(/\nparams +buckets=131072 charNgrams=\[5,5\] dim=48 epochs=10 \(the rest at the trainer's defaults\)\n/);
    expect(shown).toMatch(/\nrows +read 300, rows 300, train \d+, valid \d+, test \d+\n/);
    expect(shown).toMatch(/\nepoch +loss +lr +eval_loss +eval F1 +business_area F1 +queue F1 +topic F1 +seconds\n/);
    // With each task's coverage and precision at its own threshold, scores to 4 places (a coverage of 1 too).
    expect(shown).toMatch(/\nmetrics on held-out test split \(seed 0, 0\.2\)\n +accuracy +macro_f1 +weighted_f1 +coverage +answered_precision +support\n/);
    expect(shown).toMatch(/\nqueue +(?:[01]\.\d{4} +){5}\d+\n/);
    expect(shown).toMatch(/\nmean +[01]\.\d{4} +[01]\.\d{4} +- +- +- +-\n/);
    // The list says where each run's model stands in the registry, the params that tell the runs apart, and --limit keeps the newest.
    const listed = (await run(['runs', 'list'], cwd)).stdout;
    expect(listed).toMatch(/ registry +mean macro-F1 +model\.onnx +measured on +data +params where runs differ +note\n/);
    expect(listed).toMatch(new RegExp(`\\n${firstRun} .* epochs=10\\n`));
    expect(listed).toMatch(new RegExp(`\\n${other} .* epochs=2\\n`));
    expect(listed).toMatch(new RegExp(`\\n${firstRun} +finished .* ${modelId} +Approved, champion +`));
    expect(listed).toMatch(new RegExp(`\\n${other} +finished .* PendingManualApproval +`));
    const newest = await run(['runs', 'list', '--limit', '1'], cwd);
    expect(newest.stdout.trimEnd().split('\n')).toHaveLength(4);
    expect(newest.stdout).toContain('(1 older run(s) not listed)');
    expect(JSON.parse((await run(['runs', 'list', '--json', '--limit', '1'], cwd)).stdout)).toHaveLength(1);
    expect((await run(['runs', 'list', '--limit', '0'], cwd)).code).toBe(2);
    const missing = await run(['runs', 'show', 'ngram-bag-20990101-000000-000000'], cwd);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('no run "ngram-bag-20990101-000000-000000"')]);
  }, 60_000);
});
