// A tiny in-memory PredictionStore as the interface's doc comments describe it (packages/serving/src/store/types.ts),
// the third opinion of the store parity property test: where SQLite and DynamoDB disagree, it says which one left the
// interface. Not a store: no retention, no queue, no errors but the duplicate id.
import type { FeedbackClearing, FeedbackOutcome, FeedbackPair, FeedbackRecord, PairWindow, PredictionRecord } from '@mailroute/serving';

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
    /**
     * With `clearTasks`: those of them the stored labels held, removed; `unchanged` with no label to set and none held.
     * `replaced`: the stored feedback another key recorded (its keyId set, not this one's), before this one was merged in.
     */
    saveFeedback(f: FeedbackRecord): FeedbackOutcome | FeedbackClearing {
      const stored = feedback.get(f.emailId);
      const { predictionId, clearTasks, ...rest } = f;
      const clearing = clearTasks !== undefined && clearTasks.length > 0;
      const held = [...new Set(clearTasks ?? [])].filter((task) => !Object.hasOwn(f.labels, task) && stored !== undefined && Object.hasOwn(stored.labels, task));
      const answer = (outcome: FeedbackOutcome | 'unchanged', cleared: string[] = [], replaced?: FeedbackClearing['replaced']): FeedbackOutcome | FeedbackClearing =>
        clearing || replaced ? { outcome, cleared, ...(replaced ? { replaced } : {}) } : (outcome as FeedbackOutcome);
      if (clearing && held.length === 0 && Object.keys(f.labels).length === 0) return answer('unchanged');
      if (stored && stored.closedAt > f.closedAt) return answer('superseded');
      const labels = Object.fromEntries(Object.entries({ ...stored?.labels, ...f.labels }).filter(([task]) => !held.includes(task)));
      feedback.set(f.emailId, { ...rest, ...(predictionId === undefined ? {} : { predictionId }), labels });
      const replaced = stored?.keyId !== undefined && stored.keyId !== f.keyId ? { keyId: stored.keyId, labels: stored.labels } : undefined;
      return answer('recorded', held, replaced);
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
