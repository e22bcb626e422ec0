// Test helpers other packages use for their own model fixtures (`@mailroute/model/testing`); never imported
// by production code.
export { fixtureWeights, writeFixture } from './classifier-fixture.js';
export { loadableManifest, writeLoadableArtifact } from './registry/test-artifact.js';
