// Public API of @mailroute/evaluation: named exports only.
export { MetricInputError, PredictionFileError, ComparisonError, GatePolicyError } from './errors.js';
export { uniqueLabels, compareCodePoints } from './labels.js';
export {
  computeTaskMetrics,
  macroF1,
  accuracy,
  confusionMatrix,
  labelCounts,
  averagesFromCounts,
  TaskMetricsSchema,
  ClassMetricsSchema,
  AverageMetricsSchema,
  ConfusionMatrixSchema,
  type TaskMetrics,
  type TaskMetricsOptions,
  type ClassMetrics,
  type AverageMetrics,
  type ConfusionMatrix,
  type LabelCounts,
} from './task-metrics.js';
export { classificationReportText } from './classification-report.js';
export { pyFixed } from './python-format.js';
