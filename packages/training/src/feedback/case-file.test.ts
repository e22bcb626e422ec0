import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import type { ClassifierTask, ConfirmedCase } from '@mailroute/model';
import { feedbackFileChunks, newFeedbackFileTally, readAsName, readConfirmedLabel } from './case-file.js';

const config = parseTrainingConfig({
  columns: { id: 'id', subject: 'subject', body: 'body', bank: 'bank', receivedAt: 'receivedAt', attachmentNames: 'files' },
  tasks: [{ name: 'queue', labels: ['payments', 'tax'] }],
  delimiter: ';',
});

const cases: ConfirmedCase[] = [
  { emailId: 'e-1', labels: { queue: 'payments', topic: 'x' }, closedAt: '2026-11-02T10:00:00.000Z', classifiedAt: '2026-11-01T09:00:00.000Z', text: 'IBAN DE89; bitte', bank: 'Musterbank', attachmentNames: ['Auszug_DE89.pdf'] },
  { emailId: 'e-2', labels: { queue: 'tax' }, closedAt: '2026-11-02T11:00:00.000Z', classifiedAt: '2026-11-01T09:30:00.000Z' },
  { emailId: 'e-3', labels: { queue: 'tax' }, closedAt: '2026-11-02T12:00:00.000Z', text: 'Ich bin nicht im Büro.', automated: 'auto_reply' },
];
const mask = (text: string) => text.replace(/DE89/g, '[IBAN]');

async function file(format: 'csv' | 'jsonl', labelsOnly = false) {
  const tally = newFeedbackFileTally();
  let out = '';
  for await (const chunk of feedbackFileChunks(cases, config, { format, labelsOnly, mask, tally })) out += chunk;
  return { out, tally };
}

describe('feedbackFileChunks', () => {
  it("writes the cases with text in the config's columns and delimiter, masked, automated mail and cases without text left out and counted", async () => {
    const { out, tally } = await file('csv');
    expect(out).toBe('id;subject;body;bank;receivedAt;files;queue;closedAt;classifiedAt;modelId;predictionId\ne-1;;"IBAN [IBAN]; bitte";Musterbank;2026-11-01T09:00:00.000Z;"[""Auszug [IBAN].pdf""]";payments;2026-11-02T10:00:00.000Z;2026-11-01T09:00:00.000Z;;\n');
    expect(tally).toEqual({ all: 3, written: 1, automated: 1, otherTasks: new Map([['topic', 1]]), renamed: new Map() });
  });

  it('writes JSONL with every column as a key, and with labelsOnly every case but automated mail, without text', async () => {
    const lines = (await file('jsonl')).out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ id: 'e-1', body: 'IBAN [IBAN]; bitte', subject: null, queue: 'payments' });
    const { out, tally } = await file('csv', true);
    expect(out.split('\n')).toEqual(['id;queue;closedAt;classifiedAt;modelId;predictionId', 'e-1;payments;2026-11-02T10:00:00.000Z;2026-11-01T09:00:00.000Z;;', 'e-2;tax;2026-11-02T11:00:00.000Z;2026-11-01T09:30:00.000Z;;', '']);
    expect(tally.written).toBe(2);
  });
});

describe('labels stored under an old name', () => {
  // Month 4: `onboarding_kyc` is `kyc_onboarding` now, and the alias of the CRM's old `kyc` is gone.
  const later = parseTrainingConfig({
    columns: { id: 'id', body: 'body' },
    tasks: [{ name: 'queue', labels: ['kyc_onboarding', 'payments_transfers', 'other'], aliases: { onboarding_kyc: 'kyc_onboarding', payments: 'payments_transfers' }, retired: ['complaints'] }],
  });
  // The model that made the predictions read `kyc` as `onboarding_kyc`, and merged the rare `inheritance` into other.
  const model: ClassifierTask = { name: 'queue', labels: ['onboarding_kyc', 'payments_transfers', 'other'], aliases: { kyc: 'onboarding_kyc', inheritance: 'other' }, mergedIntoOther: ['inheritance'] };
  const [queue] = later.tasks;

  it('are written under the name they are read as: the renames of the model that predicted, then the config\'s', async () => {
    expect(readAsName(queue, 'kyc', model)).toBe('kyc_onboarding');
    expect(readAsName(queue, 'payments', model)).toBe('payments_transfers');
    expect(readAsName(queue, 'payments', undefined)).toBe('payments_transfers');
    // Not into `other` for having been rare once; a retired label, and one no taxonomy knows, as stored.
    expect(readAsName(queue, 'inheritance', model)).toBe('inheritance');
    expect(readAsName(queue, 'complaints', model)).toBe('complaints');
    expect(readAsName(queue, 'kyc', undefined)).toBe('kyc');

    const tally = newFeedbackFileTally();
    const stored: ConfirmedCase[] = [
      { emailId: 'k-1', labels: { queue: 'kyc' }, closedAt: '2026-11-02T10:00:00.000Z', modelId: 'm-3', text: 'Anbei mein Ausweis.' },
      { emailId: 'k-2', labels: { queue: 'kyc' }, closedAt: '2026-11-02T10:00:00.000Z', modelId: 'm-gone', text: 'Anbei mein Ausweis.' },
    ];
    let out = '';
    const modelTasks = (id: string) => (id === 'm-3' ? [model] : undefined);
    for await (const chunk of feedbackFileChunks(stored, later, { format: 'csv', mask: (t) => t, tally, modelTasks })) out += chunk;
    expect(out.split('\n').slice(1, 3).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['k-1,Anbei mein Ausweis.,kyc_onboarding', 'k-2,Anbei mein Ausweis.,kyc']);
    expect(tally.renamed).toEqual(new Map([['queue: kyc -> kyc_onboarding', 1]]));
  });
});

describe('a stored label that is a label of the config given', () => {
  // `payments_transfers` split into `payments` and `transfers_abroad`, and retired; `orders_trading` merged into `trading`.
  const split = parseTrainingConfig({
    columns: { id: 'id', body: 'body' },
    tasks: [{ name: 'queue', labels: ['payments', 'transfers_abroad', 'trading'], aliases: { orders_trading: 'trading' }, retired: ['payments_transfers'] }],
  });
  // The old model read the CRM's old `payments` as `payments_transfers`.
  const oldModel: ClassifierTask = { name: 'queue', labels: ['payments_transfers', 'orders_trading'], aliases: { payments: 'payments_transfers' } };
  const [queue] = split.tasks;

  it("is read as itself, not through the old model's rename into a label the config retires (masked in retraining)", async () => {
    expect(readConfirmedLabel(queue, 'payments', oldModel)).toEqual({ name: 'payments', read: true });
    // A name that is no label of the config still goes through the renames and the config's aliases.
    expect(readConfirmedLabel(queue, 'orders_trading', oldModel)).toEqual({ name: 'trading', read: true });
    expect(readConfirmedLabel(queue, 'payments_transfers', oldModel)).toEqual({ name: 'payments_transfers', read: true });

    const tally = newFeedbackFileTally();
    const stored: ConfirmedCase[] = [{ emailId: 'p-1', labels: { queue: 'payments' }, closedAt: '2026-11-02T10:00:00.000Z', modelId: 'm-old', text: 'Lastschrift zurückgeben' }];
    let out = '';
    for await (const chunk of feedbackFileChunks(stored, split, { format: 'csv', mask: (t) => t, tally, modelTasks: () => [oldModel] })) out += chunk;
    expect(out.split('\n')[1].split(',').slice(0, 3)).toEqual(['p-1', 'Lastschrift zurückgeben', 'payments']);
    expect(tally.renamed).toEqual(new Map());
  });
});
