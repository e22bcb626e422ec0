import type { EpochRecord } from './run-record.js';

/** An epoch record for the formatting tests. */
export const epoch: EpochRecord = {
  epoch: 3,
  loss: 0.123449,
  learningRate: 0.05,
  valLoss: 0.3,
  perTask: { queue: { accuracy: 0.9, precision: 0.8, recall: 0.7, f1: 0.8123 }, topic: { accuracy: 0.5, precision: 0.6, recall: 0.5, f1: 0.5 } },
  meanF1: 0.65615,
  seconds: 1.5,
  samplesPerSecond: 12345.67,
};
