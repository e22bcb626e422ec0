import type { ModelVersion } from '../contracts.js';

/**
 * The versions that may become champion when the champion `rejected` is rejected, in the order they are tried: the
 * earlier champions that are still Approved, the most recent first (`championIds`: every champion, oldest first, as far
 * as the registry knows them), as going back is what a rejection of a new champion means; then the Approved versions
 * whose last gate did not fail, the newest (highest version number) first: a version approved with force over a failed
 * gate, but never made champion, was never meant to serve, so it is not put in service unasked. Each version once.
 * The registry takes the first whose artifact passes its check (`LocalModelRegistry.reject`).
 */
export function rollbackCandidates(versions: readonly ModelVersion[], championIds: readonly string[], rejected: string): ModelVersion[] {
  const candidates: ModelVersion[] = [];
  const seen = new Set<string>([rejected]);
  const take = (v: ModelVersion | undefined) => {
    if (v === undefined || seen.has(v.id) || v.status !== 'Approved') return;
    seen.add(v.id);
    candidates.push(v);
  };
  for (let i = championIds.length - 1; i >= 0; i--) take(versions.find((v) => v.id === championIds[i]));
  const unserved = versions.filter((v) => !seen.has(v.id) && v.status === 'Approved' && !(v.gate && !v.gate.pass));
  for (const v of [...unserved].sort((a, b) => b.version - a.version)) take(v);
  return candidates;
}

/**
 * The version that becomes champion when the champion `rejected` is rejected, its artifact not looked at: the first
 * of `rollbackCandidates` (the most recent earlier champion that is still Approved, else the newest Approved version
 * whose last gate did not fail). Undefined when there is none.
 */
export function rollbackChampion(
  versions: readonly ModelVersion[],
  championIds: readonly string[],
  rejected: string,
): ModelVersion | undefined {
  return rollbackCandidates(versions, championIds, rejected)[0];
}
