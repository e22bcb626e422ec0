// Public API of @mailroute/serving: named exports only.
export type { PredictionRecord, FeedbackRecord, FeedbackPair, PredictionStore } from './store/types.js';
