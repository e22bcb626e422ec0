import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatPredictionLines, syntheticPredictionLines, type PredictionLine } from '@mailroute/evaluation';
import { createLocalRegistry, type ModelVersion } from '@mailroute/model';
import { writeFixture, writeLoadableArtifact } from '@mailroute/model/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';
import { approveAnotherHint, championHistoryText, deciderName } from './registry.js';


function run(argv: string[], home: string) {
  return runCli(argv, { env: { USER: 'tester' }, cwd: home, home });
}

/** `testedOn`: how the model was tested, as trained models record it (none: an artifact that does not say). */
function artifact(id: string, testedOn?: 'held-out-split' | 'validation-split' | 'external-file', dataHash = 'h', tasks = ['queue']): string {
  const tested = testedOn ? { training: { testedOn, ...(testedOn === 'external-file' ? { testFile: 'te.csv' } : {}) }, trainingConfig: { split: { kind: 'stratified', seed: 0, testShare: testedOn === 'held-out-split' ? 0.2 : 0, validShare: 0.1 } } } : {};
  return writeLoadableArtifact(path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-art-')), id), id, { tasks, extra: { dataHash, metrics: { mean_macro_f1: 0.8 }, ...tested } });
}

/** A model onnxruntime loads (the classifier's test fixture) under the id `id`, as `registry add` takes it. */
async function servableArtifact(id: string): Promise<string> {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-art-')), id);
  await writeFixture(dir, 0);
  const manifest = path.join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), modelId: id, metrics: { mean_macro_f1: 0.8 } }));
  return dir;
}

describe('mailroute registry', () => {
  it('lists the mean macro-F1 rounded as the reports and the gate round it (0.90625 as 0.9062)', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-round-'));
    const dir = artifact('model-tie');
    const manifest = path.join(dir, 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), metrics: { mean_macro_f1: 0.90625 } }));
    await createLocalRegistry({ home }).register(dir);
    const list = await run(['registry', 'list'], home);
    expect(list.stdout).toContain('0.9062');
    expect(list.stdout).not.toContain('0.9063');
    // Times are UTC, and the head says so (a reader in Berlin would read 02:13 as local time).
    expect(list.stdout).toMatch(/created \(UTC\)/);
  });

  it('add registers an artifact directory made elsewhere, checked against its manifest, as PendingManualApproval', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-add-'));
    const dir = await servableArtifact('model-cloud');
    const added = await runCli(['registry', 'add', path.relative(home, dir), '--note', 'from the SageMaker job'], { env: { USER: 'tester' }, cwd: home, home });
    expect([added.code, added.stdout, added.stderr]).toEqual([0, 'registered model-cloud (version 1, PendingManualApproval)\n', '']);
    expect(await createLocalRegistry({ home }).get('model-cloud')).toMatchObject({ status: 'PendingManualApproval', note: 'from the SageMaker job' });
    // Twice: refused, the first stays.
    expect(await run(['registry', 'add', dir], home)).toMatchObject({ code: 1, stderr: expect.stringContaining('[REGISTRY_DUPLICATE]') });
    // A file changed since its manifest was written: refused, nothing registered.
    const tampered = await servableArtifact('model-tampered');
    writeFileSync(path.join(tampered, 'model.onnx'), 'y');
    expect(await run(['registry', 'add', tampered], home)).toMatchObject({ code: 1, stderr: expect.stringContaining('[REGISTRY_ARTIFACT_INVALID]') });
    // Files as their manifest lists them, but no model onnxruntime runs: refused before it is registered, where a
    // server would fail to load it once approved.
    expect(await run(['registry', 'add', artifact('model-not-onnx')], home)).toMatchObject({ code: 1, stderr: expect.stringMatching(/\[ARTIFACT_ONNX_MISMATCH\] model\.onnx in .*model-not-onnx is not an ONNX model/) });
    const narrow = await servableArtifact('model-other-labels');
    const narrowManifest = path.join(narrow, 'manifest.json');
    const wide = JSON.parse(readFileSync(narrowManifest, 'utf8'));
    wide.tasks[0].labels.push('complaints');
    writeFileSync(narrowManifest, JSON.stringify(wide));
    expect(await run(['registry', 'add', narrow], home)).toMatchObject({ code: 1, stderr: expect.stringContaining('the manifest has 3 labels') });
    expect(await run(['registry', 'add', path.join(home, 'nowhere')], home)).toMatchObject({ code: 1, stderr: expect.stringContaining('no valid manifest.json (there is none: a model artifact is a folder of manifest.json and the files it lists)') });
    expect((await createLocalRegistry({ home }).list()).map((v) => v.id)).toEqual(['model-cloud']);
  });

  it('add registers the model a train kept beside its run as that run\'s, and the run then names it', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-kept-'));
    const runDir = path.join(home, 'runs', 'run-20261204-100000-abcdef');
    mkdirSync(runDir, { recursive: true });
    cpSync(await servableArtifact('model-kept'), path.join(runDir, 'model'), { recursive: true });
    const failed = { runId: 'run-20261204-100000-abcdef', status: 'failed', startedAt: '2026-12-04T10:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [], metrics: { mean_macro_f1: 0.8 }, error: '[REGISTRY_LOCK_TIMEOUT] the registry lock is held' };
    writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(failed));
    const added = await run(['registry', 'add', path.join(runDir, 'model')], home);
    expect([added.code, added.stdout], added.stderr).toEqual([0, `registered model-kept (version 1, PendingManualApproval), the model of run run-20261204-100000-abcdef (its kept copy in ${path.join(runDir, 'model')} removed)\n`]);
    // The registry's checked copy is the one left; the run's record stays.
    expect(existsSync(path.join(runDir, 'model'))).toBe(false);
    expect(existsSync(path.join(runDir, 'run.json'))).toBe(true);
    expect((await createLocalRegistry({ home }).get('model-kept')).runId).toBe('run-20261204-100000-abcdef');
    const record = JSON.parse((await run(['runs', 'show', 'model-kept', '--json'], home)).stdout);
    expect(record).toMatchObject({ status: 'finished', modelId: 'model-kept', error: failed.error, registeredLaterAt: expect.any(String) });
    expect(Object.keys(record.artifactFiles)).toEqual(['model.onnx']);
  });

  it('add finishes the add of a kept model that stopped after registering it, rather than refusing it as a duplicate', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-kept-again-'));
    const runDir = path.join(home, 'runs', 'run-20261204-110000-abcdef');
    mkdirSync(runDir, { recursive: true });
    const kept = await servableArtifact('model-kept');
    cpSync(kept, path.join(runDir, 'model'), { recursive: true });
    writeFileSync(path.join(runDir, 'run.json'), JSON.stringify({ runId: 'run-20261204-110000-abcdef', status: 'failed', startedAt: '2026-12-04T11:00:00Z', gitCommit: null, config: {}, dataPaths: [], epochs: [], metrics: {}, error: '[REGISTRY_LOCK_TIMEOUT] the registry lock is held' }));
    // The first add registered the model and stopped there (its run not yet told, its kept copy still there).
    await createLocalRegistry({ home }).register(path.join(runDir, 'model'), { runId: 'run-20261204-110000-abcdef' });
    const again = await run(['registry', 'add', path.join(runDir, 'model')], home);
    expect([again.code, again.stdout], again.stderr).toEqual([0, `registered model-kept (version 1, PendingManualApproval), the model of run run-20261204-110000-abcdef (its kept copy in ${path.join(runDir, 'model')} removed)\n`]);
    expect(existsSync(path.join(runDir, 'model'))).toBe(false);
    const told = JSON.parse((await run(['runs', 'show', 'model-kept', '--json'], home)).stdout);
    expect(told).toMatchObject({ status: 'finished', modelId: 'model-kept' });
    // Stopped later still, after the run was told and before the kept copy went: that copy goes, the run stays as told.
    cpSync(kept, path.join(runDir, 'model'), { recursive: true });
    const last = await run(['registry', 'add', path.join(runDir, 'model')], home);
    expect([last.code, existsSync(path.join(runDir, 'model'))], last.stderr).toEqual([0, false]);
    expect(JSON.parse((await run(['runs', 'show', 'model-kept', '--json'], home)).stdout)).toEqual(told);
  });

  it('says on stderr when the home does not exist, where it reads as an empty registry (a typo in a cron job)', async () => {
    const missing = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-')), 'no-such-home');
    for (const argv of [['registry', 'list'], ['registry', 'list', '--json'], ['registry', 'champion'], ['registry', 'history', '--json'], ['runs', 'list', '--json']]) {
      const res = await runCli(argv, { env: { USER: 'tester', MAILROUTE_HOME: missing }, cwd: path.dirname(missing), home: missing });
      expect(res.code, argv.join(' ')).toBe(0);
      expect(res.stderr, argv.join(' ')).toContain(`warning: MAILROUTE_HOME=${missing} does not exist: there is no registry there`);
    }
    expect(existsSync(missing)).toBe(false);
  });

  it('takes --json on registry show, whose output is JSON anyway, as scripts pass it to every command', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-'));
    await createLocalRegistry({ home }).register(artifact('model-json'));
    const [plain, json] = [await run(['registry', 'show', 'model-json'], home), await run(['registry', 'show', 'model-json', '--json'], home)];
    expect([plain.code, json.code], json.stderr).toEqual([0, 0]);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(plain.stdout));
    expect(JSON.parse(json.stdout).id).toBe('model-json');
  });

  it('lists, shows, approves (champion), rejects and sets the champion', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-'));
    const empty = await run(['registry', 'list'], home);
    expect(empty.stdout).toContain('no models registered');
    // An empty home that exists: nothing to warn of.
    expect(empty.stderr).toBe('');
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('model-a'));
    await reg.register(artifact('model-b'));

    const list = await run(['registry'], home);
    expect(list.stdout).toMatch(/2\s+model-b\s+PendingManualApproval/);
    expect(list.stdout).toContain('0.8000');
    expect((await run(['registry', 'champion'], home)).stdout).toBe('no champion\n');

    const approved = await run(['registry', 'approve', 'model-a', '--note', 'good'], home);
    // What follows is said: servers switch to it (there was no champion to go back to).
    expect(approved.stdout).toBe('model-a: Approved, champion; servers using this registry switch to it at their next poll (every 5 s by default; `mailroute serve --poll-seconds` sets it)\n');
    // Approved again: nothing is recorded, and the answer says so rather than looking like a second decision.
    const again = await run(['registry', 'approve', 'model-a', '--by', 'carl', '--note', 'again'], home);
    expect(again.stdout).toMatch(/^model-a: Approved, champion \(it was already Approved by \S+ at \S+: that approval stays on record, this one is not added to its history\); it was the champion already: nothing served changes\n$/);
    expect(JSON.parse((await run(['registry', 'show', 'model-a'], home)).stdout).history).toHaveLength(2);
    const shown = JSON.parse((await run(['registry', 'show', 'model-a'], home)).stdout);
    expect(shown).toMatchObject({ id: 'model-a', status: 'Approved', statusChangedBy: 'tester', champion: true });
    expect(JSON.parse((await run(['registry', 'show', 'champion'], home)).stdout)).toMatchObject({ id: 'model-a', champion: true });
    expect((await run(['registry', 'list'], home)).stdout).toContain('model-a *');

    const notApproved = await run(['registry', 'champion', 'model-b'], home);
    expect(notApproved.code).toBe(1);
    expect(notApproved.stderr).toContain('[REGISTRY_NOT_APPROVED]');
    expect((await run(['registry', 'approve', 'model-b', '--no-promote'], home)).stdout).toBe('model-b: Approved; model-a stays the champion (`mailroute registry champion model-b` makes it champion)\n');
    expect((await run(['registry', 'champion'], home)).stdout).toBe('model-a (version 1, Approved)\n');
    expect((await run(['registry', 'champion', 'model-a'], home)).stdout).toBe('model-a (version 1, Approved); it was the champion already: nothing served changes\n');
    const swapped = await run(['registry', 'champion', 'model-b'], home);
    expect(swapped.stdout).toBe(
      'model-b (version 2, Approved); servers using this registry switch to it at their next poll (every 5 s by default; `mailroute serve --poll-seconds` sets it), from model-a; to go back: `mailroute registry champion model-a`\n',
    );
    // Never compared with the champion it replaces: said, with the command that compares them; and that the one it
    // replaces stays Approved, next in line should model-b be rejected (a rollback this way would return to it).
    expect(swapped.stderr).toBe(
      'note: model-b was not compared with model-a, the champion it replaces (it has no gate on record); `mailroute compare --challenger model-b --champion model-a --data <a test file>` compares them\n' +
        'note: model-a stays Approved: rejecting model-b later would make it champion again; `mailroute registry reject model-a --note <why>` if it must not serve again\n',
    );
    expect((await run(['registry', 'reject', 'model-b', '--note', 'worse on complaints'], home)).stdout).toBe(
      'model-b: Rejected; it was the champion: the champion is now model-a (version 1, the last champion before it still Approved); servers using this registry switch to it at their next poll (every 5 s by default; `mailroute serve --poll-seconds` sets it); `mailroute registry approve model-b --force --note <why>` undoes this\n',
    );
    expect((await run(['registry', 'champion'], home)).stdout).toContain('model-a');
    const json = JSON.parse((await run(['registry', 'list', '--json'], home)).stdout);
    expect(json.versions.map((v: { status: string }) => v.status)).toEqual(['Rejected', 'Approved']);
    // Taking the champion out of service needs its reason: a usage error without --note, nothing changed.
    const unexplained = await run(['registry', 'reject', 'model-a'], home);
    expect([unexplained.code, unexplained.stdout]).toEqual([2, '']);
    expect(unexplained.stderr).toContain('rejecting model-a, the champion, takes it out of service (servers roll back at their next poll): add --note <why>');
    expect((await createLocalRegistry({ home }).get('model-a')).status).toBe('Approved');
    expect((await run(['registry', 'reject', 'model-a', '--note', 'drifted'], home)).stdout).toBe(
      'model-a: Rejected; it was the champion: no other version is Approved, so there is no champion now; servers using this registry find none at their next poll (every 5 s by default; `mailroute serve --poll-seconds` sets it) and keep the model they have loaded until you approve another: every other version is Rejected, so approve one again with `mailroute registry approve <id> --force --note <why>`, or train a new one (a server started or restarted before then refuses to start: it has no champion to serve); `mailroute registry approve model-a --force --note <why>` undoes this\n',
    );
    // Rejected already: nothing changes, no second entry in its history, and the answer says so.
    const rejectedAgain = await run(['registry', 'reject', 'model-a', '--by', 'carl'], home);
    expect(rejectedAgain.stdout).toMatch(/^model-a: Rejected already by tester at \S+; nothing changed \(that rejection stays on record, this one is not added to its history\)\n$/);
    expect(JSON.parse((await run(['registry', 'show', 'model-a'], home)).stdout).history.map((h: { status: string }) => h.status)).toEqual(['PendingManualApproval', 'Approved', 'Rejected']);
    expect((await run(['registry', 'champion'], home)).stdout).toBe('no champion\n');
    // serve, with no champion and every version Rejected, names the flag a plain approve would ask for.
    const served = await run(['serve', '--port', '0'], home);
    expect(served.code).toBe(1);
    expect(served.stderr).toContain('has 2 version(s) but no champion (0 waiting for approval); every one is Rejected: train a new one (mailroute train --data <export>) and approve it, or approve a rejected one again (mailroute registry approve <id> --force --note <why>); or serve a model directory with --model-dir.');
    // A rejection stands until someone means to undo it; both decisions stay in the history.
    const refused = await run(['registry', 'approve', 'model-b'], home);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\[REGISTRY_REJECTED\] model "model-b" was rejected by tester at \S+ \("worse on complaints"\); approving it undoes that decision: add --force --note <why> to approve it anyway/);
    expect((await run(['registry', 'champion'], home)).stdout).toBe('no champion\n');
    // Undoing a rejection needs its reason: a usage error without --note, saying what to add, nothing changed.
    const anonymous = await run(['registry', 'approve', 'model-b', '--force', '--by', 'lead'], home);
    expect([anonymous.code, anonymous.stdout]).toEqual([2, '']);
    expect(anonymous.stderr).toMatch(/approve --force of model-b, which was rejected by tester at \S+, undoes that decision: add --note <why>/);
    expect((await createLocalRegistry({ home }).get('model-b')).status).toBe('Rejected');
    expect((await run(['registry', 'approve', 'model-b', '--force', '--by', 'lead', '--note', 'complaints fixed in the data'], home)).stdout).toBe('model-b: Approved, champion; servers using this registry switch to it at their next poll (every 5 s by default; `mailroute serve --poll-seconds` sets it)\n');
    // Rejecting a version that is not the champion leaves the champion as it is, and says so.
    await reg.register(artifact('model-c'));
    expect((await run(['registry', 'reject', 'model-c'], home)).stdout).toBe('model-c: Rejected; it was not the champion (model-b stays the champion); `mailroute registry approve model-c --force --note <why>` undoes this\n');
    const history = JSON.parse((await run(['registry', 'show', 'model-b'], home)).stdout).history;
    expect(history.map((h: { status: string; by?: string }) => `${h.status}:${h.by ?? ''}`)).toEqual(['PendingManualApproval:', 'Approved:tester', 'Rejected:tester', 'Approved:lead']);
    const typo = await run(['registry', 'frob'], home);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown registry command "frob" (commands: list, show, approve, reject, champion, history, add, prune)');
    expect((await run(['runs', 'lsit'], home)).stderr).toContain('unknown runs command "lsit": did you mean runs list? (commands: list, show, compare)');
    expect((await run(['registry', 'aprove', 'model-b'], home)).stderr).toContain('unknown registry command "aprove": did you mean registry approve? (commands: list, show, approve, reject, champion, history, add, prune)');
    const missing = await run(['registry', 'show', 'nope'], home);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[REGISTRY_NOT_FOUND]');
  });

  it('keeps the gate of compare on the challenger; approve refuses a failed one unless --force, warns of a stale one, notes a missing one', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-gate-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-old', 'm-new', 'm-next']) await reg.register(artifact(id, 'held-out-split'));
    await reg.register(artifact('m-none'));
    await reg.approve('m-old');
    // Prediction files whose lines name registered versions: compare knows the challenger as that version.
    const tasks = { queue: ['payments', 'cards', 'loans', 'fraud'] };
    const strong = syntheticPredictionLines({ n: 300, tasks, seed: 4, skill: 0.9 });
    const weak = syntheticPredictionLines({ n: 300, tasks, seed: 4, skill: 0.5 }).map((l, i) => ({ ...l, truth: strong[i].truth }));
    const file = (name: string, lines: PredictionLine[], modelId: string) => writeFileSync(path.join(home, name), formatPredictionLines(lines.map((l) => ({ ...l, modelId }))));
    file('new.jsonl', weak, 'm-new');
    file('old.jsonl', strong, 'm-old');
    file('next.jsonl', strong, 'm-next');
    file('old-weak.jsonl', weak, 'm-old');
    const manifestBefore = readFileSync(path.join(home, 'models', 'm-new', 'manifest.json'));

    const failed = await run(['compare', '--challenger', 'new.jsonl', '--champion', 'old.jsonl', '--resamples', '50'], home);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('`mailroute registry approve m-new` refuses it now that this failure is on record');
    const shown = JSON.parse((await run(['registry', 'show', 'm-new'], home)).stdout);
    expect(shown.gate).toMatchObject({ pass: false, champion: 'm-old', thresholds: { maxMacroF1DropPoints: 0.5, maxMeanMacroF1DropPoints: 0.25 } });
    expect(shown.gate.failed[0]).toMatch(/^queue: macro-F1 drop ≤ 0\.5 pts: 0\.\d{4} → 0\.\d{4}/);
    expect(shown.gateStale).toBe(false);
    expect(Date.parse(shown.gate.at)).not.toBeNaN();
    // Metadata only: the artifact and the hash it was registered with are as they were.
    expect(readFileSync(path.join(home, 'models', 'm-new', 'manifest.json'))).toEqual(manifestBefore);
    expect(shown.artifactDir).toBe(path.join(home, 'models', 'm-new'));
    expect((await run(['registry', 'list'], home)).stdout).toMatch(/m-new\s+PendingManualApproval\s+FAIL\s/);

    const refused = await run(['registry', 'approve', 'm-new'], home);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^mailroute: \[REGISTRY_GATE_FAILED\] model "m-new" failed its gate against m-old at \S+: queue: macro-F1 drop ≤ 0\.5 pts: .*; run `mailroute compare --challenger m-new --champion champion --data <file> --split test` again, or add --force --note <why> to approve it anyway/);
    expect((await reg.get('m-new')).status).toBe('PendingManualApproval');
    expect((await reg.champion())?.id).toBe('m-old');

    // Forcing past the failed gate needs its reason: a usage error without --note, naming the gate, nothing changed.
    const noReason = await run(['registry', 'approve', 'm-new', '--force'], home);
    expect([noReason.code, noReason.stdout]).toEqual([2, '']);
    expect(noReason.stderr).toMatch(/approve --force of m-new overrides its failed gate \(against m-old at \S+: queue: macro-F1 drop .*\): add --note <why>/);
    expect((await reg.get('m-new')).status).toBe('PendingManualApproval');
    expect((await run(['registry', 'approve', 'm-new', '--force', '--note', '  '], home)).code).toBe(2);
    const forced = await run(['registry', 'approve', 'm-new', '--force', '--note', 'urgent fix'], home);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^m-new: Approved, champion;/);
    expect(forced.stderr).toContain('warning: m-new was approved with --force over its failed gate (against m-old at');
    const decided = await reg.get('m-new');
    expect(decided.statusNote).toMatch(/^urgent fix; approved with force over a failed gate \(against m-old at \S+: queue: macro-F1/);
    // The approval keeps the gate it overrode, in its history entry.
    expect(decided.history?.at(-1)).toMatchObject({ status: 'Approved', by: 'tester', note: decided.statusNote, gate: decided.gate });
    // Approved again (made champion again after m-old): the gate was overridden at its decision, which stays on
    // record; no --force is asked again, and no note is claimed that is not written.
    await reg.setChampion('m-old');
    const again = await run(['registry', 'approve', 'm-new', '--note', 'again'], home);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^m-new: Approved, champion \(it was already Approved by tester at \S+: that approval stays on record, this one is not added to its history\); servers using this registry switch to it/);
    expect(again.stderr).toBe('');
    expect(await reg.get('m-new')).toEqual(decided);

    // m-next passed against m-old when m-old was the champion; m-new is now: approved, with a warning. (compare keeps no
    // gate against a model that is not the champion, so the gate is recorded as compare recorded it while m-old was.)
    await reg.recordGate('m-next', { pass: true, champion: 'm-old', failed: [], thresholds: {}, at: new Date().toISOString() });
    expect((await run(['registry', 'list'], home)).stdout).toMatch(/m-next\s+PendingManualApproval\s+PASS \(stale\)\s/);
    expect(JSON.parse((await run(['registry', 'show', 'm-next'], home)).stdout)).toMatchObject({ gate: { pass: true, failed: [] }, gateStale: true });
    const stale = await run(['registry', 'approve', 'm-next', '--no-promote'], home);
    expect(stale.code).toBe(0);
    expect(stale.stderr).toMatch(/^warning: the gate on record for m-next is stale: it passed against m-old at \S+, and the champion was m-new when approved; `mailroute compare --challenger m-next --champion champion --data <file> --split test`/);
    // Approved now: its gate is the record of that decision, not stale, though m-new stays the champion.
    expect((await run(['registry', 'list'], home)).stdout).toMatch(/m-next\s+Approved\s+PASS\s/);
    expect(JSON.parse((await run(['registry', 'show', 'm-next'], home)).stdout)).toMatchObject({ gateStale: false });

    // No gate on record: approved as before, with one line saying so and how to record one.
    const none = await run(['registry', 'approve', 'm-none', '--no-promote'], home);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('m-none: Approved; m-new stays the champion (`mailroute registry champion m-none` makes it champion)\n');
    // It does not record a held-out test split: --split test would be refused, so the command takes a test file.
    expect(none.stderr).toBe('note: no gate result is on record for m-none; `mailroute compare --challenger m-none --champion champion --data <a test file>` compares it with the champion (a look after the decision: no gate is recorded once a version is Approved)\n');
    expect((await run(['registry', 'list'], home)).stdout).toMatch(/m-none\s+Approved\s+-\s/);
  });

  it('never calls the gate of the champion stale: approved after its gate passed, it replaced the model it beat', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-gate-champ-'));
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-old', 'held-out-split'));
    await reg.register(artifact('m-new', 'held-out-split'));
    await reg.approve('m-old');
    const lines = syntheticPredictionLines({ n: 300, tasks: { queue: ['payments', 'cards', 'loans'] }, seed: 5, skill: 0.9 });
    writeFileSync(path.join(home, 'new.jsonl'), formatPredictionLines(lines.map((l) => ({ ...l, modelId: 'm-new' }))));
    writeFileSync(path.join(home, 'old.jsonl'), formatPredictionLines(lines.map((l) => ({ ...l, modelId: 'm-old' }))));
    writeFileSync(path.join(home, 'lenient.json'), JSON.stringify({ maxMacroF1DropPoints: 100, meanMacroF1MustNotDrop: false }));
    const passed = await run(['compare', '--challenger', 'new.jsonl', '--champion', 'old.jsonl', '--resamples', '20', '--policy', 'lenient.json'], home);
    expect(passed.code, passed.stderr).toBe(0);
    const approved = await run(['registry', 'approve', 'm-new'], home);
    expect(approved.code).toBe(0);
    expect(approved.stderr).toBe('');
    expect((await run(['registry', 'list'], home)).stdout).toMatch(/m-new \*\s+Approved\s+PASS\s/);
    expect(JSON.parse((await run(['registry', 'show', 'm-new'], home)).stdout)).toMatchObject({ champion: true, gate: { pass: true, champion: 'm-old' }, gateStale: false });
    // Approved again (it is the champion already): nothing to warn of.
    const again = await run(['registry', 'approve', 'm-new'], home);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
  });

  it('marks in the list a gate that compare measured with warnings, `(warned)` with a legend line; --json holds the warnings', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-gate-warned-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-old', 'm-warned', 'm-clean', 'm-stale']) await reg.register(artifact(id));
    await run(['registry', 'approve', 'm-old'], home);
    const warning = 'champion: 644 of these 800 rows repeat its training texts';
    const gate = { champion: 'm-old', failed: [], thresholds: {}, at: '2026-12-01T09:00:00.000Z' };
    await reg.recordGate('m-warned', { ...gate, pass: true, warnings: [warning] });
    await reg.recordGate('m-clean', { ...gate, pass: true });
    await reg.recordGate('m-stale', { ...gate, pass: true, champion: 'm-gone', warnings: [warning, 'challenger: 3 of these 800 rows repeat its training texts'] });
    const list = (await run(['registry', 'list'], home)).stdout;
    expect(list).toMatch(/m-warned\s+PendingManualApproval\s+PASS \(warned\)\s/);
    expect(list).toMatch(/m-clean\s+PendingManualApproval\s+PASS\s+\d{4}-/);
    expect(list).toMatch(/m-stale\s+PendingManualApproval\s+PASS \(stale, warned\)\s/);
    expect(list).toMatch(/m-old \*\s+Approved\s+-\s/);
    // Of every kind compare keeps (QA: the warnings shown were precision drops, the legend spoke of seen rows only).
    expect(list.trimEnd().split('\n').pop()).toBe(
      "gate (warned): compare warned while measuring it: of the test rows (ones a model was trained on or near copies, bad rows skipped, automated mail left out) or of the challenger (fewer emails answered, a lower precision on those answered, under its target precision, worse at a task the policy leaves out, its training's warnings); `mailroute registry show <id>` prints them",
    );
    // A stale gate is explained too, the line before.
    expect(list.trimEnd().split('\n').at(-2)).toBe(
      'gate (stale): it passed against a model that is no longer the champion (approve takes it with a warning); `mailroute compare --challenger <id> --champion champion --data <file>` measures it against the champion of now',
    );
    const json = JSON.parse((await run(['registry', 'list', '--json'], home)).stdout) as { versions: Array<{ id: string; gate?: { warnings?: string[] } }> };
    const gates = Object.fromEntries(json.versions.map((v) => [v.id, v.gate?.warnings]));
    expect(gates).toEqual({ 'm-old': undefined, 'm-warned': [warning], 'm-clean': undefined, 'm-stale': [warning, 'challenger: 3 of these 800 rows repeat its training texts'] });
    // No warned gate: no legend.
    const quiet = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-gate-quiet-'));
    const quietReg = createLocalRegistry({ home: quiet });
    await quietReg.register(artifact('m-a'));
    await quietReg.recordGate('m-a', { ...gate, pass: false, failed: ['queue: macro-F1 drop'] });
    const plain = (await run(['registry', 'list'], quiet)).stdout;
    expect(plain).toMatch(/m-a\s+PendingManualApproval\s+FAIL\s/);
    expect(plain).not.toContain('(warned)');
    expect(plain).not.toContain('(stale)');
  });

  it('rolls a rejected champion back to the champion before it, not to a version approved over its failed gate; warns when the new one failed its gate or has none', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-rollback-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b', 'm-c', 'm-d']) await reg.register(artifact(id));
    await run(['registry', 'approve', 'm-a'], home);
    // The way back it names is a reject, which rolls back and keeps a later rollback from returning to m-b (below).
    expect((await run(['registry', 'approve', 'm-b'], home)).stdout).toMatch(/; to go back: `mailroute registry reject m-b --note <why>` \(m-a is champion again, m-b Rejected\)\n$/);
    await reg.recordGate('m-c', { pass: false, champion: 'm-b', failed: ['queue: macro-F1 drop'], thresholds: {}, at: '2026-12-01T09:00:00.000Z' });
    expect((await run(['registry', 'approve', 'm-c', '--no-promote', '--force', '--note', 'hotfix'], home)).code).toBe(0);
    await run(['registry', 'champion', 'm-a'], home);
    await run(['registry', 'champion', 'm-b'], home);
    // `champion` names the champion, as in `registry show champion`.
    const back = await run(['registry', 'reject', 'champion', '--note', 'worse'], home);
    expect(back.stdout).toMatch(/^m-b: Rejected; it was the champion: the champion is now m-a \(version 1, the last champion before it still Approved\); servers using this registry switch to it at their next poll/);
    // m-a was the registry's first champion: no champion to compare it with then, so a note, not a warning.
    expect(back.stderr).toBe('note: m-a, the champion now, has no gate result on record: it was the first champion, with none before it to compare it with\n');
    // No earlier champion is Approved; m-c failed its gate and never served: no champion, and m-c is named.
    const none = await run(['registry', 'reject', 'm-a', '--note', 'worse'], home);
    expect(none.stdout).toMatch(/^m-a: Rejected; it was the champion: no earlier champion is Approved, and m-c is Approved but failed its gate, so there is no champion now; servers using this registry find none at their next poll .* until you make one champion \(`mailroute registry champion m-c`\) or approve another/);
    expect((await run(['registry', 'champion'], home)).stdout).toBe('no champion\n');
    const noneToReject = await run(['registry', 'reject', 'champion'], home);
    expect(noneToReject.code).toBe(1);
    expect(noneToReject.stderr).toMatch(/REGISTRY_NOT_APPROVED.*reject a version by its id/s);
    // Rejecting another version with no champion says what servers do at their next poll, not what they serve now.
    expect((await run(['registry', 'reject', 'm-d'], home)).stdout).toMatch(/^m-d: Rejected; it was not the champion \(there is no champion: servers using this registry find none at their next poll \(.*\) and keep the model they have loaded\); `mailroute registry approve m-d --force --note <why>` undoes this\n$/);
    await run(['registry', 'approve', 'm-d', '--force', '--no-promote', '--note', 'rejected by mistake'], home);
    // A version never champion, with no gate, is the fallback then, with a warning that it has none.
    // Made champion by hand over its failed gate: done (it is Approved), and said, as approve says it.
    const overFailed = await run(['registry', 'champion', 'm-c'], home);
    expect(overFailed.code).toBe(0);
    expect(overFailed.stdout).toMatch(/^m-c \(version 3, Approved\); servers using this registry switch to it/);
    expect(overFailed.stderr).toBe('warning: m-c, the champion now, failed its last gate (against m-b at 2026-12-01T09:00:00.000Z) and was approved over it with --force; `mailroute registry champion <id>` makes another Approved version champion\n');
    // Asked again, or only shown: nothing changes, nothing is said of the gate.
    expect((await run(['registry', 'champion', 'm-c'], home)).stderr).toBe('');
    expect((await run(['registry', 'champion'], home)).stderr).toBe('');
    await run(['registry', 'approve', 'm-b', '--force', '--note', 'better after all'], home);
    // Approving the champion by its alias changes nothing but says so.
    expect((await run(['registry', 'approve', 'champion'], home)).stdout).toMatch(/^m-b: Approved, champion \(it was already Approved.*it was the champion already: nothing served changes\n$/);
    // m-c was the champion before m-b: it comes back, and the warning says it was approved over a failed gate.
    const forced = await run(['registry', 'reject', 'm-b', '--note', 'worse'], home);
    expect(forced.stdout).toMatch(/the champion is now m-c \(version 3, the last champion before it still Approved\)/);
    expect(forced.stderr).toBe('warning: m-c, the champion now, failed its last gate (against m-b at 2026-12-01T09:00:00.000Z) and was approved over it with --force; `mailroute registry champion <id>` makes another Approved version champion\n');
    const fallback = await run(['registry', 'reject', 'm-c', '--note', 'worse'], home);
    expect(fallback.stdout).toMatch(/the champion is now m-d \(version 4, no earlier champion is Approved: the newest Approved version whose gate did not fail\)/);
    expect(fallback.stderr).toContain('warning: m-d, the champion now, has no gate result on record');
  });

  it('rolls back past an earlier champion whose folder was moved away, saying so; refuses the reject when none is intact, changing nothing; list marks what is gone', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-rollback-gone-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b', 'm-c']) await reg.register(artifact(id));
    for (const id of ['m-a', 'm-b', 'm-c']) await reg.approve(id);
    const moved = (id: string) => renameSync(path.join(home, 'models', id), path.join(home, `moved-${id}`));
    const back = (id: string) => renameSync(path.join(home, `moved-${id}`), path.join(home, 'models', id));
    moved('m-b');
    const onnxOfA = readFileSync(path.join(home, 'models', 'm-a', 'model.onnx'));
    rmSync(path.join(home, 'models', 'm-a', 'model.onnx'));

    // The list says what is gone, without hashing anything.
    const list = await run(['registry', 'list'], home);
    expect(list.stdout).toMatch(/\n2 +m-b +Approved \(missing\) /);
    expect(list.stdout).toMatch(/\n1 +m-a +Approved \(missing\) /);
    expect(list.stdout).toMatch(/\n3 +m-c \* +Approved {2}/);
    expect(list.stdout).toContain(`status (missing): files of its artifact are gone from ${path.join(home, 'models')}/<id> (m-b: its folder is missing; m-a: model.onnx is missing); no server can load it and a rollback passes over it`);
    const json = JSON.parse((await run(['registry', 'list', '--json'], home)).stdout) as { versions: (ModelVersion & { artifactMissing?: string })[] };
    expect(json.versions.map((v) => [v.id, v.artifactMissing])).toEqual([['m-c', undefined], ['m-b', 'its folder is missing'], ['m-a', 'model.onnx is missing']]);

    // Neither earlier champion is intact: refused, exit code 1, the champion stays, registry.json as it was.
    const index = readFileSync(path.join(home, 'registry.json'), 'utf8');
    const refused = await run(['registry', 'reject', 'champion', '--note', 'incident'], home);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^mailroute: \[REGISTRY_NO_ROLLBACK\] model "m-c" is the champion and was not rejected: no version a rollback could go back to has an intact artifact \(model "m-b": its folder .* is missing \(moved or deleted\) \[REGISTRY_ARTIFACT_TAMPERED\]; model "m-a": model\.onnx is missing in .*\); nothing changed: "m-c" stays the champion/);
    expect(readFileSync(path.join(home, 'registry.json'), 'utf8')).toBe(index);
    expect((await run(['registry', 'champion'], home)).stdout).toMatch(/^m-c /);

    // m-a's model.onnx put back: the rollback passes over m-b, says so, and goes to m-a.
    writeFileSync(path.join(home, 'models', 'm-a', 'model.onnx'), onnxOfA);
    const rolled = await run(['registry', 'reject', 'champion', '--note', 'incident'], home);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(rolled.stdout).toMatch(/^m-c: Rejected; it was the champion: the champion is now m-a \(version 1, the last champion before it still Approved, passing over m-b: its artifact is not intact\); servers using this registry switch to it/);
    expect(rolled.stderr).toContain(`warning: the rollback passed over m-b (version 2): its folder ${path.join(home, 'models', 'm-b')} is missing (moved or deleted)\n`);
    expect(rolled.stderr).toContain(`note: to have m-b serve instead, copy an intact copy of its folder back to ${path.join(home, 'models', 'm-b')} (a backup's models/m-b: \`mailroute backup --verify <backup>\` checks it), then \`mailroute registry champion m-b\`\n`);
    back('m-b');
    expect((await run(['registry', 'list'], home)).stdout).not.toContain('(missing)');
  });

  it('says so when a registry from before champion history loses its champion: the fallback is not known to have served before', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-rollback-legacy-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b', 'm-c']) await reg.register(artifact(id));
    await run(['registry', 'approve', 'm-a'], home);
    await run(['registry', 'approve', 'm-b'], home);
    // As an older mailroute left it: the champion, no history of champions.
    const indexFile = path.join(home, 'registry.json');
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as Record<string, unknown>;
    delete index.championHistory;
    writeFileSync(indexFile, JSON.stringify(index));
    await run(['registry', 'approve', 'm-c', '--no-promote'], home);
    const rejected = await run(['registry', 'reject', 'm-b', '--note', 'worse'], home);
    expect(rejected.code).toBe(0);
    expect(rejected.stdout).toMatch(/^m-b: Rejected; it was the champion: the champion is now m-c \(version 3, this registry has no full record of its earlier champions \(it was made by a mailroute from before it kept one\): the newest Approved version whose gate did not fail\)/);
    expect(rejected.stderr).toMatch(/^warning: m-c was not chosen as the version that served before m-b \(this registry has no full record .*\); if another Approved version should serve, `mailroute registry champion <id>` makes it champion\n/);
    // From then on the history is kept: a rejected champion hands back to the one before it.
    await run(['registry', 'champion', 'm-a'], home);
    await run(['registry', 'champion', 'm-c'], home);
    const back = await run(['registry', 'reject', 'm-c', '--note', 'worse'], home);
    expect(back.stdout).toMatch(/the champion is now m-a \(version 1, the last champion before it still Approved\)/);
    expect(back.stderr).not.toContain('no full record of its earlier champions');

    // A history begun by a change of champion after the upgrade: it starts with the champion of then, with no time,
    // and what served before that is not known either.
    const partial = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-rollback-partial-'));
    const partialReg = createLocalRegistry({ home: partial });
    for (const id of ['m-a', 'm-b']) await partialReg.register(artifact(id));
    await run(['registry', 'approve', 'm-a'], partial);
    await run(['registry', 'approve', 'm-b'], partial);
    const partialFile = path.join(partial, 'registry.json');
    writeFileSync(partialFile, JSON.stringify({ ...JSON.parse(readFileSync(partialFile, 'utf8')), championHistory: [{ id: 'm-b' }] }));
    const fallback = await run(['registry', 'reject', 'm-b', '--note', 'worse'], partial);
    expect(fallback.stdout).toMatch(/the champion is now m-a \(version 1, this registry has no full record of its earlier champions .*: the newest Approved version whose gate did not fail\)/);
    expect(fallback.stderr).toMatch(/^warning: m-a was not chosen as the version that served before m-b/);
  });

  it('says nothing of the gate when a version already Approved is approved again: nothing is being decided', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-gate-again-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b']) await reg.register(artifact(id, 'held-out-split'));
    await reg.approve('m-a');
    // Approved while m-a stays the champion, no gate recorded: the note is given then, at its decision.
    const first = await run(['registry', 'approve', 'm-b', '--no-promote'], home);
    expect(first.stderr).toBe('note: no gate result is on record for m-b; `mailroute compare --challenger m-b --champion champion --data <file> --split test` compares it with the champion (a look after the decision: no gate is recorded once a version is Approved)\n');
    // Approved again, to make it champion: its first approval stays on record; no note asks for a gate "before an approval".
    const again = await run(['registry', 'approve', 'm-b'], home);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^m-b: Approved, champion \(it was already Approved by tester at \S+: that approval stays on record/);
    expect(again.stderr).toBe('');
    // The champion approved again (no other champion to compare it with, then or now): nothing either.
    expect((await run(['registry', 'approve', 'm-b'], home)).stderr).toBe('');
    // The registry keeps no gate on a decided version now; one a registry written before that kept after the
    // approval (a compare run since) is not checked, but it is said.
    await expect(reg.recordGate('m-b', { pass: false, champion: 'm-a', failed: ['queue: macro-F1 drop'], thresholds: {}, at: new Date().toISOString() })).rejects.toMatchObject({ code: 'REGISTRY_DECIDED' });
    const indexFile = path.join(home, 'registry.json');
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { versions: Array<{ id: string; gate?: unknown }> };
    index.versions.find((v) => v.id === 'm-b')!.gate = { pass: false, champion: 'm-a', failed: ['queue: macro-F1 drop'], thresholds: {}, at: new Date(Date.now() + 60_000).toISOString() };
    writeFileSync(indexFile, JSON.stringify(index));
    const failedSince = await run(['registry', 'approve', 'm-b'], home);
    expect(failedSince.code).toBe(0);
    expect(failedSince.stderr).toMatch(
      /^warning: the last gate on record for m-b failed \(against m-a at \S+\), after its approval; approving it again makes it the champion without checking it \(its first approval stays the decision on record\)\n$/,
    );
  });

  it('notes, rather than warns of, a gate that passed against another model when there was no champion to compare with', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-gate-none-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b']) await reg.register(artifact(id, 'held-out-split'));
    await reg.recordGate('m-b', { pass: true, champion: 'm-a', failed: [], thresholds: {}, at: '2026-12-01T09:00:00.000Z' });
    const first = await run(['registry', 'approve', 'm-b'], home);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('note: the gate on record for m-b passed against m-a at 2026-12-01T09:00:00.000Z, which was not the champion: there was none\n');
  });

  it('suggests --split test for a stale gate only to a version that held out test rows, else a test file', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-gate-hint-'));
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-a', 'held-out-split'));
    await reg.register(artifact('m-b', 'held-out-split'));
    await reg.register(artifact('m-c', 'validation-split')); // trained with testShare 0
    await reg.approve('m-a');
    const gate = { pass: true, champion: 'm-a', failed: [], thresholds: {}, at: '2026-12-01T09:00:00.000Z' };
    await reg.recordGate('m-c', gate);
    await reg.approve('m-b');
    expect((await run(['registry', 'list'], home)).stdout).toMatch(/m-c\s+PendingManualApproval\s+PASS \(stale\)\s/);
    const stale = await run(['registry', 'approve', 'm-c', '--no-promote'], home);
    expect(stale.stderr).toBe(
      'warning: the gate on record for m-c is stale: it passed against m-a at 2026-12-01T09:00:00.000Z, and the champion was m-b when approved; `mailroute compare --challenger m-c --champion champion --data <a test file>` compares it with the champion of now\n',
    );
  });

  it('names the champion an approval replaced, by its id, in the compare it suggests: `--champion champion` is the approved version now', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-gate-replaced-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b', 'm-c', 'm-d']) await reg.register(artifact(id, 'held-out-split'));
    // No champion before: no compare is possible, and none is suggested.
    expect((await run(['registry', 'approve', 'm-a'], home)).stderr).toBe('note: no gate result is on record for m-a (there was no other champion to compare it with)\n');
    // No gate on record, made champion over m-a: the command compares it with m-a, not with itself.
    const none = await run(['registry', 'approve', 'm-b'], home);
    expect(none.code).toBe(0);
    expect(none.stderr).toBe('note: no gate result is on record for m-b; `mailroute compare --challenger m-b --champion m-a --data <file> --split test` compares it with m-a, the champion it replaced (a look after the decision: no gate is recorded once a version is Approved)\n');
    // A stale gate (against m-a, the champion being m-b), made champion over m-b: compared with m-b by its id.
    await reg.recordGate('m-c', { pass: true, champion: 'm-a', failed: [], thresholds: {}, at: '2026-12-01T09:00:00.000Z' });
    const stale = await run(['registry', 'approve', 'm-c'], home);
    expect(stale.stderr).toBe(
      'warning: the gate on record for m-c is stale: it passed against m-a at 2026-12-01T09:00:00.000Z, and the champion was m-b when approved; `mailroute compare --challenger m-c --champion m-b --data <file> --split test` compares it with m-b, the champion it replaced\n',
    );
    // `registry champion <id>` gives the same command as approve: the two share the data hash and the split.
    await reg.approve('m-d', { promote: false });
    const swapped = await run(['registry', 'champion', 'm-d'], home);
    // Its first line (the next says that m-c stays Approved, as tested above).
    expect(swapped.stderr.split('\n')[0]).toBe('note: m-d was not compared with m-c, the champion it replaces (it has no gate on record); `mailroute compare --challenger m-d --champion m-c --data <file> --split test` compares them');
  });

  it('suggests a test file neither model was trained on, not --split test, when the champion was trained on other data', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-gate-data-'));
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-a', 'held-out-split'));
    await reg.register(artifact('m-own', 'held-out-split', 'other-export'));
    await reg.register(artifact('m-none', 'held-out-split', 'other-export'));
    await reg.approve('m-a');
    await reg.recordGate('m-own', { pass: false, champion: 'm-a', failed: ['queue: macro-F1 drop ≤ 0.5 pts: 0.9 → 0.1'], thresholds: {}, at: '2026-12-01T09:00:00.000Z' });
    const hint = '`mailroute compare --challenger ID --champion champion --data <a test file neither model was trained on>`';
    // --split test would be refused (DATASET_MISMATCH): the champion's held-out rows are of another export.
    const refused = await run(['registry', 'approve', 'm-own'], home);
    expect(refused.stderr).toContain(`run ${hint.replace('ID', 'm-own')} again, or add --force`);
    const none = await run(['registry', 'approve', 'm-none', '--no-promote'], home);
    expect(none.stderr).toBe(`note: no gate result is on record for m-none; ${hint.replace('ID', 'm-none')} compares it with the champion (a look after the decision: no gate is recorded once a version is Approved)\n`);
    // Tested on a file of its own (train --test-data): that file may be rows of the champion's other training data.
    await reg.register(artifact('m-file', 'external-file', 'other-export'));
    const file = await run(['registry', 'approve', 'm-file', '--no-promote'], home);
    expect(file.stderr).toBe(`note: no gate result is on record for m-file; ${hint.replace('ID', 'm-file')} compares it with the champion (a look after the decision: no gate is recorded once a version is Approved)\n`);
    // On the champion's own data, any test file the version was not trained on is one the champion was not trained on either.
    await reg.register(artifact('m-same', 'external-file'));
    expect((await run(['registry', 'approve', 'm-same', '--no-promote'], home)).stderr).toContain('`mailroute compare --challenger m-same --champion champion --data <a test file>`');
  });

  it('says, beside an approval, what compare warned of when it measured the gate on record (rows a model was trained on)', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-gate-warned-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b', 'm-c']) await reg.register(artifact(id, 'held-out-split'));
    await reg.approve('m-a');
    const overlap = 'champion: 644 of these 800 rows (80.5%) repeat texts model m-a was trained or validated on: its metrics on them flatter it';
    const gate = { pass: true, champion: 'm-a', failed: [], thresholds: {}, at: '2026-12-01T09:00:00.000Z' };
    await reg.recordGate('m-b', { ...gate, warnings: [overlap] });
    const one = await run(['registry', 'approve', 'm-b', '--no-promote'], home);
    expect(one.code).toBe(0);
    expect(one.stderr).toBe(`warning: the gate on record for m-b (against m-a at 2026-12-01T09:00:00.000Z) was measured with a warning: ${overlap}\n`);
    expect(JSON.parse((await run(['registry', 'show', 'm-b'], home)).stdout).gate.warnings).toEqual([overlap]);
    await reg.recordGate('m-c', { ...gate, warnings: [overlap, 'challenger: 3 rows skipped', 'x'] });
    expect((await run(['registry', 'approve', 'm-c', '--no-promote'], home)).stderr).toContain(
      `warning: the gate on record for m-c (against m-a at 2026-12-01T09:00:00.000Z) was measured with 3 warnings:\n  - ${overlap}\n  - challenger: 3 rows skipped\n  - x\n`,
    );
    // A failed gate measured so is refused with it: the failure may be the champion's flattered figures.
    await reg.register(artifact('m-d', 'held-out-split'));
    await reg.recordGate('m-d', { ...gate, pass: false, failed: ['queue: macro-F1 drop'], warnings: [overlap] });
    const refused = await run(['registry', 'approve', 'm-d'], home);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`failed its gate against m-a at 2026-12-01T09:00:00.000Z: queue: macro-F1 drop; it was measured with a warning (${overlap}); run \`mailroute compare --challenger m-d`);
    // Measured with several: each is said, whole.
    await reg.register(artifact('m-e', 'held-out-split'));
    await reg.recordGate('m-e', { ...gate, pass: false, failed: ['queue: macro-F1 drop'], warnings: ['queue: under its target', overlap] });
    expect((await run(['registry', 'approve', 'm-e'], home)).stderr).toContain(`queue: macro-F1 drop; it was measured with 2 warnings: (1) queue: under its target; (2) ${overlap}; run \``);
  });

  it('records no gate when both prediction files are one registered model\'s, and suggests no approval', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-gate-self-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-old', 'm-new']) await reg.register(artifact(id));
    await reg.approve('m-old');
    const lines = syntheticPredictionLines({ n: 200, tasks: { queue: ['payments', 'cards', 'loans'] }, seed: 3, skill: 0.8 }).map((l) => ({ ...l, modelId: 'm-new' }));
    writeFileSync(path.join(home, 'a.jsonl'), formatPredictionLines(lines));
    writeFileSync(path.join(home, 'b.jsonl'), formatPredictionLines(lines));
    for (const [a, b] of [['a.jsonl', 'b.jsonl'], ['a.jsonl', 'a.jsonl']]) {
      const res = await run(['compare', '--challenger', a, '--champion', b, '--resamples', '20', '--out', 'self'], home);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toMatch(/^warning: (both files hold predictions of model m-new|--challenger and --champion are the same file): the comparison shows no difference/);
      // Neither approve nor reject is suggested on a comparison of a model with itself; the summary says why nothing is kept.
      expect(res.stdout).not.toContain('Next:');
      expect(res.stdout).toMatch(/\nNot recorded: (both files hold predictions of model `m-new`|--challenger and --champion are the same file), so the comparison shows no difference between models and no gate is kept in the registry\.\n$/);
      expect(readFileSync(path.join(home, 'self', 'gate.md'), 'utf8')).toBe(res.stdout);
      // The PASS heading is not read alone: the warning stands under it, and in comparison.json.
      expect(res.stdout).toMatch(/^# Gate: PASS[^\n]*\n\n- champion: [^\n]*\n- challenger: [^\n]*\n\n> \*\*Warning:\*\* (both files hold predictions of model m-new: the comparison shows no difference between models|--challenger and --champion are the same file: the comparison shows no difference), and its gate is not recorded\n/);
      expect(JSON.parse(readFileSync(path.join(home, 'self', 'comparison.json'), 'utf8')).warnings).toHaveLength(1);
    }
    expect((await reg.get('m-new')).gate).toBeUndefined();
    expect((await run(['registry', 'list'], home)).stdout).toMatch(/m-new\s+PendingManualApproval\s+-\s/);
  });

  it('prints who approved, notes and the names of tasks with their control characters escaped; the registry keeps them', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-'));
    const dir = artifact('model-a', undefined, 'h', ['queue\x1b[2J']);
    await createLocalRegistry({ home }).register(dir);
    // eslint-disable-next-line no-control-regex -- what must not reach the terminal
    const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

    expect((await run(['registry', 'approve', 'model-a', '--by', 'ev\x1b[31mil', '--note', 'ok \u009b2J'], home)).code).toBe(0);
    const again = await run(['registry', 'approve', 'model-a'], home);
    expect(again.stdout).toContain('already Approved by ev\\x1b[31mil at ');
    const list = await run(['registry', 'list'], home);
    expect(list.stdout).toContain('queue\\x1b[2J');
    const shown = await run(['registry', 'show', 'model-a'], home);
    expect(shown.stdout).toContain('"note": "ok \\u009b2J"');
    for (const out of [again.stdout, again.stderr, list.stdout, shown.stdout]) expect(out).not.toMatch(raw);
    expect(JSON.parse(shown.stdout)).toMatchObject({ statusChangedBy: 'ev\x1b[31mil', history: expect.arrayContaining([expect.objectContaining({ note: 'ok \u009b2J' })]) });
    expect((await createLocalRegistry({ home }).get('model-a')).statusChangedBy).toBe('ev\x1b[31mil');
  });

  it('says MAILROUTE_HOME is a file, not a directory, for registry and serve alike (not a raw ENOTDIR)', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-home-')), 'home');
    writeFileSync(file, 'not a directory');
    for (const argv of [['registry', 'list'], ['serve', '--port', '0']]) {
      const result = await run(argv, file);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`[REGISTRY_HOME_NOT_DIRECTORY] MAILROUTE_HOME=${file} is a file, not a directory`);
      expect(result.stderr).not.toContain('ENOTDIR');
    }
  });

  it('records who decided when --by is not given: $USER, else the OS account name, else the uid', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-who-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b']) await reg.register(artifact(id));
    // No USER (a container's environment, or one emptied): the OS account the command ran as.
    const account = os.userInfo().username;
    expect((await runCli(['registry', 'approve', 'm-a'], { env: {}, cwd: home, home })).code).toBe(0);
    expect(await reg.get('m-a')).toMatchObject({ statusChangedBy: account, history: [{ status: 'PendingManualApproval' }, { status: 'Approved', by: account }] });
    expect((await runCli(['registry', 'reject', 'm-b'], { env: { USER: '' }, cwd: home, home })).code).toBe(0);
    expect((await reg.get('m-b')).statusChangedBy).toBe(account);
    expect(deciderName(undefined, { USER: 'ann' })).toBe('ann');
    expect(deciderName('bob', { USER: 'ann' })).toBe('bob');
    expect(deciderName(undefined, {}, () => 'carl')).toBe('carl');
    // No account for this uid (os.userInfo throws): its number, never nobody.
    const noAccount = () => {
      throw new Error('ENOENT: no such file or directory, uv_os_get_passwd');
    };
    expect(deciderName(undefined, { USER: ' ' }, noAccount)).toBe(`uid ${process.getuid!()}`);
  });

  it('history lists every change of champion: when, which, how, by whom and why; champion <id> takes --by and --note', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-history-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-a', 'm-b', 'm-c']) await reg.register(artifact(id));
    expect((await run(['registry', 'history'], home)).stdout).toBe('no champion yet\n');
    await run(['registry', 'approve', 'm-a', '--note', 'first'], home);
    await run(['registry', 'approve', 'm-b', '--by', 'ann', '--note', 'better on complaints'], home);
    expect((await run(['registry', 'champion', 'm-a', '--by', 'bob', '--note', 'back while m-b is checked'], home)).code).toBe(0);
    expect((await run(['registry', 'champion', 'm-b'], home)).code).toBe(0);
    expect((await run(['registry', 'reject', 'm-b', '--by', 'carl', '--note', 'misroutes claims'], home)).code).toBe(0);
    const json = JSON.parse((await run(['registry', 'history', '--json'], home)).stdout);
    expect(json).toMatchObject({
      champion: 'm-a',
      complete: true,
      history: [
        { id: 'm-a', at: expect.any(String), via: 'approve', by: 'tester', note: 'first' },
        { id: 'm-b', via: 'approve', by: 'ann', note: 'better on complaints' },
        { id: 'm-a', via: 'champion', by: 'bob', note: 'back while m-b is checked' },
        { id: 'm-b', via: 'champion', by: 'tester' },
        { id: 'm-a', via: 'rollback', by: 'carl', note: 'misroutes claims' },
      ],
    });
    expect(json.history[3].note).toBeUndefined();
    const table = (await run(['registry', 'history'], home)).stdout.split('\n');
    expect(table[0]).toMatch(/^when \(UTC\)\s+champion\s+how\s+by\s+note$/);
    expect(table[2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+m-a\s+approve\s+tester\s+first$/);
    expect(table[4]).toMatch(/\s+m-a\s+registry champion\s+bob\s+back while m-b is checked$/);
    expect(table[5]).toMatch(/\s+m-b\s+registry champion\s+tester\s+-$/);
    expect(table[6]).toMatch(/\s+m-a\s+rollback \(reject of m-b\)\s+carl\s+misroutes claims$/);
    expect(table.at(-2)).toMatch(/^by: --by, else the OS account the command ran as \(not a verified identity/);
    expect(table.at(-2)).not.toContain('npm start');
    // The demo champion of `npm start` is approved by that command, and the line under the table says what it is.
    const demo = championHistoryText([{ id: 'm-demo', at: '2026-12-06T18:37:26.000Z', via: 'approve', by: 'mailroute start', note: 'demo model (synthetic data)' }], 'm-demo', true).split('\n');
    expect(demo[2]).toMatch(/\s+m-demo\s+approve\s+mailroute start\s+demo model \(synthetic data\)$/);
    expect(demo.at(-2)).toMatch(/home\); mailroute start: the demo model that `npm start` trained and approved on an empty registry$/);
    // Without an id, --by and --note have nothing to go with.
    expect((await run(['registry', 'champion', '--note', 'x'], home)).code).toBe(2);
    // The last champion rejected with none to roll back to: said under the table.
    await run(['registry', 'reject', 'm-a', '--note', 'retired'], home);
    expect((await run(['registry', 'history'], home)).stdout).toContain('no champion now: m-a was rejected with no Approved version to roll back to\n');

    // A registry from before the history, or from before how/by/note were kept: read as it is, and said.
    const legacy = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-history-legacy-'));
    await createLocalRegistry({ home: legacy }).register(artifact('m-a'));
    await run(['registry', 'approve', 'm-a'], legacy);
    const indexFile = path.join(legacy, 'registry.json');
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as Record<string, unknown>;
    delete index.championHistory;
    writeFileSync(indexFile, JSON.stringify(index));
    const old = (await run(['registry', 'history'], legacy)).stdout;
    expect(old).toMatch(/^-\s+m-a\s+champion when the history began\s+-\s+-$/m);
    expect(old).toContain('note: this registry was made by a mailroute from before it kept its champions');
    writeFileSync(indexFile, JSON.stringify({ ...index, championHistory: [{ id: 'm-a', at: '2026-01-01T00:00:00.000Z' }] }));
    expect((await run(['registry', 'history'], legacy)).stdout).toMatch(/^2026-01-01 00:00:00\s+m-a\s+not recorded\s+-\s+-$/m);
  });
});

describe('approveAnotherHint', () => {
  const version = (id: string, status: ModelVersion['status'], prunedAt?: string): ModelVersion => ({
    id, version: 1, status, createdAt: '2026-01-01T00:00:00Z', family: 'ngram-bag', tasks: ['queue'], dataHash: 'h', metrics: {}, ...(prunedAt ? { prunedAt } : {}),
  });

  it('counts no pruned version as one to approve (its artifact is removed)', () => {
    expect(approveAnotherHint([version('m-2', 'PendingManualApproval')])).toBe('approve another (`mailroute registry approve <id>`)');
    expect(approveAnotherHint([version('m-2', 'PendingManualApproval', '2026-02-01T00:00:00Z')])).toBe('train and approve a new one');
    expect(approveAnotherHint([version('m-2', 'PendingManualApproval', '2026-02-01T00:00:00Z'), version('m-3', 'Rejected')])).toMatch(/^approve another: every other version is Rejected/);
  });
});
