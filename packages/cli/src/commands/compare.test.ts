import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatPredictionLines, syntheticPredictionLines, type PredictionLine } from '@mailroute/evaluation';
import { createLocalRegistry } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { loadDemoConfig, parseTrainingConfig, type TrainingConfig } from '@mailroute/training';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';
import { afterGate, notRecordedReason, splitShapeDifferences } from './compare.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


/** A registrable model folder of one queue task whose manifest names `id` (the registry checks its one file's hash). */
function artifact(id: string): string {
  const folder = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-compare-art-')), id);
  return writeLoadableArtifact(folder, id, { extra: { dataHash: 'h', metrics: {} } });
}

function run(argv: string[], env: Record<string, string> = {}) {
  return runCli(argv, { env: { CI: 'true', ...env }, cwd: dir });
}

const tasks = { queue: ['payments', 'cards', 'loans', 'fraud'], area: ['retail', 'wealth'] };
const strong = syntheticPredictionLines({ n: 400, tasks, seed: 9, skill: 0.9 });
const weakRun = syntheticPredictionLines({ n: 400, tasks, seed: 9, skill: 0.6 });
const weak: PredictionLine[] = strong.map((l, i) => ({ ...weakRun[i], truth: l.truth }));
writeFileSync(path.join(dir, 'strong.jsonl'), formatPredictionLines(strong));
writeFileSync(path.join(dir, 'weak.jsonl'), formatPredictionLines(weak));

describe('mailroute compare', () => {
  it('passes a better challenger and writes the summary', async () => {
    const { code, stdout } = await run(['compare', '--challenger', 'strong.jsonl', '--champion', 'weak.jsonl', '--resamples', '100', '--out', 'cmp']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# Gate: PASS — strong\.jsonl vs weak\.jsonl/);
    expect(stdout).toContain('Policy: default policy.');
    // Files of no registered model: no registry step to name.
    expect(stdout).not.toContain('Next:');
    expect(readFileSync(path.join(dir, 'cmp/gate.md'), 'utf8')).toBe(stdout);
    const saved = JSON.parse(readFileSync(path.join(dir, 'cmp/comparison.json'), 'utf8')) as { gate: { pass: boolean } };
    expect(saved.gate.pass).toBe(true);
    // gate.md as a page, with the picture of each task's change against the gate.
    const html = readFileSync(path.join(dir, 'cmp/gate.html'), 'utf8');
    expect(html).toContain('<title>Gate: PASS — strong.jsonl vs weak.jsonl</title>');
    expect(html).toContain('data-picture="macro-f1-change"');
    expect(html).toMatch(/<desc>challenger strong\.jsonl · champion weak\.jsonl · 400 emails · \d{4}-\d{2}-\d{2}<\/desc>/);
  });

  it('leaves the earlier comparison.json, gate.md and gate.html together when Ctrl-C comes while writing the new ones', async () => {
    expect((await run(['compare', '--challenger', 'strong.jsonl', '--champion', 'weak.jsonl', '--resamples', '20', '--out', 'cmp-kept'])).code).toBe(0);
    writeFileSync(path.join(dir, 'cmp-kept/notes.txt'), 'mine');
    const files = () => ['comparison.json', 'gate.md', 'notes.txt', 'gate.html'].map((f) => readFileSync(path.join(dir, 'cmp-kept', f), 'utf8'));
    const before = files();
    // Ctrl-C as soon as it is listened for: the new (failing) gate's files are being written then.
    const signals = new EventEmitter();
    signals.on('newListener', (event: string, listener: () => void) => {
      if (event === 'SIGINT') setImmediate(listener);
    });
    const swapped = ['compare', '--challenger', 'weak.jsonl', '--champion', 'strong.jsonl', '--resamples', '20', '--out', 'cmp-kept'];
    const res = await runCli(swapped, { env: { CI: 'true' }, cwd: dir, signals, exit: () => {} });
    expect(res.code, res.stderr).toBe(130);
    expect(files()).toEqual(before);
    expect(readdirSync(path.join(dir, 'cmp-kept')).sort()).toEqual(['comparison.json', 'gate.html', 'gate.md', 'notes.txt']);
    // Not interrupted, both are replaced and the user's file stays.
    expect((await run(swapped)).code).toBe(1);
    expect(files()[1]).toContain('# Gate: FAIL');
    expect(files()[2]).toBe('mine');
    expect(files()[3]).toContain('<title>Gate: FAIL');
  });

  it('refuses --out - before comparing: no gate printed or summarised that the exit code then contradicts', async () => {
    const summary = path.join(dir, 'dash-summary.md');
    const { code, stdout, stderr } = await run(['compare', '--challenger', 'strong.jsonl', '--champion', 'weak.jsonl', '--resamples', '100', '--out', '-'], { GITHUB_STEP_SUMMARY: summary });
    expect(code).toBe(2);
    expect(stderr).toContain('mailroute: --out -: this command writes a directory');
    expect(stdout).toBe('');
    expect(() => readFileSync(summary, 'utf8')).toThrow();
  });

  it('refuses more resamples than it can keep, and seeds past 32 bits, before reading the files', async () => {
    // --resamples 4294967296 ran for hours and then out of memory; seed 4294967296 drew the bootstrap of seed 0.
    for (const [flag, value, range] of [['--resamples', '100001', '10 to 100000'], ['--seed', '4294967296', '0 to 4294967295']]) {
      const res = await run(['compare', '--challenger', 'missing.jsonl', '--champion', 'weak.jsonl', flag, value]);
      expect(res.code).toBe(2);
      expect(res.stderr.split('\n')[0]).toBe(`mailroute: ${flag} must be an integer from ${range} in plain digits, got "${value}"`);
    }
  });

  it('exits 1 when the gate fails, after printing the Markdown', async () => {
    const summary = path.join(dir, 'step-summary.md');
    const { code, stdout, stderr } = await run(['compare', '--challenger', 'weak.jsonl', '--champion', 'strong.jsonl', '--resamples', '100'], { GITHUB_STEP_SUMMARY: summary });
    expect(code).toBe(1);
    expect(readFileSync(summary, 'utf8')).toContain('# Gate: FAIL');
    expect(stdout).toContain('# Gate: FAIL');
    expect(stderr).toContain('[GATE_FAILED] gate failed:');
  });

  it('passes a gate that passed though the job summary cannot be written, warning of it (exit 1 is the failed gate alone)', async () => {
    const summary = path.join(dir, 'no-such-folder', 'summary.md');
    const { code, stdout, stderr } = await run(['compare', '--challenger', 'strong.jsonl', '--champion', 'weak.jsonl', '--resamples', '50', '--out', 'cmp-summary'], { GITHUB_STEP_SUMMARY: summary });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('# Gate: PASS');
    expect(stderr).toContain(`warning: the job summary was not written (GITHUB_STEP_SUMMARY=${summary}: no such file or folder (ENOENT)); the command's outcome stands`);
    expect(readFileSync(path.join(dir, 'cmp-summary/gate.md'), 'utf8')).toBe(stdout);
  });

  it('reads a policy file and rejects an unknown key', async () => {
    writeFileSync(path.join(dir, 'lenient.json'), JSON.stringify({ maxMacroF1DropPoints: 100, meanMacroF1MustNotDrop: false }));
    const lenient = await run(['compare', '--challenger', 'weak.jsonl', '--champion', 'strong.jsonl', '--resamples', '100', '--policy', 'lenient.json']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('Policy: `lenient.json`.');
    // Saved by an editor that writes a UTF-8 byte-order mark (Notepad, PowerShell 5): the same policy.
    writeFileSync(path.join(dir, 'bom.json'), `\uFEFF${JSON.stringify({ maxMacroF1DropPoints: 100, meanMacroF1MustNotDrop: false })}\r\n`);
    const bom = await run(['compare', '--challenger', 'weak.jsonl', '--champion', 'strong.jsonl', '--resamples', '100', '--policy', 'bom.json']);
    expect(bom.stderr).not.toContain('not JSON');
    expect(bom.code).toBe(0);
    writeFileSync(path.join(dir, 'typo.json'), JSON.stringify({ maxMacroF1Drop: 1 }));
    const typo = await run(['compare', '--challenger', 'weak.jsonl', '--champion', 'strong.jsonl', '--policy', 'typo.json']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('[GATE_POLICY_INVALID]');
    expect(typo.stderr).toContain('typo.json: gate policy:');
    writeFileSync(path.join(dir, 'broken.json'), '{\n  "tasks": ["queue"],,\n}');
    expect((await run(['compare', '--challenger', 'weak.jsonl', '--champion', 'strong.jsonl', '--policy', 'broken.json'])).stderr).toMatch(/broken\.json:2:22: not JSON/);
    writeFileSync(path.join(dir, 'none.json'), JSON.stringify({ tasks: [] }));
    expect((await run(['compare', '--challenger', 'weak.jsonl', '--champion', 'strong.jsonl', '--policy', 'none.json'])).stderr).toContain('name at least one task');
    writeFileSync(path.join(dir, 'queu.json'), JSON.stringify({ tasks: ['queu'], maxMacroF1DropPoints: 100, meanMacroF1MustNotDrop: false }));
    expect((await run(['compare', '--challenger', 'weak.jsonl', '--champion', 'strong.jsonl', '--resamples', '50', '--policy', 'queu.json'])).stdout).toContain('not among the compared tasks (queue, area)');
    expect((await run(['compare', '--challenger', 'weak.jsonl', '--champion', 'strong.jsonl', '--policy', 'missing.json'])).stderr).toContain('missing.json: no such file');
  });

  it('puts the policy file\'s path in the summary as a code span: no Markdown or HTML of its name takes effect', async () => {
    const file = 'p|o*l_i<script>c`y\n# injected.json';
    writeFileSync(path.join(dir, file), JSON.stringify({ maxMacroF1DropPoints: 100, meanMacroF1MustNotDrop: false }));
    const res = await run(['compare', '--challenger', 'weak.jsonl', '--champion', 'strong.jsonl', '--resamples', '50', '--policy', file, '--out', 'odd-policy']);
    expect(res.code, res.stderr).toBe(0);
    const gate = readFileSync(path.join(dir, 'odd-policy/gate.md'), 'utf8');
    // Its backtick would end the span: it becomes ', and the line break a blank, so no heading starts.
    expect(gate).toContain("\nPolicy: `p|o*l_i<script>c'y # injected.json`.\n");
    expect(gate).not.toMatch(/^# injected/m);
    expect(res.stdout).toBe(gate);
  });

  it('names renamed labels, the champion and the registry commands as code spans in the lines after the gate', () => {
    const version = { id: 'ngram-bag-1', version: 1, status: 'PendingManualApproval' as const, createdAt: '2026-01-01T00:00:00Z', family: 'ngram-bag', tasks: ['queue'], dataHash: 'x', metrics: {} };
    const renamed = [{ change: 'queue: <script>alert(1)</script> -> care|team' }, { change: 'queue: *old*_x -> `new`\n# Injected', n: 3 }];
    const text = afterGate({ version, recorded: true }, { challenger: 'ngram-bag-1', champion: 'champ_*one*<b>' }, false, renamed);
    expect(text).toContain(
      "its own evaluation report: `queue: <script>alert(1)</script> -> care|team`, `queue: *old*_x -> 'new' # Injected` (3).",
    );
    expect(text).toContain('`mailroute registry reject ngram-bag-1` keeps `champ_*one*<b>`; `mailroute registry approve ngram-bag-1` refuses it');
    expect(text).not.toMatch(/^# Injected/m);
    expect(afterGate({ version, recorded: true }, { challenger: 'ngram-bag-1', champion: 'ngram-bag-0' }, true, [])).toBe(
      '\nNext: the gate passed, and a person decides. `mailroute registry approve ngram-bag-1` makes the challenger the champion (servers using this registry switch to it at their next poll); `mailroute registry reject ngram-bag-1` keeps `ngram-bag-0`.\n',
    );
  });

  it('says after a passed gate with warnings above to read them before approving', () => {
    const version = { id: 'ngram-bag-1', version: 1, status: 'PendingManualApproval' as const, createdAt: '2026-01-01T00:00:00Z', family: 'ngram-bag', tasks: ['queue'], dataHash: 'x', metrics: {} };
    const names = { challenger: 'ngram-bag-1', champion: 'ngram-bag-0' };
    const after = '`mailroute registry approve ngram-bag-1` makes the challenger the champion (servers using this registry switch to it at their next poll); `mailroute registry reject ngram-bag-1` keeps `ngram-bag-0`.\n';
    expect(afterGate({ version, recorded: true }, names, true, [], 'champion', 3)).toBe(`\nNext: the gate passed with 3 warnings above, and a person decides: read them before approving. ${after}`);
    expect(afterGate({ version, recorded: true }, names, true, [], 'champion', 1)).toBe(`\nNext: the gate passed with a warning above, and a person decides: read it before approving. ${after}`);
    expect(afterGate({ version, recorded: true }, names, true, [], 'champion', 0)).toBe(`\nNext: the gate passed, and a person decides. ${after}`);
  });

  it('says after a failed gate what approve really does for the challenger in its status', () => {
    const pending = { id: 'ngram-bag-1', version: 1, status: 'PendingManualApproval' as const, createdAt: '2026-01-01T00:00:00Z', family: 'ngram-bag', tasks: ['queue'], dataHash: 'x', metrics: {} };
    const names = { challenger: 'ngram-bag-1', champion: 'ngram-bag-0' };
    expect(afterGate({ version: pending, recorded: true }, names, false, [])).toContain('`mailroute registry approve ngram-bag-1` refuses it now that this failure is on record');
    expect(afterGate({ version: pending, recorded: true }, names, false, [])).toContain('`mailroute registry approve ngram-bag-1 --force --note <why>` would make the challenger the champion');
    // Approved (e.g. with --no-promote) before this compare: the outcome is not recorded, approve does not see it and makes it champion.
    const approved = afterGate({ version: { ...pending, status: 'Approved' }, recorded: false }, names, false, []);
    expect(approved).not.toContain('refuses');
    expect(approved).toContain('It is Approved already, so this outcome is not recorded and `mailroute registry approve ngram-bag-1` does not check it: it makes the challenger the champion all the same (servers');
    const rejected = afterGate({ version: { ...pending, status: 'Rejected' }, recorded: false }, names, false, []);
    expect(rejected).toContain('It is Rejected already, so `ngram-bag-0` stays; `mailroute registry approve ngram-bag-1` refuses it, and `mailroute registry approve ngram-bag-1 --force --note <why>` would undo the rejection');
    expect(rejected).not.toContain('now that this failure is on record');
    // Compared with a model that is not the registry's champion: reject keeps the registry's champion, not that model.
    const look = afterGate({ version: { ...pending, status: 'Approved' }, recorded: false, registryChampion: 'ngram-bag-9' }, names, false, []);
    expect(look).toContain('`mailroute registry reject ngram-bag-1` keeps `ngram-bag-9`, the registry\'s champion.');
    expect(afterGate({ version: { ...pending, status: 'Rejected' }, recorded: false, registryChampion: null }, names, false, [])).toContain('It is Rejected already, so the registry stays without a champion;');
    // The challenger serves already: approve changes nothing, and reject (which needs a note) rolls the registry back.
    for (const pass of [true, false]) {
      const serving = afterGate({ version: { ...pending, status: 'Approved' }, recorded: false, registryChampion: 'ngram-bag-1' }, names, pass, []);
      expect(serving).toContain("Next: `ngram-bag-1` is the registry's champion already, so approving it changes nothing.");
      expect(serving).toContain('`mailroute registry reject ngram-bag-1 --note <why>` takes it out of the registry\'s service: the champion before it becomes the champion again if still Approved');
      expect(serving).toContain('with no such version there is no champion, and servers keep `ngram-bag-1` until another is approved.');
      expect(serving).not.toContain('keeps `ngram-bag-0`');
    }
  });

  it("keeps the gate only when the champion side is the registry's champion, or not at all with --no-record, and says why", () => {
    const kept = 'the gate on record for `m-6` (which `mailroute registry approve` checks) stays as it was';
    expect(notRecordedReason('m-6', 'm-5', 'm-5', true)).toBeUndefined();
    // Not known (the registry could not be read): kept, as before.
    expect(notRecordedReason('m-6', 'm-1', undefined, true)).toBeUndefined();
    expect(notRecordedReason('m-6', 'm-5', 'm-5', false)).toBe(`--no-record was given, so ${kept}.`);
    expect(notRecordedReason('m-6', 'm-1', 'm-5', true)).toBe(
      `\`m-1\` is not the registry's champion (\`m-5\` is): a comparison with another model is a look, not the gate approve checks, so ${kept}. \`mailroute compare --challenger m-6 --champion champion --data <file>\` measures the gate that counts.`,
    );
    expect(notRecordedReason('m-6', 'm-1', 'm-6', true)).toBe(`\`m-1\` is not the registry's champion (\`m-6\`, the challenger itself, is): a comparison with another model is a look, not the gate approve checks, so ${kept}.`);
    expect(notRecordedReason('m-6', 'm-1', null, true)).toBe('the registry has no champion, so no gate is kept: `mailroute registry approve` needs none to make `m-6` the first.');
    // A decided version: its gate is the one its decision was made on, whatever the champion side or the flags.
    const approved = { status: 'Approved' as const, statusChangedBy: 'ann', statusChangedAt: '2026-12-01T09:00:00.000Z' };
    const decided = '`m-6` is Approved (by `ann` at 2026-12-01T09:00:00.000Z): a gate is recorded only on a version awaiting its decision, so the gate on record for it, on which that decision was made (`mailroute registry show m-6` has it, also in its history), stays as it was; this outcome is printed, not kept.';
    for (const [champion, record] of [['m-5', true], ['m-5', false], ['m-1', true]] as const) {
      expect(notRecordedReason('m-6', 'm-5', champion, record, approved)).toBe(`${decided} If this outcome means the approval should not stand, \`mailroute registry reject m-6 --note <why>\` reverses it.`);
    }
    expect(notRecordedReason('m-6', 'm-5', 'm-5', true, { status: 'Rejected' })).toMatch(/^`m-6` is Rejected: a gate is recorded only on a version awaiting its decision, .* To approve it after all, `mailroute registry approve m-6 --force --note <why>`\.$/);
    expect(notRecordedReason('m-6', 'm-5', 'm-5', true, { status: 'PendingManualApproval' })).toBeUndefined();
  });

  it('keeps the gate an approval or rejection was made on: a later compare of a decided challenger is printed, not recorded', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-compare-decided-'));
    const registry = createLocalRegistry({ home });
    for (const id of ['m-5', 'm-6', 'm-7']) await registry.register(artifact(id));
    await registry.approve('m-5');
    const file = (name: string, lines: PredictionLine[], modelId: string) => writeFileSync(path.join(home, name), formatPredictionLines(lines.map((l) => ({ ...l, modelId }))));
    const compare = (challenger: string, champion: string) => runCli(['compare', '--challenger', challenger, '--champion', champion, '--resamples', '20'], { env: { CI: 'true', USER: 'tester' }, cwd: home, home });
    const cli = (...argv: string[]) => runCli(['registry', ...argv], { env: { USER: 'tester' }, cwd: home, home });
    // Better than the champion on one file: the gate passes and is recorded on both pending versions.
    file('m6-good.jsonl', strong, 'm-6');
    file('m7-good.jsonl', strong, 'm-7');
    file('m5-a.jsonl', weak, 'm-5');
    expect((await compare('m6-good.jsonl', 'm5-a.jsonl')).code).toBe(0);
    expect((await compare('m7-good.jsonl', 'm5-a.jsonl')).code).toBe(0);
    const passed = (await registry.get('m-6')).gate!;
    expect(passed).toMatchObject({ pass: true, champion: 'm-5' });
    expect((await cli('approve', 'm-6', '--no-promote')).code).toBe(0);
    expect((await cli('reject', 'm-7', '--note', 'not needed')).code).toBe(0);
    // The decision keeps the gate it was made on in its history entry.
    expect((await registry.get('m-6')).history?.at(-1)).toMatchObject({ status: 'Approved', by: 'tester', gate: passed });
    expect((await registry.get('m-7')).history?.at(-1)).toMatchObject({ status: 'Rejected', note: 'not needed', gate: (await registry.get('m-7')).gate });
    // Worse than the champion on other data: compare fails (exit 1) and says so, but records nothing on either.
    file('m6-bad.jsonl', weak, 'm-6');
    file('m7-bad.jsonl', weak, 'm-7');
    file('m5-b.jsonl', strong, 'm-5');
    const later = await compare('m6-bad.jsonl', 'm5-b.jsonl');
    expect(later.code).toBe(1);
    expect(later.stdout).toContain('# Gate: FAIL');
    expect(later.stdout).toMatch(/\nNot recorded: `m-6` is Approved \(by `tester` at \S+\): a gate is recorded only on a version awaiting its decision/);
    expect(later.stdout).toContain('It is Approved already, so this outcome is not recorded');
    expect((await registry.get('m-6')).gate).toEqual(passed);
    expect((await cli('list')).stdout).toMatch(/m-6\s+Approved\s+PASS\s/);
    const rejectedGate = (await registry.get('m-7')).gate;
    const onRejected = await compare('m7-bad.jsonl', 'm5-b.jsonl');
    expect(onRejected.code).toBe(1);
    expect(onRejected.stdout).toContain('To approve it after all, `mailroute registry approve m-7 --force --note <why>`.');
    expect((await registry.get('m-7')).gate).toEqual(rejectedGate);
    rmSync(home, { recursive: true, force: true });
  });

  it('does not replace the gate measured against the champion with a look at an older version, nor with --no-record', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-compare-record-'));
    const registry = createLocalRegistry({ home });
    for (const id of ['m-1', 'm-5', 'm-6']) await registry.register(artifact(id));
    await registry.approve('m-1');
    await registry.approve('m-5');
    const file = (name: string, lines: PredictionLine[], modelId: string) => writeFileSync(path.join(home, name), formatPredictionLines(lines.map((l) => ({ ...l, modelId }))));
    // m-6 as good as the champion m-5, and clearly worse than the older m-1.
    file('m6.jsonl', weak, 'm-6');
    file('m5.jsonl', weak, 'm-5');
    file('m1.jsonl', strong, 'm-1');
    const compare = (champion: string, ...more: string[]) => runCli(['compare', '--challenger', 'm6.jsonl', '--champion', champion, '--resamples', '20', ...more], { env: { CI: 'true' }, cwd: home, home });
    const counted = await compare('m5.jsonl');
    expect(counted.code, counted.stderr).toBe(0);
    const gate = (await registry.get('m-6')).gate;
    expect(gate).toMatchObject({ pass: true, champion: 'm-5' });
    // What it was measured on is kept with it: the two files, their bytes' sha256, the emails compared.
    const bytes = Buffer.concat(['m6.jsonl', 'm5.jsonl'].map((f) => readFileSync(path.join(home, f))));
    expect(gate?.data).toEqual({ files: ['m6.jsonl', 'm5.jsonl'], sha256: createHash('sha256').update(bytes).digest('hex'), emails: weak.length });
    // A look at the older baseline fails: not recorded (it would have replaced the pass, and blocked an approval), and said so.
    const look = await compare('m1.jsonl', '--out', 'look');
    expect(look.code).toBe(1);
    expect(look.stdout).toContain('# Gate: FAIL');
    expect(look.stdout).toContain("\nNot recorded: `m-1` is not the registry's champion (`m-5` is): a comparison with another model is a look");
    expect(look.stdout).not.toContain('Next:');
    // Files of registered models are compared with the models' routing, as with --data: the queue's table counts mail misrouted.
    const answering = (lines: PredictionLine[]) => lines.map((l) => ({ ...l, prediction: Object.fromEntries(Object.entries(l.prediction).map(([t, p]) => [t, { ...p, abstained: (p.confidence ?? 1) < 0.3 }])) }));
    file('m6-answering.jsonl', answering(weak), 'm-6');
    file('m1-answering.jsonl', answering(strong), 'm-1');
    const routed = await runCli(['compare', '--challenger', 'm6-answering.jsonl', '--champion', 'm1-answering.jsonl', '--resamples', '20', '--no-record'], { env: { CI: 'true' }, cwd: home, home });
    expect(routed.stdout).toContain('misrouted to it (at threshold): champion');
    expect(readFileSync(path.join(home, 'look', 'gate.md'), 'utf8')).toBe(look.stdout);
    expect((await registry.get('m-6')).gate).toEqual(gate);
    // Against the champion with --no-record: measured and printed, not kept (a gate kept anew would have another time).
    const trial = await compare('m5.jsonl', '--no-record');
    expect(trial.code, trial.stderr).toBe(0);
    expect(trial.stdout).toContain('\nNot recorded: --no-record was given, so the gate on record for `m-6`');
    expect((await registry.get('m-6')).gate).toEqual(gate);
    // m-6 the champion now, compared with the older m-1: no advice to reject it "keeping m-1", nor to approve it again.
    await registry.approve('m-6');
    const serving = await compare('m1.jsonl');
    expect(serving.code).toBe(1);
    expect(serving.stdout).toContain("\nNext: `m-6` is the registry's champion already, so approving it changes nothing. If this outcome means it should not serve, `mailroute registry reject m-6 --note <why>` takes it out of the registry's service");
    expect(serving.stdout).not.toContain('keeps `m-1`');
    rmSync(home, { recursive: true, force: true });
  });

  it('names prediction files by the model their lines name, and by the file name when they name none or several', async () => {
    const named = (lines: PredictionLine[], modelId: string) => lines.map((l) => ({ ...l, modelId }));
    writeFileSync(path.join(dir, 'preds.jsonl'), formatPredictionLines(named(strong, 'ngram-bag-new')));
    writeFileSync(path.join(dir, 'preds_champ.jsonl'), formatPredictionLines(named(weak, 'ngram-bag-old')));
    const byId = await run(['compare', '--challenger', 'preds.jsonl', '--champion', 'preds_champ.jsonl', '--resamples', '50', '--out', 'by-id']);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stdout).toMatch(/^# Gate: PASS — ngram-bag-new vs ngram-bag-old/);
    expect(JSON.parse(readFileSync(path.join(dir, 'by-id/comparison.json'), 'utf8'))).toMatchObject({ challenger: 'ngram-bag-new', champion: 'ngram-bag-old' });
    // Lines of two models (or some without an id): the file's name.
    const mixed = [...named(strong.slice(0, 200), 'ngram-bag-new'), ...named(strong.slice(200), 'ngram-bag-other')];
    writeFileSync(path.join(dir, 'mixed.jsonl'), formatPredictionLines(mixed));
    const fallback = await run(['compare', '--challenger', 'mixed.jsonl', '--champion', 'preds_champ.jsonl', '--resamples', '50']);
    expect(fallback.stdout).toMatch(/^# Gate: PASS — mixed\.jsonl vs ngram-bag-old/);
  });

  it('refuses prediction files with no task in common, naming each side\'s tasks; compares those with some in common', async () => {
    const intent = syntheticPredictionLines({ n: 400, tasks: { intent: ['card_lost', 'top_up'] }, seed: 9, skill: 0.9 }).map((l, i) => ({ ...l, id: strong[i].id }));
    writeFileSync(path.join(dir, 'intent.jsonl'), formatPredictionLines(intent));
    const none = await run(['compare', '--challenger', 'strong.jsonl', '--champion', 'intent.jsonl', '--resamples', '20', '--out', 'no-task']);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(
      'mailroute: [COMPARISON_MISMATCH] the prediction files share no task: challenger strong.jsonl has queue, area; champion intent.jsonl has intent; compare the challenger with a model that predicts at least one of its tasks (the gate compares each task both predict)\n',
    );
    // Refused before writing: no --out folder left behind.
    expect(existsSync(path.join(dir, 'no-task'))).toBe(false);
    // Queue in common: compared as before, the task only one side predicts failing its check.
    writeFileSync(path.join(dir, 'queue-only.jsonl'), formatPredictionLines(weak.map((l) => ({ ...l, prediction: { queue: l.prediction.queue }, truth: { queue: l.truth.queue } }))));
    const some = await run(['compare', '--challenger', 'strong.jsonl', '--champion', 'queue-only.jsonl', '--resamples', '20']);
    expect(some.stdout).toMatch(/\| queue \| 400 \|/);
    expect(some.stdout).toContain('area: every labelled email predicted by both models | **FAIL**');
  });

  it('fails the gate, naming it, on a task both files predict that no line has a truth label for', async () => {
    // The area column left empty: a challenger that broke area would pass on queue alone.
    const blank = (lines: PredictionLine[]) => lines.map((l) => ({ ...l, truth: { queue: l.truth.queue } }));
    writeFileSync(path.join(dir, 'strong-blank.jsonl'), formatPredictionLines(blank(strong)));
    writeFileSync(path.join(dir, 'weak-blank.jsonl'), formatPredictionLines(blank(weak)));
    const res = await run(['compare', '--challenger', 'strong-blank.jsonl', '--champion', 'weak-blank.jsonl', '--resamples', '20']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('**area: predicted by both models, but no email in the data has a label for it: not compared, and it fails the gate.**');
    expect(res.stdout).toContain('| area: measured on the data | **FAIL** |');
    expect(res.stderr).toContain('[GATE_FAILED] gate failed: area: measured on the data');
    // A policy that gates queue alone leaves area out: it passes, and still says area was not compared.
    writeFileSync(path.join(dir, 'queue-gate.json'), JSON.stringify({ tasks: ['queue'] }));
    const queueOnly = await run(['compare', '--challenger', 'strong-blank.jsonl', '--champion', 'weak-blank.jsonl', '--resamples', '20', '--policy', 'queue-gate.json']);
    expect(queueOnly.code, queueOnly.stderr).toBe(0);
    expect(queueOnly.stdout).toContain('not compared (the policy leaves it out of the gate)');
  });

  it('leaves out of both sides the emails either model marked as automated mail, saying so in the summary; refuses when nothing else is left', async () => {
    const mark = (l: PredictionLine) => ({ ...l, meta: { ...l.meta, automated: 'auto_reply' } });
    // 40 auto-replies the challenger got right and the champion wrong: scored, they would be the challenger's lead.
    const fixed = (l: PredictionLine) => ({ ...l, prediction: { queue: { ...l.prediction.queue, label: l.truth.queue ?? 'payments' }, area: { ...l.prediction.area, label: l.truth.area ?? 'retail' } } });
    const wrong = (l: PredictionLine) => ({ ...l, prediction: { queue: { ...l.prediction.queue, label: l.truth.queue === 'fraud' ? 'cards' : 'fraud' }, area: l.prediction.area } });
    writeFileSync(path.join(dir, 'auto-a.jsonl'), formatPredictionLines(weak.map((l, i) => (i < 40 ? mark(fixed(l)) : l))));
    writeFileSync(path.join(dir, 'auto-b.jsonl'), formatPredictionLines(weak.map((l, i) => (i < 40 ? wrong(l) : l))));
    const res = await run(['compare', '--challenger', 'auto-a.jsonl', '--champion', 'auto-b.jsonl', '--resamples', '20', '--out', 'auto']);
    expect(res.stderr).toContain('warning: 40 of these 400 emails are automated mail (auto-replies, bounces: marked automated when predicted by either model) and are left out of the comparison');
    // The same lines on both sides but for those: no difference left to find.
    expect(res.stdout).toMatch(/\| queue \| 360 \|/);
    expect(JSON.parse(readFileSync(path.join(dir, 'auto/comparison.json'), 'utf8')).warnings).toEqual([expect.stringContaining('40 of these 400 emails are automated mail')]);
    writeFileSync(path.join(dir, 'all-auto.jsonl'), formatPredictionLines(weak.map(mark)));
    const none = await run(['compare', '--challenger', 'all-auto.jsonl', '--champion', 'weak.jsonl', '--resamples', '20']);
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('all 400 emails are automated mail')]);
  });

  it('refuses a file whose lines repeat an id, naming the file and the id', async () => {
    writeFileSync(path.join(dir, 'twice.jsonl'), formatPredictionLines([...weak, ...weak.slice(0, 2)]));
    const res = await run(['compare', '--challenger', 'strong.jsonl', '--champion', 'twice.jsonl', '--resamples', '20']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `mailroute: [COMPARISON_MISMATCH] twice.jsonl repeats 2 ids (${weak[0].id} on 2 lines; ${weak[1].id} on 2 lines): compare joins the two files' predictions by id, so each id must name one email\n`,
    );
  });

  it('says that models need --data', async () => {
    const res = await run(['compare', '--challenger', 'ngram-bag-1', '--champion', 'champion']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('ngram-bag-1: no such predictions file; to compare models (registry ids, champion, directories), add --data');
  });

  it('fails on a missing predictions file with exit code 1, as evaluate does (a failure, not a usage error)', async () => {
    for (const missing of ['nope.jsonl', 'out/preds.jsonl']) {
      const res = await run(['compare', '--challenger', missing, '--champion', 'weak.jsonl']);
      expect(res.code, res.stderr).toBe(1);
      expect(res.stderr).toBe(`mailroute: [PREDICTION_FILE_UNREADABLE] cannot read predictions ${missing}: no such file\n`);
    }
  });

  it('refuses the flags that read --data without it, --config too, instead of ignoring them', async () => {
    for (const flag of [['--config', 'cfg.json'], ['--delimiter', ';']]) {
      const res = await run(['compare', '--challenger', 'strong.jsonl', '--champion', 'weak.jsonl', '--resamples', '100', ...flag]);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain('--config, --on-bad-row and --delimiter go with --data');
    }
  });

  it('exits 2 without both prediction files', async () => {
    expect((await run(['compare', '--challenger', 'weak.jsonl'])).code).toBe(2);
  });
});

describe('what shapes the rows --split test holds out', () => {
  const withQueue = (config: TrainingConfig, change: (t: TrainingConfig['tasks'][number]) => object): TrainingConfig =>
    parseTrainingConfig({ ...config, tasks: config.tasks.map((t) => (t.name === 'queue' ? { ...t, ...change(t) } : t)) });

  it('names the split task\'s taxonomy when only it differs (a queue merged into another), not the split settings', async () => {
    const champion = await loadDemoConfig();
    expect(champion.split).toMatchObject({ kind: 'stratified', on: 'queue' });
    const merged = withQueue(champion, (t) => ({ labels: t.labels?.filter((l) => l !== 'complaints'), aliases: { ...t.aliases, complaints: 'account_management' } }));
    expect(splitShapeDifferences(merged, champion)).toEqual([
      "the queue task's taxonomy differs, and the split groups rows by its labels (labels complaints only in the champion's, aliases complaints->account_management only in the challenger's)",
    ]);
    const rare = withQueue(champion, (t) => ({ minCount: t.minCount + 5, rare: 'drop', retired: ['advisory'], labels: t.labels?.filter((l) => l !== 'advisory') }));
    expect(splitShapeDifferences(rare, champion)[0]).toMatch(/labels advisory only in the champion's, retired advisory only in the challenger's, minCount 15 vs 10, rare labels become drop vs other\)$/);
    // Another task's taxonomy does not group the rows; the settings and the text columns do.
    const topic = parseTrainingConfig({ ...champion, tasks: champion.tasks.map((t) => (t.name === 'topic' ? { ...t, minCount: 99 } : t)) });
    expect(splitShapeDifferences(topic, champion)).toEqual([]);
    const other = parseTrainingConfig({ ...champion, split: { ...champion.split, seed: 3 }, columns: { ...champion.columns, body: 'text' } });
    expect(splitShapeDifferences(other, champion)).toEqual([`they were trained with different split settings (seed 3 vs 0)`, `they read the text or ids from other columns (body text vs ${champion.columns.body})`]);
  });
});
