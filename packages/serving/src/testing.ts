// Test helpers other packages run against their own adapters (`@mailroute/serving/testing`); never
// imported by production code, so vitest stays out of the serving bundle.
export { describePredictionStoreContract, predictionFixture } from './store/store-contract.js';
export { writeFixtureModel } from './test-support/fixture-model.js';
export { strictMismatches, type JsonSchema } from './test-support/strict-schema.js';
