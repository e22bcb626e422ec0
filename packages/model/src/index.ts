export * from './prediction.js';
export * from './contracts.js';
export { classifierTasks, currentLabel, followAliases, normalizeLabel, renamesOf, taxonomyLabels, withSharedColumnLabels, type ClassifierTask } from './task-labels.js';
export * from './ngram-bag/index.js';
export { ArtifactError, ArtifactWriteError, ClassifierOptionsError, ClassifierReleasedError, OnnxRuntimeUnavailableError, PredictInputError, type ArtifactErrorCode } from './errors.js';
export {
  ManifestSchema,
  ManifestTaskSchema,
  AutomatedQueuesSchema,
  OnnxSpecSchema,
  MANIFEST_SCHEMA_VERSION,
  MANIFEST_FILE,
  manifestJsonSchema,
  type Manifest,
  type ManifestInput,
  type ManifestTask,
  type OnnxSpec,
} from './manifest.js';
export { writeArtifact, readManifest, readVerifiedManifest, sha256 } from './artifact.js';
export { closestKey, didYouMean, editDistance, isNearId } from './edit-distance.js';
export { jsonErrorOffset, jsonErrorPlace } from './json-error-offset.js';
export { nullRecord, ownValue } from './records.js';
export type { ConfirmedCase } from './confirmed-case.js';
export { IDF_FILE, encodeIdfTable, decodeIdfTable } from './idf-file.js';
export { SEEN_TEXTS_FILE, encodeSeenTexts, decodeSeenTexts, type SeenTexts } from './seen-texts.js';
export { prepareModelInput, metaValue, type ModelInput } from './model-input.js';
export { modelTextReader } from './fields-read.js';
export { inputFingerprint, inputFingerprintNote, inputFingerprintOf } from './input-fingerprint.js';
export { abstainingTasks, CATCH_ALL_LABEL, routeFromPredictions, withAutomatedRoute, type AutomatedQueues, type RoutingPolicy } from './routing.js';
export { featurizeAll, padChunks, type PreparedText, type FeaturizedBag, type PaddedChunk } from './bag-batch.js';
export { buildNgramBagOnnx, ngramBagOnnxNames, NGRAM_BAG_OPSET, type NgramBagOnnxNames } from './onnx/build-ngram-bag.js';
export { assemblePredictions, Classifier, type AssembledEmail, taskPrediction, type ClassifierOptions, type ModelLogger, type PreparedPrediction, type ScoredBatch } from './classifier.js';
export { describeMeasuredOn, heldOutTestRows, ManifestTestFactsSchema, measuredOnOfManifest, type MeasuredOnFacts } from './registry/measured-on.js';
export { rollbackChampion } from './registry/rollback.js';
export { describeNoChampion, noChampionError, noChampionMessage } from './registry/no-champion.js';
export { GateRecordSchema, gateStanding, failedChecksLine, decidedBy, gateDecidedError, gateFailedError, gateOverrideNote, rejectionOverrideNote, type GateRecord, type GateStanding } from './registry/gate-record.js';
export { checkHomeDirectory, homeFolder } from './registry/home.js';
export { checkArtifactToRegister, checkRegisteredArtifact } from './registry/artifact-check.js';
export { checkManifest, LocalModelRegistry, createLocalRegistry, ModelVersionSchema, REGISTRY_LOCK_FILE, RegistryIndexSchema, type ChampionChange, type ChampionVia, type RegistryIndex, type LocalRegistryOptions, type RegistryHooks, type RollbackSkip } from './registry/local-registry.js';
export { RegistryError, type RegistryErrorCode } from './registry/errors.js';
export type { PruneOptions, PruneResult, PrunedVersion } from './registry/prune.js';
export { withFileLock, type HeldLock, type LockOptions } from './registry/lock.js';
export { PID_NAMESPACE, pidsComparable, processAlive } from './registry/process-alive.js';
export { atomicTempFile, writeFileAtomic, writeFileAtomicChunks, writeFileAtomicSync, removeAbandonedTemps, copyDirDurable, HOME_MODE, makeDirectory, makeHomeDirectory, type AtomicWriteOptions } from './registry/fs-atomic.js';
export { bytesOnDisk, errorCodeInWords, formatBytes, freeSpace, namingFile, outOfRoom, roomNeeded, systemCode, type FreeSpace } from './write-errors.js';
