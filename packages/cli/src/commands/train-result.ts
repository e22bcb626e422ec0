import { pyFixed } from '@mailroute/evaluation';
import { formatFinalLine, measuredTasks, operatingPointText, type TrainFromConfigResult } from '@mailroute/training';

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
