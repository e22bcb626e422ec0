import { TRAINED_LANGUAGE_ROWS, TRAINED_LANGUAGE_SHARE } from '@mailroute/model';
import { classificationReportText } from './classification-report.js';
import { NONE, pictureFinding } from './picture-findings.js';
import { pictureBases, type Picture } from './pictures.js';
import { MISSING_META_VALUE, taskTargetPrecision, UNDETERMINED_LANGUAGE, type EvaluationReport, type Languages, type TaskReport } from './evaluate.js';
import { clearAccuracyDifference, clearAccuracyText, clearDifference, type Comparison, type TaskComparison } from './compare.js';
import { labelChangesMarkdown } from './compare-labels-text.js';
import { coverageWords, type ReportRouting } from './coverage-words.js';
import { disjointDetail, type GateResult } from './gate.js';
import { cell, codeSpan } from './markdown.js';
import { pyFixed } from './python-format.js';
import { chanceMargin, shortBeyondChance } from './target-precision.js';
import { tailUnits } from './text-cut.js';

// As the classification report rounds (Python's %f), so that one figure reads the same in every report.
const f = (x: number, d = 4): string => pyFixed(x, d);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
/**
 * An abstention threshold, with 3 digits wherever the reports show one (the operating point's, the coverage table's,
 * the model card's), rounded as Python's %f: `0.745`, `0.500`. Shares (coverage, precision of the mail answered) are percent with one decimal.
 */
export const thresholdText = (x: number): string => pyFixed(x, 3);
const signedPts = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;
/** How many of a task's most confused pairs report.md and report.html list (metrics.json keeps more): the same pairs in both. */
export const CONFUSED_PAIRS_SHOWN = 10;

/** The most confused pairs the reports list, and their heading, which says how many when the task has more. */
export function shownConfusedPairs(t: TaskReport): { heading: string; pairs: TaskReport['confusedPairs'] } {
  const cut = t.confusedPairs.length > CONFUSED_PAIRS_SHOWN;
  return { heading: `Most confused pairs${cut ? ` (the ${CONFUSED_PAIRS_SHOWN} most frequent)` : ''}`, pairs: t.confusedPairs.slice(0, CONFUSED_PAIRS_SHOWN) };
}

/** The warning for lines that have a task's label but no prediction for it (left out of its figures), if any. */
export function leftOutWarning(t: TaskReport): string | undefined {
  const n = t.skipped.noPrediction;
  if (n === 0) return undefined;
  return `${n} line${n === 1 ? '' : 's'} with a label of task ${t.task} ${n === 1 ? 'has' : 'have'} no prediction of it and ${n === 1 ? 'is' : 'are'} left out of its figures: the model or pipeline dropped ${n === 1 ? 'it' : 'them'}.`;
}

/**
 * Why a task is measured on fewer emails than the report has (`total`): lines without its label are not in its
 * figures. The lines do not say why a truth is null, so the reasons predicting gives one are listed, not claimed:
 * blank in the data, a label the config retires, or one the model does not know (predicting warns of those). Undefined
 * when every line has one.
 */
export function unlabelledNote(t: TaskReport, total: number): string | undefined {
  const n = t.skipped.noTruth;
  if (n === 0) return undefined;
  return `${n} of the ${total} emails ${n === 1 ? 'has' : 'have'} no ${t.task} label and ${n === 1 ? 'is' : 'are'} not in its figures (a truth left blank in the prediction lines: blank in the data, a label the config retires, or one the model does not know, which predicting warns of); the model predicts a label of task ${t.task} for ${n === 1 ? 'it' : 'them'} all the same.`;
}

/**
 * `The model's labels are scored under the names of the config the data was read with: queue: Billing and Payments
 * -> Zahlungsverkehr.` (a model trained before a rename, evaluated with the newer config), the changes as given
 * (`code`: how each is shown); undefined when none was renamed.
 */
export function renamedLabelsNote(report: Pick<EvaluationReport, 'renamedLabels'>, code: (change: string) => string = (x) => x): string | undefined {
  const renamed = report.renamedLabels ?? [];
  if (renamed.length === 0) return undefined;
  return `The model's labels are scored under the names of the config the data was read with (its aliases), so its figures here use them, not the names it was trained with: ${renamed.map(code).join(', ')}.`;
}

/** Said above each slice table: a slice's macro-F1 counts a label given there that none of its emails has. */
export const SLICE_NOTE = "each value's macro-F1 is over the labels its emails have or were given: one the model gave there that none of them has counts at F1 0, as scikit-learn counts it; one the config retires is left out";

/** The rule serving decides the languages a model was trained on by (`trainedLanguages`), in words. */
const TRAINED_SHARE_AND_ROWS = `${TRAINED_LANGUAGE_SHARE * 100}% and ${TRAINED_LANGUAGE_ROWS} of its training emails`;

/** `a, b and c`. */
const andList = (xs: readonly string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/**
 * Said with each By language table (`report.languages`): the languages are detected from each email's text, not read
 * from the data, by a detector that knows a few; and which the model was trained on, the rows of others being marked.
 */
export function languageSliceNote(languages: Languages): string {
  const detected = `Languages are detected from each email's text when it is predicted (as mailroute predict records them), not read from a column of the data: the detector knows ${andList(languages.detectable)}, and counts mail in any other language (Portuguese, say) under the nearest of these, or as ${UNDETERMINED_LANGUAGE} when the text tells too little.`;
  if (languages.trainedOn === undefined) {
    const why = languages.trainingEmails === undefined ? 'not known here (the model was not at hand, or its manifest records none)' : `none with at least ${TRAINED_SHARE_AND_ROWS}`;
    return `${detected} The languages the model was trained on: ${why}, so no row is marked as untrained.`;
  }
  return `${detected} The model was trained on ${andList(languages.trainedOn)} (at least ${TRAINED_SHARE_AND_ROWS} each); a row marked untrained is in a language it had few or no training emails of: its figures say little of the model's quality on the languages it was trained on.`;
}

/** The head of the By language tables' column of the model's training emails per language. */
export const TRAINING_EMAILS_HEAD = "model's training emails";

/**
 * A By language row's training cell (`TRAINING_EMAILS_HEAD`): the model's training emails in that language, and
 * whether it counts as untrained; undefined when the training counts are not known (no such column then).
 */
export function languageTrainingCell(languages: Languages, value: string): { text: string; untrained: boolean } | undefined {
  const training = languages.trainingEmails;
  if (training === undefined) return undefined;
  if (value === MISSING_META_VALUE) return { text: NONE, untrained: false };
  const n = Object.hasOwn(training, value) ? training[value] : 0;
  if (value === UNDETERMINED_LANGUAGE) return { text: `${n} (no language detected)`, untrained: false };
  const untrained = languages.untrained?.some((u) => u.language === value) ?? false;
  return { text: untrained ? `${n}: untrained${n > 0 ? ', too few' : ''}` : String(n), untrained };
}

/**
 * Labels no test email has that the model predicted anyway (absent without scores otherwise): each gets F1 0,
 * as every email given it is wrong, and macro-F1 averages that 0 in, as scikit-learn does; said with the
 * macro-F1 over the labels that have test emails, so that a label missing from the test set is not read as one
 * the model fails at. Undefined when every label has test emails.
 */
export function absentLabelsNote(t: TaskReport): string | undefined {
  const m = t.metrics;
  const unscored = new Set(m.unscored ?? []);
  const absent = m.perClass.map((c, i) => ({ label: c.label, i })).filter(({ label, i }) => m.perClass[i].support === 0 && !unscored.has(label));
  if (absent.length === 0) return undefined;
  const given = absent.map(({ label, i }) => ({ label, n: m.confusion.counts.reduce((sum, row) => sum + row[i], 0) }));
  const one = absent.length === 1;
  const list = (xs: readonly string[], last: string) => (xs.length === 1 ? xs[0] : `${xs.slice(0, -1).join(', ')} ${last} ${xs[xs.length - 1]}`);
  const total = given.reduce((sum, g) => sum + g.n, 0);
  // Counted among the emails with the task's label only: with some without one, said so (the prediction lines give
  // the label to those too).
  const among = labelledAmong(t);
  const counts = among === undefined ? `${list(given.map((g) => String(g.n)), 'and')} email${total === 1 ? '' : 's'}${one ? '' : ' (in that order)'}` : `${list(given.map((g) => String(g.n)), 'and')} ${among}${one ? '' : ' (in that order)'}`;
  const tested = m.perClass.filter((c) => c.support > 0);
  const rest = tested.length === 0 ? '' : `; over the ${tested.length === 1 ? '1 label that has' : `${tested.length} labels that have`} test emails, macro-F1 is ${f(tested.reduce((sum, c) => sum + c.f1, 0) / tested.length)}`;
  const none = among === undefined ? 'no email' : `none ${among}`;
  const gave = total === 0 ? `and the model gave ${one ? 'it' : 'them'} to ${none} either` : `yet the model gave ${one ? 'it' : 'them'} to ${counts}, wrongly each time`;
  return `No test email has the label${one ? '' : 's'} ${list(given.map((g) => g.label), 'or')}, ${gave}: ${one ? 'its' : 'their'} F1 of 0 counts in macro-F1, ${f(m.macro.f1)}${rest}. The test set says nothing about how well the model finds ${one ? 'this label' : 'these labels'}.`;
}

/**
 * `of the 368 emails with a label of task queue` when some emails have none (`skipped.noTruth`): the notes on labels no test
 * email has count the model's answers among the emails with the task's label only, not among those without one (the
 * prediction lines give them labels too); undefined when every email has one.
 */
function labelledAmong(t: TaskReport): string | undefined {
  if (t.skipped.noTruth === 0) return undefined;
  const labelled = t.metrics.n + t.skipped.noPrediction;
  return `of the ${labelled} email${labelled === 1 ? '' : 's'} with a label of task ${t.task}`;
}

/**
 * Labels the config retires that the model predicted anyway (`metrics.unscored`; no email can have one): left out of
 * macro-F1, which is said with the labels it averages over and the figure scikit-learn's default would give (every
 * label of truth or prediction, these at F1 0), as `evaluate --predictions` without the config gives it. Undefined
 * when there are none.
 */
export function unscoredLabelsNote(t: TaskReport): string | undefined {
  const m = t.metrics;
  const left = m.unscored ?? [];
  if (left.length === 0) return undefined;
  const given = (label: string) => {
    const i = m.labels.indexOf(label);
    return i < 0 ? 0 : m.confusion.counts.reduce((sum, row) => sum + row[i], 0);
  };
  const one = left.length === 1;
  const total = left.reduce((sum, l) => sum + given(l), 0);
  const named = left.join(', ');
  const averaged = m.perClass.length - left.length;
  const all = m.perClass.reduce((sum, c) => sum + c.f1, 0) / m.perClass.length;
  const them = one ? 'it' : 'them';
  return `The model gave ${named}, which the config retires, to ${total} email${total === 1 ? '' : 's'} (none can have ${them}): ${total === 1 ? 'it counts' : 'they count'} as wrong, in accuracy and in the recall of the true labels, but ${one ? 'the label is' : 'the labels are'} no class of the taxonomy and left out of macro-F1, ${f(m.macro.f1)} over the other ${averaged} label${averaged === 1 ? '' : 's'}, as compare leaves out a label only one of two models knows; scikit-learn's default, which averages in every label predicted, would count ${them} at F1 0: ${f(all)}.`;
}

/**
 * Where the model answers at its own abstention threshold, in one line: `answers 84.6% (677 of 800) at
 * precision 91.3% (threshold 0.745); abstains on the other 123`. Undefined when the lines do not say whether they abstained.
 */
export function operatingSentence(t: TaskReport): string | undefined {
  const o = t.operating;
  if (!o) return undefined;
  if (o.manualTriage) return routingSentence(t, o, o.manualTriage);
  const rest = t.metrics.n - o.routed;
  const at = o.threshold === undefined ? '' : ` (threshold ${thresholdText(o.threshold)})`;
  const few = o.routed > 0 && o.routed < 20 ? ` Only ${o.routed} answered: a rough estimate.` : '';
  return `answers ${pct(o.coverage)} (${o.routed} of ${t.metrics.n}) at precision ${o.precision === null ? '–' : pct(o.precision)}${at}; abstains on ${rest === 0 ? 'none' : `the other ${rest}`}.${few}`;
}

/**
 * `Its target precision is 90.0%: 5.4 points short on these emails, more than chance explains on 677 answered (two
 * standard errors: 2.3 points).` when a task's precision at its own threshold misses the precision its threshold was
 * chosen for (`within what chance explains` when it is not beyond it, the rule of train's warning); undefined when it
 * reaches it, or either is unknown.
 */
export function shortOfTarget(t: TaskReport, target: number | undefined): string | undefined {
  const short = shortOfTargetFigures(t, target);
  return short && `Its target precision is ${short.target}: ${short.points} points short on these emails, ${short.rest}`;
}

/**
 * The same as one sentence of the plain-text report, after its `Note: ` or `WARNING: `: `below its target precision of
 * 90.0% by 5.4 points on these emails, more than chance explains on 677 answered (two standard errors: 2.3 points).`
 */
function belowTargetSentence(t: TaskReport, target: number | undefined): string | undefined {
  const short = shortOfTargetFigures(t, target);
  return short && `below its target precision of ${short.target} by ${short.points} points on these emails, ${short.rest}`;
}

/** The figures of `shortOfTarget`: the target, the points short, and the rest of the sentence (how chance judges them). */
function shortOfTargetFigures(t: TaskReport, target: number | undefined): { target: string; points: string; rest: string } | undefined {
  const precision = t.operating?.precision;
  if (target === undefined || precision === null || precision === undefined || precision >= target) return undefined;
  const answered = t.operating?.routed ?? 0;
  const judged = shortBeyondChance(precision, answered, target) ? 'more than chance explains' : 'within what chance explains';
  return { target: pct(target), points: ((target - precision) * 100).toFixed(1), rest: `${judged} on ${answered} answered (two standard errors: ${(chanceMargin(answered, target) * 100).toFixed(1)} points).` };
}

/** Whether a task's shortfall from its target (`shortOfTarget`) is beyond chance: a warning then, else a note. */
export function shortOfTargetWarned(t: TaskReport, target: number | undefined): boolean {
  const precision = t.operating?.precision;
  return target !== undefined && precision !== undefined && shortBeyondChance(precision, t.operating?.routed ?? 0, target);
}

/**
 * The operating point as the summary tables show it: `80.8% at 90.8%`, and `, under its 95.0% target` when it falls
 * short by more than chance explains (`shortOfTargetWarned`), `, under its 95.0% target (within chance)` when by less;
 * `none` without one (a word: a screen reader says nothing of a dash).
 */
export function operatingCell(t: TaskReport, target: number | undefined): string {
  const o = t.operating;
  if (!o) return NONE;
  const at = o.precision === null ? '' : ` at ${pct(o.precision)}`;
  const short = shortOfTarget(t, target) === undefined ? '' : `, under its ${pct(target ?? 0)} target${shortOfTargetWarned(t, target) ? '' : ' (within chance)'}`;
  return `${pct(o.coverage)}${at}${short}`;
}

/** `95% interval 0.7850 to 0.8390`: the bootstrap interval of a task's macro-F1 on these emails; undefined without one. */
export function macroF1IntervalText(t: TaskReport): string | undefined {
  const i = t.macroF1Interval;
  return i === undefined ? undefined : `${Math.round(i.level * 100)}% interval ${f(i.lo)} to ${f(i.hi)}`;
}

/**
 * `answering every email with its most common label, brokerage (330 of 591), would score accuracy 0.5584 and macro-F1
 * 0.2390`: the floor of a task's figures (`TaskReport.majority`), the label as `label` makes it; undefined without one.
 */
export function majorityText(t: TaskReport, label: (l: string) => string = (l) => l): string | undefined {
  const b = t.majority;
  if (b === undefined) return undefined;
  return `answering every email with its most common label, ${label(b.label)} (${b.count} of ${t.metrics.n}), would score accuracy ${f(b.accuracy)} and macro-F1 ${f(b.macroF1)}`;
}

/** The heading of the per-queue table of routed mail. */
export const BY_QUEUE_HEADING = "Routed automatically, by queue (at the model's own threshold; misrouted mail reaches the wrong team with no person looking first)";

/** Rows of the per-queue table: queue, routed, misrouted, precision of what it routes; worst precision first. */
export function byQueueRows(t: TaskReport): string[][] {
  return (t.operating?.byQueue ?? []).map((q) => [q.queue, String(q.routed), String(q.routed - q.right), pct(q.right / q.routed)]);
}

/**
 * The routing task's operating point, said as the model routes:/**
 * The routing task's operating point, said as the model routes: `routes 73.4% (58 of 79) to a queue at precision
 * 96.6% (threshold 0.000); the other 21 go to manual triage: 21 predicted `other`, which has no queue`.
 */
function routingSentence(t: TaskReport, o: NonNullable<TaskReport['operating']>, triage: { lowConfidence: number; noQueue: number }): string {
  const rest = triage.lowConfidence + triage.noQueue;
  const at = o.threshold === undefined ? '' : ` (threshold ${thresholdText(o.threshold)})`;
  const why = [
    triage.lowConfidence > 0 ? `${triage.lowConfidence} for low confidence` : '',
    triage.noQueue > 0 ? `${triage.noQueue} predicted \`other\`, which has no queue` : '',
  ].filter((x) => x !== '');
  const few = o.routed > 0 && o.routed < 20 ? ` Only ${o.routed} routed: a rough estimate.` : '';
  const triaged = rest === 0 ? 'none goes to manual triage' : `the other ${rest} go${rest === 1 ? 'es' : ''} to manual triage: ${why.join(', ')}`;
  return `routes ${pct(o.coverage)} (${o.routed} of ${t.metrics.n}) to a queue at precision ${o.precision === null ? '–' : pct(o.precision)}${at}; ${triaged}.${few}`;
}

type GuideEntry = { term: string; meaning: string };

/** Python's `%g`-like short form of a band width: 0.1, 0.05, 0.0333. */
const bandWidth = (bins: number): string => String(Number((1 / bins).toPrecision(3)));

/** The top-k entry for the top-k values a report has (`top-3 accuracy: ... (top-5: ...)`); none without any. */
function topKEntries(ks: readonly number[]): GuideEntry[] {
  if (ks.length === 0) return [];
  const [first, ...rest] = ks;
  const share = `the share of emails whose right label is among the model's ${first} likeliest`;
  if (rest.length === 0) return [{ term: `top-${first} accuracy`, meaning: `${share}.` }];
  return [{ term: 'top-k accuracy', meaning: `top-${first} accuracy: ${share} (${rest.map((k) => `top-${k}: its ${k} likeliest`).join('; ')}).` }];
}

/**
 * What each figure of the reports means, in plain words, for the person who approves a model (not an
 * engineer): report.md and report.html end with it. It names the top-k values the report has (`ks`, from
 * `--top-k`) and the width of its reliability diagram's bands (`bins`, from `--bins`).
 */
function guide(ks: readonly number[], bins: number, queueTask: string | undefined): GuideEntry[] {
  return [
    { term: 'accuracy', meaning: 'the share of emails given the right label.' },
    { term: 'precision (of a label)', meaning: "of the emails the model gave this label, the share that have it. Low: the label collects other labels' emails." },
    { term: 'recall (of a label)', meaning: 'of the emails that have this label, the share the model gave it. Low: its emails end up elsewhere.' },
    { term: 'F1', meaning: 'precision and recall in one figure (their harmonic mean), from 0 (never right) to 1 (always right). Support: the test emails that have the label.' },
    {
      term: 'macro-F1',
      meaning:
        "the plain mean of the labels' F1, each label counting the same however few emails it has: a small queue the model handles badly pulls it down, where accuracy and weighted F1 (the labels' F1 weighted by their support) hardly move. The champion/challenger gate compares models on it.",
    },
    {
      term: 'baseline',
      meaning:
        "what answering every email with the task's most common label would score on these emails: the floor a model must clear to have learnt anything. On imbalanced mail its accuracy can look high while its macro-F1 stays near 0 (every other label at F1 0).",
    },
    ...topKEntries(ks),
    {
      term: 'confidence, calibration',
      meaning: `each answer comes with a confidence from 0 to 1. Calibrated: it can be taken at its word, so of the emails answered at 0.8 about 80% are right. The reliability diagram sets the share right (bars) against the confidence (dots) in bands of ${bandWidth(bins)} (${bins} bin${bins === 1 ? '' : 's'}): a bar below its dot means over-confident there, above it under-confident.`,
    },
    {
      term: 'ECE (expected calibration error)',
      meaning: "the gap between confidence and the share right, averaged over the bands by their emails: 0.03 means the confidence is about 3 points off; under 0.05 is commonly taken as good. MCE: the largest band's gap, which a band of very few emails can make large by itself: read it with that band's count, under the diagram.",
    },
    { term: 'threshold, abstention, coverage', meaning: thresholdMeaning(queueTask) },
    { term: 'confusion matrix', meaning: 'rows: the true labels; columns: what the model said. The diagonal (blue) is right, every cell off it (red) a mistake, coloured by its share of the row.' },
  ];
}

/**
 * The guide's words on thresholds: what an abstention does, and, when the report knows the model's routing, what
 * it does on the task that routes mail, by its name; a report without routing (a predictions file) says of no task that it routes.
 */
function thresholdMeaning(queueTask: string | undefined): string {
  const trade =
    "The model's own threshold was chosen when it was trained, on its validation split (rows held out from its training run; a model trained again on them as well, `refit`, keeps the threshold of that first run, now on rows it has learnt), as the one that reached its target precision there; on other emails, these included, its precision can fall short of that target: the reports say by how much, and whether more than chance explains. A higher threshold answers fewer emails, as a rule a larger share of them right";
  if (queueTask === undefined) {
    return `below its threshold a task abstains: its answer is shown but not acted on. Coverage: the share of emails a task answers without abstaining. ${trade} (precision of answered): the precision-vs-coverage chart and its table show the trade.`;
  }
  // A code span, as every name from the data: a task named `q<b>` neither formats nor injects markup.
  const task = `the ${codeSpan(queueTask)} task`;
  return `below its threshold a task abstains: for ${task}, the one that routes mail, the email is not routed automatically but goes to manual triage (another task's abstention is only shown). Coverage: the share of emails a task answers automatically, without abstaining; for ${task}, the share routed automatically to a queue (an email it gives \`other\`, the catch-all of rare queues where the taxonomy has one, has no queue and goes to manual triage whatever its confidence). ${trade} (precision of answered, or of routed for ${task}): the precision-vs-coverage chart and its table show the trade.`;
}

/** The guide as this report's figures are: its top-k values (the entry left out when it has none), its bands and its routing task. */
export function readingGuide(report: EvaluationReport): ReadonlyArray<GuideEntry> {
  const ks = [...new Set(report.tasks.flatMap((t) => t.topK.map((k) => k.k)))].sort((a, b) => a - b);
  const bins = report.tasks.find((t) => t.calibration)?.calibration?.bins.length ?? 10;
  return guide(ks, bins, report.routing?.queueTask);
}

/**
 * A task's calibration in one plain sentence: `On average the model is 0.836 confident and right 0.793 of the
 * time: over-confident by 4.3 points.` Undefined without confidences.
 */
export function calibrationSentence(t: TaskReport): string | undefined {
  const c = t.calibration;
  if (!c) return undefined;
  const gap = (c.meanConfidence - c.accuracy) * 100;
  const verdict = Math.abs(gap) < 0.05 ? 'as confident as it is right' : `${gap > 0 ? 'over' : 'under'}-confident by ${Math.abs(gap).toFixed(1)} points`;
  return `On average the model is ${c.meanConfidence.toFixed(3)} confident and right ${c.accuracy.toFixed(3)} of the time: ${verdict}. ECE ${f(c.ece)} over ${c.bins.length} confidence bands: the gap per band, averaged over the bands by their emails (under 0.05 is commonly taken as good; more bands, fewer emails each, give a larger ECE).`;
}

/**
 * Precision of the emails answered (routed, for the routing task) at a threshold, in percent as the operating point
 * says it, or `none` when there are none (undefined, not 0).
 */
export function routedPrecision(p: { routed: number; precision: number }): string {
  return p.routed === 0 ? NONE : pct(p.precision);
}

/**
 * Labels the model knows (scores) that no test email has and that it gave to none: absent from the figures and
 * their tables, so said by name: `3 labels of the model have no test email and the model gave them to none (a, b, c):
 * these figures say nothing about them.` Undefined when there are none.
 */
export function untestedLabelsNote(t: TaskReport): string | undefined {
  const inFigures = new Set(t.metrics.perClass.map((c) => c.label));
  const silent = (t.untested ?? []).filter((l) => !inFigures.has(l));
  if (silent.length === 0) return undefined;
  const n = silent.length;
  const named = `${silent.slice(0, 15).join(', ')}${n > 15 ? `, and ${n - 15} more` : ''}`;
  const among = labelledAmong(t);
  return `${n === 1 ? '1 label of the model has' : `${n} labels of the model have`} no test email and the model gave ${n === 1 ? 'it' : 'them'} to none${among === undefined ? '' : ` ${among}`}, so ${n === 1 ? 'it is' : 'they are'} untested: ${named}. These figures say nothing about ${n === 1 ? 'it' : 'them'}.`;
}

/** Plain text: one scikit-learn classification report per task, with the extra figures below it. */
export function evaluationText(report: EvaluationReport, digits = 4, examples = false): string {
  const parts: string[] = (report.warnings ?? []).map((w) => `WARNING: ${w}\n\n`);
  if (examples) parts.push(`Example emails of each task's most confused pairs, the most confident mistakes first (masked text): ${EXAMPLES_FILE}\n\n`);
  const renamed = renamedLabelsNote(report);
  if (renamed) parts.push(`Note: ${renamed}\n\n`);
  for (const t of report.tasks) {
    parts.push(`== ${t.task} (${t.metrics.n} examples) ==\n`);
    const unlabelled = unlabelledNote(t, report.lines);
    if (unlabelled) parts.push(`Note: ${unlabelled}\n\n`);
    const operating = operatingSentence(t);
    if (operating) parts.push(`At the model's own threshold: ${operating}\n\n`);
    // One sentence: `Note: below its target precision of 90.0% by 5.4 points ...`, not a second capital after a colon.
    const short = belowTargetSentence(t, taskTargetPrecision(report, t));
    if (short) parts.push(`${shortOfTargetWarned(t, taskTargetPrecision(report, t)) ? 'WARNING' : 'Note'}: ${short}\n\n`);
    const absent = absentLabelsNote(t);
    if (absent) parts.push(`Note: ${absent}\n\n`);
    const unscored = unscoredLabelsNote(t);
    if (unscored) parts.push(`Note: ${unscored}\n\n`);
    const untested = untestedLabelsNote(t);
    if (untested) parts.push(`Note: ${untested}\n\n`);
    parts.push(classificationReportText(t.metrics, digits));
    const extra: string[] = [];
    const interval = macroF1IntervalText(t);
    if (interval) extra.push(`macro-F1 ${f(t.metrics.macro.f1)}, ${interval} (bootstrap over these emails, ${t.macroF1Interval?.resamples} resamples)`);
    const majority = majorityText(t);
    if (majority) extra.push(`baseline: ${majority}`);
    for (const k of t.topK) extra.push(`top-${k.k} accuracy: ${f(k.accuracy)}`);
    if (t.calibration) extra.push(`expected calibration error: ${f(t.calibration.ece)} (${t.calibration.bins.length} bins)`);
    if (t.skipped.noPrediction > 0) extra.push(`lines with truth but no prediction (left out): ${t.skipped.noPrediction}`);
    if (extra.length > 0) parts.push(`\n${extra.join('\n')}\n`);
    parts.push('\n');
  }
  return parts.join('');
}

/** The head of a summary table's ECE column: `ECE (10 bins)`, as the figure depends on the bins. */
export function eceHead(report: EvaluationReport): string {
  const bins = report.tasks.find((t) => t.calibration)?.calibration?.bins.length;
  return bins === undefined ? 'ECE' : `ECE (${bins} bins)`;
}

/** Whether any task of a report has an operating point (confidences and a threshold): the summary tables then show it. */
export const hasOperating = (report: EvaluationReport): boolean => report.tasks.some((t) => t.operating);

/** The summary table's head and rows in Markdown: per task its figures, and where it answers at its own threshold. */
function taskSummaryTable(report: EvaluationReport): string[] {
  const operating = hasOperating(report);
  const rows = report.tasks.map((t) => {
    const m = t.metrics;
    const topk = t.topK.map((k) => `top-${k.k} ${f(k.accuracy)}`).join(', ') || NONE;
    const ece = t.calibration ? f(t.calibration.ece) : NONE;
    const at = operating ? ` ${operatingCell(t, taskTargetPrecision(report, t))} |` : '';
    return `| ${cell(t.task)} | ${m.n} | ${m.labels.length} | ${f(m.accuracy)} | **${f(m.macro.f1)}** | ${f(m.weighted.f1)} | ${topk} | ${ece} |${at}`;
  });
  const head = `| task | examples | labels | accuracy | macro-F1 | weighted F1 | top-k | ${eceHead(report)} |${operating ? ' answered at own threshold (precision) |' : ''}`;
  return [head, `| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |${operating ? ' --- |' : ''}`, ...rows];
}

function taskMarkdown(t: TaskReport, routing: ReportRouting | undefined, total: number, target: number | undefined, maxClasses = Number.POSITIVE_INFINITY, examples = false, languages?: Languages): string[] {
  const lines = [`## ${cell(t.task)}`, ''];
  const m = t.metrics;
  const interval = macroF1IntervalText(t);
  lines.push(`Accuracy ${f(m.accuracy)}, macro-F1 **${f(m.macro.f1)}**${interval ? ` (${interval}, by bootstrap over these emails: another draw of as many would likely fall there)` : ''}, ${m.n} examples.`, '');
  const unlabelled = unlabelledNote(t, total);
  if (unlabelled) lines.push(`**Note:** ${cell(unlabelled)}`, '');
  const operating = operatingSentence(t);
  // Figures and words of its own only (its `other` a code span), as in the model card: not escaped.
  if (operating) lines.push(`**At the model's own threshold:** ${operating}`, '');
  const short = shortOfTarget(t, target);
  if (short) lines.push(shortOfTargetWarned(t, target) ? `> **Warning: below its target.** ${short}` : `**Note: below its target.** ${short}`, '');
  const majority = majorityText(t, cell);
  if (majority) lines.push(`Baseline: ${majority}.`, '');
  const queues = byQueueRows(t);
  if (queues.length > 0) {
    lines.push(`${BY_QUEUE_HEADING}:`, '', '| queue | routed | misrouted | precision |', '| --- | ---: | ---: | ---: |');
    for (const [queue, routed, misrouted, precision] of queues) lines.push(`| ${cell(queue)} | ${routed} | ${misrouted} | ${precision} |`);
    lines.push('');
  }
  const absent = absentLabelsNote(t);
  if (absent) lines.push(`**Note:** ${cell(absent)}`, '');
  const unscored = unscoredLabelsNote(t);
  if (unscored) lines.push(`**Note:** ${cell(unscored)}`, '');
  const untested = untestedLabelsNote(t);
  if (untested) lines.push(`**Note:** ${cell(untested)}`, '');
  const sorted = [...m.perClass].sort((a, b) => a.f1 - b.f1 || b.support - a.support);
  const shown = sorted.slice(0, maxClasses);
  lines.push(
    m.perClass.length > maxClasses
      ? `Per class (the ${maxClasses} weakest by F1 of ${m.perClass.length}; the other ${m.perClass.length - maxClasses} are left out here for space, report.md lists every label):`
      : 'Per class (weakest F1 first):',
    '',
    '| label | precision | recall | F1 | support |',
    '| --- | ---: | ---: | ---: | ---: |',
  );
  for (const c of shown) lines.push(`| ${cell(c.label)} | ${f(c.precision)} | ${f(c.recall)} | ${f(c.f1)} | ${c.support} |`);
  lines.push(
    '',
    `Averages: macro P/R/F1 ${f(m.macro.precision)} / ${f(m.macro.recall)} / ${f(m.macro.f1)}; weighted ${f(m.weighted.precision)} / ${f(m.weighted.recall)} / ${f(m.weighted.f1)}; micro ${f(m.micro.precision)} / ${f(m.micro.recall)} / ${f(m.micro.f1)}.`,
    '',
  );
  const confused = shownConfusedPairs(t);
  if (confused.pairs.length > 0) {
    lines.push(`${confused.heading}:`, '', '| true label | predicted as | count | share of true label |', '| --- | --- | ---: | ---: |');
    for (const p of confused.pairs) lines.push(`| ${cell(p.truth)} | ${cell(p.predicted)} | ${p.count} | ${pct(p.shareOfTruth)} |`);
    lines.push('');
    if (examples) lines.push(`${EXAMPLES_LINE} [${EXAMPLES_FILE}](${EXAMPLES_FILE}).`, '');
  }
  if (t.coverage) {
    const w = coverageWords(routing, t.task, t.metrics.labels);
    lines.push(`Abstention threshold (${w.rule}):`, '', `| threshold | ${w.verb} automatically | precision of ${w.verb} |`, '| ---: | ---: | ---: |');
    for (const p of t.coverage.atThresholds) lines.push(`| ${thresholdText(p.threshold)} | ${pct(p.coverage)} | ${routedPrecision(p)} |`);
    lines.push('');
  }
  for (const s of t.slices) {
    const language = languages?.key === s.key ? languages : undefined;
    if (language) lines.push(`**Note:** ${cell(languageSliceNote(language))}`, '');
    const training = language?.trainingEmails !== undefined ? language : undefined;
    lines.push(`By ${cell(s.key)} (${SLICE_NOTE}):`, '', `| value | examples | accuracy | macro-F1 |${training ? ` ${TRAINING_EMAILS_HEAD} |` : ''}`, `| --- | ---: | ---: | ---: |${training ? ' ---: |' : ''}`);
    for (const v of s.values) {
      const trained = training ? languageTrainingCell(training, v.value) : undefined;
      const extra = trained === undefined ? '' : ` ${trained.untrained ? `**${cell(trained.text)}**` : cell(trained.text)} |`;
      lines.push(`| ${cell(v.value)} | ${v.n} | ${f(v.accuracy)} | ${f(v.macroF1)} |${extra}`);
    }
    lines.push('');
  }
  return lines;
}

/**
 * A task's pictures as Markdown images (`pictures/queue-confusion.png`), those it has: report.md beside its pictures/
 * folder shows them, each with the one sentence of what it finds under it (a reader who cannot see it gets that).
 */
function pictureLinks(report: EvaluationReport, t: TaskReport, base: string, ext: 'png' | 'svg'): string[] {
  const kinds: Array<[Picture['kind'], string, boolean]> = [
    ['confusion', `Confusion matrix: ${t.task}`, true],
    // As reportPictures draws them: none for a task without confidences (null in the report).
    ['reliability', `Reliability diagram: ${t.task}`, Boolean(t.calibration)],
    ['coverage', `Precision vs. coverage: ${t.task}`, Boolean(t.coverage)],
  ];
  return kinds
    .filter(([, , has]) => has)
    .flatMap(([kind, alt]) => {
      const finding = pictureFinding(report, t, kind);
      return [`![${cell(alt).replace(/[[\]]/g, '')}](${base}-${kind}.${ext})`, ...(finding === undefined ? [] : ['', cell(finding)]), ''];
    });
}

/**
 * Markdown for report.md, pull-request comments and CI summaries: a summary table, then each task with every
 * label (a file a person scrolls). `maxClasses` cuts each per-class table to its weakest labels, and says
 * so, where space is short (the CI job summary). `pictures`: report.md's own, beside its pictures/ folder, shows each
 * task's pictures (of that file type).
 */
/** The file beside a report with example emails of its most confused pairs (`mailroute evaluate --examples`). */
export const EXAMPLES_FILE = 'mistakes.md';

/** Under a task's most confused pairs, when the report has example emails of them beside it (`EXAMPLES_FILE`). */
export const EXAMPLES_LINE = 'Example emails of each pair, the most confident mistakes first (masked text):';

export function evaluationMarkdown(report: EvaluationReport, options: { maxClasses?: number; pictures?: 'png' | 'svg'; examples?: boolean } = {}): string {
  const title = report.modelId ? `Evaluation of ${report.modelId}` : 'Evaluation';
  const lines = [`# ${cell(title)}${report.dataset ? ` on ${cell(report.dataset)}` : ''}`, ''];
  for (const w of report.warnings ?? []) lines.push(`> **Warning:** ${cell(w)}`, '');
  const renamed = renamedLabelsNote(report, codeSpan);
  if (renamed) lines.push(`**Note:** ${renamed}`, '');
  lines.push(`${report.lines} emails; all tasks right on ${pct(report.exactMatch)} of those with a label.${options.maxClasses === undefined ? ' What each figure means: *How to read these figures*, at the end.' : ''}`, '');
  lines.push(...taskSummaryTable(report), '');
  const bases = options.pictures === undefined ? undefined : pictureBases(report);
  for (const t of report.tasks) {
    lines.push(...taskMarkdown(t, report.routing, report.lines, taskTargetPrecision(report, t), options.maxClasses, options.examples, report.languages));
    const base = bases?.get(t.task);
    if (base !== undefined) lines.push(...pictureLinks(report, t, `pictures/${base}`, options.pictures ?? 'png'));
  }
  // Not in the short CI summary (maxClasses): report.md, which a person reads, ends with it.
  if (options.maxClasses === undefined) {
    lines.push('## How to read these figures', '', ...readingGuide(report).map((g) => `- **${g.term}**: ${g.meaning}`), '');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Short forms of two model names for column heads: whole when both are short, else `…` and as many of
 * their last characters as tell them apart (6 at least), so `ngram-bag-20261130-184627-b3bdf3` is `…b3bdf3`.
 */
export function shortNames(a: string, b: string, max = 16): [string, string] {
  if (a.length <= max && b.length <= max) return [a, b];
  let n = 6;
  while (n < Math.max(a.length, b.length) && a !== b && a.slice(-n) === b.slice(-n)) n++;
  const short = (s: string) => (s.length <= n + 1 ? s : `…${tailUnits(s, n)}`);
  return [short(a), short(b)];
}

/**
 * One task's macro-F1 difference in plain words: better or worse when the whole interval lies on one side of 0
 * (unlikely to be chance, unless McNemar's test on the emails the two tell apart says it may be), else no clear
 * difference (it may be chance on this many emails). An accuracy difference unlikely to be chance (`clearAccuracyText`)
 * is said too, first where macro-F1's may be chance, unless macro-F1 says the same: a task whose accuracy fell beyond
 * chance must not read as no difference.
 */
export function differenceSentence(t: TaskComparison, level: string): string {
  const d = t.macroF1;
  const span = `${signedPts(d.lo)} to ${signedPts(d.hi)}`;
  const by = `${signedPts(d.delta)} points of macro-F1`;
  const accuracy = clearAccuracyDifference(t) === clearDifference(t) ? undefined : clearAccuracyText(t);
  if (accuracy !== undefined && !(d.lo > 0 || d.hi < 0)) {
    return `${cell(t.task)}: ${accuracy}; macro-F1 difference within chance: ${by}, the ${level} interval (${span}) spans 0.`;
  }
  const also = accuracy === undefined ? '' : `; yet ${accuracy}`;
  // The same figure, and in every resample the interval rests on: nothing to call chance.
  if (d.delta === 0 && d.lo === 0 && d.hi === 0) {
    return `${cell(t.task)}: no difference: both models have the same macro-F1 on these ${t.n} emails, and the ${level} interval is ${span}.`;
  }
  if (d.lo > 0 || d.hi < 0) {
    const [which, side] = d.lo > 0 ? ['better', 'above'] : ['worse', 'below'];
    const lead = `${cell(t.task)}: the challenger is ${which}, ${by}; the whole ${level} interval (${span}) is ${side} 0`;
    // A few emails that one model gets right and the other wrong can put a bootstrap interval on one side: McNemar says when.
    const { b, c, pValue } = t.mcnemar;
    if (clearDifference(t) === undefined) return `${lead}, but only ${b + c} email(s) tell the two apart (McNemar ${b}/${c}, p ${pValue.toFixed(3)}), so it may yet be chance.`;
    return `${lead}, so unlikely to be chance${also}.`;
  }
  return `${cell(t.task)}: no clear difference, ${by}; the ${level} interval (${span}) spans 0, so on these ${t.n} emails the difference may be chance.`;
}

/**
 * Markdown summary of a comparison and its gate: the verdict first, what the figures are to be read with
 * (`warnings`: rows a model was trained on, as compare warned of them while predicting), then the per-task deltas,
 * the gate's checks, and last the labels the challenger does worse on.
 */
export function comparisonMarkdown(comparison: Comparison, gate: GateResult, names: { challenger?: string; champion?: string } = {}, warnings: readonly string[] = []): string {
  const chall = names.challenger ?? 'challenger';
  const champ = names.champion ?? 'champion';
  const level = `${Math.round(comparison.bootstrap.confidence * 100)}%`;
  const [champShort, challShort] = shortNames(champ, chall);
  const lines = [
    `# Gate: ${gate.pass ? 'PASS' : 'FAIL'} — ${cell(chall)} vs ${cell(champ)}`,
    '',
    `- champion: ${cell(champ)}`,
    `- challenger: ${cell(chall)}`,
    '',
    // The gate's own warnings (a task it leaves out, clearly worse) with the caller's, each once.
    ...[...new Set([...warnings, ...(gate.warnings ?? [])])].flatMap((w) => [`> **Warning:** ${cell(w)}`, '']),
    `${comparison.n} emails. The champion and challenger columns are each model's macro-F1; Δ is challenger minus champion in points (1 point = 0.01); ${level} paired-bootstrap intervals (${comparison.bootstrap.resamples} resamples, seed ${comparison.bootstrap.seed}); McNemar's test on which emails each gets right: p is the chance of a split at least this uneven if the two models were equally good (b: emails only the challenger gets right, c: only the champion), and under 0.05 the difference is unlikely to be chance.`,
    '',
    `| task | n | champion (${cell(champShort)}) | challenger (${cell(challShort)}) | Δ macro-F1 [${level} CI] | Δ accuracy [${level} CI] | McNemar p (b/c) |`,
    '| --- | ---: | ---: | ---: | --- | --- | --- |',
  ];
  for (const t of comparison.tasks) {
    lines.push(
      `| ${cell(t.task)} | ${t.n} | ${f(t.champion.macroF1)} | ${f(t.challenger.macroF1)} | ${signedPts(t.macroF1.delta)} [${signedPts(t.macroF1.lo)}, ${signedPts(t.macroF1.hi)}] | ${signedPts(t.accuracy.delta)} [${signedPts(t.accuracy.lo)}, ${signedPts(t.accuracy.hi)}] | ${t.mcnemar.pValue.toPrecision(3)} (${t.mcnemar.b}/${t.mcnemar.c}) |`,
    );
  }
  const answering = comparison.tasks.filter((t) => t.answered);
  if (answering.length > 0) {
    lines.push(
      '',
      "Answered, at each model's own threshold (the rest abstain; for the task that routes mail, those and the emails it predicts `other` for go to manual triage), with each model's precision on the emails it answers and how many of them it answers wrongly (for the task that routes mail: misrouted, sent to a wrong team with no person looking first). A larger share answered is a gain only at a precision as good:",
      '',
    );
    lines.push(
      `| task | champion (${cell(champShort)}) | challenger (${cell(challShort)}) | Δ points | precision: champion | precision: challenger | wrong: champion | wrong: challenger |`,
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const t of answering) {
      const a = t.answered as NonNullable<TaskComparison['answered']>;
      const precision = (role: 'champion' | 'challenger') => {
        const p = a.precision?.[role];
        return p === undefined || p === null ? '–' : pct(p);
      };
      const wrong = (role: 'champion' | 'challenger') => (a.wrong && a.emails ? `${a.wrong[role]} of ${a.emails[role]}` : '–');
      lines.push(`| ${cell(t.task)} | ${pct(a.champion)} | ${pct(a.challenger)} | ${signedPts(a.challenger - a.champion)} | ${precision('champion')} | ${precision('challenger')} | ${wrong('champion')} | ${wrong('challenger')} |`);
    }
  }
  const disjoint = comparison.disjointLabels ?? [];
  if (comparison.tasks.length > 0) {
    lines.push('', `What the intervals say (the ${level} interval is the range the true difference of macro-F1 likely lies in, given these emails):`, '');
    for (const t of comparison.tasks) {
      const d = disjoint.find((x) => x.task === t.task);
      lines.push(`- ${d ? `${cell(t.task)}: the figures do not compare, as ${disjointDetail(d)}: the ${signedPts(t.macroF1.delta)} points say nothing about which model is better.` : differenceSentence(t, level)}`);
    }
  }
  for (const t of comparison.tasks) {
    for (const side of ['champion', 'challenger'] as const) {
      const labels = t.unscoredLabels?.[side] ?? [];
      if (labels.length === 0) continue;
      const [own, other] = side === 'champion' ? [champ, chall] : [chall, champ];
      const named = labels.map((l) => codeSpan(l)).join(', ');
      lines.push('', `${cell(t.task)}: ${cell(own)} predicted ${named}, which no email here has and ${cell(other)} does not know (retired or new): those emails count as wrong for it, but ${labels.length === 1 ? 'the label is' : 'the labels are'} left out of both models' macro-F1, which would otherwise average one model over a label the other is not scored on.`);
    }
  }
  for (const t of comparison.tasks) {
    const absent = t.absentLabels ?? [];
    if (absent.length === 0) continue;
    const named = absent.map((l) => codeSpan(l)).join(', ');
    lines.push(
      '',
      `${cell(t.task)}: no email here has ${named}, which ${absent.length === 1 ? 'a model predicted' : 'the models predicted'} and both know: both macro-F1s average over the same labels, ${absent.length === 1 ? 'that one' : 'those'} included at F1 0 for both, so that a label one model gives to a few emails does not move the difference; both figures can be below those of each model's own report.`,
    );
  }
  for (const d of disjoint) {
    lines.push('', `**Warning: ${cell(d.task)}: ${disjointDetail(d)}. Check that both models were trained for this task on the same labels and that the data is labelled in them; the task fails its gate.**`);
  }
  for (const m of comparison.missing ?? []) {
    const whole = !comparison.tasks.some((t) => t.task === m.task);
    lines.push(
      '',
      `**${cell(m.task)}: ${m.labelled} labelled emails, unpredicted by ${cell(chall)} ${m.challenger}, by ${cell(champ)} ${m.champion}${whole ? ' (no email has both: the task is not compared at all)' : ' (left out of the figures above)'}.**`,
    );
  }
  for (const u of comparison.unmeasured ?? []) {
    const by = u.predictedBy.length === 2 ? 'both models' : u.predictedBy[0] === 'challenger' ? cell(chall) : cell(champ);
    const gated = !gate.policy.tasks || gate.policy.tasks.includes(u.task);
    lines.push('', `**${cell(u.task)}: predicted by ${by}, but no email in the data has a label for it: not compared${gated ? ', and it fails the gate' : ' (the policy leaves it out of the gate)'}.**`);
  }
  lines.push('', '| check | result | detail |', '| --- | --- | --- |');
  for (const c of gate.checks) lines.push(`| ${cell(c.name)} | ${c.pass ? 'pass' : '**FAIL**'} | ${cell(c.detail)} |`);
  // A check failed on a drop whose interval spans 0: the policy judges the point estimate, which the intervals above call
  // possibly chance. Said beside the check, so the two do not read as a contradiction.
  // Inclusive, as differenceSentence calls an interval that ends at 0 (`-8.84 to +0.00`) one that spans it.
  const failedDrop = (t: TaskComparison) => gate.checks.some((c) => !c.pass && c.name.startsWith(`${t.task}: macro-F1 drop`));
  const withinNoise = comparison.tasks.filter((t) => t.macroF1.lo <= 0 && t.macroF1.hi >= 0 && failedDrop(t));
  const fails = (n: number) => (n === 1 ? 'fails its check' : 'fail their checks');
  if (withinNoise.length > 0) {
    const named = withinNoise.map((t) => codeSpan(t.task)).join(', ');
    lines.push('', `Note: ${named} ${fails(withinNoise.length)} on the point estimate of the drop, while the ${level} interval spans 0 (see above): on these ${comparison.n} emails the drop may be chance. The policy judges the point estimate; a comparison on more emails tells a real drop from noise.`);
  }
  // Below 0 throughout, but too few emails tell the two apart (McNemar): the summary says it may yet be chance, too.
  const fewApart = comparison.tasks.filter((t) => t.macroF1.hi < 0 && clearDifference(t) === undefined && failedDrop(t));
  if (fewApart.length > 0) {
    const named = fewApart.map((t) => codeSpan(t.task)).join(', ');
    lines.push('', `Note: ${named} ${fails(fewApart.length)} on the point estimate of the drop, while too few emails tell the two models apart for McNemar's test (see above): the drop may be chance. The policy judges the point estimate; a comparison on more emails tells a real drop from noise.`);
  }
  // Which labels got worse (the task figures above do not say where): after the gate's checks, which decide, and the
  // notes on them, so that those are read first; each table's legend is right above it (b and c above the first table).
  lines.push(...labelChangesMarkdown(comparison, new Set(disjoint.map((d) => d.task))));
  lines.push('');
  return lines.join('\n');
}
