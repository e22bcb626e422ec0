import type { ModelVersion } from '../contracts.js';

/**
 * The version that becomes champion when the champion is rejected: the newest Approved one (highest
 * version number), as SageMaker deployments take the latest Approved package; undefined when none is.
 */
export function newestApproved(versions: readonly ModelVersion[]): ModelVersion | undefined {
  let best: ModelVersion | undefined;
  for (const v of versions) if (v.status === 'Approved' && (best === undefined || v.version > best.version)) best = v;
  return best;
}
