import { classifierTasks, readManifest, type Manifest } from '@mailroute/model';
import { labelsSpokenOf, modelTrainingConfig, retiredRoutingRowsOf, retiredRoutingWarnings, type TrainingConfig } from '@mailroute/training';

export type Role = 'challenger' | 'champion';

/** Which of two models has the newer taxonomy, and (when it carries one) its stored training config. */
export interface TaxonomyOrder {
  newer: Role;
  older: Role;
  /** The newer model's stored training config: the other model reads the rows with it. */
  config?: TrainingConfig;
}

/** A model directory's manifest, read and checked by the model package; undefined when it cannot be (loading the model says why). */
export async function manifestOf(dir: string): Promise<Manifest | undefined> {
  return readManifest(dir).catch(() => undefined);
}

/**
 * The role whose taxonomy is the newer, from the two manifests: the model whose aliases or retired labels speak
 * of labels the other has and it lacks (`onboarding_kyc -> kyc_onboarding`) was trained after them. When both
 * speak of the other's (a rename undone), the one trained later; when neither does, the challenger (the
 * taxonomies agree on every label both know).
 */
export function newerRole(manifests: Record<Role, Manifest>): Role {
  const tasks = { challenger: classifierTasks(manifests.challenger), champion: classifierTasks(manifests.champion) };
  const champion = labelsSpokenOf(tasks.champion, tasks.challenger).length > 0;
  const challenger = labelsSpokenOf(tasks.challenger, tasks.champion).length > 0;
  if (champion && !challenger) return 'champion';
  if (champion && challenger && Date.parse(manifests.champion.createdAt) > Date.parse(manifests.challenger.createdAt)) return 'champion';
  return 'challenger';
}

/**
 * Which of the two models has the newer taxonomy (`newerRole`), from their manifests (`manifestOf`); the challenger
 * when either could not be read (loading the model then says why).
 */
export function taxonomyOrder({ challenger, champion }: Record<Role, Manifest | undefined>): TaxonomyOrder {
  const newer = challenger && champion ? newerRole({ challenger, champion }) : 'challenger';
  const manifest = newer === 'challenger' ? challenger : champion;
  let config: TrainingConfig | undefined;
  try {
    config = manifest ? modelTrainingConfig(manifest) : undefined;
  } catch {
    // A model with no stored config reads with its own (loading it says so).
    config = undefined;
  }
  return { newer, older: newer === 'challenger' ? 'champion' : 'challenger', ...(config ? { config } : {}) };
}

/**
 * What a model's manifest keeps of its training that the gate must not hide: the rows that carried a retired label
 * of the task that routes mail (`training.retiredRoutingRows`), whose mail the model routes to other queues. Each
 * warning headed by the role (`challenger: `); none when there are none or there is no manifest (`manifestOf`).
 */
export function trainingWarningsOf(manifest: Manifest | undefined, role: Role): string[] {
  return retiredRoutingWarnings(retiredRoutingRowsOf(manifest), role);
}
