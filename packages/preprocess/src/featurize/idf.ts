/**
 * IDF weighting of one bag in place: `weights[k] *= idf[ids[k]]` for k in [from, to), then the bag is
 * rescaled to the L2 norm its weights had before (an all-zero bag stays zero), so rare n-grams weigh more
 * than common ones while the pooled scale stays as without IDF. The featurizer applies it for a model
 * trained with IDF; the trainer applies it to bags it featurized before it knew the table. Float32
 * throughout, as the model reads the weights, so both give the same values bit for bit.
 */
export function weighByIdf(ids: Int32Array, weights: Float32Array, idf: Float32Array, from = 0, to = ids.length): void {
  let before = 0;
  let after = 0;
  for (let k = from; k < to; k++) {
    const w = weights[k];
    before += w * w;
    weights[k] = w * idf[ids[k]];
    after += weights[k] * weights[k];
  }
  if (after === 0) return;
  const scale = Math.sqrt(before / after);
  for (let k = from; k < to; k++) weights[k] *= scale;
}
