export { hashString, hashPair, hashStep, hashFinish } from './hash.js';
export {
  HashedNgramsParamsSchema,
  FeaturizerSpecSchema,
  featurizeHashed,
  featurizeHashedBag,
  featurizeHashedBags,
  featurizeCounted,
  weighCountedBag,
  wordTokens,
  isTruncated,
  poolingWeight,
  type HashedNgramsParams,
  type BagArrays,
  type HashedBag,
  type CountedBag,
  type FeaturizerSpec,
} from './hashed-ngrams.js';
