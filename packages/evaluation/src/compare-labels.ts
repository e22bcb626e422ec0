import { z } from 'zod';
import type { ReportRouting } from './coverage-words.js';
import { operatingPoints } from './evaluate.js';
import type { PredictionLine } from './prediction-line.js';
import { averagesFromCounts, labelCounts } from './task-metrics.js';

/** One model's figures on one label: as a row of its classification report. */
const LabelSideSchema = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  /** Emails the model gave this label (right or wrong). */
  predicted: z.number().int(),
  /** Emails of this label the model gave it (its top label, every email, its threshold ignored: the F1's basis). */
  right: z.number().int(),
});

/** Emails one model routed to a queue at its own threshold, and how many of them belong to another queue. */
const RoutedSchema = z.object({ routed: z.number().int(), misrouted: z.number().int() });
/** Emails one model answered with a label at its own threshold (did not abstain on), and how many of them wrongly. */
const AnsweredSchema = z.object({ answered: z.number().int(), wrong: z.number().int() });

/**
 * One label of a compared task: both models' figures on it (the same emails, the same truths) and the difference of
 * F1. The F1 figures count each model's top label on every email (its threshold ignored); `routed` and `answered`
 * count only the mail each answers at its own threshold. Per-label figures rest on that label's emails alone (`support`): a few emails more or less right move them by
 * points, so a difference on a small label may be chance.
 */
export const LabelComparisonSchema = z.object({
  label: z.string(),
  /** Emails whose true label this is. */
  support: z.number().int(),
  champion: LabelSideSchema,
  challenger: LabelSideSchema,
  /** Challenger's F1 minus champion's on this label. */
  f1Delta: z.number(),
  /**
   * The task that routes mail, when both models' routing is known (compare with models and --data) and their lines
   * say whether they abstained: the mail each routes to this queue at its own threshold (its `operating.byQueue`:
   * mail predicted `other`, or on which a task its routing watches abstains, goes to manual triage instead), and how
   * much of it belongs to another queue (misrouted, reaching the wrong team with no person looking first).
   */
  routed: z.object({ champion: RoutedSchema, challenger: RoutedSchema }).optional(),
  /** Any other task whose lines say whether they abstained: the emails each model answers with this label, and how many wrongly. */
  answered: z.object({ champion: AnsweredSchema, challenger: AnsweredSchema }).optional(),
});
export type LabelComparison = z.infer<typeof LabelComparisonSchema>;

type Side = 'challenger' | 'champion';
type PerLabel = ReadonlyMap<string, { emails: number; wrong: number }>;

/**
 * Per label, the emails one side answers with it at its own threshold and how many wrongly: for the task its `routing`
 * routes by, the emails routed to each queue as the single-model report counts them (`operatingPoints`' `byQueue`),
 * else the lines not abstained on by predicted label. Undefined when a line does not say whether it abstained.
 * `lines`: those with a truth and a prediction for `task`.
 */
export function answeredByLabel(lines: readonly PredictionLine[], task: string, routing?: ReportRouting): PerLabel | undefined {
  if (routing?.queueTask === task) {
    const byQueue = operatingPoints(lines, { routing, tasks: [task] })[0]?.operating.byQueue;
    return byQueue === undefined ? undefined : new Map(byQueue.map((q) => [q.queue, { emails: q.routed, wrong: q.routed - q.right }]));
  }
  if (!lines.every((l) => l.prediction[task]?.abstained !== undefined)) return undefined;
  const out = new Map<string, { emails: number; wrong: number }>();
  for (const l of lines) {
    const p = l.prediction[task];
    if (p.abstained) continue;
    const x = out.get(p.label) ?? { emails: 0, wrong: 0 };
    x.emails += 1;
    if (p.label !== l.truth[task]) x.wrong += 1;
    out.set(p.label, x);
  }
  return out;
}

/**
 * Both models' figures per label of `labels` (those both macro-F1s average over), in that order: precision, recall and
 * F1 as scikit-learn's classification report gives them (zero_division=0), the emails of the label each gets right
 * (all three from each model's top label on every email, its threshold ignored), and the difference of F1. `answered`:
 * each side's `answeredByLabel`, with `routed` saying they count mail routed to a queue (the task that routes mail).
 */
export function compareLabels(
  truth: readonly string[],
  predicted: Readonly<Record<Side, readonly string[]>>,
  labels: readonly string[],
  answered?: { routed: boolean; challenger: PerLabel; champion: PerLabel },
): LabelComparison[] {
  const side = (p: readonly string[]) => {
    const counts = labelCounts(truth, p, labels);
    return { counts, perClass: averagesFromCounts(counts).perClass };
  };
  const a = side(predicted.challenger);
  const b = side(predicted.champion);
  return labels.map((label, i) => {
    const figures = (s: typeof a) => ({ ...s.perClass[i], predicted: s.counts.predicted[i], right: s.counts.tp[i] });
    const row: LabelComparison = {
      label,
      support: a.counts.actual[i],
      champion: figures(b),
      challenger: figures(a),
      f1Delta: a.perClass[i].f1 - b.perClass[i].f1,
    };
    if (answered) {
      const at = (s: Side) => answered[s].get(label) ?? { emails: 0, wrong: 0 };
      const [c, h] = [at('champion'), at('challenger')];
      if (answered.routed) row.routed = { champion: { routed: c.emails, misrouted: c.wrong }, challenger: { routed: h.emails, misrouted: h.wrong } };
      else row.answered = { champion: { answered: c.emails, wrong: c.wrong }, challenger: { answered: h.emails, wrong: h.wrong } };
    }
    return row;
  });
}
