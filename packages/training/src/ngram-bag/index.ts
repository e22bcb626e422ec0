export { NgramBagParamsSchema, type NgramBagParams } from './params.js';
export { type TrainExample, type TaskSpec } from './encode.js';
export { TrainerInputError, TrainingDivergedError } from './errors.js';
export { createPrng, type Prng } from './prng.js';
export { fitTemperature, chooseThreshold, type ThresholdChoice } from './calibrate.js';
export {
  trainNgramBag,
  type TrainNgramBagInput,
  type TrainedNgramBag,
  type EpochReport,
  type TaskCalibration,
} from './train.js';
export { exportNgramBag, type ExportInfo } from './export.js';
