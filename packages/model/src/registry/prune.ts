import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelStatus, ModelVersion } from '../contracts.js';

export interface PruneOptions {
  /**
   * Versions whose last status change (their registration, for one awaiting approval) is at least this many days
   * old; 0 takes every Rejected and awaiting version.
   */
  olderThanDays: number;
  /** Says what would be removed, and removes nothing. */
  dryRun?: boolean;
}

export interface PrunedVersion {
  id: string;
  version: number;
  status: ModelStatus;
  /** When it took that status: registered (awaiting approval) or rejected. */
  since: string;
  /** The artifact's size on disk before it was removed. */
  bytes: number;
}

export interface PruneResult {
  dryRun: boolean;
  /** The versions whose artifacts were removed (or would be, on a dry run), oldest first. */
  pruned: PrunedVersion[];
  bytes: number;
  /** Why the other versions stayed. */
  /** `lastChampion`: with no champion (it was rejected with nothing to roll back to), the last one, which servers keep serving. */
  /** `formerChampion`: Rejected versions that served as champion once: their predictions are in the store, and an audit reads their thresholds. */
  kept: { champion: number; lastChampion: number; approved: number; formerChampion: number; recent: number; prunedBefore: number };
  /** Directories `models/.unlisted-*`: artifacts the registry moved aside (no index entry listed them), never removed by prune. */
  unlisted: string[];
}

/** When a version took its status: a decision's time, or the registration's for one awaiting approval. */
export function statusSince(v: ModelVersion): string {
  return v.status === 'PendingManualApproval' ? v.createdAt : (v.statusChangedAt ?? v.createdAt);
}

/**
 * The versions prune removes the artifacts of, oldest first: Rejected ones and ones still awaiting approval whose
 * status is older than `cutoffMs`. Never the champion (a server loads it; with none, the last one, which servers keep),
 * never an Approved version (a rollback goes back to one), never one that served as champion (rejected since: its
 * predictions are in the store, and its thresholds are read in an audit), never one pruned already. A time that does not read as one (a hand edit) keeps its version.
 */
export function pruneCandidates(
  index: { versions: readonly ModelVersion[]; champion: string | null; championHistory?: ReadonlyArray<{ id: string }> },
  cutoffMs: number,
): { prune: ModelVersion[]; kept: PruneResult['kept'] } {
  const { versions, champion } = index;
  const lastChampion = index.championHistory?.at(-1)?.id;
  const served = new Set((index.championHistory ?? []).map((change) => change.id));
  const kept = { champion: 0, lastChampion: 0, approved: 0, formerChampion: 0, recent: 0, prunedBefore: 0 };
  const prune: ModelVersion[] = [];
  for (const v of versions) {
    if (v.prunedAt !== undefined) kept.prunedBefore++;
    else if (v.id === champion) kept.champion++;
    else if (champion === null && v.id === lastChampion) kept.lastChampion++;
    else if (v.status === 'Approved') kept.approved++;
    else if (served.has(v.id)) kept.formerChampion++;
    else if (Date.parse(statusSince(v)) <= cutoffMs) prune.push(v);
    else kept.recent++;
  }
  return { prune: prune.sort((a, b) => a.version - b.version), kept };
}

/** The size of each file under `dir` (none when it is gone). */
export async function fileSizes(dir: string): Promise<number[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const sizes: number[] = [];
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) sizes.push(...(await fileSizes(file)));
    else sizes.push((await stat(file).catch(() => ({ size: 0 }))).size);
  }
  return sizes;
}

/** Bytes of the files under `dir` (0 when it is gone). */
export async function directoryBytes(dir: string): Promise<number> {
  return (await fileSizes(dir)).reduce((sum, size) => sum + size, 0);
}
