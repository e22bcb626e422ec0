import { describe, expect, it } from 'vitest';
import { createPredictionPacker, createPredictionUnpacker } from './prediction-pack.mjs';
import type { PredictionRecord } from './types.js';

function record(i: number, extra: Partial<PredictionRecord> = {}): PredictionRecord {
  return {
    predictionId: `01a229ee-e3d8-7000-bc29-${String(i).padStart(12, '0')}`,
    emailId: `crm-${i}`,
    modelId: 'ngram-bag-1',
    createdAt: '2026-11-30T01:00:00.000Z',
    labels: { business_area: 'savings', queue: 'tax_documents', topic: 'freistellungsauftrag' },
    confidences: { business_area: 0.80379, queue: 0.1 + 0.2, topic: 1 },
    abstained: { business_area: false, queue: true, topic: false },
    queue: 'manual_triage',
    latencyMs: 0.123456789,
    ...extra,
  };
}

const unpackAll = (pack: ReturnType<ReturnType<typeof createPredictionPacker>['take']>, n: number) => {
  const unpacker = createPredictionUnpacker(pack);
  return Array.from({ length: n }, () => unpacker.next());
};

describe('prediction pack', () => {
  it('gives back exactly the records it was given, in order', () => {
    const records = [
      record(1),
      record(2, { text: 'Grüße aus Köln 😀, Konto [IBAN]', emailId: 'crm-"quoted"\n-ß', bank: 'Comdirect', receivedAt: '2026-11-03T10:15:00+01:00', attachmentNames: ['Kontoauszug;11.pdf', 'a"b\n.pdf', ''] }),
      record(3, { labels: {}, confidences: {}, abstained: {} }),
      record(4, { labels: { queue: 'Billing and Payments' }, confidences: { queue: 0 }, abstained: { queue: false }, text: '' }),
      record(5, { queue: 'manual_triage', automated: 'auto_reply' }),
    ];
    const packer = createPredictionPacker();
    packer.add(records.slice(0, 1));
    packer.add(records.slice(1));
    expect(packer.size).toBe(5);
    const back = unpackAll(packer.take(), 5);
    expect(back).toEqual(records);
    expect('text' in back[0]).toBe(false);
    expect('bank' in back[0] || 'receivedAt' in back[0] || 'automated' in back[0]).toBe(false);
    expect(back[3].text).toBe('');
    expect(packer.size).toBe(0);
  });

  it('sends repeated strings once and starts afresh after take()', () => {
    const packer = createPredictionPacker();
    packer.add(Array.from({ length: 50 }, (_, i) => record(i)));
    const pack = packer.take();
    // 50 prediction ids and 50 email ids, then the model id, timestamp, queue, 3 tasks and 3 labels once.
    expect(pack.lengths.length).toBe(100 + 3 + 3 + 3);
    packer.add([record(99)]);
    const next = packer.take();
    expect(unpackAll(next, 1)).toEqual([record(99)]);
    expect(next.lengths.length).toBe(2 + 3 + 3 + 3);
  });

  it('grows past its first buffer and still reads back every record', () => {
    const packer = createPredictionPacker();
    const records = Array.from({ length: 1000 }, (_, i) => record(i, { latencyMs: i / 7 }));
    for (const r of records) packer.add([r]);
    const pack = packer.take();
    expect(pack.nums.length).toBeGreaterThan(4096);
    expect(unpackAll(pack, 1000)).toEqual(records);
  });

  it('refuses a malformed record and packs nothing of its call', () => {
    const packer = createPredictionPacker();
    packer.add([record(1)]);
    const bad = [record(2), { ...record(3), labels: { queue: 7 } }] as unknown as PredictionRecord[];
    expect(() => packer.add(bad)).toThrow(/labels of strings/);
    expect(() => packer.add([{ ...record(4), latencyMs: '1' } as unknown as PredictionRecord])).toThrow(/latencyMs/);
    expect(() => packer.add([{ ...record(5), bank: 42 } as unknown as PredictionRecord])).toThrow(/a string bank or none/);
    expect(() => packer.add([{ ...record(5), attachmentNames: 'a.pdf' } as unknown as PredictionRecord])).toThrow(/attachmentNames of strings or none/);
    expect(() => packer.add([{ ...record(5), attachmentNames: [1] } as unknown as PredictionRecord])).toThrow(/attachmentNames of strings or none/);
    expect(packer.size).toBe(1);
    const pack = packer.take();
    expect(unpackAll(pack, 1)).toEqual([record(1)]);
    expect(pack.lengths.length).toBe(2 + 3 + 3 + 3);
  });

  it('refuses to read past the last record', () => {
    const packer = createPredictionPacker();
    packer.add([record(1)]);
    const unpacker = createPredictionUnpacker(packer.take());
    unpacker.next();
    expect(() => unpacker.next()).toThrow(/no more records/);
  });
});
