import { pyFixed } from '@mailroute/evaluation';
import { formatFinalLine, type TrainFromConfigResult } from '@mailroute/training';

/**
 * What a finished training prints: `final`, for stdout and metric regexes (SageMaker's), the kept weights'
 * eval_f1 then the measured figures; `measured`, for a person, each task's accuracy and macro-F1 on `measuredOn`.
 */
export function trainResultLines(result: TrainFromConfigResult, measuredOn: string): { final: string; measured: string } {
  const tasks = result.taxonomy.map((t) => t.task);
  const final = formatFinalLine({ bestEpoch: result.bestEpoch, bestValidF1: result.bestValidF1, averagedEpochs: result.averagedEpochs, metrics: result.metrics, tasks, split: result.metricsSplit });
  const m = result.metrics;
  const perTask = result.taxonomy
    // Rounded as the reports round them (Python's %f, ties to even).
    .map((t) => `${t.task} acc ${pyFixed(m[`${t.task}.accuracy`] ?? NaN, 4)} macro-F1 ${pyFixed(m[`${t.task}.macro_f1`] ?? NaN, 4)}`)
    .join('; ');
  return { final, measured: `${measuredOn}: ${perTask}` };
}
