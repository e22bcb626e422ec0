import { z } from 'zod';
import { AUTOMATED_KINDS } from '@mailroute/preprocess';

/** Manual triage: the route when any routing task abstains. */
export const MANUAL_TRIAGE = 'manual_triage';

export const ScoredLabelSchema = z.object({ label: z.string(), score: z.number() });
export type ScoredLabel = z.infer<typeof ScoredLabelSchema>;

/** The prediction of one task (label dimension) for one email. */
export const TaskPredictionSchema = z.object({
  label: z.string(),
  /** Calibrated probability of `label`. */
  confidence: z.number(),
  /** The k best labels, best first. */
  top: z.array(ScoredLabelSchema),
  /** True when `confidence` is under the task's threshold, or the email had no text to classify (`noText`). */
  abstained: z.boolean(),
});
export type TaskPrediction = z.infer<typeof TaskPredictionSchema>;

export const RouteSchema = z.object({
  /** The queue to route to, or `manual_triage`. */
  queue: z.string(),
  /**
   * `confident`: routed to the predicted queue; `low_confidence`: manual triage because a routing task
   * abstained; `no_queue`: manual triage because the queue task chose `other`, the catch-all of labels
   * too rare to learn alone at training time, which names no queue; `automated`: manual triage because no
   * person wrote the email (an automatic reply or a delivery failure, see `automated`), whatever the labels.
   */
  reason: z.enum(['confident', 'low_confidence', 'no_queue', 'automated']),
});
export type Route = z.infer<typeof RouteSchema>;

export const EmailPredictionSchema = z.object({
  id: z.string().optional(),
  tasks: z.record(z.string(), TaskPredictionSchema),
  route: RouteSchema,
  modelId: z.string(),
  language: z.string().optional(),
  /** True when the text was cut before classification: longer than a limit, or more clean text than the model reads (its featurizer's maxChars). */
  truncated: z.boolean().optional(),
  /** True when nothing was left to classify after cleaning (an empty or quote-only email): the labels are guesses, every task abstains. */
  noText: z.boolean().optional(),
  /** Set when the email is automated (`automatedKind`: by its sender, Auto-Submitted or subject): the route's reason is `automated`. */
  automated: z.enum(AUTOMATED_KINDS).optional(),
});
export type EmailPrediction = z.infer<typeof EmailPredictionSchema>;
