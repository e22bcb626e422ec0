import type { ModelVersion } from '../contracts.js';
import { RegistryError } from './errors.js';

/**
 * What a registry without a champion holds, and the way out, for every command that needs the champion
 * (`start`, `serve`, `--model champion`, `registry show champion`): `2 version(s) but no champion (1 waiting
 * for approval); approve one (...)`, or, with no version at all, how to train one.
 */
export function describeNoChampion(versions: readonly ModelVersion[]): string {
  // Nothing to approve: a model has to be trained first (the demo one by start).
  if (versions.length === 0) {
    return 'no model version yet; train one (mailroute train --data <export>, then mailroute registry approve <id>) or, for the demo model, run mailroute start (npm start)';
  }
  // A pruned version has no artifact left: none can be approved or served.
  const usable = versions.filter((v) => v.prunedAt === undefined);
  const pending = usable.filter((v) => v.status === 'PendingManualApproval').length;
  // Approved without becoming champion (approve --no-promote, or a champion rejected with no rollback): one command serves it.
  const approved = usable.filter((v) => v.status === 'Approved');
  const newestApproved = approved.reduce<ModelVersion | undefined>((a, v) => (a === undefined || v.version > a.version ? v : a), undefined);
  // Every version rejected: approving one needs --force, and training a new one is the likelier way out.
  const wayOut =
    pending > 0
      ? `approve one (mailroute registry approve <id>; mailroute registry list shows them)`
      : newestApproved
        ? `${approved.length} version(s) are Approved but none is the champion: make one champion (mailroute registry champion ${newestApproved.id}, the newest Approved)`
        : usable.length === 0
          ? `every one is pruned (its artifact removed): train a new one (mailroute train --data <export>) and approve it`
          : `every one is Rejected: train a new one (mailroute train --data <export>) and approve it, or approve a rejected one again (mailroute registry approve <id> --force --note <why>)`;
  return `${versions.length} version(s) but no champion (${pending} waiting for approval); ${wayOut}`;
}

/**
 * `<lead>: the registry at <where> has <describeNoChampion>; or <otherwise>.`: what every command that needs
 * the champion says when there is none. `otherwise`: the command's own last resort.
 */
export function noChampionMessage(where: string, versions: readonly ModelVersion[], otherwise?: string, lead = 'There is no champion'): string {
  return `${lead}: the registry at ${where} has ${describeNoChampion(versions)}${otherwise ? `; or ${otherwise}` : ''}.`;
}

/**
 * `champion` named where the registry at `where` has none: `REGISTRY_NOT_APPROVED`, the code `start` and
 * `serve` answer with, worded for what the registry holds (`noChampionMessage`). An id that does not exist
 * stays `REGISTRY_NOT_FOUND`.
 */
export function noChampionError(where: string, versions: readonly ModelVersion[], otherwise?: string, lead?: string): RegistryError {
  return new RegistryError('REGISTRY_NOT_APPROVED', noChampionMessage(where, versions, otherwise, lead));
}
