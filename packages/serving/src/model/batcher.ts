import type { EmailClassifier, EmailPrediction } from '@mailroute/model';
import type { Email } from '@mailroute/preprocess';
import { predictKeeping, type MaskText, type PredictedKept } from './stored-text.js';
import { ModelThreadExitedError } from './thread-classifier.js';

interface Waiting<R> {
  emails: readonly Email[];
  resolve: (result: R) => void;
  reject: (e: unknown) => void;
}

interface Queue<R> {
  items: Waiting<R>[];
  scheduled: boolean;
  call: Call<R>;
}

/** One kind of call the batcher merges: how a merged call runs, and how its result is cut back into each request's. */
interface Call<R> {
  run(emails: readonly Email[]): Promise<R>;
  slice(result: R, from: number, to: number): R;
}

/**
 * Dynamic batching: requests that arrive in the same event-loop turn share one `predict` call (one
 * ONNX run and one thread-pool hop instead of one per request). Callers still hold their own lease on
 * the classifier, so a swap never releases a session under a pending batch. If a shared call fails,
 * each request is retried alone, so one bad email cannot fail the others; but not when the model thread running
 * it exited: the email that made it exit, if one did, would end each replacement thread in turn.
 * `predictKeeping` merges the same way, by classifier and masking: predictions and what `--store-text` keeps.
 */
export function createPredictBatcher(maxEmails: number) {
  const queues = new WeakMap<EmailClassifier, Queue<EmailPrediction[]>>();
  const keepingQueues = new WeakMap<EmailClassifier, WeakMap<MaskText, Queue<PredictedKept>>>();

  async function run<R>(call: Call<R>, items: Waiting<R>[]): Promise<void> {
    if (items.length === 1) {
      call.run(items[0].emails).then(items[0].resolve, items[0].reject);
      return;
    }
    try {
      const all = await call.run(items.flatMap((i) => i.emails));
      let at = 0;
      for (const item of items) {
        item.resolve(call.slice(all, at, at + item.emails.length));
        at += item.emails.length;
      }
    } catch (error) {
      if (error instanceof ModelThreadExitedError) for (const item of items) item.reject(error);
      else for (const item of items) call.run(item.emails).then(item.resolve, item.reject);
    }
  }

  function flush<R>(queue: Queue<R>): void {
    const { call } = queue;
    queue.scheduled = false;
    const items = queue.items;
    queue.items = [];
    // Cut into groups of at most maxEmails; a request is never split.
    let group: Waiting<R>[] = [];
    let size = 0;
    for (const item of items) {
      if (group.length > 0 && size + item.emails.length > maxEmails) {
        void run(call, group);
        group = [];
        size = 0;
      }
      group.push(item);
      size += item.emails.length;
    }
    if (group.length > 0) void run(call, group);
  }

  function enqueue<R>(queue: Queue<R>, emails: readonly Email[]): Promise<R> {
    return new Promise((resolve, reject) => {
      queue.items.push({ emails, resolve, reject });
      if (!queue.scheduled) {
        queue.scheduled = true;
        setImmediate(() => flush(queue));
      }
    });
  }

  return {
    predict(classifier: EmailClassifier, emails: readonly Email[]): Promise<EmailPrediction[]> {
      let queue = queues.get(classifier);
      if (!queue) {
        queue = { items: [], scheduled: false, call: { run: (batch) => classifier.predict(batch), slice: (all, from, to) => all.slice(from, to) } };
        queues.set(classifier, queue);
      }
      return enqueue(queue, emails);
    },
    /** `predict`, with what `--store-text` keeps of each email masked by `mask` (`predictKeeping`: where the model's input is made). */
    predictKeeping(classifier: EmailClassifier, emails: readonly Email[], mask: MaskText): Promise<PredictedKept> {
      let byMask = keepingQueues.get(classifier);
      if (!byMask) {
        byMask = new WeakMap();
        keepingQueues.set(classifier, byMask);
      }
      let queue = byMask.get(mask);
      if (!queue) {
        const call: Call<PredictedKept> = {
          run: (batch) => predictKeeping(classifier, batch, mask),
          slice: (all, from, to) => ({ predictions: all.predictions.slice(from, to), kept: all.kept.slice(from, to) }),
        };
        queue = { items: [], scheduled: false, call };
        byMask.set(mask, queue);
      }
      return enqueue(queue, emails);
    },
  };
}

export type PredictBatcher = ReturnType<typeof createPredictBatcher>;
