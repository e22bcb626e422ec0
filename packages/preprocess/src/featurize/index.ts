export { hashString, hashPair, hashStep, hashFinish } from './hash.js';
export type { RowTable } from './bag-scratch.js';
export {
  HashedNgramsParamsSchema,
  FeaturizerSpecSchema,
  featurizeHashed,
  featurizeHashedBag,
  featurizeHashedBags,
  featurizeCounted,
  weighCountedBag,
  wordTokens,
  readsText,
  isTruncated,
  poolingWeight,
  type HashedNgramsParams,
  type BagArrays,
  type HashedBag,
  type TextReadParams,
  type CountedBag,
  type FeaturizerSpec,
} from './hashed-ngrams.js';
