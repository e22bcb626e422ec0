import type { ModelVersion } from '../contracts.js';

/**
 * A registry with versions but no champion, and the way out, for `start` and `serve` alike:
 * `2 version(s) but no champion (1 waiting for approval); approve one (...)`.
 */
export function describeNoChampion(versions: readonly ModelVersion[]): string {
  const pending = versions.filter((v) => v.status === 'PendingManualApproval').length;
  // Approved without becoming champion (approve --no-promote, or a champion rejected with no rollback): one command serves it.
  const approved = versions.filter((v) => v.status === 'Approved');
  const newestApproved = approved.reduce<ModelVersion | undefined>((a, v) => (a === undefined || v.version > a.version ? v : a), undefined);
  // Every version rejected: approving one needs --force, and training a new one is the likelier way out.
  const wayOut =
    pending > 0
      ? `approve one (mailroute registry approve <id>; mailroute registry list shows them)`
      : newestApproved
        ? `${approved.length} version(s) are Approved but none is the champion: make one champion (mailroute registry champion ${newestApproved.id}, the newest Approved)`
        : `every one is Rejected: train a new one (mailroute train --data <export>) and approve it, or approve a rejected one again (mailroute registry approve <id> --force)`;
  return `${versions.length} version(s) but no champion (${pending} waiting for approval); ${wayOut}`;
}
