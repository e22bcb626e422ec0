import { computeTaskMetrics } from '@mailroute/evaluation';
import type { TaskScorer } from './live-quality.js';

/** Accuracy and macro-F1 from the evaluation package (scikit-learn semantics, labels seen in the window). */
export const evaluationScorer: TaskScorer = (truth, predicted) => {
  const m = computeTaskMetrics(truth, predicted);
  return { accuracy: m.accuracy, macroF1: m.macro.f1 };
};
