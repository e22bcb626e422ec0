import { MANUAL_TRIAGE, type Route, type TaskPrediction } from './prediction.js';

/** The label that stands for the labels merged at training time for being rare (training's `other`). */
export const CATCH_ALL_LABEL = 'other';

export interface RoutingPolicy {
  queueTask: string;
  /** Tasks whose abstention sends the email to manual triage (default: the queue task). */
  abstainTasks?: readonly string[];
}

/** The tasks whose abstention sends mail to manual triage: the policy's `abstainTasks`, else the queue task alone. */
export function abstainingTasks(policy: RoutingPolicy): readonly string[] {
  return policy.abstainTasks ?? [policy.queueTask];
}

/**
 * The predicted queue when no routing task abstains, else manual triage for low confidence; manual triage
 * too when the queue is `other` (rare queues merged at training time: no queue to route to).
 */
export function routeFromPredictions(tasks: Record<string, TaskPrediction>, policy: RoutingPolicy): Route {
  const queue = tasks[policy.queueTask];
  const watched = abstainingTasks(policy);
  if (!queue || queue.abstained || watched.some((name) => tasks[name]?.abstained)) {
    return { queue: MANUAL_TRIAGE, reason: 'low_confidence' };
  }
  if (queue.label === CATCH_ALL_LABEL) return { queue: MANUAL_TRIAGE, reason: 'no_queue' };
  return { queue: queue.label, reason: 'confident' };
}
