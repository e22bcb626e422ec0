import { CATCH_ALL_LABEL } from '@mailroute/model';
import { z } from 'zod';
import { ComparisonError } from './errors.js';
import { predictedTasksOf, repeatedIds, tasksOf, type PredictionLine } from './prediction-line.js';
import { mcnemar, percentile, seededRandom } from './stats.js';
import { uniqueLabels } from './labels.js';
import { accuracy, macroF1 } from './task-metrics.js';
import { chanceMargin, shortBeyondChance } from './target-precision.js';
import { answeredByLabel, compareLabels, LabelComparisonSchema } from './compare-labels.js';
import type { ReportRouting } from './coverage-words.js';

/** A share in percent, one decimal: `93.0%`. */
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export const BootstrapOptionsSchema = z.object({
  resamples: z.number().int().min(10).default(1000),
  seed: z.number().int().default(20261129),
  /** Two-sided confidence level of the intervals. */
  confidence: z.number().gt(0).lt(1).default(0.95),
});
export type BootstrapOptions = z.infer<typeof BootstrapOptionsSchema>;

export const IntervalSchema = z.object({ delta: z.number(), lo: z.number(), hi: z.number() });

/**
 * Why the challenger cannot predict a queue the champion routes mail to (`lostLabels` of comparePredictions), when its
 * training config did not retire it or alias it away on purpose: no training row had it (`no-examples`, a thin month's
 * export); it had fewer rows than the task's minCount and was merged into `other` (`merged-into-other`) or dropped
 * (`dropped-as-rare`); or it is not among the challenger's labels at all (`not-trained`: its data and config never
 * had it). Either way its mail now goes to manual triage or to another queue.
 */
export const LostLabelReasonSchema = z.enum(['no-examples', 'merged-into-other', 'dropped-as-rare', 'not-trained']);
export type LostLabelReason = z.infer<typeof LostLabelReasonSchema>;

/** A label only one model's taxonomy has (see `oneSidedLabels`). */
export const OneSidedLabelSchema = z.object({
  label: z.string(),
  /** The emails here labelled with it: left out of the task's figures (but for a `lost` one: kept in them). */
  emails: z.number().int(),
  /** The emails compared that the model knowing it predicted it for: counted as wrong (but for a `lost` one: right where it is the truth). */
  predicted: z.number().int(),
  /**
   * On the champion's side: a queue the challenger lost (see LostLabelReasonSchema), not one it gave up on purpose. Its
   * emails stay in the task's figures and the label in both macro-F1s, each email counted wrong for the challenger,
   * which cannot route it right; the gate fails on it. Absent for a label one taxonomy has by design.
   */
  lost: LostLabelReasonSchema.optional(),
});
export type OneSidedLabel = z.infer<typeof OneSidedLabelSchema>;

export const TaskComparisonSchema = z.object({
  task: z.string(),
  n: z.number().int(),
  /**
   * Each model's figures. Both macro-F1s average over the same labels: those of the truth and those either model
   * predicted (`unscoredLabels` and `oneSidedLabels` aside), so that a label one model gives and no email has costs both the same.
   */
  challenger: z.object({ macroF1: z.number(), accuracy: z.number() }),
  champion: z.object({ macroF1: z.number(), accuracy: z.number() }),
  /** challenger minus champion, with the paired-bootstrap interval. */
  macroF1: IntervalSchema,
  accuracy: IntervalSchema,
  mcnemar: z.object({ b: z.number().int(), c: z.number().int(), statistic: z.number(), pValue: z.number(), method: z.enum(['exact', 'chi2-corrected']) }),
  /**
   * The share of these emails each model answers at its own threshold (does not abstain on), when every line of
   * both says: macro-F1 counts every email, answered or not, so a model that leaves far more to manual triage can
   * match the other's figures.
   */
  answered: z
    .object({
      challenger: z.number(),
      champion: z.number(),
      /** How many of these emails each model answers. */
      emails: z.object({ challenger: z.number().int(), champion: z.number().int() }).optional(),
      /**
       * How many of the emails each answers it gives a wrong label (acted on wrongly: for the task that routes mail,
       * misrouted, sent to a wrong team with no person looking first).
       */
      wrong: z.object({ challenger: z.number().int(), champion: z.number().int() }).optional(),
      /** Each model's precision on the emails it answers (right / answered); null when it answers none. */
      precision: z.object({ challenger: z.number().nullable(), champion: z.number().nullable() }).optional(),
    })
    .optional(),
  /**
   * Labels a model predicted here that no email has and the other model does not know (one it retired, or one it
   * added): those predictions count as wrong, but not as a label of their own in either model's macro-F1, which would
   * average one model over a label the other cannot be scored on. What each model knows is what its lines show (the
   * labels it predicted or scored); a label of one model's taxonomy, when both are given, is in `oneSidedLabels`
   * instead. Absent when there are none.
   */
  unscoredLabels: z.object({ challenger: z.array(z.string()), champion: z.array(z.string()) }).optional(),
  /**
   * When the two models' taxonomies (`taxonomies` of comparePredictions: their manifests') differ for the task, the
   * labels only one of them knows that an email here is labelled with or that it predicted, per side. Both models are
   * scored on common ground: those labels are left out of both macro-F1s, as `unscoredLabels` are, and the emails
   * labelled with one of them are left out of the task's figures (`n`, accuracy, McNemar, the intervals, `answered`,
   * `labels`), so that neither model is scored on what the other cannot know; such a label predicted for an email
   * compared counts as wrong. Absent when there are none (taxonomies that agree, or are not known). A queue the
   * challenger lost (`lostLabels` of comparePredictions) is listed on the champion's side with `lost`, even with no
   * email, and is scored instead: leaving its emails out would compare the two on the mail the challenger can still
   * route, and a thin month's model would pass without a word of the queue it no longer has.
   */
  oneSidedLabels: z.object({ challenger: z.array(OneSidedLabelSchema), champion: z.array(OneSidedLabelSchema) }).optional(),
  /**
   * Labels both macro-F1s average over that no email has (one model or both predicted them, and both know them):
   * F1 0 for both, so both figures can be below those of each model's own report. Absent when there are none.
   */
  absentLabels: z.array(z.string()).optional(),
  /**
   * Every label both macro-F1s average over, in their order: each model's precision, recall and F1 on it, its
   * support, and the difference of F1; for the task that routes mail (both models' routing given), the mail each
   * routes to the queue at its own threshold and how much of it is misrouted. Per-label figures rest on few emails:
   * read them with `support`. The summary shows those the challenger does worse on.
   */
  labels: z.array(LabelComparisonSchema).optional(),
});
export type TaskComparison = z.infer<typeof TaskComparisonSchema>;

/** A drop in the share answered automatically (points) that compare warns of. */
export const ANSWERED_DROP_WARN_POINTS = 5;

/**
 * Warnings for tasks the challenger answers at least ANSWERED_DROP_WARN_POINTS points fewer of the emails of
 * automatically than the champion (at each model's own threshold): its figures may match, the work left to people not.
 */
export function answeredDropWarnings(comparison: Pick<Comparison, 'tasks'>): string[] {
  const out: string[] = [];
  for (const t of comparison.tasks) {
    if (!t.answered) continue;
    const drop = (t.answered.champion - t.answered.challenger) * 100;
    if (drop < ANSWERED_DROP_WARN_POINTS) continue;
    out.push(`${t.task}: the challenger answers ${pct(t.answered.challenger)} of these emails at its own threshold, the champion ${pct(t.answered.champion)}: ${drop.toFixed(1)} points more abstain (for the task that routes mail, go to manual triage), which macro-F1 and accuracy do not show`);
  }
  return out;
}

/**
 * Whether a task's macro-F1 difference is unlikely to be chance, as the comparison's summary says it: `better` or
 * `worse` when the whole interval lies on one side of 0 and McNemar's test on the emails the two models tell apart
 * gives p under 0.05; undefined otherwise (no clear difference, or one that a few emails may make).
 */
export function clearDifference(t: Pick<TaskComparison, 'macroF1' | 'mcnemar'>): 'better' | 'worse' | undefined {
  const d = t.macroF1;
  if (!(d.lo > 0 || d.hi < 0) || t.mcnemar.pValue >= MCNEMAR_ALPHA) return undefined;
  return d.lo > 0 ? 'better' : 'worse';
}

/** The p-value under which McNemar's test calls a difference unlikely to be chance. */
const MCNEMAR_ALPHA = 0.05;

/**
 * Whether a task's accuracy difference is unlikely to be chance: its whole interval on one side of 0 and McNemar's p
 * under 0.05 (the test is on the emails each model gets right: accuracy's own basis). It can be clear where the
 * macro-F1 difference is not (`clearDifference`): more emails wrong on the large labels, fewer on small ones.
 */
export function clearAccuracyDifference(t: Pick<TaskComparison, 'accuracy' | 'mcnemar'>): 'better' | 'worse' | undefined {
  const d = t.accuracy;
  if (!(d.lo > 0 || d.hi < 0) || t.mcnemar.pValue >= MCNEMAR_ALPHA) return undefined;
  return d.lo > 0 ? 'better' : 'worse';
}

/**
 * A clear accuracy difference (`clearAccuracyDifference`) in words, with the figures of the comparison table's Δ
 * accuracy and McNemar columns, for the summary's verdict on the task: `accuracy clearly lower: -2.74 points [-4.97,
 * -0.51], 32 more emails wrong (McNemar 67/99, p 0.0161)`. Undefined when the difference may be chance.
 */
export function clearAccuracyText(t: Pick<TaskComparison, 'accuracy' | 'mcnemar'>): string | undefined {
  const which = clearAccuracyDifference(t);
  if (which === undefined) return undefined;
  const points = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;
  const { b, c, pValue } = t.mcnemar;
  // b - c is the difference of the emails right: accuracy's delta times the emails compared.
  const emails = which === 'worse' ? `${c - b} more email${c - b === 1 ? '' : 's'} wrong` : `${b - c} more email${b - c === 1 ? '' : 's'} right`;
  const d = t.accuracy;
  return `accuracy clearly ${which === 'worse' ? 'lower' : 'higher'}: ${points(d.delta)} points [${points(d.lo)}, ${points(d.hi)}], ${emails} (McNemar ${b}/${c}, p ${pValue.toPrecision(3)})`;
}

/** A drop of the precision on the emails answered automatically (points) that compare warns of. */
const ANSWERED_PRECISION_DROP_WARN_POINTS = 1;
/** A rise of the emails answered wrongly that compare warns of: this share of the task's emails, and at least ANSWERED_WRONG_RISE_MIN. */
const ANSWERED_WRONG_RISE_WARN_SHARE = 0.01;
const ANSWERED_WRONG_RISE_MIN = 3;

/**
 * Warnings for tasks whose answered mail (at each model's own threshold) the challenger gets wrong more often: its
 * precision on it at least ANSWERED_PRECISION_DROP_WARN_POINTS points below the champion's, or at least
 * ANSWERED_WRONG_RISE_WARN_SHARE of the emails (ANSWERED_WRONG_RISE_MIN at least) more answered wrongly. A challenger
 * that answers more mail (a lower threshold) reads as a gain in the answered share, and matches the champion's
 * macro-F1 and accuracy, which count every email: for the task that routes mail, the extra mail it answers may be
 * misrouted mail. `routingTask`: the task that routes mail, when the models' routing is known (said of it alone).
 */
export function answeredPrecisionWarnings(comparison: Pick<Comparison, 'tasks'>, routingTask?: string): string[] {
  const out: string[] = [];
  for (const t of comparison.tasks) {
    const { emails, wrong, precision } = t.answered ?? {};
    if (!emails || !wrong || !precision) continue;
    const drop = precision.challenger !== null && precision.champion !== null ? (precision.champion - precision.challenger) * 100 : 0;
    const more = wrong.challenger - wrong.champion;
    const manyMore = more >= Math.max(ANSWERED_WRONG_RISE_MIN, ANSWERED_WRONG_RISE_WARN_SHARE * t.n);
    if (drop < ANSWERED_PRECISION_DROP_WARN_POINTS - 1e-9 && !manyMore) continue;
    const side = (role: 'challenger' | 'champion') => {
      const p = precision[role];
      return `${p === null ? '–' : pct(p)} (${wrong[role]} of ${emails[role]} wrong)`;
    };
    const change = [drop > 0 ? `${drop.toFixed(1)} points lower` : '', more > 0 ? `${more} more wrong` : ''].filter(Boolean).join(', ');
    // The routing task by its name when the models' routing is known; else what it means for the one that routes mail.
    const routes = routingTask === undefined ? ' (for the task that routes mail, misrouted)' : t.task === routingTask ? ' (misrouted mail)' : '';
    out.push(`${t.task}: precision on the mail answered at each model's own threshold: challenger ${side('challenger')}, champion ${side('champion')}: ${change}${routes}, which macro-F1 and accuracy do not show`);
  }
  return out;
}

/**
 * Warnings for tasks at which the challenger's precision on the mail it answers (at its own threshold) falls short of
 * the target precision that threshold was chosen for, by more than chance explains on that many emails (train's rule):
 * the threshold did not hold on these emails, so more mail than intended is answered (for the task that routes mail,
 * routed) wrongly. `targets` are the challenger's (its training config's); none known, none said. The champion's
 * precision on the mail it answers is said against the same target: met, or also short (and whether by more).
 */
export function belowTargetWarnings(comparison: Pick<Comparison, 'tasks'>, targets: number | Readonly<Record<string, number>> | undefined, routingTask?: string): string[] {
  const out: string[] = [];
  for (const t of comparison.tasks) {
    const target = typeof targets === 'number' ? targets : targets?.[t.task];
    const { emails, wrong, precision } = t.answered ?? {};
    if (target === undefined || !emails || !wrong || !precision) continue;
    const p = precision.challenger;
    if (!shortBeyondChance(p, emails.challenger, target) || p === null) continue;
    const left = t.n - emails.challenger;
    const routes = t.task === routingTask;
    const rest = left === 0 ? `it ${routes ? 'sends none to manual triage' : 'abstains on none'}` : `it ${routes ? 'sends' : 'abstains on'} ${left} of ${t.n}${routes ? ' to manual triage' : ''}`;
    const verb = routes ? 'routes' : 'answers';
    out.push(
      `${t.task}: the challenger's precision on the ${emails.challenger} emails it ${verb} at its own threshold is ${pct(p)} (${wrong.challenger} wrong), under its ${pct(target)} target by more than chance explains (two standard errors: ${(chanceMargin(emails.challenger, target) * 100).toFixed(1)} points); ${rest} (the champion: ${championAgainst(precision.champion, emails.champion, target, p, verb)})`,
    );
  }
  return out;
}

/**
 * The champion's standing against the challenger's target, judged as the challenger's (`shortBeyondChance`) and said with
 * the same verb: a lead must not reject a challenger for a shortfall the champion has too, or worse.
 */
function championAgainst(precision: number | null, emails: number, target: number, challenger: number, verb: 'routes' | 'answers'): string {
  if (precision === null) return `it ${verb} none`;
  const figure = `${pct(precision)} on the ${emails} it ${verb}`;
  if (precision >= target) return `${figure}, which meets the ${pct(target)} target`;
  const lower = precision < challenger ? `, and lower than the challenger's` : '';
  if (shortBeyondChance(precision, emails, target)) return `${figure}, also under ${pct(target)} by more than chance explains${lower}`;
  return `${figure}, also under ${pct(target)}, though within what chance explains${lower}`;
}

/** Emails with a truth label that a model gave no prediction for: left out of the figures, and failing the gate. */
export const MissingPredictionsSchema = z.object({
  task: z.string(),
  /** Emails with a truth label for the task. */
  labelled: z.number().int(),
  challenger: z.number().int(),
  champion: z.number().int(),
});
export type MissingPredictions = z.infer<typeof MissingPredictionsSchema>;

/**
 * A compared task whose labels do not meet: the labels the two models predict or score share none (one task
 * name, two taxonomies), or the data's labels share none with one model's, which then gets no email right.
 * Its difference says nothing about which model is better: said in the summary, and the task fails its gate.
 */
export const DisjointLabelsSchema = z.object({
  task: z.string(),
  /** The labels the challenger and the champion predict or score share none (the catch-all `other` aside). */
  models: z.boolean(),
  /** The sides none of whose labels is a truth label of the task in the data. */
  outsideData: z.array(z.enum(['challenger', 'champion'])),
});
export type DisjointLabels = z.infer<typeof DisjointLabelsSchema>;

/**
 * A task the models predict that no line of either side has a truth label for (an empty or missing label column):
 * nothing says whether the challenger got worse at it, so it is named in the summary and fails the gate, unless the
 * policy's `tasks` leave it out.
 */
export const UnmeasuredTaskSchema = z.object({
  task: z.string(),
  /** The sides that predict it. */
  predictedBy: z.array(z.enum(['challenger', 'champion'])),
});
export type UnmeasuredTask = z.infer<typeof UnmeasuredTaskSchema>;

export const ComparisonSchema = z.object({
  n: z.number().int(),
  bootstrap: BootstrapOptionsSchema,
  tasks: z.array(TaskComparisonSchema),
  /** Tasks where a model left labelled emails unpredicted (a whole task, when none has both predictions). */
  missing: z.array(MissingPredictionsSchema).default([]),
  /** Compared tasks whose labels do not meet (see `DisjointLabelsSchema`); empty as a rule. */
  disjointLabels: z.array(DisjointLabelsSchema).default([]),
  /** Tasks predicted but with no truth label on any line (see `UnmeasuredTaskSchema`); empty as a rule. */
  unmeasured: z.array(UnmeasuredTaskSchema).default([]),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

/** How two prediction files come to cover the same emails. */
const SAME_ROWS_HINT = "predict both models on one data file, with the same --split if any; models trained with different split settings or a different taxonomy of the split's task hold out different rows, so use a test file neither was trained on";

/**
 * Repeated ids (from `repeatedIds`), the first 5 named: `2 ids (a at x.csv:2 and x.csv:9; b at …)` when `place`
 * names where each position is, else `2 ids (a on 2 lines; b on 3 lines)`.
 */
export function repeatedIdsText(repeats: ReadonlyMap<string, readonly number[]>, place?: (i: number) => string): string {
  const where = (at: readonly number[]) => (place ? `at ${at.slice(0, -1).map(place).join(', ')} and ${place(at[at.length - 1])}` : `on ${at.length} lines`);
  const named = [...repeats].slice(0, 5).map(([id, at]) => `${id} ${where(at)}`);
  const more = repeats.size > named.length ? `, and ${repeats.size - named.length} more` : '';
  return `${repeats.size} id${repeats.size === 1 ? '' : 's'} (${named.join('; ')}${more})`;
}

/**
 * Pairs the two files' lines: by `id` when every line has one, else by position (files with no ids at all). Lines of
 * which some have an id and others none are refused: joined by position, one line without an id would re-pair the
 * whole file unseen.
 */
function align(challenger: readonly PredictionLine[], champion: readonly PredictionLine[]): Array<[PredictionLine, PredictionLine]> {
  const withIds = [...challenger, ...champion].every((l) => l.id !== undefined);
  if (!withIds && [...challenger, ...champion].some((l) => l.id !== undefined)) {
    const [side, lines] = challenger.some((l) => l.id === undefined) ? ['challenger', challenger] : ['champion', champion];
    const missing = lines.filter((l) => l.id === undefined).length;
    const first = lines.findIndex((l) => l.id === undefined) + 1;
    throw new ComparisonError(
      `${missing} of the ${side}'s ${lines.length} prediction lines have no id (the first: line ${first}) while other lines have one: compare joins the two sides by id, so give every line its email's id (mailroute predict does), or no line one to join them by position`,
    );
  }
  if (withIds) {
    for (const [side, lines] of [['challenger', challenger], ['champion', champion]] as const) {
      const repeats = repeatedIds(lines.map((l) => l.id));
      if (repeats.size > 0) throw new ComparisonError(`the ${side}'s predictions repeat ${repeatedIdsText(repeats)}: compare joins the two sides' predictions by id, so each id must name one email`);
    }
    const byId = new Map(champion.map((l) => [l.id as string, l]));
    if (challenger.length !== champion.length) {
      throw new ComparisonError(`challenger has ${challenger.length} lines, champion ${champion.length}: not the same test set (${SAME_ROWS_HINT})`);
    }
    return challenger.map((l) => {
      const other = byId.get(l.id as string);
      if (!other) {
        throw new ComparisonError(`id ${l.id} is in the challenger's predictions only: not the same test set (${SAME_ROWS_HINT})`);
      }
      return [l, other];
    });
  }
  if (challenger.length !== champion.length) {
    throw new ComparisonError(`challenger has ${challenger.length} lines, champion ${champion.length}: not the same test set (${SAME_ROWS_HINT})`);
  }
  return challenger.map((l, i) => [l, champion[i]]);
}

/** Each model's routing (its manifest's): which task routes mail and whose abstention sends it to manual triage. */
export type ComparedRouting = Partial<Record<'challenger' | 'champion', ReportRouting>>;

/** Each model's labels per task, under the names its lines are scored in (see `taxonomies` of comparePredictions). */
export type ComparedTaxonomies = Partial<Record<'challenger' | 'champion', Readonly<Record<string, readonly string[]>>>>;

/** Per task, the labels of the champion's the challenger lost, with why (see `lostLabels` of comparePredictions). */
export type LostLabels = Readonly<Record<string, Readonly<Record<string, LostLabelReason>>>>;

/**
 * The labels of a task only one model's taxonomy has, with the side that has each; empty when either taxonomy is not
 * known or they agree, and when no email is labelled with a label both know (nothing would be left to compare: the
 * task is then compared on all its emails, and `disjointLabels` says when the labels do not meet).
 */
function oneSidedOf(pairs: ReadonlyArray<[PredictionLine, PredictionLine]>, task: string, taxonomies: ComparedTaxonomies): Map<string, 'challenger' | 'champion'> {
  const out = new Map<string, 'challenger' | 'champion'>();
  const challenger = taxonomies.challenger?.[task];
  const champion = taxonomies.champion?.[task];
  if (challenger === undefined || champion === undefined) return out;
  for (const l of challenger) if (!champion.includes(l)) out.set(l, 'challenger');
  for (const l of champion) if (!challenger.includes(l)) out.set(l, 'champion');
  if (out.size === 0) return out;
  const shared = pairs.some(([x]) => {
    const t = x.truth[task];
    return t !== undefined && t !== null && !out.has(t);
  });
  return shared ? out : new Map();
}

function compareTask(
  pairs: ReadonlyArray<[PredictionLine, PredictionLine]>,
  task: string,
  boot: BootstrapOptions,
  routing: ComparedRouting = {},
  taxonomies: ComparedTaxonomies = {},
  lostReasons: Readonly<Record<string, LostLabelReason>> = {},
): { comparison?: TaskComparison; missing?: MissingPredictions; disjoint?: DisjointLabels } {
  // Labels only one model knows: their emails are left out, and the labels out of both macro-F1s (`oneSidedLabels`);
  // but not the queues the challenger lost, whose emails it cannot route right: scored, so that they count against it.
  const lost = new Set(Object.keys(lostReasons));
  const oneSided = oneSidedOf(pairs, task, taxonomies);
  for (const label of lost) oneSided.delete(label);
  const leftOut = new Map<string, number>();
  const truth: string[] = [];
  const a: string[] = [];
  const b: string[] = [];
  // The lines scored, per side: for the per-label counts of the mail each answers.
  const kept = { challenger: [] as PredictionLine[], champion: [] as PredictionLine[] };
  // The labels each model predicts or scores: its taxonomy as far as its lines show it.
  const known = { challenger: new Set<string>(), champion: new Set<string>() };
  const note = (set: Set<string>, p: PredictionLine['prediction'][string]) => {
    set.add(p.label);
    for (const l of Object.keys(p.scores ?? {})) set.add(l);
  };
  let labelled = 0;
  let missingA = 0;
  let missingB = 0;
  // Lines that say whether they abstained, and those answered, per side.
  const says = { challenger: 0, champion: 0 };
  const answered = { challenger: 0, champion: 0 };
  const answeredRight = { challenger: 0, champion: 0 };
  for (const [i, [x, y]] of pairs.entries()) {
    const t = x.truth[task];
    const u = y.truth[task];
    // Unlabelled in both files: skipped. Labelled in one only: not the same labels (checked both ways).
    if ((t === undefined || t === null) && (u === undefined || u === null)) continue;
    if (u !== t) {
      const shown = (v: string | null | undefined) => (typeof v === 'string' ? `"${v}"` : 'none');
      throw new ComparisonError(`task ${task}: line ${x.id ?? i + 1} has truth ${shown(t)} for the challenger and ${shown(u)} for the champion (both must be scored on the same labels)`);
    }
    if (t === undefined || t === null) continue;
    if (oneSided.has(t)) {
      leftOut.set(t, (leftOut.get(t) ?? 0) + 1);
      continue;
    }
    labelled++;
    const pa = x.prediction[task];
    const pb = y.prediction[task];
    if (!pa) missingA++;
    if (!pb) missingB++;
    if (!pa || !pb) continue;
    truth.push(t);
    a.push(pa.label);
    b.push(pb.label);
    kept.challenger.push(x);
    kept.champion.push(y);
    if (pa.abstained !== undefined) says.challenger += 1;
    if (pb.abstained !== undefined) says.champion += 1;
    if (pa.abstained === false) {
      answered.challenger += 1;
      if (pa.label === t) answeredRight.challenger += 1;
    }
    if (pb.abstained === false) {
      answered.champion += 1;
      if (pb.label === t) answeredRight.champion += 1;
    }
    note(known.challenger, pa);
    note(known.champion, pb);
  }
  const missing = missingA + missingB > 0 ? { task, labelled, challenger: missingA, champion: missingB } : undefined;
  if (truth.length === 0) return missing ? { missing } : {};
  const truthLabels = new Set(truth);
  // Labels a model predicted that no email compared has and the other does not know, as its lines show it; those of one
  // model's taxonomy (its manifest's) are `oneSidedLabels`, said with their emails.
  const unknownTo = (predicted: readonly string[], other: ReadonlySet<string>) => [...new Set(predicted)].filter((l) => !truthLabels.has(l) && !other.has(l) && !oneSided.has(l) && !lost.has(l)).sort();
  const unscored = { challenger: unknownTo(a, known.champion), champion: unknownTo(b, known.challenger) };
  // A lost queue no email here has is not scored (as any one-sided label): there is no email of it to get wrong.
  const skip = new Set([...unscored.challenger, ...unscored.champion, ...oneSided.keys(), ...[...lost].filter((l) => !truthLabels.has(l))]);
  // One label set for both: averaged over each model's own, a label one of them gave to a single email (and no email
  // has) cost that model alone a whole label's F1, though both got the same emails right.
  const scored = uniqueLabels(truth, a, b).filter((l) => !skip.has(l));
  const champ = { macroF1: macroF1(truth, b, scored), accuracy: accuracy(truth, b) };
  const chall = { macroF1: macroF1(truth, a, scored), accuracy: accuracy(truth, a) };
  let right = 0;
  let wrong = 0;
  for (let i = 0; i < truth.length; i++) {
    const okA = a[i] === truth[i];
    const okB = b[i] === truth[i];
    if (okA && !okB) right++;
    if (!okA && okB) wrong++;
  }
  const { f1Deltas, accDeltas } = pairedBootstrap(truth, a, b, boot, skip);
  const alpha = (1 - boot.confidence) / 2;
  const interval = (delta: number, values: number[]) => ({ delta, lo: percentile(values, alpha), hi: percentile(values, 1 - alpha) });
  const comparison = {
    task,
    n: truth.length,
    challenger: chall,
    champion: champ,
    macroF1: interval(chall.macroF1 - champ.macroF1, f1Deltas),
    accuracy: interval(chall.accuracy - champ.accuracy, accDeltas),
    mcnemar: mcnemar(right, wrong),
    ...(says.challenger === truth.length && says.champion === truth.length ? { answered: answeredFigures(answered, answeredRight, truth.length) } : {}),
    ...(unscored.challenger.length + unscored.champion.length > 0 ? { unscoredLabels: unscored } : {}),
    ...oneSidedLabels(oneSided, leftOut, { challenger: a, champion: b }, lostOf(lostReasons, truth, b)),
    ...(scored.some((l) => !truthLabels.has(l)) ? { absentLabels: scored.filter((l) => !truthLabels.has(l)) } : {}),
  };
  const disjoint = disjointLabels(task, new Set(truth), known);
  return { comparison: { ...comparison, labels: labelsOf(task, truth, { challenger: a, champion: b }, scored, kept, routing) }, ...(missing ? { missing } : {}), ...(disjoint ? { disjoint } : {}) };
}

/**
 * A task's `oneSidedLabels`: per side, the labels only it knows that an email here is labelled with (`leftOut`: how
 * many, left out of the figures) or that it predicted for an email compared; none when there are none.
 */
function oneSidedLabels(
  oneSided: ReadonlyMap<string, 'challenger' | 'champion'>,
  leftOut: ReadonlyMap<string, number>,
  predicted: Record<'challenger' | 'champion', readonly string[]>,
  lost: readonly OneSidedLabel[] = [],
): Pick<TaskComparison, 'oneSidedLabels'> {
  const side = (role: 'challenger' | 'champion') =>
    [...oneSided.keys()]
      .filter((label) => oneSided.get(label) === role)
      .sort()
      .map((label) => ({ label, emails: leftOut.get(label) ?? 0, predicted: predicted[role].filter((l) => l === label).length }))
      .filter((l) => l.emails > 0 || l.predicted > 0);
  // A lost queue is listed even when no email has it and the champion never gave it: the gate fails on it all the same.
  const champion = [...side('champion'), ...lost].sort((x, y) => (x.label < y.label ? -1 : x.label > y.label ? 1 : 0));
  const out = { challenger: side('challenger'), champion };
  return out.challenger.length + out.champion.length > 0 ? { oneSidedLabels: out } : {};
}

/**
 * The `oneSidedLabels` entries of the queues the challenger lost: the emails compared whose truth each is (kept in the
 * figures) and how many of them the champion (`champion`: its predictions) gave it to.
 */
function lostOf(reasons: Readonly<Record<string, LostLabelReason>>, truth: readonly string[], champion: readonly string[]): OneSidedLabel[] {
  return Object.entries(reasons).map(([label, lost]) => ({
    label,
    emails: truth.filter((t) => t === label).length,
    predicted: champion.filter((l) => l === label).length,
    lost,
  }));
}

/**
 * A task's `labels`: per label, both models' figures; with the mail each answers with it when both sides' lines say
 * whether they abstained, counted as routed to a queue when both models route mail by this task.
 */
function labelsOf(
  task: string,
  truth: readonly string[],
  predicted: Record<'challenger' | 'champion', readonly string[]>,
  scored: readonly string[],
  kept: Record<'challenger' | 'champion', readonly PredictionLine[]>,
  routing: ComparedRouting,
): NonNullable<TaskComparison['labels']> {
  const routed = routing.challenger?.queueTask === task && routing.champion?.queueTask === task;
  const challenger = answeredByLabel(kept.challenger, task, routed ? routing.challenger : undefined);
  const champion = answeredByLabel(kept.champion, task, routed ? routing.champion : undefined);
  return compareLabels(truth, predicted, scored, challenger && champion ? { routed, challenger, champion } : undefined);
}

/** A task's `answered`: each model's share of the `n` emails answered, how many, how many wrongly, and its precision on them. */
function answeredFigures(answered: Record<'challenger' | 'champion', number>, right: Record<'challenger' | 'champion', number>, n: number): NonNullable<TaskComparison['answered']> {
  const precision = (role: 'challenger' | 'champion') => (answered[role] === 0 ? null : right[role] / answered[role]);
  return {
    challenger: answered.challenger / n,
    champion: answered.champion / n,
    emails: { ...answered },
    wrong: { challenger: answered.challenger - right.challenger, champion: answered.champion - right.champion },
    precision: { challenger: precision('challenger'), champion: precision('champion') },
  };
}

/** The task's `DisjointLabels` when its labels do not meet, else undefined. */
function disjointLabels(task: string, truth: ReadonlySet<string>, known: Record<'challenger' | 'champion', ReadonlySet<string>>): DisjointLabels | undefined {
  const meets = (x: ReadonlySet<string>, y: ReadonlySet<string>, skip?: string) => [...x].some((l) => l !== skip && y.has(l));
  // The catch-all aside: a champion whose queues are all unknown to the challenger has every label mapped to `other`.
  const models = !meets(known.challenger, known.champion, CATCH_ALL_LABEL);
  const outsideData = (['challenger', 'champion'] as const).filter((side) => !meets(known[side], truth));
  return models || outsideData.length > 0 ? { task, models, outsideData } : undefined;
}

/**
 * Paired bootstrap: resample examples with replacement (the same indices for both models) and
 * record challenger minus champion of macro-F1 and of accuracy. Both models' macro-F1 in a resample is over the
 * same labels: those present in it (a truth or either model's prediction, as scikit-learn's `labels` of their union
 * would), but those in `unscored` (see `unscoredLabels`).
 */
export function pairedBootstrap(
  truth: readonly string[],
  a: readonly string[],
  b: readonly string[],
  boot: BootstrapOptions,
  unscored: ReadonlySet<string> = new Set(),
): { f1Deltas: number[]; accDeltas: number[] } {
  const [sa, sb] = bootstrapScores(truth, [a, b], boot, unscored);
  return { f1Deltas: sa.f1.map((f, r) => f - sb.f1[r]), accDeltas: sa.hits.map((h, r) => (h - sb.hits[r]) / truth.length) };
}

/**
 * Per model (`sides`: one model's predictions for the `truth` lines, or two models'), its macro-F1 and hits in each
 * bootstrap resample: the resamples draw the same indices for both models (a paired bootstrap), from `boot.seed`.
 * Macro-F1 is over the labels present in the resample (in its truth or in either model's predictions: the same
 * labels for both), as scikit-learn's, but those in `unscored`; with `averageOver`
 * (a fixed label list, as scikit-learn's `labels`), over exactly those labels, one no email of the resample has
 * counting 0.
 */
export function bootstrapScores(
  truth: readonly string[],
  sides: readonly [readonly string[]] | readonly [readonly string[], readonly string[]],
  boot: BootstrapOptions,
  unscored: ReadonlySet<string> = new Set(),
  averageOver?: readonly string[],
): Array<{ f1: number[]; hits: number[] }> {
  const index = new Map<string, number>();
  const code = (l: string): number => {
    let i = index.get(l);
    if (i === undefined) {
      i = index.size;
      index.set(l, i);
    }
    return i;
  };
  const n = truth.length;
  const t = Int32Array.from(truth, code);
  const pa = Int32Array.from(sides[0], code);
  // The second model's arrays are empty with one model: the loop below counts it only when there is one.
  const two = sides.length === 2;
  const pb = two ? Int32Array.from(sides[1], code) : new Int32Array(0);
  const L = index.size;
  const listed = averageOver === undefined ? undefined : new Set(averageOver);
  const counted = Uint8Array.from([...index.keys()], (l) => (listed === undefined || listed.has(l) ? 1 : 0));
  for (const l of unscored) {
    const i = index.get(l);
    if (i !== undefined) counted[i] = 0;
  }
  const actual = new Int32Array(L);
  const predA = new Int32Array(L);
  const predB = new Int32Array(two ? L : 0);
  const tpA = new Int32Array(L);
  const tpB = new Int32Array(two ? L : 0);
  const random = seededRandom(boot.seed);
  const a = { f1: [] as number[], hits: [] as number[] };
  const b = { f1: [] as number[], hits: [] as number[] };
  // A label is present in a resample when an email of it has it or either model gave it: both models are scored over those.
  const present = (l: number): boolean => actual[l] > 0 || predA[l] > 0 || (two && predB[l] > 0);
  const macro = (pred: Int32Array, tp: Int32Array): number => {
    let s = 0;
    let k = 0;
    for (let l = 0; l < L; l++) {
      if (counted[l] === 0 || !present(l)) continue;
      k++;
      const p = pred[l] === 0 ? 0 : tp[l] / pred[l];
      const r = actual[l] === 0 ? 0 : tp[l] / actual[l];
      s += p + r === 0 ? 0 : (2 * p * r) / (p + r);
    }
    if (listed !== undefined) return listed.size === 0 ? 0 : s / listed.size;
    return k === 0 ? 0 : s / k;
  };
  for (let r = 0; r < boot.resamples; r++) {
    actual.fill(0);
    predA.fill(0);
    predB.fill(0);
    tpA.fill(0);
    tpB.fill(0);
    let hitsA = 0;
    let hitsB = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n);
      actual[t[j]]++;
      predA[pa[j]]++;
      if (pa[j] === t[j]) {
        tpA[t[j]]++;
        hitsA++;
      }
      if (two) {
        predB[pb[j]]++;
        if (pb[j] === t[j]) {
          tpB[t[j]]++;
          hitsB++;
        }
      }
    }
    a.f1.push(macro(predA, tpA));
    a.hits.push(hitsA);
    if (two) {
      b.f1.push(macro(predB, tpB));
      b.hits.push(hitsB);
    }
  }
  return two ? [a, b] : [a];
}

/**
 * A task one file has (truth labels) and the other lacks on every line, predictions too: a model without
 * that task (one dropped it, or is older than it). It is not compared, and counts as unpredicted by that model
 * on every labelled line, so the gate fails rather than the comparison; a truth missing on some lines only
 * stays a different test set (compareTask refuses it).
 */
function taskOfOneModel(pairs: ReadonlyArray<[PredictionLine, PredictionLine]>, task: string, inChallenger: boolean, inChampion: boolean): MissingPredictions | undefined {
  if (inChallenger === inChampion) return undefined;
  const lacking = inChallenger ? 1 : 0;
  if (pairs.some((pair) => pair[lacking].prediction[task] !== undefined)) return undefined;
  let labelled = 0;
  for (const pair of pairs) {
    const truth = pair[1 - lacking].truth[task];
    if (truth !== undefined && truth !== null) labelled++;
  }
  return { task, labelled, challenger: inChallenger ? 0 : labelled, champion: inChampion ? 0 : labelled };
}

/** Challenger against champion on the same test set, task by task. */
export function comparePredictions(
  challenger: readonly PredictionLine[],
  champion: readonly PredictionLine[],
  options: {
    bootstrap?: Partial<BootstrapOptions>;
    tasks?: readonly string[];
    onProgress?: (done: number, total: number, label?: string) => void;
    /** Each model's routing, when known: `labels` then counts, for the task both route mail by, the mail routed to each queue. */
    routing?: ComparedRouting;
    /**
     * Each model's labels per task (its manifest's), under the names its lines are scored in: where the two differ, the
     * labels one alone knows are left out of both macro-F1s and their emails out of the task's figures (`oneSidedLabels`).
     */
    taxonomies?: ComparedTaxonomies;
    /**
     * Per task (the one that routes mail, as `mailroute compare --data` gives it), the labels the champion predicts and
     * routes mail to that the challenger cannot predict, and had not retired or aliased away on purpose, with why
     * (`{ queue: { advisory: 'no-examples' } }`): their emails stay in the figures, counted wrong for the challenger, and
     * `oneSidedLabels` names them with `lost`; `applyGate` fails on them.
     */
    lostLabels?: LostLabels;
  } = {},
): Comparison {
  const boot = BootstrapOptionsSchema.parse(options.bootstrap ?? {});
  const pairs = align(challenger, champion);
  const tasks = options.tasks ? [...options.tasks] : [...new Set([...tasksOf(challenger), ...tasksOf(champion)])];
  const out: TaskComparison[] = [];
  const missing: MissingPredictions[] = [];
  const disjoint: DisjointLabels[] = [];
  const inChallenger = new Set(tasksOf(challenger));
  const inChampion = new Set(tasksOf(champion));
  tasks.forEach((task, i) => {
    options.onProgress?.(i, tasks.length, task);
    const oneModel = taskOfOneModel(pairs, task, inChallenger.has(task), inChampion.has(task));
    if (oneModel) {
      missing.push(oneModel);
      return;
    }
    const c = compareTask(pairs, task, boot, options.routing, options.taxonomies, options.lostLabels !== undefined && Object.hasOwn(options.lostLabels, task) ? options.lostLabels[task] : undefined);
    if (c.comparison) out.push(c.comparison);
    if (c.missing) missing.push(c.missing);
    if (c.disjoint) disjoint.push(c.disjoint);
  });
  options.onProgress?.(tasks.length, tasks.length);
  // Predicted, but no line of either side labelled for it: nothing measures it, which must not pass for a pass.
  const labelled = new Set([...inChallenger, ...inChampion]);
  const predicted = { challenger: new Set(predictedTasksOf(challenger)), champion: new Set(predictedTasksOf(champion)) };
  const unmeasured = [...new Set([...predicted.challenger, ...predicted.champion])]
    .filter((task) => !labelled.has(task) && (!options.tasks || options.tasks.includes(task)))
    .map((task) => ({ task, predictedBy: (['challenger', 'champion'] as const).filter((side) => predicted[side].has(task)) }));
  if (out.length === 0 && missing.length === 0) {
    const none = unmeasured.length > 0 ? ` (no line has a truth label for ${unmeasured.map((u) => u.task).join(', ')})` : '';
    throw new ComparisonError(`no task has truth labels and predictions from both models${none}`);
  }
  // One task name, two taxonomies, on every task: as with no task in common, nothing compares (and no gate is kept).
  if (missing.length === 0 && out.length > 0 && out.every((t) => disjoint.some((d) => d.task === t.task && d.models))) {
    throw new ComparisonError(
      `the models share no label on any task they both predict (${out.map((t) => t.task).join(', ')}): each task name stands for another taxonomy, so the champion and challenger cannot be scored on the same labels; compare the challenger with a model trained on the same labels`,
    );
  }
  return { n: pairs.length, bootstrap: boot, tasks: out, missing, disjointLabels: disjoint, unmeasured };
}
