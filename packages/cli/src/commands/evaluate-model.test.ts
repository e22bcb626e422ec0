import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { EvaluationReportSchema, parsePredictionLines, slug, testNearDuplicateWarning } from '@mailroute/evaluation';
import { demoRowsToCsv, generateDemoRows, loadDemoConfig } from '@mailroute/training';
import { createLocalRegistry } from '@mailroute/model';
import { describe, expect, it } from 'vitest';
import { demoChampionFolder } from '../test-support.js';

// `evaluate --model/--data` and `compare --data`: a small demo champion trained once, a fresh demo test set.
const { dir, home, champion, run } = demoChampionFolder('mailroute-cli-model-', 200);

/** A challenger trained for one epoch on the champion's demo.csv (config written as `file`): its registry id. */
async function trainQuick(file: string): Promise<string> {
  const config = await loadDemoConfig();
  writeFileSync(path.join(dir, file), JSON.stringify({ ...config, model: { ...config.model, epochs: 1 } }));
  const trained = await run(['train', '--config', file, '--data', path.join(home, 'demo.csv')]);
  expect(trained.code, trained.stderr).toBe(0);
  return /registered (\S+)/.exec(trained.stdout)?.[1] as string;
}

describe('evaluate and compare with a model', () => {
  it('evaluates the champion on a CSV and keeps its predictions', async () => {
    const { code, stderr, stdout } = await run(['evaluate', '--model', 'champion', '--data', 'test.csv', '--out', 'rep', '--no-png']);
    expect(stderr).toContain('predict: 100%');
    expect(code).toBe(0);
    // The count said is the count written, predictions.jsonl included.
    const written = readdirSync(path.join(dir, 'rep'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
    expect(stdout).toContain(`wrote ${written} files to`);
    // The model card says where the model answers at its own thresholds (predict writes abstained); the queue task, which routes, routes.
    expect(readFileSync(path.join(dir, 'rep/model-card.md'), 'utf8')).toMatch(/## Where the model answers[\s\S]*- \*\*queue\*\* \(target 95\.0%\): routes \d+\.\d% \(\d+ of 200\) to a queue/);
    const report = EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'rep/metrics.json'), 'utf8')));
    expect(report.modelId).toBe(champion.id);
    // Each task's operating point carries the manifest's threshold, and every report form says it.
    const manifest = JSON.parse(readFileSync(path.join(home, 'models', champion.id, 'manifest.json'), 'utf8')) as { tasks: Array<{ name: string; threshold: number }> };
    const queueThreshold = manifest.tasks.find((t) => t.name === 'queue')?.threshold ?? -1;
    expect(report.tasks.find((t) => t.task === 'queue')?.operating?.threshold).toBe(queueThreshold);
    for (const form of ['report.md', 'report.txt', 'report.html']) {
      expect(readFileSync(path.join(dir, 'rep', form), 'utf8'), form).toMatch(new RegExp(`routes \\d+\\.\\d% \\(\\d+ of 200\\) to a queue at precision [\\d.]+% \\(threshold ${queueThreshold.toFixed(3)}\\)`));
    }
    // The manifest's routing goes into the report: only its queue task is said to route, in the tables and charts.
    const routing = (JSON.parse(readFileSync(path.join(home, 'models', champion.id, 'manifest.json'), 'utf8')) as { routing: { queueTask: string } }).routing;
    expect(report.routing).toEqual(routing);
    expect(routing.queueTask).toBe('queue');
    const md = readFileSync(path.join(dir, 'rep/report.md'), 'utf8');
    expect(md.slice(md.indexOf('## queue'))).toMatch(/^## queue[^#]*\| threshold \| routed automatically \| precision of routed \|/);
    expect(readFileSync(path.join(dir, 'rep/pictures/queue-coverage.svg'), 'utf8')).toContain('share of mail routed automatically (coverage)');
    for (const task of report.tasks.map((t) => t.task).filter((t) => t !== 'queue')) {
      expect(md.slice(md.indexOf(`## ${task}`))).toMatch(new RegExp(`^## ${task}[^#]*\\| threshold \\| answered automatically \\| precision of answered \\|`));
      const svg = readFileSync(path.join(dir, `rep/pictures/${slug(task)}-coverage.svg`), 'utf8');
      expect(svg, task).toContain('share of mail answered automatically (coverage)');
      expect(svg, task).not.toContain('routed');
    }
    expect(report.tasks.length).toBeGreaterThan(1);
    // Other mail than the model saw: no warning that it was trained on it (the demo's one retired label is said).
    expect(stderr).not.toMatch(/warning: .*(was trained on|repeat texts)/);
    expect(report.tasks.length).toBeGreaterThanOrEqual(1);
    expect(parsePredictionLines(readFileSync(path.join(dir, 'rep/predictions.jsonl'), 'utf8'))).toHaveLength(200);
    const card = readFileSync(path.join(dir, 'rep/model-card.md'), 'utf8');
    expect(card).toContain(`# Model card: ${champion.id}`);
    // The Data section says what the model was trained on, from its manifest.
    const stored = JSON.parse(readFileSync(path.join(home, 'models', champion.id, 'manifest.json'), 'utf8')) as { createdAt: string; dataHash: string; trainingConfig: unknown; training: { counts: { train: number; valid: number } } };
    const { train, valid } = stored.training.counts;
    expect(card).toContain(`- Training: ${train.toLocaleString('en-US')} training rows and ${valid.toLocaleString('en-US')} validation rows, data hash \`${stored.dataHash.slice(0, 12)}\`, trained ${stored.createdAt}.`);
    expect(card).toContain(`- Training config: sha256 \`${createHash('sha256').update(JSON.stringify(stored.trainingConfig)).digest('hex').slice(0, 12)}\``);
    // The demo config's target precisions (0.95 for the queue, the run's 0.9 for the others), which the thresholds were chosen for.
    expect(card).toContain("chosen on its validation split for each task's own target precision)");
    expect(card).toMatch(/- \*\*topic\*\* \(target 90\.0%\): /);
    // What became of labels the model does not learn as such: the demo config's renames and retired topic.
    expect(card).toContain('  - Renamed or merged (old name read as the new one): `kyc` → `onboarding_kyc`, `payments` → `payments_transfers`, `transfers` → `payments_transfers`.');
    expect(card).toContain('  - Retired (not learnt; training rows with them were left out for this task): `paper_statements`.');
    // The kept lines name their model: a report from them carries its id, never another's.
    const again = await run(['evaluate', '--predictions', 'rep/predictions.jsonl', '--out', 'rep-again', '--no-png']);
    expect(again.code, again.stderr).toBe(0);
    expect(EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'rep-again/metrics.json'), 'utf8'))).modelId).toBe(champion.id);
    const renamed = await run(['evaluate', '--predictions', 'rep/predictions.jsonl', '--model-id', 'ngram-bag-other', '--out', 'rep-other', '--no-png']);
    expect(renamed.code).toBe(2);
    expect(renamed.stderr).toContain(`rep/predictions.jsonl was written by model ${champion.id}, not ngram-bag-other`);
    // Nor a report of the model itself under another model's id (its kept predictions name the model).
    const other = await run(['evaluate', '--model', 'champion', '--data', 'test.csv', '--model-id', 'ngram-bag-other', '--out', 'rep-model-other', '--no-png']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`model champion is ${champion.id}, not ngram-bag-other`);
    // Refused before predicting (no progress line of it), which on a large export takes minutes.
    expect(other.stderr).not.toMatch(/^predict/m);
    expect(existsSync(path.join(dir, 'rep-model-other'))).toBe(false);
    // Nor does a --split test on data the model was not trained on leave an empty report folder.
    const mismatch = await run(['evaluate', '--model', 'champion', '--data', 'test.csv', '--split', 'test', '--out', 'rep-mismatch', '--no-png']);
    expect(mismatch.stderr).toContain('[DATASET_MISMATCH]');
    expect(existsSync(path.join(dir, 'rep-mismatch'))).toBe(false);
    expect((await run(['evaluate', '--model', 'champion', '--data', 'test.csv', '--model-id', champion.id, '--out', 'rep-model-same', '--no-png'])).code).toBe(0);
    // The test set needs only the columns predict needs, and the label columns: not the config's html, from, bank or receivedAt.
    expect((await run(['demo-data', '--out', 'wide.jsonl', '--rows', '60', '--seed', '7'])).code).toBe(0);
    const keep = ['id', 'subject', 'body', 'business_area', 'queue', 'topic'];
    const wide = readFileSync(path.join(dir, 'wide.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    writeFileSync(path.join(dir, 'narrow.jsonl'), wide.map((row) => JSON.stringify(Object.fromEntries(keep.map((k) => [k, row[k]])))).join('\n'));
    const narrow = await run(['evaluate', '--model', 'champion', '--data', 'narrow.jsonl', '--out', 'rep-narrow', '--no-png']);
    expect(narrow.code, narrow.stderr).toBe(0);
    expect(EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'rep-narrow/metrics.json'), 'utf8'))).tasks.map((t) => t.task)).toEqual(report.tasks.map((t) => t.task));
    const self = await run(['compare', '--challenger', 'rep/predictions.jsonl', '--champion', 'rep-again/../rep/predictions.jsonl', '--resamples', '20']);
    expect(self.stderr).toContain('warning: --challenger and --champion are the same file');
  }, 120_000);

  it("compares each task with its own target precision from the model's stored config, else the run's", async () => {
    const config = await loadDemoConfig();
    const tasks = config.tasks.map((t) => (t.name === 'queue' ? { ...t, targetPrecision: 0.97 } : t));
    writeFileSync(path.join(dir, 'per-task-target.json'), JSON.stringify({ ...config, tasks, targetPrecision: 0.9, model: { ...config.model, epochs: 1 } }));
    const trained = await run(['train', '--config', 'per-task-target.json', '--data', path.join(home, 'demo.csv')]);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const res = await run(['evaluate', '--model', id, '--data', 'test.csv', '--out', 'per-task-target', '--no-png']);
    expect(res.code, res.stderr).toBe(0);
    const report = EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'per-task-target/metrics.json'), 'utf8')));
    expect(Object.fromEntries(report.tasks.map((t) => [t.task, t.targetPrecision]))).toEqual({ business_area: 0.9, queue: 0.97, topic: 0.9 });
    expect(report.targetPrecision).toBeUndefined();
    const card = readFileSync(path.join(dir, 'per-task-target/model-card.md'), 'utf8');
    expect(card).toContain("chosen on its validation split for each task's own target precision)");
    expect(card).toMatch(/- \*\*queue\*\* \(target 97\.0%\): routes /);
    expect(card).toMatch(/- \*\*topic\*\* \(target 90\.0%\): answers /);
  }, 120_000);

  it('refuses to compare a model with itself, however it is named, before predicting and recording anything', async () => {
    const refs = [
      [champion.id, 'champion'],
      [champion.id, champion.id],
      [path.join(home, 'models', champion.id), champion.id],
    ];
    for (const [challenger, champ] of refs) {
      const { code, stdout, stderr } = await run(['compare', '--challenger', challenger, '--champion', champ, '--data', 'test.csv', '--resamples', '50', '--out', 'self-cmp']);
      expect(code, stderr).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `mailroute: --challenger and --champion are the same model, ${champion.id} (the champion): compared with itself it shows no difference and its gate means nothing; compare another version with it (\`--challenger <id> --champion champion\`; \`mailroute registry list\` shows the versions)\n(run with --help for usage)\n`,
      );
    }
    // No gate on record for the champion: one against itself would be read as a pass by registry list and approve.
    expect(JSON.parse((await run(['registry', 'show', champion.id])).stdout).gate).toBeUndefined();
    expect(existsSync(path.join(dir, 'self-cmp'))).toBe(false);
  }, 120_000);

  it('refuses, before predicting or recording anything, a challenger that shares no task with the champion', async () => {
    // One task, on the business_area column, under another name: nothing the champion predicts.
    const config = await loadDemoConfig();
    const area = config.tasks.find((t) => t.name === 'business_area');
    writeFileSync(path.join(dir, 'area.json'), JSON.stringify({ ...config, tasks: [{ ...area, name: 'area', column: 'business_area' }], split: { ...config.split, on: 'area' }, routing: { queueTask: 'area' }, model: { ...config.model, epochs: 1 } }));
    const trained = await run(['train', '--config', 'area.json', '--data', 'test.csv']);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const res = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'test.csv', '--resamples', '20']);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(
      `mailroute: [COMPARISON_MISMATCH] the models share no task: challenger ${id} has area; champion ${champion.id} has business_area, queue, topic; compare the challenger with a model that predicts at least one of its tasks (the gate compares each task both predict)\n`,
    );
    // No failed gate on record to block its approval.
    expect(JSON.parse((await run(['registry', 'show', id])).stdout).gate).toBeUndefined();
  }, 120_000);

  it('compares a challenger trained after a queue was renamed with the champion, on the challenger\'s labels', async () => {
    // Next month's config: the queue `complaints` is now `customer_care` (old exports still say `complaints`).
    const config = await loadDemoConfig();
    const tasks = config.tasks.map((t) =>
      t.name === 'queue' ? { ...t, labels: t.labels?.map((l) => (l === 'complaints' ? 'customer_care' : l)), aliases: { ...t.aliases, complaints: 'customer_care' } } : t,
    );
    writeFileSync(path.join(dir, 'renamed.json'), JSON.stringify({ ...config, tasks, model: { ...config.model, epochs: 3 } }));
    expect((await run(['demo-data', '--out', 'month2.csv', '--rows', '400', '--seed', '5'])).code).toBe(0);
    const trained = await run(['train', '--config', 'renamed.json', '--data', 'month2.csv']);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const res = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'test.csv', '--resamples', '50']);
    expect(res.stderr).not.toMatch(/COMPARISON_MISMATCH|DATASET_ROW_INVALID/);
    expect(res.stdout).toContain(`# Gate: `);
    // Said in the summary, beside the champion's figures it changes (and in gate.md), not only on stderr.
    expect(res.stdout).toMatch(/\nLabels: the champion's predictions are scored in the challenger's taxonomy, so its figures here can differ from its own evaluation report: .*queue: complaints -> customer_care/);
    expect(res.stderr).not.toContain("the champion's predictions are scored");
    expect(res.stdout).toContain(`Next: the gate ${res.code === 0 ? 'passed' : 'failed (the checks marked FAIL)'}, and a person decides. \`mailroute registry ${res.code === 0 ? 'approve' : 'reject'} ${id}\``);
    expect(res.stderr).not.toContain('does not know');
    // The outcome is kept on the challenger's version, against the champion's id (not the word `champion`): approve checks it.
    const kept = JSON.parse((await run(['registry', 'show', id])).stdout);
    expect(kept.gate).toMatchObject({ pass: res.code === 0, champion: champion.id, thresholds: { maxMacroF1DropPoints: 0.5 } });
    expect(kept.gateStale).toBe(false);
    // Evaluating the champion under the new config: the truths it cannot have learnt are said, not silently dropped.
    const old = await run(['evaluate', '--model', 'champion', '--config', 'renamed.json', '--data', 'test.csv', '--out', 'old-under-new', '--no-png']);
    expect(old.code, old.stderr).toBe(0);
    // ... scored under the config's names, so the renamed queue counts like any other.
    expect(old.stderr).toContain("note: the model's labels are scored under the config's names: queue: complaints -> customer_care");
    expect(old.stderr).not.toContain('does not know');
    const scored = EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'old-under-new/metrics.json'), 'utf8')));
    const queue = scored.tasks.find((t) => t.task === 'queue');
    expect(queue?.metrics.labels).toContain('customer_care');
    expect(queue?.metrics.labels).not.toContain('complaints');
  }, 180_000);

  it('says, with --split test, that two models trained with other split settings held out different rows, and what to do', async () => {
    // The champion's own training file, split with another seed and test share.
    const config = await loadDemoConfig();
    writeFileSync(path.join(dir, 'other-split.json'), JSON.stringify({ ...config, split: { ...config.split, seed: 7, testShare: 0.25 }, model: { ...config.model, epochs: 2 } }));
    const trained = await run(['train', '--config', 'other-split.json', '--data', path.join(home, 'demo.csv')]);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const res = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', path.join(home, 'demo.csv'), '--split', 'test', '--resamples', '20']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      new RegExp(`^mailroute: \\[COMPARISON_MISMATCH\\] --split test: the models held out different rows of the data \\(challenger ${id}: \\d+ rows, champion ${champion.id}: \\d+, \\d+ in both\\): they were trained with different split settings \\(testShare 0\\.25 vs 0\\.2, seed 7 vs 0\\); compare them on a separate test file neither was trained on, with --data <file> and no --split\n$`),
    );
    // Said before either model predicts.
    expect(res.stderr).not.toContain('predict challenger');
  }, 120_000);

  it('says, with --split test, that a challenger whose split task was merged held out other rows, naming the taxonomy, not a version', async () => {
    // The champion's own file and split settings; the queue complaints merged into account_management.
    const config = await loadDemoConfig();
    const tasks = config.tasks.map((t) => (t.name === 'queue' ? { ...t, labels: t.labels?.filter((l) => l !== 'complaints'), aliases: { ...t.aliases, complaints: 'account_management' } } : t));
    writeFileSync(path.join(dir, 'merged.json'), JSON.stringify({ ...config, tasks, model: { ...config.model, epochs: 2 } }));
    const trained = await run(['train', '--config', 'merged.json', '--data', path.join(home, 'demo.csv')]);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const res = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', path.join(home, 'demo.csv'), '--split', 'test', '--resamples', '20']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      "in both): the queue task's taxonomy differs, and the split groups rows by its labels (labels complaints only in the champion's, aliases complaints->account_management only in the challenger's); compare them on a separate test file",
    );
    expect(res.stderr).not.toMatch(/version|split settings/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it('compares a new model with the demo champion on the rows both held out, as the README walkthrough does', async () => {
    // `demo-data` writes what the demo champion was trained on (here its 400 rows), so the split is the same.
    expect((await run(['demo-data', '--out', 'demo.csv', '--rows', '400'])).code).toBe(0);
    const trained = await run(['train', '--data', 'demo.csv']);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /registered (\S+)/.exec(trained.stdout)?.[1] as string;
    const res = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'demo.csv', '--split', 'test', '--resamples', '50']);
    expect(res.stderr).not.toContain('DATASET_MISMATCH');
    expect(res.stdout).toContain(`vs ${champion.id}`);
    expect(res.stderr).not.toContain('warning: these are the rows');
    // Without --split, the rows the models trained on: said, not silently scored.
    const all = await run(['evaluate', '--model', id, '--data', 'demo.csv', '--out', 'all', '--no-png']);
    expect(all.code).toBe(0);
    expect(all.stderr).toContain(`warning: these are the rows model ${id} was trained on (same data hash): its metrics on them flatter it; add --split test`);
    // ... and in the model card a lead reads, not only on the terminal.
    expect(readFileSync(path.join(dir, 'all/model-card.md'), 'utf8')).toContain(`**Warning: these are the rows model ${id} was trained on`);
    // ... and at the head of every form of the report a lead may open, and again under the figures.
    expect(readFileSync(path.join(dir, 'all/report.html'), 'utf8')).toContain(`<b>Warning:</b> these are the rows model ${id} was trained on`);
    expect(readFileSync(path.join(dir, 'all/report.md'), 'utf8')).toContain(`> **Warning:** these are the rows model ${id} was trained on`);
    expect(readFileSync(path.join(dir, 'all/report.txt'), 'utf8')).toMatch(/^(WARNING: [^\n]*\n\n)*WARNING: these are the rows model/);
    expect(EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'all/metrics.json'), 'utf8'))).warnings).toContainEqual(expect.stringMatching(/^these are the rows model/));
    expect(all.stdout).toContain(`warning: these are the rows model ${id} was trained on`);
    expect(readFileSync(path.join(dir, 'all/model-card.md'), 'utf8').match(/\*\*Warning: these are the rows/g)).toHaveLength(1);
    // With --split test, the rows training judged mostly near-duplicates of its training rows (the demo's templates):
    // the model card's caveat heads report.md, report.html, report.txt and metrics.json too.
    // (Trained on 4,000 demo rows, 694 of 799; on these 400, fewer: a copy of the model says more of them were.)
    const manifestOf = (folder: string) => path.join(folder, 'manifest.json');
    const copy = path.join(dir, 'near-model');
    cpSync(path.join(home, 'models', id), copy, { recursive: true });
    const manifest = JSON.parse(readFileSync(manifestOf(copy), 'utf8')) as { training: { testNearDuplicates: { near: number; judged: number } } };
    const near = { near: manifest.training.testNearDuplicates.judged - 1, judged: manifest.training.testNearDuplicates.judged };
    writeFileSync(manifestOf(copy), JSON.stringify({ ...manifest, training: { ...manifest.training, testNearDuplicates: near } }));
    const held = await run(['evaluate', '--model', copy, '--data', 'demo.csv', '--split', 'test', '--out', 'held', '--no-png']);
    expect(held.code, held.stderr).toBe(0);
    const caveat = `${near.near} of the ${near.judged} test rows long enough to judge`;
    const overstate = 'the figures of this report, measured on that test split, likely overstate how the model does on mail worded anew';
    expect(held.stderr).toContain(`warning: ${caveat}`);
    // Near the top: under the title, before the first task's section.
    const md = readFileSync(path.join(dir, 'held/report.md'), 'utf8');
    expect(md).toContain(`> **Warning:** ${caveat}`);
    expect(md.indexOf(`> **Warning:** ${caveat}`)).toBeLessThan(md.indexOf('\n## '));
    expect(md.slice(md.indexOf(caveat)).split('\n')[0]).toContain(overstate);
    const html = readFileSync(path.join(dir, 'held/report.html'), 'utf8');
    expect(html).toContain(`<b>Warning:</b> ${caveat}`);
    expect(html.indexOf(`<b>Warning:</b> ${caveat}`)).toBeLessThan(html.indexOf('<h2'));
    expect(readFileSync(path.join(dir, 'held/report.txt'), 'utf8')).toMatch(new RegExp(`^WARNING: ${caveat}`));
    expect(EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'held/metrics.json'), 'utf8'))).warnings).toEqual([expect.stringContaining(overstate)]);
    // Not on other rows than that split: the manifest's count says nothing of them.
    expect((await run(['evaluate', '--model', copy, '--data', 'test.csv', '--out', 'other', '--no-png'])).stderr).not.toContain('likely overstate');
    // Part of its training file (the first 200 of the 400 rows): no data hash matches, the seen-texts filter tells.
    expect((await run(['demo-data', '--out', 'part.csv', '--rows', '200'])).code).toBe(0);
    const part = await run(['evaluate', '--model', id, '--data', 'part.csv', '--out', 'part', '--no-png']);
    expect(part.code).toBe(0);
    const seen = Number(/warning: (\d+) of these 200 rows \(\d+\.\d%\) repeat texts model \S+ was trained or validated on/.exec(part.stderr)?.[1]);
    // About 80% of the rows were trained or validated on (the test split holds out 20%).
    expect(seen).toBeGreaterThan(130);
    expect(seen).toBeLessThan(190);
    expect(readFileSync(path.join(dir, 'part/model-card.md'), 'utf8')).toContain(`of these 200 rows`);
  }, 180_000);

  it('heads gate.md and comparison.json with the rows each model was trained on, and keeps that on the gate it records', async () => {
    const id = await trainQuick('quick-overlap.json');
    // The first 200 of the 400 rows both were trained from (no data hash matches): the seen-texts filters tell.
    expect((await run(['demo-data', '--out', 'overlap.csv', '--rows', '200'])).code).toBe(0);
    writeFileSync(path.join(dir, 'lenient-overlap.json'), JSON.stringify({ maxMacroF1DropPoints: 100, meanMacroF1MustNotDrop: false }));
    const res = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'overlap.csv', '--policy', 'lenient-overlap.json', '--resamples', '20', '--out', 'overlap-cmp']);
    expect(res.code, res.stderr).toBe(0);
    const said = (role: string, model: string) => `${role}: \\d+ of these 200 rows \\(\\d+\\.\\d%\\) repeat texts model ${model} was trained or validated on: its metrics on them flatter it`;
    const warnings = [said('challenger', id), said('champion', champion.id)];
    // At the head of gate.md (and the summary on stdout it is), under the two models and above the figures.
    const md = readFileSync(path.join(dir, 'overlap-cmp/gate.md'), 'utf8');
    // What the models do first (the quick challenger may answer less, or at a lower precision), then the rows.
    expect(md).toMatch(new RegExp(`^# Gate: PASS[^\\n]*\\n\\n- champion: [^\\n]*\\n- challenger: [^\\n]*\\n\\n(?:> \\*\\*Warning:\\*\\* [^\\n]* own threshold[^\\n]*\\n\\n)*> \\*\\*Warning:\\*\\* ${warnings[0]}[^\\n]*\\n\\n> \\*\\*Warning:\\*\\* ${warnings[1]}[^\\n]*\\n\\n200 emails\\.`));
    expect(res.stdout).toBe(md);
    const saved = JSON.parse(readFileSync(path.join(dir, 'overlap-cmp/comparison.json'), 'utf8')) as { warnings: string[] };
    // Any task the quick challenger answers far less of automatically, or at a lower precision, first; then the rows.
    const rows = saved.warnings.slice(-2);
    rows.forEach((w, i) => expect(w).toMatch(new RegExp(`^${warnings[i]}`)));
    for (const w of saved.warnings.slice(0, -2)) expect(w).toMatch(/^\w+: (the challenger answers [\d.]+% of these emails at its own threshold|precision on the mail answered at each model's own threshold)/);
    // The gate kept on the challenger's version says it was measured on rows the models were trained on.
    const gate = (await createLocalRegistry({ home }).get(id)).gate;
    expect(gate?.pass).toBe(true);
    expect(gate?.warnings).toEqual(saved.warnings);
  }, 120_000);

  it('heads compare --split test with the near-duplicate warning evaluate --split test gives, for each model whose training judged that split so', async () => {
    const id = await trainQuick('quick-near.json');
    // A copy of the challenger whose training said nearly every test row was worded as a training row.
    const copy = path.join(dir, 'near-challenger');
    cpSync(path.join(home, 'models', id), copy, { recursive: true });
    const manifestOf = (folder: string) => JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { training: { testNearDuplicates?: { near: number; judged: number } } };
    const manifest = manifestOf(copy);
    const judged = manifest.training.testNearDuplicates?.judged as number;
    const championNear = manifestOf(path.join(home, 'models', champion.id)).training.testNearDuplicates;
    // Other than the champion's count, so that the summary says whose it is.
    const near = { near: championNear?.near === judged - 1 ? judged : judged - 1, judged };
    writeFileSync(path.join(copy, 'manifest.json'), JSON.stringify({ ...manifest, training: { ...manifest.training, testNearDuplicates: near } }));
    const data = path.join(home, 'demo.csv');
    const caveat = testNearDuplicateWarning(near) as string;
    expect(caveat).toContain('likely overstate');
    const evaluated = await run(['evaluate', '--model', copy, '--data', data, '--split', 'test', '--out', 'near-ev', '--no-png', '--examples', '2']);
    expect(evaluated.stderr).toContain(`warning: ${caveat}\n`);
    // --examples: mistakes.md beside the report, linked from it, with the emails masked as --store-text masks them.
    const mistakes = readFileSync(path.join(dir, 'near-ev/mistakes.md'), 'utf8');
    expect(mistakes).toMatch(/^# Example mistakes of /);
    expect(mistakes).toMatch(/\n- `demo-\d{6}`, confidence 0\.\d{3}: \S/);
    expect(mistakes).not.toMatch(/\bDE\d{2}(?: ?\d{4}){4} ?\d{2}\b|@[a-z0-9-]+\.[a-z]{2,}/i);
    expect(readFileSync(path.join(dir, 'near-ev/report.md'), 'utf8')).toContain('[mistakes.md](mistakes.md)');
    // The same folder reused for a report without examples keeps no earlier run's mistakes.md (another model's emails).
    const again = await run(['evaluate', '--predictions', path.join(dir, 'near-ev/predictions.jsonl'), '--out', 'near-ev', '--no-png']);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'near-ev/mistakes.md'))).toBe(false);
    expect(existsSync(path.join(dir, 'near-ev/predictions.jsonl'))).toBe(true);
    const refused = await run(['evaluate', '--predictions', path.join(dir, 'near-ev/predictions.jsonl'), '--out', 'no-text', '--examples', '2']);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('--examples goes with --model and --data: prediction lines hold no email text')]);
    writeFileSync(path.join(dir, 'lenient-near.json'), JSON.stringify({ maxMacroF1DropPoints: 100, meanMacroF1MustNotDrop: false }));
    const res = await run(['compare', '--challenger', copy, '--champion', 'champion', '--data', data, '--split', 'test', '--policy', 'lenient-near.json', '--resamples', '20', '--out', 'near-cmp']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain(`warning: ${caveat}\n`);
    // Each model's own: the champion's as its training judged it (none below half).
    const championCaveat = testNearDuplicateWarning(championNear);
    const expected = [`challenger: ${caveat}`, ...(championCaveat === undefined ? [] : [`champion: ${championCaveat}`])];
    const saved = JSON.parse(readFileSync(path.join(dir, 'near-cmp/comparison.json'), 'utf8')) as { warnings: string[] };
    expect(saved.warnings.filter((w) => w.includes('likely overstate'))).toEqual(expected);
    const md = readFileSync(path.join(dir, 'near-cmp/gate.md'), 'utf8');
    for (const warning of expected) expect(md).toContain(`> **Warning:** ${warning}\n`);
    expect(md.indexOf(`> **Warning:** ${expected[0]}`)).toBeLessThan(md.indexOf(' emails. '));
    // Not on other rows than that split, as evaluate: the manifest's count says nothing of them.
    const other = await run(['compare', '--challenger', copy, '--champion', 'champion', '--data', 'test.csv', '--policy', 'lenient-near.json', '--resamples', '20']);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr + other.stdout).not.toContain('likely overstate');
  }, 120_000);

  it('says when --data leaves a task unlabelled, and refuses rows that repeat an id before either model predicts', async () => {
    const id = await trainQuick('quick.json');
    // The topic column left empty: evaluate says topic is not measured; compare fails the gate on it, naming it.
    const rows = generateDemoRows({ rows: 30, seed: 99 });
    writeFileSync(path.join(dir, 'blank-topic.csv'), demoRowsToCsv(rows.map((r) => ({ ...r, topic: '' }))));
    const evaluated = await run(['evaluate', '--model', 'champion', '--data', 'blank-topic.csv', '--out', 'blank-topic', '--no-png']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const unmeasured = 'no line has a truth label for topic, which is predicted: not measured, and left out of every figure (an empty or missing label column?)';
    expect(evaluated.stderr).toContain(`warning: ${unmeasured}\n`);
    expect(EvaluationReportSchema.parse(JSON.parse(readFileSync(path.join(dir, 'blank-topic/metrics.json'), 'utf8'))).warnings).toContain(unmeasured);
    writeFileSync(path.join(dir, 'lenient.json'), JSON.stringify({ maxMacroF1DropPoints: 100, meanMacroF1MustNotDrop: false }));
    const compared = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'blank-topic.csv', '--policy', 'lenient.json', '--resamples', '20']);
    expect(compared.code).toBe(1);
    expect(compared.stdout).toContain('**topic: predicted by both models, but no email in the data has a label for it: not compared, and it fails the gate.**');
    expect(compared.stderr).toContain('[GATE_FAILED] gate failed: topic: measured on the data');
    // Three rows again at the end: refused as the rows are read, naming the file, the ids and their lines.
    const lines = demoRowsToCsv(rows).split('\n').length - 1;
    writeFileSync(path.join(dir, 'dup.csv'), demoRowsToCsv([...rows, ...rows.slice(0, 3)]));
    const dup = await run(['compare', '--challenger', id, '--champion', 'champion', '--data', 'dup.csv', '--resamples', '20']);
    expect(dup.code).toBe(1);
    expect(dup.stdout).toBe('');
    expect(dup.stderr).toMatch(
      new RegExp(`\\[COMPARISON_MISMATCH\\] the rows of dup\\.csv repeat 3 ids \\(${rows[0].id} at dup\\.csv:2 and dup\\.csv:${lines + 1}; ${rows[1].id} at dup\\.csv:\\d+ and dup\\.csv:\\d+; ${rows[2].id} at .*\\): compare joins the two models' predictions by id, so each id must name one row`),
    );
    expect(dup.stderr).not.toContain('predict challenger');
  }, 120_000);
});
