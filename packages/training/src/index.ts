// Public API of @mailroute/training: named exports only.
export {};
export * from './ngram-bag/index.js';
export { TrainingConfigSchema, TaskConfigSchema, ColumnsSchema, SplitConfigSchema, parseTrainingConfig, loadTrainingConfig, taskColumn, trainingConfigJsonSchema, type TrainingConfig, type TrainingConfigInput, type TaskConfig, type SplitConfig, type Columns } from './config.js';
export { DatasetError, readProblem, TrainingConfigError, SplitError, RunNotFoundError, RunRecordError } from './errors.js';
export { jsonErrorOffset, jsonErrorPlace } from './config-errors.js';
export { resolveLabel, finaliseTaskLabels, formatTaxonomyReport, lookalikeWarning, OTHER_LABEL, type ResolvedLabel, type TaskTaxonomyReport } from './taxonomy.js';
export { loadDataset, normaliseText, type Dataset, type DatasetRow, type LoadOptions } from './data/dataset.js';
export { splitDataset, type DatasetSplit } from './data/split.js';
export { prepareModelRows, type ModelRows } from './pipeline/model-rows.js';
export { generateDemoRows, demoRowsToCsv, demoDataText, writeDemoData, DEMO_COLUMNS, DEMO_DEFAULT_ROWS, DEMO_DEFAULT_SEED, type DemoRow, type DemoOptions } from './demo/generate.js';
export { DEMO_CONFIG_PATH, loadDemoConfig } from './demo/demo-config.js';
export { RunTracker, RunRecordSchema, EpochRecordSchema, readRun, listRuns, runsDir, newId, gitCommit, type RunRecord, type EpochRecord } from './tracking/run-record.js';
export { formatEpochLine, formatFinalLine, formatRunList, runListRows, compareRunRows, formatTable, RUN_COMPARE_UNITS } from './tracking/format.js';
export { trainFromConfig, prepareInputs, type TrainFromConfigOptions, type TrainFromConfigResult } from './pipeline/train-from-config.js';
export { alignToTaxonomy, type TaxonomyAlignment } from './pipeline/align-taxonomy.js';
export { predictDataset, predictDatasetLines, preparePrediction, resolveModelDir, type PredictDatasetOptions, type PreparedPrediction } from './pipeline/predict-dataset.js';
export { ensureDemoChampion, type EnsureDemoChampionOptions } from './pipeline/demo-champion.js';
export { headlineFromProbs, predictProbs, type OnProgress } from './pipeline/evaluate-split.js';
