export type RegistryErrorCode =
  | 'REGISTRY_HOME_NOT_DIRECTORY'
  | 'REGISTRY_NOT_FOUND'
  | 'REGISTRY_DUPLICATE'
  | 'REGISTRY_ARTIFACT_INVALID'
  | 'REGISTRY_ARTIFACT_TAMPERED'
  | 'REGISTRY_INDEX_INVALID'
  | 'REGISTRY_INDEX_MISSING'
  | 'REGISTRY_LOCK_TIMEOUT'
  /** The writer's lock was no longer its own when it came to write (taken for stale while it was paused, or deleted): it wrote nothing. */
  | 'REGISTRY_LOCK_LOST'
  | 'REGISTRY_NOT_APPROVED'
  | 'REGISTRY_REJECTED'
  /** The version's last recorded gate failed: approving it needs force. */
  | 'REGISTRY_GATE_FAILED'
  /**
   * The version is Approved or Rejected: its gate is the record of that decision, so no later gate replaces it
   * (`recordGate` keeps one only on a version awaiting its decision).
   */
  | 'REGISTRY_DECIDED'
  /**
   * Rejecting the champion would roll back to an earlier version, but every version it could go back to has an artifact
   * that fails the check `setChampion` makes (a folder moved away, a file changed): nothing was changed, the champion
   * stays, rather than naming a champion no server can load.
   */
  | 'REGISTRY_NO_ROLLBACK'
  /** The version's artifact was removed by prune: its record stays, nothing can load or approve it. */
  | 'REGISTRY_PRUNED'
  /**
   * A write found no room (a full disk, a used-up quota): the message names the file, the room the write needs and the
   * room there is. Nothing was changed.
   */
  | 'REGISTRY_NO_SPACE'
  /** A registry whose champion follows something else (on AWS: the deployer, on each approval) refuses a call it cannot honour. */
  | 'REGISTRY_NOT_SUPPORTED';

/** A registry operation that cannot be done; `code` is stable. */
export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  constructor(code: RegistryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistryError';
    this.code = code;
  }
}
