import { pyFixed } from '@mailroute/evaluation';
import { formatFinalLine, measuredTasks, operatingPointText, routingTaskOf, type TrainFromConfigResult, type TrainingConfig } from '@mailroute/training';

/**
 * What a finished training prints: `final`, for stdout and metric regexes (SageMaker's), the kept weights'
 * eval_f1 then the measured figures; `measured`, for a person, each task's accuracy and macro-F1 on `measuredOn`
 * (`topic not measured (...)` for a task none of those rows had a label for, which the mean leaves out); `operating`,
 * where each task answers at its own threshold on them, against the precision the threshold was chosen for.
 */
export function trainResultLines(result: TrainFromConfigResult, measuredOn: string): { final: string; measured: string; operating?: string; kept?: string } {
  const tasks = result.taxonomy.map((t) => t.task);
  const taskEpochs = result.taskEpochs === undefined ? {} : { taskEpochs: result.taskEpochs };
  const final = formatFinalLine({ bestEpoch: result.bestEpoch, bestValidF1: result.bestValidF1, averagedEpochs: result.averagedEpochs, ...taskEpochs, metrics: result.metrics, tasks, split: result.metricsSplit });
  const m = result.metrics;
  const measured = new Set(measuredTasks(tasks, m));
  const perTask = tasks
    // Rounded as the reports round them (Python's %f, ties to even).
    .map((t) => (measured.has(t) ? `${t} acc ${pyFixed(m[`${t}.accuracy`] ?? NaN, 4)} macro-F1 ${pyFixed(m[`${t}.macro_f1`] ?? NaN, 4)}` : `${t} not measured (no row has its label; left out of the mean)`))
    .join('; ');
  const points = result.operating ?? [];
  const operating = points.length === 0 ? undefined : `at each task's threshold, ${measuredOn}: ${points.map(operatingPointText).join('; ')}`;
  const kept = keptLine(result, tasks);
  return { final, measured: `${measuredOn}: ${perTask}`, ...(operating ? { operating } : {}), ...(kept ? { kept } : {}) };
}

/**
 * Single-task mode, for a person: which weights each task kept, and that `eval_f1` is the mean of each task's own
 * best (picked on the validation rows, task by task), which may beat every epoch's line; undefined in multi-task mode.
 */
function keptLine(result: TrainFromConfigResult, tasks: readonly string[]): string | undefined {
  const own = result.taskEpochs;
  if (own === undefined) return undefined;
  const each = tasks.flatMap((t) => {
    const e = own[t];
    if (e === undefined) return [];
    return [`${t} ${e.averaged > 1 ? `the average of epochs ${e.epoch - e.averaged + 1}-${e.epoch}` : `epoch ${e.epoch}`}`];
  });
  const f1 = result.bestValidF1 === null ? 'there is no validation F1' : `eval_f1 ${pyFixed(result.bestValidF1, 4)} is the mean of each task's own best on the validation rows, not any one epoch's`;
  return `single-task: each task kept its own weights (${each.join('; ')}): ${f1}; compare it with a multi-task run on the test figures`;
}

/** What a lost queue costs, as the warnings of `routingLabelWarnings` end. */
const LOST_QUEUE_COST = 'compare fails the gate of a challenger that lost a queue the champion routes to, and registry approve refuses it without --force';

/**
 * Warnings for the labels of the task that routes mail that the model cannot predict though the config kept them: a
 * queue no training row had (the taxonomy line's `no examples`, a thin month's export) and one under minCount merged
 * into `other`. Each was only a word in the taxonomy line, where a retired queue gets a warning; its mail now goes to
 * other queues or to manual triage. One dropped under minCount (`rare: "drop"`) is warned of by training already.
 * Example: `queue is the task that routes mail, and no training row has its label "advisory": …`.
 */
export function routingLabelWarnings(taxonomy: TrainFromConfigResult['taxonomy'], config: Pick<TrainingConfig, 'routing' | 'tasks'>): string[] {
  const task = routingTaskOf(config);
  const report = taxonomy.find((t) => t.task === task);
  if (task === undefined || report === undefined) return [];
  const minCount = config.tasks.find((t) => t.name === task)?.minCount;
  const absent = report.absent.map(
    (label) =>
      `${task} is the task that routes mail, and no training row has its label ${JSON.stringify(label)}: the model cannot predict that queue, so such mail will go to other queues or to manual triage; add rows of it, or, if the queue is gone on purpose, retire it or alias it to "other" in the config (${LOST_QUEUE_COST})`,
  );
  const merged = report.rareAction !== 'other' ? [] : Object.entries(report.rare).map(
    ([label, rows]) =>
      `${task} is the task that routes mail, and its label ${JSON.stringify(label)} had ${rows} row(s) in the data (test rows included: minCount counts before the split), under its minCount${minCount === undefined ? '' : ` of ${minCount}`}, and was merged into "other": the model cannot predict that queue, so such mail will go to manual triage; lower the task's minCount (or add rows) to keep it, or alias it to "other" if that is meant (${LOST_QUEUE_COST})`,
  );
  return [...absent, ...merged];
}
