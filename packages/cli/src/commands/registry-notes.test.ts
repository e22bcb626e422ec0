import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';

const run = (argv: string[], home: string) => runCli(argv, { env: { USER: 'tester' }, cwd: home, home });

/** A model of three tasks whose training measured `metrics`; `near`: its manifest's count of test near-duplicates. */
function artifact(id: string, metrics: Record<string, number>, near?: { near: number; judged: number }, dataHash = 'h'): string {
  const training = { testedOn: 'held-out-split', ...(near ? { testNearDuplicates: near } : {}) };
  const trainingConfig = { split: { kind: 'stratified', seed: 0, testShare: 0.2, validShare: 0.1 } };
  return writeLoadableArtifact(path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-notes-')), id), id, {
    tasks: ['business_area', 'queue', 'topic'],
    extra: { routing: { queueTask: 'queue' }, dataHash, metrics, training, trainingConfig },
  });
}

const all = { 'business_area.macro_f1': 0.78, 'queue.macro_f1': 0.87, 'topic.macro_f1': 0.89, mean_macro_f1: 0.8467 };
// No test row had a topic label: training measured two tasks, and the mean is theirs.
const twoOfThree = { 'business_area.macro_f1': 0.77, 'queue.macro_f1': 0.85, mean_macro_f1: 0.81 };

describe('registry: what the figures and the gate leave out', () => {
  it('marks a mean macro-F1 over some of the tasks only, in the list (with a legend) and in show', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-partial-'));
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-all', all));
    await reg.register(artifact('m-two', twoOfThree));
    const list = (await run(['registry', 'list'], home)).stdout;
    expect(list).toMatch(/m-two\s.*\s0\.8100 \(2 of 3 tasks\)\s/);
    expect(list).toMatch(/m-all\s.*\s0\.8467\s/);
    expect(list).not.toMatch(/0\.8467 \(/);
    expect(list.trimEnd().split('\n').pop()).toBe('mean macro-F1 (k of n tasks): a mean over the tasks its test rows had labels for, not comparable with a mean over all of them; not measured: m-two: topic');
    const shown = JSON.parse((await run(['registry', 'show', 'm-two'], home)).stdout);
    expect(shown).toMatchObject({ meanMacroF1Tasks: ['business_area', 'queue'], notMeasured: ['topic'] });
    expect(JSON.parse((await run(['registry', 'show', 'm-all'], home)).stdout).notMeasured).toBeUndefined();
  });

  it('says under the list when means were measured on other data, which do not compare', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-other-rows-'));
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-a', all));
    await reg.register(artifact('m-b', all));
    expect((await run(['registry', 'list'], home)).stdout).not.toContain('do not compare');
    await reg.register(artifact('m-c', all, undefined, 'other-data'));
    const last = (await run(['registry', 'list'], home)).stdout.trimEnd().split('\n').pop();
    // No champion: named against the newest version; with one, against the champion.
    expect(last).toMatch(/^mean macro-F1 of versions with other data or measured on other rows .*: versions 2, 1 on other emails than version 3, so those figures do not compare; `mailroute compare --challenger <id> --champion <id> --data <a test file neither was trained on>`/);
    await reg.approve('m-a');
    expect((await run(['registry', 'list'], home)).stdout).toContain(': version 3 on other emails than the champion, so those figures do not compare;');
  });

  it('tells versions tested on one file apart by its emails, not by their training data, and marks means over other tasks', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-same-file-'));
    const reg = createLocalRegistry({ home });
    /** A model tested on test.csv, whose emails hash to `emails` (absent: a model from before the hash was recorded). */
    const tested = (id: string, tasks: string[], dataHash: string, metrics: Record<string, number>, emails?: string) =>
      writeLoadableArtifact(path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-notes-')), id), id, {
        tasks,
        extra: { routing: { queueTask: 'intent' }, dataHash, metrics, training: { testedOn: 'external-file', testFile: 'test.csv', ...(emails ? { testTextsHash: emails } : {}) } },
      });
    // Two task sets on one training file: two data hashes (they cover every task's labels), one test file's emails.
    await reg.register(tested('m-intent', ['intent'], 'data-1', { 'intent.macro_f1': 0.9152, mean_macro_f1: 0.9152 }, 'e'));
    await reg.register(tested('m-both', ['intent', 'queue'], 'data-2', { 'intent.macro_f1': 0.9115, 'queue.macro_f1': 0.9563, mean_macro_f1: 0.9339 }, 'e'));
    const list = (await run(['registry', 'list'], home)).stdout;
    expect(list).not.toContain('other emails');
    expect(list).toMatch(/m-both\s.*\s0\.9339 \[1\]\s/);
    expect(list).toMatch(/m-intent\s.*\s0\.9152 \[2\]\s/);
    expect(list).toContain("mean macro-F1 [n]: the versions' means are over other tasks ([1] intent, queue; [2] intent) and do not compare; `mailroute compare` gives each task's own\n");
    // Other emails in a file of the same name: said; a model from before the hash: by its data hash, as before.
    await reg.register(tested('m-other', ['intent'], 'data-1', { 'intent.macro_f1': 0.9, mean_macro_f1: 0.9 }, 'f'));
    expect((await run(['registry', 'list'], home)).stdout).toContain(': versions 2, 1 on other emails than version 3, so those figures do not compare;');
    const older = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-same-file-'));
    await createLocalRegistry({ home: older }).register(tested('m-old', ['intent'], 'data-1', { 'intent.macro_f1': 0.91, mean_macro_f1: 0.91 }));
    await createLocalRegistry({ home: older }).register(tested('m-new', ['intent'], 'data-2', { 'intent.macro_f1': 0.91, mean_macro_f1: 0.91 }, 'e'));
    const olderList = (await run(['registry', 'list'], older)).stdout;
    expect(olderList).toContain(': version 1 on other emails than version 2, so those figures do not compare;');
    expect(olderList).not.toContain('[n]');
  });

  it('marks a version on the same held-out emails under another taxonomy, naming the tasks, and not one under the same', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-other-taxonomy-'));
    const reg = createLocalRegistry({ home });
    /** A model of queue and topic measured on the held-out rows `fp`, whose topic has `topics` (a config may rename into them). */
    const heldOut = (id: string, dataHash: string, topics: string[], aliases: Record<string, string> = {}, tasks = ['queue', 'topic']) =>
      writeLoadableArtifact(path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-notes-')), id), id, {
        tasks,
        extra: {
          tasks: tasks.map((name) => ({ name, labels: name === 'topic' ? topics : ['payments', 'other'], temperature: 1, threshold: 0.5 })),
          dataHash,
          metrics: all,
          training: { testedOn: 'held-out-split', testRowsFingerprint: 'fp' },
          trainingConfig: { split: { kind: 'stratified', seed: 0, testShare: 0.2 }, tasks: tasks.map((name) => ({ name, ...(name === 'topic' ? { aliases } : {}) })) },
        },
      });
    await reg.register(heldOut('m-champ', 'data-1', ['festgeld', 'tagesgeld', 'login']));
    await reg.approve('m-champ');
    // Trained again on the same data: the same emails and truths, no legend.
    await reg.register(heldOut('m-again', 'data-1', ['login', 'festgeld', 'tagesgeld']));
    expect((await run(['registry', 'list'], home)).stdout).not.toContain('do not compare');
    // The same emails, topic coarser (two labels merged by an alias): its data hash differs, its held-out rows do not.
    await reg.register(heldOut('m-coarse', 'data-2', ['zinsprodukte', 'login'], { festgeld: 'zinsprodukte', tagesgeld: 'zinsprodukte' }));
    // The same labels reached through an alias are another taxonomy too (other rows carry the label).
    await reg.register(heldOut('m-alias', 'data-3', ['festgeld', 'tagesgeld', 'login'], { fixed: 'festgeld' }));
    // A task more, the shared ones as the champion's: marked by its task set only ([n]), as before.
    await reg.register(heldOut('m-more', 'data-4', ['festgeld', 'tagesgeld', 'login'], {}, ['queue', 'topic', 'urgency']));
    const list = (await run(['registry', 'list'], home)).stdout;
    expect(list).toContain(': versions 4, 3 on the same emails as the champion under another taxonomy (topic), so those figures do not compare;');
    expect(list).not.toMatch(/versions? [\d, ]*\b5\b[\d, ]* on/);
  });

  it('names the tasks the gate did not check in approve and show, with a warning for one compare found clearly worse', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-ungated-'));
    const reg = createLocalRegistry({ home });
    for (const id of ['m-champ', 'm-a', 'm-b']) await reg.register(artifact(id, all));
    await reg.approve('m-champ');
    const gate = { pass: true, champion: 'm-champ', failed: [], thresholds: { maxMacroF1DropPoints: 0.5, tasks: ['business_area'] }, at: '2026-12-01T09:00:00.000Z' };
    const worse = "queue: not checked by the gate (the policy's tasks are business_area), yet the challenger is worse at it, -7.44 pts of macro-F1";
    await reg.recordGate('m-a', { ...gate, warnings: [worse] });
    await reg.recordGate('m-b', gate);
    const a = await run(['registry', 'approve', 'm-a', '--no-promote'], home);
    expect(a.code).toBe(0);
    expect(a.stderr).toContain(
      'warning: the gate on record for m-a checked business_area only (its policy\'s "tasks"): it did not check queue, topic, and compare found the challenger clearly worse at queue (`mailroute registry show m-a` has its warnings)\n',
    );
    const b = await run(['registry', 'approve', 'm-b', '--no-promote'], home);
    expect(b.stderr).toContain('note: the gate on record for m-b checked business_area only (its policy\'s "tasks"): it did not check queue, topic, so nothing but');
    expect(JSON.parse((await run(['registry', 'show', 'm-a'], home)).stdout).gateUncheckedTasks).toEqual(['queue', 'topic']);
    // A gate of every task says nothing of it.
    await reg.register(artifact('m-c', all));
    await reg.recordGate('m-c', { ...gate, thresholds: { maxMacroF1DropPoints: 0.5 } });
    expect((await run(['registry', 'approve', 'm-c', '--no-promote'], home)).stderr).not.toContain('did not check');
    expect(JSON.parse((await run(['registry', 'show', 'm-c'], home)).stdout).gateUncheckedTasks).toBeUndefined();
  });

  it('shows per task the threshold, temperature and target precision a version is approved with', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-abstain-'));
    const reg = createLocalRegistry({ home });
    const tasks = [
      { name: 'queue', labels: ['payments', 'other'], temperature: 1.25, threshold: 0.61 },
      { name: 'topic', labels: ['payments', 'other'], temperature: 0.8, threshold: 0.35 },
    ];
    // The queue's own target wins over the run's; the topic's is the run's (the config's model.targetPrecision).
    const trainingConfig = { tasks: [{ name: 'queue', targetPrecision: 0.95 }, { name: 'topic' }], model: { targetPrecision: 0.85 }, targetPrecision: 0.9 };
    const dir = writeLoadableArtifact(path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-notes-')), 'm-t'), 'm-t', {
      tasks: ['queue', 'topic'],
      extra: { tasks, routing: { queueTask: 'queue' }, metrics: all, trainingConfig },
    });
    await reg.register(dir);
    const shown = JSON.parse((await run(['registry', 'show', 'm-t'], home)).stdout);
    expect(shown.abstention).toEqual({ queue: { threshold: 0.61, temperature: 1.25, targetPrecision: 0.95 }, topic: { threshold: 0.35, temperature: 0.8, targetPrecision: 0.85 } });
    // A pruned version has no manifest left to read: nothing is made up.
    await reg.reject('m-t', { by: 'tester' });
    await run(['registry', 'prune', '--older-than', '0'], home);
    const pruned = JSON.parse((await run(['registry', 'show', 'm-t'], home)).stdout);
    expect(pruned.abstention).toBeUndefined();
  });

  it('says in show and approve that figures measured on test rows mostly worded as training rows likely overstate', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-near-'));
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('m-near', all, { near: 694, judged: 799 }));
    await reg.register(artifact('m-few', all, { near: 100, judged: 799 }));
    const said = '694 of the 799 test rows long enough to judge (86.9%) share 60% or more of their word 5-grams with training rows (the same sentences with other names, amounts or greetings): its registered figures, measured on those test rows, likely overstate';
    expect(JSON.parse((await run(['registry', 'show', 'm-near'], home)).stdout).figuresWarning).toContain(said);
    expect((await run(['registry', 'approve', 'm-near'], home)).stderr).toContain(`warning: m-near: ${said}`);
    expect(JSON.parse((await run(['registry', 'show', 'm-few'], home)).stdout).figuresWarning).toBeUndefined();
    expect((await run(['registry', 'approve', 'm-few', '--no-promote'], home)).stderr).not.toContain('overstate');
    // A gate whose warnings hold the same count (compare said it of the split) says it once, among them.
    await reg.register(artifact('m-gated', all, { near: 694, judged: 799 }));
    const caveat = 'challenger: 694 of the 799 test rows long enough to judge (86.9%) share 60% or more of their word 5-grams with training rows (the same sentences with other names, amounts or greetings): the figures of this report likely overstate';
    await reg.recordGate('m-gated', { pass: true, champion: 'm-near', failed: [], thresholds: {}, at: '2026-12-01T09:00:00.000Z', warnings: [caveat] });
    const gated = (await run(['registry', 'approve', 'm-gated', '--no-promote'], home)).stderr;
    expect(gated).toContain(caveat);
    expect(gated).not.toContain('its registered figures');
  });
});
