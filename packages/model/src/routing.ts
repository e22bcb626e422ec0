import { automatedKind, type AutomatedKind, type Email } from '@mailroute/preprocess';
import { MANUAL_TRIAGE, type EmailPrediction, type Route, type TaskPrediction } from './prediction.js';

/** The label that stands for the labels merged at training time for being rare (training's `other`). */
export const CATCH_ALL_LABEL = 'other';

/** Per kind of automated mail, the queue it is routed to instead of manual triage (a CRM queue that closes auto-replies). */
export type AutomatedQueues = Partial<Record<AutomatedKind, string>>;

export interface RoutingPolicy {
  queueTask: string;
  /** Tasks whose abstention sends the email to manual triage (default: the queue task). */
  abstainTasks?: readonly string[];
  /** Where automated mail goes, per kind (default: manual triage). */
  automatedQueues?: AutomatedQueues;
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

/**
 * The prediction of an automated email (an auto-reply, a bounce: `automatedKind` of its subject, sender and
 * Auto-Submitted) routed as such: the reason `automated`, to the queue the routing names for its kind
 * (`automatedQueues`) or else manual triage, and `automated` naming the kind, whatever the labels, so a CRM can close
 * it. `Classifier.predict` applies it, and so does serving on every answer, whichever model or endpoint image made
 * it: so an answer an older image took for automated mail, which these rules do not, is routed by its labels again
 * (by the routing's queue task; without one, to manual triage for low confidence). Other predictions are returned as
 * they are.
 */
export function withAutomatedRoute<P extends Pick<EmailPrediction, 'route' | 'automated' | 'tasks'>>(
  prediction: P,
  email: Pick<Email, 'subject' | 'from' | 'autoSubmitted' | 'body'>,
  routing?: { readonly automatedQueues?: AutomatedQueues; readonly queueTask?: string; readonly abstainTasks?: readonly string[] },
): P {
  const kind = automatedKind(email);
  if (kind === undefined) {
    if (prediction.automated === undefined && prediction.route.reason !== 'automated') return prediction;
    delete prediction.automated;
    const queueTask = routing?.queueTask;
    if (queueTask === undefined) prediction.route = { queue: MANUAL_TRIAGE, reason: 'low_confidence' };
    else prediction.route = routeFromPredictions(prediction.tasks, { queueTask, ...(routing?.abstainTasks ? { abstainTasks: routing.abstainTasks } : {}) });
    return prediction;
  }
  prediction.route = { queue: routing?.automatedQueues?.[kind] ?? MANUAL_TRIAGE, reason: 'automated' };
  prediction.automated = kind;
  return prediction;
}
