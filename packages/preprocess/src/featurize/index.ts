export { hashString, hashPair, hashStep, hashFinish } from './hash.js';
export {
  HashedNgramsParamsSchema,
  FeaturizerSpecSchema,
  featurizeHashed,
  featurizeHashedBag,
  featurizeHashedBags,
  wordTokens,
  isTruncated,
  poolingWeight,
  type HashedNgramsParams,
  type HashedBag,
  type FeaturizerSpec,
} from './hashed-ngrams.js';
