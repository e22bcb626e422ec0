// Public API of @mailroute/evaluation: named exports only.
export { MetricInputError, PredictionFileError, ComparisonError, GatePolicyError, GateFailedError } from './errors.js';
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
export { headUnits, tailUnits } from './text-cut.js';
export { chanceMargin, shortBeyondChance } from './target-precision.js';
export {
  topKAccuracy,
  calibration,
  coverageCurve,
  CalibrationSchema,
  ReliabilityBinSchema,
  CoverageCurveSchema,
  CoveragePointSchema,
  DEFAULT_THRESHOLDS,
  DEFAULT_TARGET_PRECISIONS,
  type Calibration,
  type ReliabilityBin,
  type CoverageCurve,
  type CoveragePoint,
} from './scores.js';
export {
  PredictionLineSchema,
  LinePredictionSchema,
  parsePredictionLine,
  parsePredictionLines,
  noPredictionLines,
  formatPredictionLines,
  predictionLineChunks,
  tasksOf,
  predictedTasksOf,
  repeatedIds,
  modelIdsOf,
  confidenceOf,
  SEEN_IN_TRAINING,
  AUTOMATED_MAIL,
  withoutAutomatedMail,
  withoutAutomatedPairs,
  isAutomatedMail,
  manySeenInTraining,
  seenInTrainingWarning,
  type PredictionLine,
  type LinePrediction,
} from './prediction-line.js';
export {
  evaluatePredictions,
  operatingPoints,
  sliceTaskMetrics,
  headlineMetrics,
  mostConfusedPairs,
  taskTargetPrecision,
  targetFor,
  EvaluationReportSchema,
  TaskReportSchema,
  SliceSchema,
  ConfusedPairSchema,
  type EvaluationReport,
  type TaskReport,
  type Slice,
  type ConfusedPair,
  type EvaluateOptions,
  type TargetPrecision,
} from './evaluate.js';
export {
  answeredDropWarnings,
  answeredPrecisionWarnings,
  belowTargetWarnings,
  clearDifference,
  comparePredictions,
  pairedBootstrap,
  ComparisonSchema,
  TaskComparisonSchema,
  BootstrapOptionsSchema,
  DisjointLabelsSchema,
  UnmeasuredTaskSchema,
  LostLabelReasonSchema,
  repeatedIdsText,
  type Comparison,
  type DisjointLabels,
  type UnmeasuredTask,
  type TaskComparison,
  type BootstrapOptions,
  type ComparedRouting,
  type LostLabelReason,
  type LostLabels,
} from './compare.js';
export { LabelComparisonSchema, type LabelComparison } from './compare-labels.js';
export { EXAMPLES_FILE, exampleExcerpt, MAX_EXAMPLES_PER_PAIR, mistakeExamplesMarkdown } from './mistake-examples.js';
export { worseLabels } from './compare-labels-text.js';
export { applyGate, disjointDetail, LOST_LABEL_BECAUSE, lostLabelsDetail, unmeasuredDetail, ungatedWorseWarnings, UNGATED_WORSE, gateRecord, parseGatePolicy, GatePolicySchema, GateResultSchema, type GatePolicy, type GateResult } from './gate.js';
export { MAX_SEED, mcnemar, seededRandom, percentile, type McNemarResult } from './stats.js';
export { evaluationText, evaluationMarkdown, comparisonMarkdown } from './report-text.js';
export { codeSpan } from './markdown.js';
export { evaluationHtml } from './report-html.js';
export { comparisonChartFinding, comparisonChartSvg, comparisonHtml, otherFailedChecks, taskVerdict, type TaskVerdict } from './compare-html.js';
export { modelCardMarkdown, registeredNearDuplicateWarning, testNearDuplicateWarning, type ModelCardOptions, type TrainingFacts } from './model-card.js';
export { type ModelProvenance, type RegistryStanding, type UnreadStanding } from './model-card-provenance.js';
export { confusionHeatmapSvg, supportOrder, type HeatmapOptions } from './svg-confusion.js';
export { reliabilityDiagramSvg, coverageCurveSvg } from './svg-charts.js';
export { coverageWords, type CoverageWords, type ReportRouting } from './coverage-words.js';
export { REPORT_PICTURE_FILE, reportPictures, slug, type Picture } from './pictures.js';
export { svgToPng } from './png.js';
export { writeEvaluationReport, type WriteReportOptions } from './write-report.js';
export { syntheticPredictionLines, type SyntheticOptions } from './synthetic.js';
export { evaluationReportJsonSchema, predictionLineJsonSchema } from './json-schema.js';
