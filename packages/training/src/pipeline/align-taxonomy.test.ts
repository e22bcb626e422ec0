import type { PredictionLine } from '@mailroute/evaluation';
import type { ClassifierTask } from '@mailroute/model';
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from '../config.js';
import { alignToTaxonomy, labelsSpokenOf, tasksReadWith } from './align-taxonomy.js';

// The challenger renamed `complaints` to `customer_care`, merged two topics into `complaint`, and has no `festgeld`.
const tasks: ClassifierTask[] = [
  { name: 'queue', labels: ['customer_care', 'payments', 'other'], aliases: { complaints: 'customer_care' } },
  { name: 'topic', labels: ['complaint', 'sparplan', 'other'], aliases: { fee_complaint: 'complaint', service_complaint: 'complaint' } },
];

const champion: PredictionLine[] = [
  {
    id: 'a',
    truth: { queue: 'complaints', topic: 'fee_complaint' },
    prediction: {
      queue: { label: 'complaints', confidence: 0.7, scores: { complaints: 0.7, payments: 0.3 } },
      topic: { label: 'fee_complaint', confidence: 0.5, scores: { fee_complaint: 0.5, service_complaint: 0.4, festgeld: 0.1 } },
    },
  },
  { id: 'b', truth: { queue: 'payments', topic: null }, prediction: { queue: { label: 'payments', confidence: 0.9 }, topic: { label: 'festgeld', confidence: 0.6 } } },
];
const challenger: PredictionLine[] = [
  { id: 'a', truth: { queue: 'customer_care', topic: 'complaint' }, prediction: { queue: { label: 'customer_care' }, topic: { label: 'complaint' } } },
  { id: 'b', truth: { queue: 'payments', topic: 'other' }, prediction: { queue: { label: 'payments' }, topic: { label: 'sparplan' } } },
];

describe('alignToTaxonomy', () => {
  const aligned = alignToTaxonomy(champion, challenger, tasks);

  it('renames and merges predicted labels through the newer aliases, summing merged scores', () => {
    const [a, b] = aligned.lines;
    expect(a.prediction.queue).toMatchObject({ label: 'customer_care', scores: { customer_care: 0.7, payments: 0.3 } });
    expect(a.prediction.topic.label).toBe('complaint');
    expect(a.prediction.topic.confidence).toBeCloseTo(0.9, 6);
    expect(a.prediction.topic.scores?.complaint).toBeCloseTo(0.9, 6);
    // A label the newer model does not have becomes its catch-all, as a truth would.
    expect(a.prediction.topic.scores?.other).toBeCloseTo(0.1, 6);
    expect(b.prediction.topic.label).toBe('other');
    expect(b.prediction.queue).toEqual({ label: 'payments', confidence: 0.9 });
  });

  it('takes the truths of the newer model for the same ids and counts what it renamed', () => {
    expect(aligned.lines.map((l) => l.truth)).toEqual(challenger.map((l) => l.truth));
    expect(aligned.truthsReplaced).toBe(2);
    expect(aligned.renamed).toEqual({ 'queue: complaints -> customer_care': 1, 'topic: fee_complaint -> complaint': 1, 'topic: festgeld -> other': 1 });
  });

  it('predicts the merged label when the merged scores outweigh the old best label, as predicting with the newer config does', () => {
    const line: PredictionLine = {
      id: 'c',
      truth: { topic: 'complaint' },
      prediction: { topic: { label: 'sparplan', confidence: 0.4, scores: { sparplan: 0.4, fee_complaint: 0.35, service_complaint: 0.25 } } },
    };
    const [c] = alignToTaxonomy([line], [], tasks).lines;
    expect(c.prediction.topic.label).toBe('complaint');
    expect(c.prediction.topic.confidence).toBeCloseTo(0.6, 6);
    expect(c.prediction.topic.scores).toEqual({ sparplan: 0.4, complaint: expect.closeTo(0.6, 6) });
  });

  it('scores labels named like members of every JavaScript object (constructor, toString) as any other', () => {
    const line: PredictionLine = {
      id: 'd',
      truth: { queue: 'payments' },
      prediction: { queue: { label: 'constructor', confidence: 0.6, scores: { constructor: 0.5, toString: 0.1, payments: 0.4 } } },
    };
    // In a plain record `scores.constructor ?? 0` was Object's member: the score and the confidence came out NaN.
    const [d] = alignToTaxonomy([line], [], [{ name: 'queue', labels: ['payments', 'constructor', 'toString'] }]).lines;
    expect(d.prediction.queue).toEqual({ label: 'constructor', confidence: 0.5, scores: { constructor: 0.5, toString: 0.1, payments: 0.4 } });
  });

  it('leaves a task the newer model lacks, and lines of other ids, as they were', () => {
    const extra: PredictionLine = { id: 'z', truth: { priority: 'high' }, prediction: { priority: { label: 'high' } } };
    expect(alignToTaxonomy([extra], challenger, tasks).lines[0]).toEqual(extra);
  });

  it("keeps the line's own truth of a task the newer model lacks beside the newer model's truths of its tasks (a task it dropped)", () => {
    const withUrgency: PredictionLine = { ...champion[1], truth: { ...champion[1].truth, urgency: 'high' }, prediction: { ...champion[1].prediction, urgency: { label: 'high' } } };
    const [line] = alignToTaxonomy([withUrgency], challenger, tasks).lines;
    expect({ ...line.truth }).toEqual({ urgency: 'high', queue: 'payments', topic: 'other' });
    expect(line.prediction.urgency).toEqual({ label: 'high' });
  });
});

describe('labelsSpokenOf', () => {
  const older: ClassifierTask[] = [
    { name: 'queue', labels: ['complaints', 'payments', 'advisory'] },
    { name: 'topic', labels: ['inheritance', 'card'] },
  ];

  it("names the older model's labels that the newer one's aliases rename or its retired labels retire, not the other way round", () => {
    const newer: ClassifierTask[] = [
      { name: 'queue', labels: ['customer_care', 'payments'], aliases: { complaints: 'customer_care' }, retired: ['advisory'] },
      { name: 'topic', labels: ['card', 'other'], aliases: { inheritance: 'other' }, mergedIntoOther: ['inheritance'] },
    ];
    expect(labelsSpokenOf(newer, older)).toEqual(['queue: complaints', 'queue: advisory']);
    expect(labelsSpokenOf(older, newer)).toEqual([]);
  });
});

describe('tasksReadWith', () => {
  it("names a model's labels as the config its rows were read with does, with that config's aliases and retired labels beside its own", () => {
    const model: ClassifierTask[] = [{ name: 'queue', labels: ['onboarding_kyc', 'payments'], aliases: { kyc: 'onboarding_kyc' } }];
    const config = parseTrainingConfig(
      { columns: { body: 'body' }, tasks: [{ name: 'queue', labels: ['kyc_onboarding', 'payments'], aliases: { onboarding_kyc: 'kyc_onboarding' }, retired: ['complaints'] }] },
      'config',
    );
    expect(tasksReadWith(model, config)).toEqual([
      { name: 'queue', labels: ['kyc_onboarding', 'payments'], aliases: { kyc: 'onboarding_kyc', onboarding_kyc: 'kyc_onboarding' }, retired: ['complaints'] },
    ]);
  });
});
