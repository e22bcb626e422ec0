export { type DenseLayer, type NgramBagHead, type NgramBagPart, type NgramBagWeights } from './weights.js';
export { denseForward, poolEmbedding, softmaxInPlace, forwardLogits, forwardProbs, type BagInput } from './forward.js';
