import type { EmailClassifier, EmailPrediction } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';

export const FAKE_TASKS = [
  { name: 'queue', labels: ['billing', 'technical', 'general'] },
  { name: 'topic', labels: ['invoice', 'login', 'other'] },
] as const;

export interface FakeClassifier extends EmailClassifier {
  released: boolean;
  calls: number;
  /** Calls that have returned their predictions. */
  finished: number;
  /** While set, each call waits for it before it answers: a test holds calls in flight without timing them. */
  hold?: Promise<void>;
}

/**
 * A hand-written classifier for route tests (injected, not mocked): keywords decide the label,
 * "invoice" and "password" are confident, anything else abstains.
 */
export function createFakeClassifier(options: { modelId?: string; delayMs?: number; fail?: boolean } = {}): FakeClassifier {
  const modelId = options.modelId ?? 'fake-1';
  const self: FakeClassifier = {
    modelId,
    tasks: FAKE_TASKS.map((t) => ({ name: t.name, labels: [...t.labels] })),
    released: false,
    calls: 0,
    finished: 0,
    async predict(emails: readonly Email[]): Promise<EmailPrediction[]> {
      self.calls += 1;
      if (self.released) throw new Error('predict after release');
      if (options.fail) throw new Error('session exploded with secret email text');
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      if (self.hold) await self.hold;
      self.finished += 1;
      return emails.map((e) => {
        const text = `${e.subject ?? ''} ${e.body ?? ''}`.toLowerCase();
        const [queue, topic, confidence] = text.includes('invoice')
          ? ['billing', 'invoice', 0.93]
          : text.includes('password')
            ? ['technical', 'login', 0.81]
            : ['general', 'other', 0.41];
        const abstained = confidence < 0.5;
        return {
          id: e.id,
          modelId,
          tasks: {
            queue: { label: queue, confidence, top: [{ label: queue, score: confidence }], abstained },
            topic: { label: topic, confidence, top: [{ label: topic, score: confidence }], abstained },
          },
          route: abstained ? { queue: 'manual_triage', reason: 'low_confidence' } : { queue, reason: 'confident' },
          ...(text.trim() === '' && !e.html?.replace(/<[^>]*>/g, '').trim() ? { noText: true } : {}),
        };
      });
    },
    async release() {
      self.released = true;
    },
  };
  return self;
}
