import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import type { ConfirmedCase } from '@mailroute/model';
import { feedbackFileChunks, newFeedbackFileTally } from './case-file.js';

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
    expect(tally).toEqual({ all: 3, written: 1, automated: 1, otherTasks: new Map([['topic', 1]]) });
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
