import { describe, expect, it } from 'vitest';
import { classifierTasks, type ClassifierTask } from '@mailroute/model';
import type { FeedbackPair } from '../store/types.js';
import { createLabelNamer, type Taxonomies } from './label-names.js';

function pair(modelId: string, predicted: string, truth: string): FeedbackPair {
  return {
    prediction: { predictionId: `p-${predicted}-${truth}`, emailId: 'e', modelId, createdAt: '2026-11-30T10:00:00.000Z', labels: { queue: predicted }, confidences: { queue: 0.9 }, abstained: { queue: false }, queue: predicted, latencyMs: 1 },
    feedback: { emailId: 'e', labels: { queue: truth }, closedAt: '2026-11-30T11:00:00.000Z', receivedAt: '2026-11-30T11:00:00.000Z' },
  };
}

const v1: ClassifierTask = { name: 'queue', labels: ['payments', 'kyc', 'complaints', 'tax_documents'] };
/** v1 with payments merged into kyc, complaints merged into account_management, tax_documents renamed tax, and a new cards queue. */
const v3: ClassifierTask = { name: 'queue', labels: ['kyc', 'account_management', 'tax', 'cards'], aliases: { payments: 'kyc', complaints: 'account_management', tax_documents: 'tax' } };
const taxonomies = new Map([
  ['v1', [v1]],
  ['v3', [v3]],
]);
/** Per pair: whether its feedback confirms its prediction under the served names, null when the feedback label is unmappable. */
function judge(pairs: FeedbackPair[], models: Taxonomies, served: ClassifierTask) {
  const names = createLabelNamer(models, [served]);
  const same = pairs.map((p) => {
    const truth = names.truth(p.prediction.modelId, 'queue', p.feedback?.labels.queue ?? '');
    return truth === null ? null : truth === names.predicted('queue', p.prediction.labels.queue);
  });
  return { same, unmappable: same.filter((s) => s === null).length };
}
const scored = (pairs: FeedbackPair[], served: ClassifierTask) => judge(pairs, taxonomies, served);

describe('createLabelNamer', () => {
  it("reads feedback sent in a newer model's names (a rename, a merge) as right for an older model's prediction", () => {
    // v1 predicted payments; the CRM answers kyc while v3 serves (payments merged into kyc): right under v3's names.
    expect(scored([pair('v1', 'payments', 'kyc'), pair('v1', 'tax_documents', 'tax'), pair('v1', 'payments', 'account_management')], v3)).toEqual({ same: [true, true, false], unmappable: 0 });
    // A queue v3 added (none of v1's labels became it): v1 could not have predicted it, so it is not scored.
    expect(scored([pair('v1', 'payments', 'cards')], v3)).toEqual({ same: [null], unmappable: 1 });
    // Served tasks as /v1/quality passes them for other models (no labels list): the same answers.
    expect(scored([pair('v1', 'tax_documents', 'tax'), pair('v1', 'payments', 'cards')], { ...v3, labels: [] })).toEqual({ same: [true, null], unmappable: 1 });
  });

  it("reads feedback in the predicting model's names after a rollback, and counts a label no model names as unmappable", () => {
    // v1 serves again: complaints is its own label; tax (v3's name) is not v1's, nor the served model's: not scored wrong.
    expect(scored([pair('v1', 'complaints', 'complaints'), pair('v1', 'tax_documents', 'tax'), pair('v1', 'kyc', 'payments')], v1)).toEqual({ same: [true, null, false], unmappable: 1 });
    // v3 serves and measures v1's prediction of complaints confirmed as complaints: both are account_management now.
    expect(scored([pair('v1', 'complaints', 'complaints')], v3)).toEqual({ same: [true], unmappable: 0 });
  });

  it("compares a model whose taxonomy is unknown under the served model's names, as sent", () => {
    expect(scored([pair('gone', 'payments', 'kyc'), pair('gone', 'x', 'y')], v3)).toEqual({ same: [true, false], unmappable: 0 });
  });

  it('reads a label a model merged into other for being rare as other, for its own predictions and after a newer model learnt it', () => {
    // rare1 trained with too few inheritance rows (merged into other); v4, trained on more mail, learnt it.
    const [rare1] = classifierTasks({ tasks: [{ name: 'queue', labels: ['kyc', 'other'], mergedIntoOther: ['inheritance'] }] });
    const v4: ClassifierTask = { name: 'queue', labels: ['kyc', 'inheritance', 'other'] };
    const models = new Map([['rare1', [rare1]], ['v4', [v4]]]);
    const same = (pairs: FeedbackPair[], served: ClassifierTask) => judge(pairs, models, served).same;
    // rare1 serves: inheritance is other, so its other is right and its kyc wrong.
    expect(same([pair('rare1', 'other', 'inheritance'), pair('rare1', 'kyc', 'inheritance')], rare1)).toEqual([true, false]);
    // v4 serves: rare1's other is still right for an inheritance case, v4's own inheritance too, and v4's other is not.
    expect(same([pair('rare1', 'other', 'inheritance'), pair('v4', 'inheritance', 'inheritance'), pair('v4', 'other', 'inheritance')], v4)).toEqual([true, true, false]);
  });

  it('scores a label of the taxonomy the model has no output for (its config named crypto, no training row carried it) as a miss, not unmappable', () => {
    const [c1] = classifierTasks({ tasks: [{ name: 'queue', labels: ['kyc', 'payments'], droppedAsRare: ['advisory'] }], trainingConfig: { tasks: [{ name: 'queue', labels: ['kyc', 'payments', 'crypto'] }] } });
    // c2, trained on more mail, learnt crypto and renamed it digital_assets.
    const c2: ClassifierTask = { name: 'queue', labels: ['kyc', 'payments', 'digital_assets'], aliases: { crypto: 'digital_assets' } };
    const models = new Map([['c1', [c1]], ['c2', [c2]]]);
    expect(judge([pair('c1', 'payments', 'crypto'), pair('c1', 'kyc', 'advisory'), pair('c1', 'kyc', 'lottery')], models, c1)).toEqual({ same: [false, false, null], unmappable: 1 });
    // c2 serves: c1's feedback in either name is a miss of c1, not a queue c1 could not know.
    expect(judge([pair('c1', 'payments', 'crypto'), pair('c1', 'payments', 'digital_assets')], models, c2)).toEqual({ same: [false, false], unmappable: 0 });
  });

  it('reads a prediction or feedback stored with an emoji variation selector, or decomposed, as the model\'s one label', () => {
    const emoji: ClassifierTask = { name: 'queue', labels: ['\u26a0 urgent', '\u00dcberweisung'] };
    const stored = [pair('e1', '\u26a0\ufe0f urgent', '\u26a0 urgent'), pair('e1', '\u26a0 urgent', '\u26a0\ufe0e urgent'), pair('e1', '\u00dcberweisung', 'U\u0308berweisung')];
    expect(judge(stored, new Map([['e1', [emoji]]]), emoji)).toEqual({ same: [true, true, true], unmappable: 0 });
  });
});
