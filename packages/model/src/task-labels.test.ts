import { describe, expect, it } from 'vitest';
import { HashedNgramsParamsSchema } from '@mailroute/preprocess';
import { MANIFEST_SCHEMA_VERSION, ManifestSchema, ManifestTaskSchema } from './manifest.js';
import { classifierTasks, currentLabel, normalizeLabel, renamesOf, withSharedColumnLabels } from './task-labels.js';

const tasks = [
  { name: 'queue', labels: ['onboarding_kyc', 'payments_transfers'], temperature: 1, threshold: 0.5 },
  { name: 'topic', labels: ['login_2fa'], temperature: 1, threshold: 0.5 },
];

describe('classifierTasks', () => {
  it("carries each task's aliases from the stored training config", () => {
    const trainingConfig = { columns: {}, tasks: [{ name: 'queue', aliases: { kyc: 'onboarding_kyc', transfers: 'payments', payments: 'payments_transfers' } }, { name: 'topic', retired: ['paper_statements'] }] };
    const [queue, topic] = classifierTasks({ tasks, trainingConfig });
    expect(queue).toEqual({ name: 'queue', labels: ['onboarding_kyc', 'payments_transfers'], aliases: trainingConfig.tasks[0].aliases });
    expect(topic).toEqual({ name: 'topic', labels: ['login_2fa'], retired: ['paper_statements'] });
    expect(['kyc', 'transfers', 'onboarding_kyc', 'unknown'].map((l) => currentLabel(queue, l))).toEqual(['onboarding_kyc', 'payments_transfers', 'onboarding_kyc', 'unknown']);
  });

  it('names the other tasks that read the same column (a queue over intents), and none for a column of its own', () => {
    const trainingConfig = {
      columns: {},
      tasks: [
        { name: 'intent', column: 'category' },
        { name: 'queue', column: 'category', aliases: { card_arrival: 'card_issues' } },
        { name: 'topic', column: 'topic' },
      ],
    };
    const manifestTasks = [
      { name: 'intent', labels: ['card_arrival'] },
      { name: 'queue', labels: ['card_issues'] },
      { name: 'topic', labels: ['login'] },
    ];
    const [intent, queue, topic] = classifierTasks({ tasks: manifestTasks, trainingConfig });
    expect(intent.columnSharedWith).toEqual(['queue']);
    expect(queue.columnSharedWith).toEqual(['intent']);
    expect(topic).toEqual({ name: 'topic', labels: ['login'] });
    // Without a stored config, nothing is known of columns.
    expect(classifierTasks({ tasks: manifestTasks }).some((t) => t.columnSharedWith)).toBe(false);
  });

  it("fills a task the feedback does not name with the label of a task on its column, never over one it names", () => {
    const tasks = [
      { name: 'intent', columnSharedWith: ['queue'] },
      { name: 'queue', columnSharedWith: ['intent'] },
      { name: 'topic' },
    ];
    expect(withSharedColumnLabels(tasks, { intent: 'card_arrival', topic: 'login' })).toEqual({ intent: 'card_arrival', queue: 'card_arrival', topic: 'login' });
    expect(withSharedColumnLabels(tasks, { intent: 'card_arrival', queue: 'fees' })).toEqual({ intent: 'card_arrival', queue: 'fees' });
    const labels = { topic: 'login' };
    expect(withSharedColumnLabels(tasks, labels)).toBe(labels);
  });

  it('has no aliases without a training config, and stops at a loop', () => {
    expect(classifierTasks({ tasks, trainingConfig: undefined }).every((t) => t.aliases === undefined)).toBe(true);
    expect(currentLabel({ name: 'q', labels: [], aliases: { a: 'b', b: 'a' } }, 'a')).toBe('a');
  });

  it('reads the labels training merged into other (the manifest records them) as other, after the config\'s renames', () => {
    const merged = [{ name: 'topic', labels: ['card', 'other'], temperature: 1, threshold: 0.5, mergedIntoOther: ['inheritance', 'Depotu\u0308bertrag'] }];
    const trainingConfig = { tasks: [{ name: 'topic', aliases: { erbschaft: 'inheritance' } }] };
    const [topic] = classifierTasks({ tasks: merged, trainingConfig });
    expect(topic.mergedIntoOther).toEqual(['inheritance', 'Depot\u00fcbertrag']);
    expect(['inheritance', 'erbschaft', 'Depot\u00fcbertrag', 'card', 'crypto'].map((l) => currentLabel(topic, l))).toEqual(['other', 'other', 'other', 'card', 'crypto']);
    // A model trained before the list was kept has none.
    expect(classifierTasks({ tasks, trainingConfig: undefined })[1]).toEqual({ name: 'topic', labels: ['login_2fa'] });
    // The config's own renames leave the merges out.
    expect(renamesOf(topic)).toEqual({ erbschaft: 'inheritance' });
    expect(renamesOf(undefined)).toEqual({});
  });

  it("keeps the labels of the taxonomy the model has no output for: its config's labels no training row carried, those dropped as rare", () => {
    const manifestTasks = [
      { name: 'queue', labels: ['onboarding_kyc', 'payments_transfers'], temperature: 1, threshold: 0.5 },
      { name: 'topic', labels: ['login_2fa', 'other'], temperature: 1, threshold: 0.5, mergedIntoOther: ['inheritance'], droppedAsRare: ['Depotu\u0308bertrag'] },
    ];
    // crypto had no rows; kyc is renamed, paper_statements retired and inheritance merged into other: none is a label without output.
    const trainingConfig = {
      tasks: [
        { name: 'queue', labels: ['onboarding_kyc', 'payments_transfers', 'crypto', 'kyc', 'paper_statements'], aliases: { kyc: 'onboarding_kyc' }, retired: ['paper_statements'] },
        { name: 'topic', labels: ['login_2fa', 'inheritance', 'Depot\u00fcbertrag'] },
      ],
    };
    const [queue, topic] = classifierTasks({ tasks: ManifestTaskSchema.array().parse(manifestTasks), trainingConfig });
    expect(queue.withoutOutput).toEqual(['crypto']);
    expect(queue.labels).toEqual(['onboarding_kyc', 'payments_transfers']);
    expect(topic.withoutOutput).toEqual(['Depot\u00fcbertrag']);
    // A model whose manifest keeps neither (trained before they were kept, or without labels in its config): none, as before.
    expect(classifierTasks({ tasks, trainingConfig: { tasks: [{ name: 'queue', aliases: { kyc: 'onboarding_kyc' } }] } }).map((t) => t.withoutOutput)).toEqual([undefined, undefined]);
    // A stored config whose labels are of another form keeps its aliases.
    expect(classifierTasks({ tasks, trainingConfig: { tasks: [{ name: 'queue', labels: 'crypto', aliases: { kyc: 'onboarding_kyc' } }] } })[0]).toEqual({ name: 'queue', labels: tasks[0].labels, aliases: { kyc: 'onboarding_kyc' } });
  });
});

describe('normalizeLabel', () => {
  it('makes one label of the forms a person types it in: composed or decomposed, an emoji with or without its variation selector', () => {
    const forms = ['\u00dcberweisung', 'U\u0308berweisung', '\u26a0\ufe0f urgent', '\u26a0\ufe0e urgent', '\u26a0 urgent', '\u2709\ufe0f U\u0308berweisung'];
    expect(forms.map(normalizeLabel)).toEqual(['\u00dcberweisung', '\u00dcberweisung', '\u26a0 urgent', '\u26a0 urgent', '\u26a0 urgent', '\u2709 \u00dcberweisung']);
    // Characters drawn as nothing, pasted with a label, make no other label; the joiners emoji and scripts need stay.
    expect(['K\u00fcndigung\u200b', '\ufeffK\u00fcndigung', 'K\u00fcn\u00addigung', 'K\u00fcndi\u2060gung'].map(normalizeLabel)).toEqual(Array(4).fill('K\u00fcndigung'));
    expect(normalizeLabel('\u{1F468}\u200d\u{1F4BB} IT')).toBe('\u{1F468}\u200d\u{1F4BB} IT');
  });

  it('trims the blanks around a label, as training reads a CSV cell (after the selectors: one may stand before a blank)', () => {
    expect([' account_management', 'account_management \t', '\u00a0account_management\n', '\ufe0f account_management'].map(normalizeLabel)).toEqual(Array(4).fill('account_management'));
    expect(normalizeLabel(' \u26a0\ufe0f urgent ')).toBe('\u26a0 urgent');
    expect(normalizeLabel(' \ufe0f ')).toBe('');
  });

  it('reads a model\'s labels, its config\'s aliases and retired labels so', () => {
    const emoji = [{ name: 'queue', labels: ['\u26a0\ufe0f urgent', 'normal'], temperature: 1, threshold: 0.5 }];
    const trainingConfig = { tasks: [{ name: 'queue', aliases: { '\u2757\ufe0f': '\u26a0\ufe0e urgent' }, retired: ['\u2709\ufe0f'] }] };
    const [queue] = classifierTasks({ tasks: ManifestTaskSchema.array().parse(emoji), trainingConfig });
    expect(queue).toMatchObject({ labels: ['\u26a0 urgent', 'normal'], aliases: { '\u2757': '\u26a0 urgent' }, retired: ['\u2709'] });
    expect(currentLabel(queue, normalizeLabel('\u2757\ufe0e'))).toBe('\u26a0 urgent');
  });

  it('normalises the labels of a manifest read without the manifest schema (the AWS Lambda reads its own), as feedback is', () => {
    const raw = [{ name: 'queue', labels: ['\u26a0\ufe0f urgent', 'U\u0308berweisung'] }];
    expect(classifierTasks({ tasks: raw }).map((t) => t.labels)).toEqual([['\u26a0 urgent', '\u00dcberweisung']]);
  });
});

describe('ManifestTaskSchema mergedIntoOther', () => {
  const task = { name: 'topic', labels: ['card', 'other'], temperature: 1, threshold: 0.5 };
  it('is optional, and kept when given', () => {
    expect(ManifestTaskSchema.parse(task).mergedIntoOther).toBeUndefined();
    expect(ManifestTaskSchema.parse({ ...task, mergedIntoOther: ['inheritance'] }).mergedIntoOther).toEqual(['inheritance']);
  });

  it('is refused in a manifest whose task has no other, or that lists one of its own labels', () => {
    const manifest = (topic: object) => ({
      schemaVersion: MANIFEST_SCHEMA_VERSION,
      modelId: 'm',
      family: 'ngram-bag',
      createdAt: '2026-11-29T10:00:00Z',
      tasks: [topic],
      routing: { queueTask: 'topic' },
      featurizer: { kind: 'hashed-ngrams', params: HashedNgramsParamsSchema.parse({ buckets: 64 }) },
      onnx: { file: 'model.onnx', opset: 17, inputs: { ids: 'ids', weights: 'weights' }, outputs: { topic: 'p_topic' } },
      dataHash: 'x',
      files: { 'model.onnx': 'a'.repeat(64) },
    });
    expect(ManifestSchema.safeParse(manifest({ ...task, mergedIntoOther: ['inheritance'] })).success).toBe(true);
    const issues = (topic: object) => ManifestSchema.safeParse(manifest(topic)).error?.issues.map((i) => i.message);
    expect(issues({ ...task, labels: ['card', 'loan'], mergedIntoOther: ['inheritance'] })).toEqual(['labels merged into other need other among the labels']);
    expect(issues({ ...task, mergedIntoOther: ['card'] })).toEqual(['card is a label of the task, not merged into other']);
  });
});
