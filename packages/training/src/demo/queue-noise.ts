/**
 * Why the queue label of a real email is not always the one its text asks for: agents sometimes file a case
 * under a neighbouring queue (the topic's other queue, or the general service team), and the CRM keeps it
 * there. Without this, every queue follows from the text and a model scores nearly 1.0 on it, which looks
 * like leakage in a report.
 */
import { VAGUE_QUEUE } from './topic-noise.js';

type Rng = () => number;

/** Share of the emails the agent filed under another queue than the one the text asks for. */
export const MISFILED_RATE = 0.02;

/**
 * Of the mail about a topic that goes to one of its other queues, the share whose text does not say why (it reads
 * as any mail of the topic): the agent knew from the customer's history or a call.
 */
export const UNSAID_RATE = 0.3;

/** The queue a misfiled email lands in: one of the topic's other queues, else the general service team's. */
export function neighbourQueues(topicQueues: readonly string[], queue: string): string[] {
  const others = topicQueues.filter((q) => q !== queue);
  if (others.length > 0) return others;
  return [queue === VAGUE_QUEUE ? 'complaints' : VAGUE_QUEUE];
}

/** The queue the agent filed the email under, or undefined when it is `queue`; draws two values, whatever comes out. */
export function drawMisfiling(topicQueues: readonly string[], queue: string, random: Rng): string | undefined {
  const r = random();
  const which = random();
  if (r >= MISFILED_RATE) return undefined;
  const neighbours = neighbourQueues(topicQueues, queue);
  return neighbours[Math.floor(which * neighbours.length)];
}
