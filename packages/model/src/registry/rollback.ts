import type { ModelVersion } from '../contracts.js';

/**
 * The version that becomes champion when the champion `rejected` is rejected: the most recent earlier
 * champion that is still Approved (`championIds`: every champion, oldest first, as far as the registry
 * knows them), as going back is what a rejection of a new champion means. Only when none is, the newest
 * Approved version (highest version number) whose last gate did not fail: a version approved with force
 * over a failed gate, but never made champion, was never meant to serve, so it is not put in service
 * unasked. Undefined when neither is.
 */
export function rollbackChampion(
  versions: readonly ModelVersion[],
  championIds: readonly string[],
  rejected: string,
): ModelVersion | undefined {
  const approved = (id: string) => versions.find((v) => v.id === id && v.id !== rejected && v.status === 'Approved');
  for (let i = championIds.length - 1; i >= 0; i--) {
    const previous = approved(championIds[i]);
    if (previous) return previous;
  }
  let best: ModelVersion | undefined;
  for (const v of versions) {
    if (v.id === rejected || v.status !== 'Approved' || (v.gate && !v.gate.pass)) continue;
    if (best === undefined || v.version > best.version) best = v;
  }
  return best;
}
