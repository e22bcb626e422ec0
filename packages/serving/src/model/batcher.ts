import type { EmailClassifier, EmailPrediction } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';
import { ModelThreadExitedError } from './thread-classifier.js';

interface Waiting {
  emails: readonly Email[];
  resolve: (p: EmailPrediction[]) => void;
  reject: (e: unknown) => void;
}

interface Queue {
  items: Waiting[];
  scheduled: boolean;
}

/**
 * Dynamic batching: requests that arrive in the same event-loop turn share one `predict` call (one
 * ONNX run and one thread-pool hop instead of one per request). Callers still hold their own lease on
 * the classifier, so a swap never releases a session under a pending batch. If a shared call fails,
 * each request is retried alone, so one bad email cannot fail the others; but not when the model thread running
 * it exited: the email that made it exit, if one did, would end each replacement thread in turn.
 */
export function createPredictBatcher(maxEmails: number) {
  const queues = new WeakMap<EmailClassifier, Queue>();

  async function run(classifier: EmailClassifier, items: Waiting[]): Promise<void> {
    if (items.length === 1) {
      classifier.predict(items[0].emails).then(items[0].resolve, items[0].reject);
      return;
    }
    try {
      const all = await classifier.predict(items.flatMap((i) => i.emails));
      let at = 0;
      for (const item of items) {
        item.resolve(all.slice(at, at + item.emails.length));
        at += item.emails.length;
      }
    } catch (error) {
      if (error instanceof ModelThreadExitedError) for (const item of items) item.reject(error);
      else for (const item of items) classifier.predict(item.emails).then(item.resolve, item.reject);
    }
  }

  function flush(classifier: EmailClassifier, queue: Queue): void {
    queue.scheduled = false;
    const items = queue.items;
    queue.items = [];
    // Cut into groups of at most maxEmails; a request is never split.
    let group: Waiting[] = [];
    let size = 0;
    for (const item of items) {
      if (group.length > 0 && size + item.emails.length > maxEmails) {
        void run(classifier, group);
        group = [];
        size = 0;
      }
      group.push(item);
      size += item.emails.length;
    }
    if (group.length > 0) void run(classifier, group);
  }

  return {
    predict(classifier: EmailClassifier, emails: readonly Email[]): Promise<EmailPrediction[]> {
      let queue = queues.get(classifier);
      if (!queue) {
        queue = { items: [], scheduled: false };
        queues.set(classifier, queue);
      }
      const q = queue;
      return new Promise((resolve, reject) => {
        q.items.push({ emails, resolve, reject });
        if (!q.scheduled) {
          q.scheduled = true;
          setImmediate(() => flush(classifier, q));
        }
      });
    },
  };
}

export type PredictBatcher = ReturnType<typeof createPredictBatcher>;
