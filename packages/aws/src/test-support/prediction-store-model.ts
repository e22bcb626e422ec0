// A tiny in-memory PredictionStore as the interface's doc comments describe it (packages/serving/src/store/types.ts),
// the third opinion of the store parity property test: where SQLite and DynamoDB disagree, it says which one left the
// interface. Not a store: no retention, no queue, no errors but the duplicate id.
import type { FeedbackOutcome, FeedbackPair, FeedbackRecord, PairWindow, PredictionRecord } from '@mailroute/serving';

/** Newer: created later, or at the same time with the later id (ids are time-ordered), as live quality orders them. */
export const newestFirst = (a: PredictionRecord, b: PredictionRecord): number =>
  a.createdAt === b.createdAt ? Buffer.compare(Buffer.from(b.predictionId), Buffer.from(a.predictionId)) : a.createdAt < b.createdAt ? 1 : -1;

/** Times as stored (toISOString): window bounds in any ISO form are compared in this one. */
const canonical = (iso: string) => new Date(Date.parse(iso)).toISOString();

export function predictionStoreModel() {
  const predictions = new Map<string, PredictionRecord>();
  const feedback = new Map<string, FeedbackRecord>();
  return {
    /** False, with nothing saved, when an id is stored already or named twice. */
    savePredictions(records: readonly PredictionRecord[]): boolean {
      const ids = records.map((r) => r.predictionId);
      if (new Set(ids).size < ids.length || ids.some((id) => predictions.has(id))) return false;
      for (const r of records) predictions.set(r.predictionId, r);
      return true;
    },
    getPrediction: (id: string) => predictions.get(id),
    findPredictionByEmail: (emailId: string) => [...predictions.values()].filter((p) => p.emailId === emailId).sort(newestFirst)[0],
    saveFeedback(f: FeedbackRecord): FeedbackOutcome {
      const stored = feedback.get(f.emailId);
      if (stored && stored.closedAt > f.closedAt) return 'superseded';
      const { predictionId, ...rest } = f;
      feedback.set(f.emailId, { ...rest, ...(predictionId === undefined ? {} : { predictionId }), labels: { ...stored?.labels, ...f.labels } });
      return 'recorded';
    },
    listPairs(window: PairWindow): FeedbackPair[] {
      const since = canonical(window.since);
      const until = window.until === undefined ? undefined : canonical(window.until);
      const pairs = [...predictions.values()]
        .filter((p) => p.createdAt >= since && (until === undefined || p.createdAt < until))
        .sort(newestFirst)
        .map(({ text: _text, attachmentNames: _names, ...prediction }): FeedbackPair => {
          const fb = feedback.get(prediction.emailId);
          return fb ? { prediction, feedback: fb } : { prediction };
        })
        .filter((pair) => !window.judgedOnly || pair.feedback);
      return pairs.slice(0, window.limit ?? pairs.length);
    },
  };
}
