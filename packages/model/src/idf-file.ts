/**
 * The IDF table of a model whose featurizer weighs ids by IDF (`featurizer.params.idf`): one float32
 * per hash bucket, little-endian, in the artifact file `idf.f32` (hashed like every artifact file).
 */
export const IDF_FILE = 'idf.f32';

export function encodeIdfTable(idf: Float32Array): Uint8Array {
  const bytes = new Uint8Array(idf.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < idf.length; i++) view.setFloat32(i * 4, idf[i], true);
  return bytes;
}

/** The table in `bytes`, or an error message when it does not hold exactly `buckets` values, each finite. */
export function decodeIdfTable(bytes: Uint8Array, buckets: number): Float32Array | string {
  if (bytes.length !== buckets * 4) return `${IDF_FILE} holds ${bytes.length} bytes, ${buckets * 4} expected (${buckets} buckets)`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idf = new Float32Array(buckets);
  for (let i = 0; i < buckets; i++) {
    idf[i] = view.getFloat32(i * 4, true);
    // NaN or an infinity makes every probability of an email that hashes to the bucket NaN: refused at load.
    if (!Number.isFinite(idf[i])) return `${IDF_FILE} holds ${idf[i]} (not a finite weight) at bucket ${i}`;
  }
  return idf;
}
