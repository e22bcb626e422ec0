import { MANUAL_TRIAGE, type Route, type TaskPrediction } from './prediction.js';

export interface RoutingPolicy {
  queueTask: string;
  /** Tasks whose abstention sends the email to manual triage (default: the queue task). */
  abstainTasks?: readonly string[];
}

/** The predicted queue when no routing task abstains, else manual triage for low confidence. */
export function routeFromPredictions(tasks: Record<string, TaskPrediction>, policy: RoutingPolicy): Route {
  const queue = tasks[policy.queueTask];
  const watched = policy.abstainTasks ?? [policy.queueTask];
  if (!queue || queue.abstained || watched.some((name) => tasks[name]?.abstained)) {
    return { queue: MANUAL_TRIAGE, reason: 'low_confidence' };
  }
  return { queue: queue.label, reason: 'confident' };
}
