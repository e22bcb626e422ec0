import { CATCH_ALL_LABEL } from '@mailroute/model';
import { MISSING_META_VALUE, targetFor, taskTargetPrecision, type EvaluationReport, type TargetPrecision, type TaskReport } from './evaluate.js';
import { pyFixed } from './python-format.js';
import { cell, codeSpan as code } from './markdown.js';
import { provenanceLines, registryStatusLine, suitedMailSentences, trainedOn, trainedOnLines, type ModelProvenance } from './model-card-provenance.js';
import { absentLabelsNote, leftOutWarning, operatingSentence, renamedLabelsNote, shortOfTarget, SLICE_NOTE, thresholdText, unscoredLabelsNote } from './report-text.js';

/** What the model's manifest records of its training, for the model card's Data section. */
export interface TrainingFacts {
  /** When the model was trained (the manifest's `createdAt`). */
  trainedAt?: string;
  /** Hash of the training data, as the trainer computed it (the manifest's `dataHash`). */
  dataHash?: string;
  /** Rows the model was trained and validated on (the split's train and valid parts). */
  trainRows?: number;
  validRows?: number;
  /** With `refit`: the rows of the second run (training and validation), whose weights the model has. */
  refitRows?: number;
  /**
   * The precision the abstention thresholds were chosen for on the validation split: the config's `targetPrecision`
   * for every task, or per task (a task's own `tasks[].targetPrecision`, else the run's).
   */
  targetPrecision?: TargetPrecision;
  /**
   * Per task, what became of labels the model does not learn as such: merged into `other` for having too few
   * examples (the manifest's `mergedIntoOther`), retired, and renamed (the config's `retired` and `aliases`).
   */
  labelChanges?: Record<string, { mergedIntoOther?: readonly string[]; retired?: readonly string[]; renamed?: Readonly<Record<string, string>> }>;
  /** sha256 of the training config stored in manifest.json, as compact JSON. */
  configSha256?: string;
  /** The training config's `description` stored in manifest.json: what the model was trained on, in its author's words. */
  description?: string;
  /**
   * Of the test rows training held out (or its test file), those long enough to judge (`judged`) and those whose
   * word 5-grams were 60% or more in the training rows (`near`): the same sentences with other names or amounts.
   */
  testNearDuplicates?: { near: number; judged: number };
}

export interface ModelCardOptions {
  /** What the model was trained on, in words (e.g. the export's name and date). */
  trainingData?: string;
  /** The training facts the manifest records: rows, data hash, config hash, date. */
  training?: TrainingFacts;
  /** The training run, its commit and the registry status: said under the title and in the Data section, each unknown one as not recorded. */
  provenance?: ModelProvenance;
  /** Said first, in bold, under the title: what makes the figures untrustworthy (e.g. measured on training data). */
  warnings?: readonly string[];
  /** Extra known weaknesses or notes, one per line. */
  notes?: readonly string[];
  /** Slices smaller than this are not named as weak (too few examples to say). Default 20. */
  minSliceSize?: number;
}

// As the reports round (Python's %f, 4 digits, ties to even): a figure reads the same in the card as in report.md.
const f = (x: number): string => pyFixed(x, 4);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * The task's labels that no test email has: those the model scored (`untested`) and those it predicted, which
 * lines without scores show only so (in the figures, at support 0); not those the config retires (`metrics.unscored`),
 * which are no labels of the taxonomy the emails are scored in (unscoredLabelsNote says them).
 */
function untestedLabels(t: TaskReport): string[] {
  const retired = new Set(t.metrics.unscored ?? []);
  const predicted = t.metrics.perClass.filter((c) => c.support === 0).map((c) => c.label);
  return [...new Set([...(t.untested ?? []), ...predicted])].filter((l) => !retired.has(l)).sort();
}

/**
 * ` N labels of the model have no test example (…)` when the model scores or predicts labels the test set
 * lacks: the figures say nothing about those the model never predicted either; those it predicted count in
 * macro-F1 (at F1 0), as absentLabelsNote says.
 */
function untestedNote(t: TaskReport): string {
  const untested = untestedLabels(t);
  if (untested.length === 0) return '';
  const named = untested.slice(0, 15).map(code).join(', ');
  const n = untested.length;
  const counted = new Set(t.metrics.perClass.filter((c) => c.support === 0).map((c) => c.label));
  const silent = untested.filter((l) => !counted.has(l)).length;
  const what =
    silent === n
      ? `the figures say nothing about ${n === 1 ? 'it' : 'them'}`
      : `the test set says nothing about how well the model finds ${n === 1 ? 'it' : 'them'}; ${silent === 0 ? (n === 1 ? 'it counts' : 'they count') : `${n - silent} of them count${n - silent === 1 ? 's' : ''}`} in macro-F1 at F1 0, as the model predicted ${n - silent === 1 ? 'it' : 'them'} (see Known weaknesses)`;
  return ` **${n} label${n === 1 ? '' : 's'} of the model ${n === 1 ? 'has' : 'have'} no test example** (${named}${n > 15 ? ', …' : ''}): ${what}.`;
}

function weaknesses(t: TaskReport, minSlice: number): string[] {
  const out: string[] = [];
  const leftOut = leftOutWarning(t);
  if (leftOut) out.push(cell(leftOut));
  const untested = untestedLabels(t);
  if (untested.length > 0) out.push(`Untested: ${untested.length} label${untested.length === 1 ? '' : 's'} of the model with no test example (${untested.slice(0, 15).map(code).join(', ')}${untested.length > 15 ? ', …' : ''}).`);
  const m = t.metrics;
  // Only labels it gets wrong at all: a label at F1 1.000 is no weakness.
  const weak = [...m.perClass].filter((c) => c.support > 0 && c.f1 < 1).sort((a, b) => a.f1 - b.f1).slice(0, 5);
  if (weak.length > 0) out.push(`Weakest labels by F1: ${weak.map((c) => `${code(c.label)} ${f(c.f1)} (n=${c.support})`).join(', ')}.`);
  const rare = m.perClass.filter((c) => c.support > 0 && c.support < 5);
  if (rare.length > 0) out.push(`${rare.length} label(s) have fewer than 5 test examples; their figures are rough estimates.`);
  const absent = absentLabelsNote(t);
  if (absent) out.push(cell(absent));
  const unscored = unscoredLabelsNote(t);
  if (unscored) out.push(cell(unscored));
  const pairs = t.confusedPairs.slice(0, 3);
  if (pairs.length > 0) out.push(`Most confused: ${pairs.map((p) => `${code(p.truth)} read as ${code(p.predicted)} (${p.count}×, ${pct(p.shareOfTruth)})`).join('; ')}.`);
  for (const s of t.slices) {
    const big = s.values.filter((v) => v.n >= minSlice);
    if (big.length < 2) continue;
    const worst = big.reduce((a, b) => (b.macroF1 < a.macroF1 ? b : a));
    const best = big.reduce((a, b) => (b.macroF1 > a.macroF1 ? b : a));
    if (best.macroF1 - worst.macroF1 >= 0.05) {
      // Emails with no value are not one more value: said in words, not as the table's `(missing)`.
      const on = (value: string) => (value === MISSING_META_VALUE ? `the emails with no ${cell(s.key)}` : code(value));
      out.push(`By ${cell(s.key)}: macro-F1 ${f(worst.macroF1)} on ${on(worst.value)} (n=${worst.n}) against ${f(best.macroF1)} on ${on(best.value)} (${SLICE_NOTE}).`);
    }
  }
  if (t.calibration && t.calibration.ece > 0.05) {
    const dir = t.calibration.meanConfidence > t.calibration.accuracy ? 'over-confident' : 'under-confident';
    out.push(`Calibration: ECE ${f(t.calibration.ece)}; the model is ${dir} on average (confidence ${f(t.calibration.meanConfidence)}, accuracy ${f(t.calibration.accuracy)}).`);
  }
  return out;
}

const count = (n: number | undefined, what: string): string | undefined => (n === undefined ? undefined : `${n.toLocaleString('en-US')} ${what}`);

/** The Data section's lines on training: what the manifest records, each fact only when it is there. */
function trainingLines(t: TrainingFacts | undefined): string[] {
  if (!t) return [];
  const out: string[] = [];
  const split = [count(t.trainRows, 'training rows'), count(t.validRows, 'validation rows')].filter((x) => x !== undefined).join(' and ');
  // A refit's weights learnt the validation rows too; its temperatures, thresholds and validation figures are the first run's.
  const refit = t.refitRows === undefined ? '' : `, then trained again on all ${t.refitRows.toLocaleString('en-US')} (refit; temperatures, thresholds and validation figures are from the first run)`;
  const rows = split === '' ? '' : split + refit;
  const facts = [rows, t.dataHash ? `data hash ${code(t.dataHash.slice(0, 12))}` : '', t.trainedAt ? `trained ${cell(t.trainedAt)}` : ''].filter((x) => x !== '');
  if (facts.length > 0) out.push(`- Training: ${facts.join(', ')}.`);
  const nearDuplicates = nearDuplicateLine(t.testNearDuplicates);
  if (nearDuplicates) out.push(nearDuplicates);
  if (t.configSha256) {
    // The manifest is in the model's folder, not beside the report: a command run here on a missing file would print the hash of nothing.
    out.push(
      `- Training config: sha256 ${code(t.configSha256.slice(0, 12))} of the \`trainingConfig\` in the model's manifest.json, in its folder (\`<MAILROUTE_HOME>/models/<id>\` for a registered model): \`jq -j -c .trainingConfig <that folder>/manifest.json | sha256sum\`.`,
    );
  }
  return out;
}

/**
 * How much of training's test split was worded as its training rows were; past half of it, what that means for the
 * figures measured there (this report's too, when it was made on that split: `--split test`).
 */
function nearDuplicateLine(near: TrainingFacts['testNearDuplicates']): string | undefined {
  if (near === undefined || near.judged === 0) return undefined;
  const fact = `- Near-duplicates: ${nearDuplicateFact(near)}.`;
  return near.near / near.judged < NEAR_DUPLICATE_SHARE ? fact : `${fact} **Figures measured on that split (\`train\`'s, and this report's with \`--split test\`) likely overstate how the model does on mail worded anew**: measure on later mail or an independent file.`;
}

/** Past this share of the test rows long enough to judge, the figures measured on its test split are said to overstate. */
const NEAR_DUPLICATE_SHARE = 0.5;

/** `694 of the 799 test rows long enough to judge (86.9%) share 60% or more of their word 5-grams with training rows (...)`. */
function nearDuplicateFact(near: { near: number; judged: number }): string {
  return `${near.near.toLocaleString('en-US')} of the ${near.judged.toLocaleString('en-US')} test rows long enough to judge (${pct(near.near / near.judged)}) share 60% or more of their word 5-grams with training rows (the same sentences with other names, amounts or greetings)`;
}

/**
 * The warning that heads a report measured on the model's own held-out test split (`evaluate --split test`) when
 * its training found most of that split's rows worded as training rows (the manifest's `testNearDuplicates`), as
 * the model card's near-duplicates line says it: the report's figures likely overstate. Undefined below half.
 */
export function testNearDuplicateWarning(near: TrainingFacts['testNearDuplicates']): string | undefined {
  if (!manyNearDuplicates(near)) return undefined;
  return `${nearDuplicateFact(near)}: the figures of this report, measured on that test split, likely overstate how the model does on mail worded anew; measure it on later mail or an independent file`;
}

/** Whether half or more of the test rows long enough to judge were near-duplicates of its training rows. */
function manyNearDuplicates(near: TrainingFacts['testNearDuplicates']): near is NonNullable<TrainingFacts['testNearDuplicates']> {
  return near !== undefined && near.judged > 0 && near.near / near.judged >= NEAR_DUPLICATE_SHARE;
}

/**
 * The same caveat for the figures a registry version keeps (measured by training on its test rows: its held-out
 * split or its test file), said where a person approves it (`registry show`, `registry approve`). Undefined below half.
 */
export function registeredNearDuplicateWarning(near: TrainingFacts['testNearDuplicates']): string | undefined {
  if (!manyNearDuplicates(near)) return undefined;
  return `${nearDuplicateFact(near)}: its registered figures, measured on those test rows, likely overstate how it does on mail worded anew; measure it on later mail or an independent file (\`mailroute evaluate --model <id> --data <file>\`)`;
}

/** Labels shown in one line of label changes at most; the rest counted. */
const CHANGES_SHOWN = 12;

/**
 * A task's label changes, as sub-items: labels merged into `other` (and, for the task that routes mail, that such
 * an email goes to manual triage), retired labels, renamed ones.
 */
function labelChangeLines(changes: NonNullable<TrainingFacts['labelChanges']>[string], routes: boolean): string[] {
  const list = (labels: readonly string[]) => `${labels.slice(0, CHANGES_SHOWN).map(code).join(', ')}${labels.length > CHANGES_SHOWN ? `, and ${labels.length - CHANGES_SHOWN} more` : ''}`;
  const out: string[] = [];
  const merged = changes.mergedIntoOther ?? [];
  if (merged.length > 0) out.push(`  - Merged into \`other\` for too few training examples (an email of theirs is predicted \`other\`${routes ? ', which has no queue: it goes to manual triage' : ''}): ${list(merged)}.`);
  const retired = changes.retired ?? [];
  if (retired.length > 0) out.push(`  - Retired (not learnt; training rows with them were left out for this task): ${list(retired)}.`);
  const renamed = Object.entries(changes.renamed ?? {});
  if (renamed.length > 0) out.push(`  - Renamed or merged (old name read as the new one): ${renamed.slice(0, CHANGES_SHOWN).map(([from, to]) => `${code(from)} → ${code(to)}`).join(', ')}${renamed.length > CHANGES_SHOWN ? `, and ${renamed.length - CHANGES_SHOWN} more` : ''}.`);
  return out;
}

/**
 * When an email goes to manual triage, in the model's own task names when its routing is known (`queue`, or
 * the config's `routing.queueTask`, and the `abstainTasks` whose abstention also sends it there); `below`:
 * how a task falls short (`abstains`, `is below its confidence threshold`).
 */
function triageRule(report: Pick<EvaluationReport, 'routing' | 'tasks'>, below: string): string {
  const routing = report.routing;
  // `other` only where the task that routes has it (unknown which: where a task has it): a model without it has no catch-all.
  const routes = routing === undefined ? report.tasks : report.tasks.filter((t) => t.task === routing.queueTask);
  const other = routes.some((t) => t.metrics.labels.includes(CATCH_ALL_LABEL)) ? ` (or predicts \`${CATCH_ALL_LABEL}\`)` : '';
  // The clause on the other tasks only where the model has some that do not route (a single-task model has none).
  const flagOnly = '; the other tasks only flag their abstention';
  if (routing === undefined) return `An email goes to manual triage when the task that names its queue ${below}${other}${report.tasks.length > 1 ? flagOnly : ''}.`;
  const also = (routing.abstainTasks ?? []).filter((t) => t !== routing.queueTask);
  const others = also.length > 0 ? `, or when ${also.map(code).join(' or ')} abstains` : '';
  const rest = report.tasks.some((t) => t.task !== routing.queueTask && !also.includes(t.task));
  return `An email goes to manual triage when its ${code(routing.queueTask)} task, the one that names its queue, ${below}${other}${others}${rest ? flagOnly : ''}.`;
}

/**
 * What the model predicts, in its own task names (those measured, and the one that routes mail if it is not):
 * `one label for each of its 4 tasks (\`Produkt\`, ...)`.
 */
function predictsWhat(report: Pick<EvaluationReport, 'routing' | 'tasks'>): string {
  const tasks = [...new Set([...report.tasks.map((t) => t.task), ...(report.routing ? [report.routing.queueTask] : [])])];
  if (tasks.length === 0) return 'one label per task';
  const named = tasks.map(code).join(', ');
  return tasks.length === 1 ? `one label, of its task ${named},` : `one label for each of its ${tasks.length} tasks (${named})`;
}

/** A model card in Markdown: intended use, data, labels, metrics, known weaknesses, from an evaluation report. */
export function modelCardMarkdown(report: EvaluationReport, options: ModelCardOptions = {}): string {
  const minSlice = options.minSliceSize ?? 20;
  // Every value from the data or the manifest goes through `cell` (HTML shown, not rendered; `|` kept in its cell) or `code`.
  const lines = [`# Model card: ${cell(report.modelId ?? 'unnamed model')}`, ''];
  for (const w of new Set([...(report.warnings ?? []), ...(options.warnings ?? [])])) lines.push(`**Warning: ${cell(w)}**`, '');
  if (options.provenance) lines.push(registryStatusLine(options.provenance, report.modelId), '');
  // What the model suits is what it was trained on, as recorded: not the bank mail mailroute is made for.
  const on = trainedOn(options.provenance, options.training?.description);
  lines.push(
    '## Intended use',
    '',
    `Routes incoming emails: predicts ${predictsWhat(report)} so the CRM can file each email in the right queue. ${suitedMailSentences(on, report.modelId)} ${triageRule(report, 'is below its confidence threshold')} It is an aid to routing, not a decision about the sender: it must not be used to decide what an email asks for (at a bank: credit, complaints or fraud), and people handle every email it routes.`,
    '',
    '## Data',
    '',
    `- Test set: ${cell(report.dataset ?? 'not named')}, ${report.lines} emails${report.createdAt ? `, evaluated ${report.createdAt}` : ''}.`,
  );
  if (options.trainingData) lines.push(`- Training data: ${cell(options.trainingData)}.`);
  lines.push(...trainedOnLines(on));
  if (options.provenance) lines.push(...provenanceLines(options.provenance));
  lines.push(...trainingLines(options.training));
  const widest = [...report.tasks].sort((a, b) => b.metrics.n - a.metrics.n)[0];
  for (const s of widest?.slices ?? []) {
    lines.push(`- By ${cell(s.key)} (of the ${widest.metrics.n} emails with a label for ${cell(widest.task)}): ${s.values.map((v) => `${code(v.value)} ${v.n}`).join(', ')}.`);
  }
  lines.push('', '## Labels', '');
  const renamed = renamedLabelsNote(report, code);
  if (renamed) lines.push(renamed, '');
  for (const t of report.tasks) {
    const shown = t.metrics.perClass.filter((c) => c.support > 0).sort((a, b) => b.support - a.support);
    const head = shown.slice(0, 25).map((c) => `${code(c.label)} (${c.support})`).join(', ');
    // The labels listed with their test examples and those named as having none: the count is their sum.
    const n = shown.length + untestedLabels(t).length;
    const tested = shown.length === n ? '' : ` (${shown.length} with test examples)`;
    lines.push(`- **${cell(t.task)}**: ${n} label${n === 1 ? '' : 's'}${tested}. ${head}${shown.length > 25 ? `, and ${shown.length - 25} more` : ''}.${untestedNote(t)}`);
    const changes = options.training?.labelChanges?.[t.task];
    if (changes) lines.push(...labelChangeLines(changes, t.task === report.routing?.queueTask));
  }
  // The baseline: always the task's most common label, the floor the figures stand on (`TaskReport.majority`).
  lines.push(
    '',
    '## Metrics',
    '',
    '| task | examples | accuracy | macro-F1 | weighted F1 | ECE | baseline accuracy / macro-F1 (always its most common label) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const t of report.tasks) {
    const m = t.metrics;
    const baseline = t.majority === undefined ? '–' : `${f(t.majority.accuracy)} / ${f(t.majority.macroF1)}`;
    lines.push(`| ${cell(t.task)} | ${m.n} | ${f(m.accuracy)} | ${f(m.macro.f1)} | ${f(m.weighted.f1)} | ${t.calibration ? f(t.calibration.ece) : '–'} | ${baseline} |`);
  }
  lines.push('', `All tasks right on ${pct(report.exactMatch)} of the emails with a label.`, '');
  const operating = report.tasks.filter((t) => t.operating);
  // The report's own targets, else those the manifest records.
  const targetOf = (t: TaskReport): number | undefined => taskTargetPrecision(report, t) ?? targetFor(options.training?.targetPrecision, t.task);
  const targets = operating.map(targetOf);
  const shared = targets.every((x) => x === targets[0]);
  if (operating.length > 0) {
    const chosenFor = shared ? `its target precision${targets[0] === undefined ? '' : `, ${pct(targets[0])}`}` : "each task's own target precision";
    lines.push(
      '## Where the model answers',
      '',
      `At the model's own thresholds (chosen on its validation split for ${chosenFor}), on these emails. Below its threshold a task abstains. ${triageRule(report, 'abstains')}`,
      '',
    );
    operating.forEach((t, i) => {
      const target = targets[i];
      const short = shortOfTarget(t, target);
      const own = shared || target === undefined ? '' : ` (target ${pct(target)})`;
      lines.push(`- **${cell(t.task)}**${own}: ${operatingSentence(t)}${short === undefined ? '' : ` ${short}`}`);
    });
    lines.push('');
  }
  const curves = report.tasks.filter((t) => t.coverage);
  if (curves.length > 0) {
    // Only the routing task routes: of the others the table says what they answer (their abstention is only flagged).
    const queue = report.routing && curves.find((t) => t.task === report.routing?.queueTask);
    const routes =
      report.routing && queue
        ? ` For ${code(report.routing.queueTask)}, the task that routes mail, the emails answered are the ones routed automatically${queue.metrics.labels.includes(CATCH_ALL_LABEL) ? ' to a queue: one it gives `other` (no queue) goes to manual triage at any threshold and is not counted' : ''}.`
        : '';
    lines.push(
      '## Choosing the abstention threshold',
      '',
      `For each precision, the threshold at which a task answers the most of these emails at it (below it the task abstains), and the share it answers.${routes} The threshold is the confidence of the least confident email answered: a lower one answers the same emails as long as it stays above the next email's confidence. \`rough\`: fewer than 20 emails answered there, too few to trust the precision.`,
      '',
    );
    const targets = curves[0].coverage?.forTargetPrecision.map((x) => x.target) ?? [];
    lines.push(`| task | ${targets.map((x) => `precision ${pct(x)}`).join(' | ')} |`, `| --- | ${targets.map(() => '---').join(' | ')} |`);
    for (const t of curves) {
      const at = (target: number) => {
        const p = t.coverage?.forTargetPrecision.find((x) => x.target === target)?.point;
        return p ? `${thresholdText(p.threshold)}: ${pct(p.coverage)} (${p.routed})${p.routed < 20 ? ' rough' : ''}` : 'not reached';
      };
      lines.push(`| ${cell(t.task)} | ${targets.map(at).join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push('## Known weaknesses', '');
  for (const t of report.tasks) {
    const w = weaknesses(t, minSlice);
    if (w.length > 0) lines.push(`### ${cell(t.task)}`, '', ...w.map((x) => `- ${x}`), '');
  }
  for (const n of options.notes ?? []) lines.push(`- ${n}`);
  return `${lines.join('\n').trimEnd()}\n`;
}
