export { hashString, hashPair, hashStep, hashFinish } from './hash.js';
export {
  HashedNgramsParamsSchema,
  FeaturizerSpecSchema,
  featurizeHashed,
  wordTokens,
  isTruncated,
  poolingWeight,
  type HashedNgramsParams,
  type FeaturizerSpec,
} from './hashed-ngrams.js';
