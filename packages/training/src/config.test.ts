import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrainingConfig, parseTrainingConfig } from './config.js';
import { TrainingConfigError } from './errors.js';
import { resolveLabel } from './taxonomy.js';

/** A config file with these contents in a fresh temporary folder. */
async function configFile(name: string, contents: string | Buffer): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'cfg-')), name);
  await writeFile(file, contents);
  return file;
}

const ok = { columns: { body: 'body' }, tasks: [{ name: 'queue' }], split: { kind: 'stratified', on: 'queue' } };

/** The message a config is refused with ('' when it is not). */
function messageOf(config: unknown): string {
  try {
    parseTrainingConfig(config);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('training config', () => {
  it('takes seeds from 0 to 2^32 - 1 and refuses the others, which the generators would wrap onto them', () => {
    const seeded = (split: number, model: number) => ({ ...ok, split: { ...ok.split, seed: split }, model: { seed: model } });
    expect(parseTrainingConfig(seeded(0, 4294967295)).split.seed).toBe(0);
    expect(parseTrainingConfig(seeded(4294967295, 0)).split.seed).toBe(4294967295);
    expect(messageOf(seeded(4294967296, 7))).toBe('training config: split.seed: a seed is a whole number from 0 to 4294967295, got 4294967296 (the generators keep 32 bits: it would act as 0)');
    expect(messageOf(seeded(1, -1))).toBe('training config: model.seed: a seed is a whole number from 0 to 4294967295, got -1 (the generators keep 32 bits: it would act as 4294967295)');
    expect(messageOf({ ...ok, split: { kind: 'time', seed: -2 }, columns: { body: 'body', receivedAt: 'date' } })).toMatch(/split\.seed: a seed is a whole number/);
    // A model trained before the rule is read back as it was trained.
    expect(parseTrainingConfig(seeded(-1, 2 ** 40), 'stored', { stored: true }).split.seed).toBe(-1);
  });

  it('refuses a model that reads no text, char n-grams that make none, and more characters than the server passes on', () => {
    const model = (m: Record<string, unknown>) => ({ ...ok, model: m });
    expect(messageOf(model({ charNgrams: [5, 3] }))).toBe('training config: model.charNgrams: [5, 3] makes no char n-grams: give [min, max] with 1 <= min <= max (e.g. [3, 5]), or [0, 0] for none');
    expect(messageOf(model({ charNgrams: [0, 5] }))).toMatch(/model\.charNgrams: \[0, 5\] makes no char n-grams/);
    expect(messageOf(model({ wordNgrams: 0, charNgrams: [0, 0] }))).toBe('training config: model: the model would read no text: wordNgrams is 0 and charNgrams [0, 0]; give word n-grams (wordNgrams 1 to 4), char n-grams, or both');
    expect(messageOf(model({ maxChars: 60_000 }))).toMatch(/model\.maxChars: 60000 is more than the server reads of a text field \(20000 characters, then cut\)/);
    for (const fine of [{ charNgrams: [0, 0] }, { charNgrams: [4, 4] }, { wordNgrams: 0 }, { maxChars: 20_000 }]) expect(messageOf(model(fine))).toBe('');
    // A model trained before the rules is read back as it was trained.
    expect(parseTrainingConfig(model({ charNgrams: [5, 3], maxChars: 60_000 }), 'stored', { stored: true }).model).toEqual({ charNgrams: [5, 3], maxChars: 60_000 });
  });

  it('fills defaults', () => {
    const c = parseTrainingConfig(ok);
    expect(c.format).toBeUndefined();
    expect(c.onBadRow).toBe('fail');
    expect(c.tasks[0].minCount).toBe(1);
    expect(c.split).toEqual({ kind: 'stratified', on: 'queue', testShare: 0.2, validShare: 0.1, seed: 0 });
  });

  it('reads a file by its name unless the config names a format', async () => {
    const { formatOf } = await import('./config.js');
    const c = parseTrainingConfig(ok);
    expect(['a.csv', 'a.jsonl', 'b.NDJSON', 'export.txt'].map((f) => formatOf(c, f))).toEqual(['csv', 'jsonl', 'jsonl', 'csv']);
    expect(formatOf(parseTrainingConfig({ ...ok, format: 'csv' }), 'a.jsonl')).toBe('csv');
    expect(formatOf(parseTrainingConfig({ ...ok, format: 'jsonl' }), 'a.csv')).toBe('jsonl');
  });

  it('splits stratified on the first task when the config names no split', () => {
    const c = parseTrainingConfig({ columns: { body: 'body' }, tasks: [{ name: 'topic' }, { name: 'queue' }] });
    expect(c.split).toEqual({ kind: 'stratified', on: 'topic', testShare: 0.2, validShare: 0.1, seed: 0 });
  });

  it('refuses a split on an unknown task, a time split without times, duplicate tasks', () => {
    expect(() => parseTrainingConfig({ ...ok, split: { kind: 'stratified', on: 'topic' } })).toThrow(/split\.on: "topic" is not a task \(tasks: queue\)$/);
    // The path is said once; a close task name is suggested.
    const prio = { ...ok, tasks: [{ name: 'queue' }, { name: 'priority' }], split: { kind: 'stratified', on: 'prio' } };
    expect(() => parseTrainingConfig(prio)).toThrow('training config: split.on: "prio" is not a task (did you mean "priority"? tasks: queue, priority)');
    expect(() => parseTrainingConfig({ ...ok, routing: { queueTask: 'queues' } })).toThrow('routing.queueTask: "queues" is not a task (did you mean "queue"? tasks: queue)');
    // routing.abstainTasks: tasks of the config, the queue task among them.
    const two = { ...ok, tasks: [{ name: 'queue' }, { name: 'area' }] };
    expect(parseTrainingConfig({ ...two, routing: { queueTask: 'queue', abstainTasks: ['queue', 'area'] } }).routing).toEqual({ queueTask: 'queue', abstainTasks: ['queue', 'area'] });
    expect(() => parseTrainingConfig({ ...two, routing: { queueTask: 'queue', abstainTasks: ['queue', 'areas'] } })).toThrow('routing.abstainTasks.1: "areas" is not a task');
    expect(() => parseTrainingConfig({ ...two, routing: { queueTask: 'queue', abstainTasks: ['area'] } })).toThrow('routing.abstainTasks: must name the queue task "queue" too');
    // routing.automatedQueues: a CRM queue per kind of automated mail (any name), a misspelt kind named.
    expect(parseTrainingConfig({ ...ok, routing: { queueTask: 'queue', automatedQueues: { auto_reply: ' Auto-Antworten ' } } }).routing).toEqual({ queueTask: 'queue', automatedQueues: { auto_reply: 'Auto-Antworten' } });
    expect(() => parseTrainingConfig({ ...ok, routing: { queueTask: 'queue', automatedQueues: { auto_replies: 'x' } } })).toThrow(/routing\.automatedQueues: unknown key "auto_replies" \(did you mean "auto_reply"\?/);
    expect(() => parseTrainingConfig({ ...ok, routing: { queueTask: 'queue', automatedQueues: { delivery_failure: ' ' } } })).toThrow('routing.automatedQueues.delivery_failure: a queue name, not empty');
    expect(() => parseTrainingConfig({ ...ok, split: { kind: 'time' } })).toThrow(TrainingConfigError);
    expect(() => parseTrainingConfig({ ...ok, tasks: [{ name: 'queue' }, { name: 'queue' }] })).toThrow(/appears twice/);
    expect(() => parseTrainingConfig({ ...ok, columns: { bank: 'bank' } })).toThrow(/at least one of subject, body, html/);
  });

  it('refuses a task name that is not ASCII letters, digits and _, quoting it with a name it could be', () => {
    const named = (n: string) => () => parseTrainingConfig({ ...ok, tasks: [{ name: 'queue' }, { name: n }] });
    expect(named('Priorität')).toThrow('tasks.1.name: "Priorität": ASCII letters (a-z, A-Z), digits and _ only, starting with a letter (such as "Prioritaet")');
    expect(named('queue.v2')).toThrow('(such as "queue_v2")');
    expect(named('my urgency')).toThrow('(such as "my_urgency")');
    expect(named('1urgency')).toThrow('(such as "t_1urgency")');
    expect(named('Café')).toThrow('(such as "Cafe")');
    expect(named('…')).toThrow(/"…": ASCII letters \(a-z, A-Z\), digits and _ only, starting with a letter$/);
  });

  it('takes a target precision per task (absent: the run\'s), above 0 and at most 1 as the run\'s, refusing a percentage with the share it means', () => {
    const two = { ...ok, tasks: [{ name: 'queue', targetPrecision: 0.95 }, { name: 'topic' }], targetPrecision: 0.9 };
    expect(parseTrainingConfig(two).tasks.map((t) => t.targetPrecision)).toEqual([0.95, undefined]);
    expect(parseTrainingConfig({ ...ok, tasks: [{ name: 'queue', targetPrecision: 1 }] }).tasks[0].targetPrecision).toBe(1);
    const target = (value: unknown) => messageOf({ ...ok, tasks: [{ name: 'queue', targetPrecision: value }] });
    expect(target(0)).toBe('training config: tasks.0.targetPrecision: a precision above 0 and at most 1 (e.g. 0.95), got 0');
    expect(target(1.2)).toBe('training config: tasks.0.targetPrecision: a precision above 0 and at most 1 (e.g. 0.95), got 1.2');
    expect(target(95)).toBe('training config: tasks.0.targetPrecision: a precision above 0 and at most 1, got 95: write 0.95 for 95%');
    expect(target('0.95')).toBe('training config: tasks.0.targetPrecision: a precision above 0 and at most 1 (e.g. 0.95), got "0.95"');
    // The run's is refused alike.
    expect(messageOf({ ...ok, targetPrecision: 90 })).toBe('training config: targetPrecision: a precision above 0 and at most 1, got 90: write 0.9 for 90%');
    // And the model's (model.targetPrecision wins over the run's): 0 would choose no threshold at all.
    expect(messageOf({ ...ok, model: { targetPrecision: 0 } })).toBe('training config: model.targetPrecision: a precision above 0 and at most 1 (e.g. 0.95), got 0');
    expect(messageOf({ ...ok, model: { targetPrecision: 95 } })).toBe('training config: model.targetPrecision: a precision above 0 and at most 1, got 95: write 0.95 for 95%');
    // A misspelt one is named with the key meant; one in a level that has none says where it belongs.
    expect(messageOf({ ...ok, tasks: [{ name: 'queue', targetPrecison: 0.95 }] })).toBe('training config: tasks.0: unknown key "targetPrecison" (did you mean "targetPrecision"?)');
    expect(messageOf({ ...ok, routing: { queueTask: 'queue', targetPrecision: 0.95 } })).toBe('training config: routing: unknown key "targetPrecision" (it belongs at the top level or in each entry of tasks[] or in model)');
  });

  it('follows alias chains (rename then merge), and detects cycles', () => {
    const task = parseTrainingConfig({ ...ok, tasks: [{ name: 'queue', labels: ['c'], aliases: { a: 'b', b: 'c' }, retired: ['old'] }] }).tasks[0];
    expect(resolveLabel(task, 'a')).toEqual({ kind: 'label', label: 'c', renamedFrom: 'a' });
    expect(resolveLabel(task, ' c ')).toEqual({ kind: 'label', label: 'c' });
    expect(resolveLabel(task, 'old')).toEqual({ kind: 'retired', label: 'old' });
    expect(resolveLabel(task, '')).toEqual({ kind: 'missing' });
    expect(resolveLabel(task, 'zzz')).toEqual({ kind: 'unknown', label: 'zzz' });
    // `other` is what rare labels merge into, not a free pass: in the data it must be in the taxonomy.
    expect(resolveLabel(task, 'other')).toEqual({ kind: 'unknown', label: 'other' });
    const withOther = parseTrainingConfig({ ...ok, tasks: [{ name: 'queue', labels: ['c', 'other'] }] }).tasks[0];
    expect(resolveLabel(withOther, 'other')).toEqual({ kind: 'label', label: 'other' });
    // The config refuses a loop (below); a task built in code is still guarded.
    const cyc = { ...parseTrainingConfig(ok).tasks[0], aliases: { a: 'b', b: 'a' } };
    expect(resolveLabel(cyc, 'a').kind).toBe('alias-cycle');
  });
});

describe('config mistakes', () => {
  it('refuses unknown keys at any level, naming the path and the likely meant key', () => {
    expect(() => parseTrainingConfig({ ...ok, taks: [] })).toThrow(/^training config: \(root\): unknown key "taks" \(did you mean "tasks"\?\)/);
    expect(() => parseTrainingConfig({ ...ok, tasks: [{ name: 'queue', minCont: 5 }] })).toThrow(/tasks\.0: unknown key "minCont" \(did you mean "minCount"\?\)/);
    expect(() => parseTrainingConfig({ ...ok, split: { kind: 'stratified', on: 'queue', testshare: 0.3 } })).toThrow(/split: unknown key "testshare" \(did you mean "testShare"\?\)/);
    expect(() => parseTrainingConfig({ ...ok, model: { epoch: 3 } })).toThrow(/model: unknown key "epoch" \(did you mean "epochs"\?\)/);
    expect(() => parseTrainingConfig({ ...ok, zzzzzz: 1 })).toThrow(/unknown key "zzzzzz"(?! \(did)/);
    expect(() => parseTrainingConfig({ ...ok, columns: { body: 'body', receivedAt: 'at' }, split: { kind: 'time', on: 'queue' } })).toThrow(/split: unknown key "on"(?! \(did)/);
  });

  it('suggests only keys of the same level, and says where a key of another level belongs', () => {
    // minCount is a key of each task, not of the config: no "did you mean" across levels.
    expect(() => parseTrainingConfig({ ...ok, minCont: 5 })).toThrow(/\(root\): unknown key "minCont"(?! \()/);
    expect(() => parseTrainingConfig({ ...ok, minCount: 5, aliases: {}, retired: [] })).toThrow(
      /^training config: \(root\): unknown key "minCount" \(it belongs in each entry of tasks\[\]\), unknown key "aliases" \(it belongs in each entry of tasks\[\]\), unknown key "retired" \(it belongs in each entry of tasks\[\]\)/,
    );
    expect(() => parseTrainingConfig({ ...ok, tasks: [{ name: 'queue', seed: 3 }] })).toThrow(/tasks\.0: unknown key "seed" \(it belongs in split or in model\)/);
    expect(() => parseTrainingConfig({ ...ok, epochs: 3, subject: 'Betreff', queueTask: 'queue' })).toThrow(
      /\(root\): unknown key "epochs" \(it belongs in model\), unknown key "subject" \(it belongs in columns\), unknown key "queueTask" \(it belongs in routing\)/,
    );
    expect(() => parseTrainingConfig({ ...ok, model: { minCount: 2 } })).toThrow(/model: unknown key "minCount" \(it belongs in each entry of tasks\[\]\)/);
    expect(() => parseTrainingConfig({ ...ok, columns: { body: 'body', on: 'queue' } })).toThrow(/columns: unknown key "on" \(it belongs in split\)/);
    // A typo of a key of this level is still caught when another level has a close key: the task's own.
    expect(() => parseTrainingConfig({ ...ok, tasks: [{ name: 'queue', rar: 'drop' }] })).toThrow(/tasks\.0: unknown key "rar" \(did you mean "rare"\?\)/);
  });

  it("refuses a rare that is no action, saying that a CRM's own catch-all is aliased into other", () => {
    // The catch-all is always `other`: a CRM's `Sonstiges` is mapped into it, not named as `rare`.
    expect(() => parseTrainingConfig({ ...ok, tasks: [{ name: 'queue', rare: 'Sonstiges' }] })).toThrow(
      'training config: tasks.0.rare: "Sonstiges": expected "other" (labels under minCount merge into the catch-all label "other", whose mail goes to manual triage) or "drop" (they are masked). ' +
        'The catch-all label is always "other": if "Sonstiges" is your CRM\'s own catch-all label, alias it into "other" to send its mail to manual triage ("aliases": { "Sonstiges": "other" })',
    );
    expect(() => parseTrainingConfig({ ...ok, tasks: [{ name: 'queue', rare: 'Other' }] })).toThrow(/tasks\.0\.rare: "Other": did you mean "other"\? expected "other" \(.*\) or "drop" \(they are masked\)$/);
    expect(() => parseTrainingConfig({ ...ok, tasks: [{ name: 'queue', rare: 3 }] })).toThrow(/tasks\.0\.rare: expected "other" \(.*\) or "drop" \(they are masked\)$/);
  });

  it('refuses validShare 0 before any data is read: training needs a validation split', () => {
    const split = { kind: 'stratified', on: 'queue', testShare: 0.2, validShare: 0 };
    expect(() => parseTrainingConfig({ ...ok, split })).toThrow(
      'training config: split.validShare: 0 leaves no validation split, which early stopping, calibration and the abstention thresholds need: leave it out (0.1) or give a share above 0',
    );
    expect(() => parseTrainingConfig({ ...ok, columns: { body: 'body', receivedAt: 'receivedAt' }, split: { kind: 'time', testShare: 0, validShare: 0 } })).toThrow(/split\.validShare: 0 leaves no validation split/);
    expect(parseTrainingConfig({ ...ok, split: { ...split, validShare: 0.05 } }).split).toMatchObject({ validShare: 0.05 });
  });

  it('checks the model parameters before any data is read', () => {
    expect(() => parseTrainingConfig({ ...ok, model: { epochs: 0 } })).toThrow(/model\.epochs: Too small/);
    expect(parseTrainingConfig({ ...ok, model: { epochs: 2, dim: 16 } }).model).toEqual({ epochs: 2, dim: 16 });
  });

  it('refuses __proto__ as an alias, a label, a task or any key, naming the place, instead of dropping it', async () => {
    // JSON.parse makes "__proto__" an own key, as a config file read from disk has it.
    const aliased = JSON.parse('{"columns": {"body": "body"}, "tasks": [{"name": "queue", "labels": ["kyc"], "aliases": {"__proto__": "kyc", "payments": "kyc"}}]}');
    expect(() => parseTrainingConfig(aliased)).toThrow(TrainingConfigError);
    expect(() => parseTrainingConfig(aliased)).toThrow(
      'training config: tasks.0.aliases.__proto__: "__proto__" cannot name a label (no JavaScript record can hold it: it would be dropped without a word): rename it',
    );
    const named = { ...ok, tasks: [{ name: 'queue', labels: ['kyc', '__proto__'], retired: ['__proto__'], aliases: { old: '__proto__' } }] };
    expect(messageOf(named).split('; ').slice(0, 3)).toEqual([
      'training config: tasks.0.labels.1: "__proto__" cannot name a task or a label (no JavaScript record can hold it): rename it',
      'tasks.0.retired.0: "__proto__" cannot name a task or a label (no JavaScript record can hold it): rename it',
      'tasks.0.aliases.old: "__proto__" cannot name a task or a label (no JavaScript record can hold it): rename it',
    ]);
    expect(messageOf({ ...ok, tasks: [{ name: '__proto__' }], split: undefined })).toContain('tasks.0.name: "__proto__" cannot name a task or a label');
    const file = await configFile('train.json', '{"columns": {"body": "body"}, "tasks": [{"name": "queue"}], "model": {"__proto__": {"epochs": 3}}}');
    await expect(loadTrainingConfig(file)).rejects.toThrow(`${file}: model.__proto__: "__proto__" cannot be a key`);
    // A trained model's config is read back as it was trained (the alias was dropped then).
    expect(parseTrainingConfig(aliased, 'stored', { stored: true }).tasks[0].aliases).toEqual({ payments: 'kyc' });
  });

  it('refuses forms that read as __proto__ (spaces around it, an emoji variation selector) as it refuses __proto__', () => {
    // Labels are read trimmed and without selectors: the alias " __proto__" was dropped without a word, and the label,
    // retired label or alias target " __proto__" was taken as __proto__.
    const padded = { ...ok, tasks: [{ name: 'queue', labels: ['kyc', ' __proto__'], retired: ['__proto__\uFE0F'], aliases: { ' __proto__': 'kyc', old: '__proto__ ' } }] };
    expect(messageOf(JSON.parse(JSON.stringify(padded))).split('; ').slice(0, 4)).toEqual([
      'training config: tasks.0.labels.1: " __proto__" reads as "__proto__", which cannot name a task or a label (no JavaScript record can hold it): rename it',
      'tasks.0.retired.0: "__proto__\uFE0F" reads as "__proto__", which cannot name a task or a label (no JavaScript record can hold it): rename it',
      'tasks.0.aliases." __proto__": " __proto__" reads as "__proto__", which cannot name a label (no JavaScript record can hold it: it would be dropped without a word): rename it',
      'tasks.0.aliases.old: "__proto__ " reads as "__proto__", which cannot name a task or a label (no JavaScript record can hold it): rename it',
    ]);
    // Only labels are read so: a key of model or columns is refused as written.
    expect(messageOf({ ...ok, model: { ' __proto__': 1 } })).not.toContain('reads as');
  });

  it('refuses taxonomies that contradict themselves', () => {
    const task = (t: object) => ({ ...ok, tasks: [{ name: 'queue', ...t }] });
    expect(() => parseTrainingConfig(task({ labels: ['a', 'b', 'a'] }))).toThrow(/tasks\.0\.labels: label "a" appears twice/);
    expect(() => parseTrainingConfig(task({ labels: ['a'], aliases: { x: 'y' } }))).toThrow(/tasks\.0\.aliases\.x: alias "x" leads to "y", which is not in the task's labels \(.*labels: a\)/);
    // A misspelt target is named with the label probably meant, as a misspelt key is.
    expect(() => parseTrainingConfig(task({ labels: ['payments', 'tax'], aliases: { zahlungsverkehr: 'payment' } }))).toThrow(/alias "zahlungsverkehr" leads to "payment", which is not in the task's labels \(did you mean "payments"\? labels: payments, tax\)/);
    expect(() => parseTrainingConfig(task({ aliases: { a: 'b', b: 'a' } }))).toThrow(/aliases loop: a -> b -> a/);
    expect(() => parseTrainingConfig(task({ labels: ['a', 'b'], retired: ['b'] }))).toThrow(/tasks\.0\.retired: "b" is both retired and in labels/);
    expect(() => parseTrainingConfig(task({ labels: ['a'], aliases: { kyc: 'a' }, retired: ['kyc'] }))).toThrow(/"kyc" is both retired and an alias/);
    expect(parseTrainingConfig(task({ labels: ['c'], aliases: { a: 'b', b: 'c', old: 'gone' }, retired: ['gone'] })).tasks[0].labels).toEqual(['c']);
  });

  it('refuses a retired other that rare labels merge into: the model would learn it while its own rows are masked', () => {
    const task = (t: object) => ({ ...ok, tasks: [{ name: 'queue', ...t }] });
    // Accepted before: the model learnt `other` from the rare labels alone, and serving ignored feedback of it as retired.
    expect(messageOf(task({ retired: ['other'], minCount: 5 }))).toBe(
      'training config: tasks.0.retired: "other" is retired, but labels on fewer than minCount (5) rows merge into it (rare "other"): a model would learn "other" from those rows while its own are masked; set "rare": "drop", or take "other" out of retired',
    );
    // Nothing merges into it with minCount 1 or rare "drop"; a model's stored config is read as it was trained.
    expect(parseTrainingConfig(task({ retired: ['other'] })).tasks[0].retired).toEqual(['other']);
    expect(parseTrainingConfig(task({ retired: ['other'], minCount: 5, rare: 'drop' })).tasks[0].retired).toEqual(['other']);
    expect(parseTrainingConfig(task({ retired: ['other'], minCount: 5 }), 'stored', { stored: true }).tasks[0].retired).toEqual(['other']);
  });

  it('refuses an alias of a label that is listed: that label could never occur', () => {
    const task = (t: object) => ({ ...ok, tasks: [{ name: 'queue', ...t }] });
    expect(() => parseTrainingConfig(task({ labels: ['billing', 'payments'], aliases: { billing: 'payments' } }))).toThrow(
      /tasks\.0\.aliases\.billing: "billing" is both in labels and an alias \(of "payments"\): its rows become "payments", so the label "billing" can never occur \(remove it from labels or from aliases\)/,
    );
    // A model trained before the rule still reads data with its own stored config.
    expect(parseTrainingConfig(task({ labels: ['billing', 'payments'], aliases: { billing: 'payments' } }), 'stored', { stored: true }).tasks[0].aliases).toEqual({ billing: 'payments' });
  });

  it('refuses an alias from a blank label, and blank labels, saying that a blank cell is a row without a label', () => {
    const task = (t: object) => ({ ...ok, tasks: [{ name: 'queue', ...t }] });
    // Accepted before, and nothing done: a blank cell is read as no label before any alias, so its rows stayed masked.
    for (const blank of ['', ' ', '\uFE0F']) {
      expect(messageOf(task({ labels: ['a', 'unknown'], aliases: { [blank]: 'unknown' } }))).toBe(
        'training config: tasks.0.aliases: an alias from a blank label (to "unknown") does nothing: a blank cell is a row without a label, masked in this task; remove it, or fill the cells in the export',
      );
    }
    expect(messageOf(task({ labels: ['a', ' '], aliases: { old: '' } })).split('; ')).toEqual([
      'training config: tasks.0.labels.1: a label cannot be blank (a blank cell is a row without a label)',
      'tasks.0.aliases.old: a label cannot be blank (a blank cell is a row without a label)',
    ]);
    // A model's own stored config is read as it was trained.
    expect(parseTrainingConfig(task({ aliases: { '': 'unknown' } }), 'stored', { stored: true }).tasks[0].aliases).toEqual({ '': 'unknown' });
  });

  it('quotes a key of the path that is not a plain name, so its dots and spaces are not read as the path\'s', () => {
    const task = (t: object) => ({ ...ok, tasks: [{ name: 'queue', ...t }] });
    // Was `tasks.0.aliases.v1.2: ...` and `tasks.0.aliases.Zahlung alt: ...`.
    expect(messageOf(task({ aliases: { 'v1.2': '', 'Zahlung alt': ' ', Überweisung: '' } })).split('; ')).toEqual([
      'training config: tasks.0.aliases."v1.2": a label cannot be blank (a blank cell is a row without a label)',
      'tasks.0.aliases."Zahlung alt": a label cannot be blank (a blank cell is a row without a label)',
      'tasks.0.aliases.Überweisung: a label cannot be blank (a blank cell is a row without a label)',
    ]);
  });

  it('reports every taxonomy problem together, not only the first alias loop', () => {
    const config = { ...ok, tasks: [{ name: 'queue', labels: ['a', 'b', 'a', 'b', 'c'], aliases: { x: 'y', y: 'x', c: 'a', z: 'nowhere' } }] };
    const message = (() => {
      try {
        parseTrainingConfig(config);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message.split('; ')).toEqual([
      'training config: tasks.0.labels: label "a" appears twice',
      'tasks.0.labels: label "b" appears twice',
      'tasks.0.aliases.x: aliases loop: x -> y -> x',
      'tasks.0.aliases.c: "c" is both in labels and an alias (of "a"): its rows become "a", so the label "c" can never occur (remove it from labels or from aliases)',
      'tasks.0.aliases.z: alias "z" leads to "nowhere", which is not in the task\'s labels (labels: a, b, c)',
    ]);
  });
});

describe('every config problem in one message', () => {

  it('checks split, routing and the model parameters even when a field such as columns is missing', () => {
    const config = { tasks: [{ name: 'queue', minCont: 5 }, { name: 'topic' }], model: { epoch: 3 }, split: { kind: 'stratified', on: 'queu' } };
    expect(messageOf(config).split('; ')).toEqual([
      'training config: tasks.0: unknown key "minCont" (did you mean "minCount"?)',
      'model: unknown key "epoch" (did you mean "epochs"?)',
      'columns is required (which columns hold subject, body, html, id, bank, receivedAt and from: e.g. {"subject": "Betreff", "body": "Text"})',
      'split.on: "queu" is not a task (did you mean "queue"? tasks: queue, topic)',
    ]);
    const routing = messageOf({ tasks: [{ name: 'queue' }], routing: { queueTask: 'queues' }, delimiter: ';;' });
    expect(routing).toContain('routing.queueTask: "queues" is not a task');
    expect(routing).toContain('delimiter: ');
  });

  it('answers a delimiter written by name (semicolon) or as the two characters \\t with the character to write', () => {
    const base = { columns: { subject: 's' }, tasks: [{ name: 'queue' }] };
    expect(messageOf({ ...base, delimiter: 'semicolon' })).toBe('training config: delimiter: one character, such as ";" or "\\t" (a tab), not "semicolon": write ";"');
    expect(messageOf({ ...base, delimiter: '\\t' })).toContain('not "\\\\t": write "\\t"');
    expect(messageOf({ ...base, delimiter: ';;' })).toBe('training config: delimiter: one character, such as ";" or "\\t" (a tab), not ";;"');
  });

  it('refuses an alias old name given twice in forms that read as one (emoji variation selector, NFD, spaces), which kept only the last', () => {
    const tasks = [{ name: 'q', labels: ['a', 'b'], aliases: { '\u26a0\ufe0f': 'a', '\u26a0': 'b', '\u00dc': 'a', 'U\u0308 ': 'a' } }];
    expect(messageOf({ columns: { subject: 's' }, tasks }).split('; ')).toEqual([
      'training config: tasks.0.aliases: "\u26a0\ufe0f", "\u26a0" are one old name, "\u26a0" (they differ only in spaces around them, Unicode form or emoji variation selectors): keep one alias for it',
      'tasks.0.aliases: "\u00dc", "U\u0308 " are one old name, "\u00dc" (they differ only in spaces around them, Unicode form or emoji variation selectors): keep one alias for it',
    ]);
  });

  it('says a missing key is required, and names no task as unknown when the tasks themselves do not parse', () => {
    expect(messageOf({})).toBe(
      'training config: columns is required (which columns hold subject, body, html, id, bank, receivedAt and from: e.g. {"subject": "Betreff", "body": "Text"}); tasks is required (the label dimensions to learn, each {"name", "column", "labels", "aliases", ...})',
    );
    expect(messageOf({ ...ok, tasks: [{ name: 'queue' }, {}] })).toBe('training config: tasks.1.name is required');
    // QA: a split of shares only gave zod's 'split.kind: Invalid discriminator value. Expected ...'.
    expect(messageOf({ ...ok, split: { testShare: 0.3 } })).toBe('training config: split.kind is required ("stratified" or "time")');
    expect(messageOf({ ...ok, split: { kind: 'random' } })).toContain('split.kind: ');
    // A task that does not parse hides the task names: split.on is not called unknown on a guess.
    expect(messageOf({ tasks: [{ name: '1queue' }], split: { kind: 'stratified', on: 'queue' } })).not.toContain('split.on');
  });

  it("says what each split kind does for a kind there is none of, not zod's 'Invalid discriminator value' (QA: \"random\")", () => {
    const kinds = '"stratified" (by a task\'s labels, with a seed) or "time" (the newest mail as the test set)';
    expect(messageOf({ ...ok, split: { kind: 'random' } })).toBe(`training config: split.kind: "random" is not a split kind: ${kinds}`);
    expect(messageOf({ ...ok, split: { kind: 'Time', testShare: 0.2 } })).toBe(`training config: split.kind: "Time" is not a split kind (did you mean "time"?): ${kinds}`);
    expect(messageOf({ ...ok, split: { kind: 2 } })).toBe(`training config: split.kind: 2 is not a split kind: ${kinds}`);
  });
});

describe('where a config breaks', () => {
  it('finds the line and column of the first JSON error', async () => {
    const { jsonErrorPlace, jsonErrorOffset } = await import('./config-errors.js');
    expect(jsonErrorPlace('{\n  "a": [1, 2,,]\n}')).toBe(':2:14');
    expect(jsonErrorPlace('{"a": 1,}')).toBe(':1:9');
    expect(jsonErrorPlace('{"a": tru}')).toBe(':1:7');
    expect(jsonErrorPlace('{"a": "x')).toBe(':1:9');
    expect(jsonErrorPlace('{"a": 1} x')).toBe(':1:10');
    for (const good of ['{"a": [1, -2.5e3, "q\\"", true, null, {}]}', ' [] ', '"s"']) {
      expect(() => JSON.parse(good)).not.toThrow();
      expect(jsonErrorOffset(good)).toBeUndefined();
    }
  });

  it('names the file, line and column of a config that is not JSON', async () => {
    const file = await configFile('bad.json', '{\n  "columns": {"body": "body"},,\n}');
    await expect(loadTrainingConfig(file)).rejects.toThrow(`${file}:2:31: not JSON`);
  });

  it('reads a config saved with a UTF-8 byte-order mark (Notepad, PowerShell 5), and still places errors after it', async () => {
    const file = await configFile('bom.json', '\uFEFF{"columns": {"body": "body"}, "tasks": [{"name": "queue"}]}\r\n');
    expect((await loadTrainingConfig(file)).tasks.map((t) => t.name)).toEqual(['queue']);
    const bad = await configFile('bad-bom.json', '\uFEFF{\n  "columns": {"body": "body"},,\n}');
    await expect(loadTrainingConfig(bad)).rejects.toThrow(`${bad}:2:31: not JSON`);
  });

  it('refuses a config saved as Windows-1252 (Notepad\'s ANSI), naming the line, instead of turning its umlauts into U+FFFD', async () => {
    // "Überweisung" in Windows-1252: Ü is the single byte 0xDC, not UTF-8.
    const json = '{\r\n  "columns": {"body": "body"},\r\n  "tasks": [{"name": "area", "aliases": {"\u00DCberweisung": "payments"}}]\r\n}';
    const ansi = await configFile('ansi.json', Buffer.from(json, 'latin1'));
    await expect(loadTrainingConfig(ansi)).rejects.toThrow(`${ansi}:3: not UTF-8 (saved as ANSI or Windows-1252?): save it as UTF-8`);
    const utf8 = await configFile('utf8.json', json);
    expect((await loadTrainingConfig(utf8)).tasks[0].aliases).toEqual({ '\u00DCberweisung': 'payments' });
    // UTF-16 (PowerShell's >, Notepad's "Unicode") is named as such, not taken for ANSI.
    const utf16 = await configFile('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]));
    await expect(loadTrainingConfig(utf16)).rejects.toThrow(`${utf16}: UTF-16 text`);
  });
});

describe('trainingConfigJsonSchema', () => {
  it('describes the config for tools outside TypeScript', async () => {
    const { trainingConfigJsonSchema } = await import('./config.js');
    const schema = trainingConfigJsonSchema() as { properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['columns', 'tasks', 'split', 'model', 'onBadRow']));
    expect(schema.required).toEqual(expect.arrayContaining(['columns', 'tasks']));
    expect(schema.required).not.toContain('split');
    // As strict as the config: unknown keys, and the trainer's parameters, are described.
    expect(schema.additionalProperties).toBe(false);
    const model = schema.properties.model as { additionalProperties: boolean; properties: Record<string, unknown> };
    expect(model.additionalProperties).toBe(false);
    expect(Object.keys(model.properties)).toEqual(expect.arrayContaining(['epochs', 'dim', 'buckets']));
    // A task's own target precision, with the run's bounds.
    const task = (schema.properties.tasks as { items: { properties: Record<string, unknown> } }).items;
    expect(task.properties.targetPrecision).toEqual({ type: 'number', exclusiveMinimum: 0, maximum: 1 });
  });
});
