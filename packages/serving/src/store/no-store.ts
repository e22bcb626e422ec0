import { PredictionsNotKeptError } from '../errors.js';
import type { PredictionStore } from './types.js';

/**
 * A store that keeps nothing: saves do nothing, reads find nothing. For a server whose predictions another
 * part records, such as the SageMaker container behind the API Lambda (which stores its own predictions in
 * DynamoDB, under its own ids): no database file is made, and the app refuses /v1/feedback and /v1/quality
 * (404 `PREDICTIONS_NOT_KEPT`) instead of answering them from an empty store.
 */
export const noStore: PredictionStore = Object.freeze({
  keepsPredictions: false,
  savePredictions: async () => undefined,
  // Nothing to wait for: the classify answer never waits on this store.
  queuePredictions: () => undefined,
  getPrediction: async () => undefined,
  findPredictionByEmail: async () => undefined,
  saveFeedback: async () => undefined,
  listPairs: async () => [],
  close: async () => undefined,
});

/**
 * Refuses a route that reads stored predictions (`/v1/feedback`, `/v1/quality`) on a server whose store keeps
 * none: 404 `PREDICTIONS_NOT_KEPT`, saying where the predictions are kept instead.
 */
export function requireKeptPredictions(store: PredictionStore, route: '/v1/feedback' | '/v1/quality'): void {
  if (store.keepsPredictions !== false) return;
  const what = route === '/v1/feedback' ? 'takes no feedback' : 'measures no live quality';
  throw new PredictionsNotKeptError(
    `This server keeps no predictions (it runs without a store, as the SageMaker inference container does: the API in front of it records them), so it ${what}: send the request to that API's ${route}.`,
    { route },
  );
}
