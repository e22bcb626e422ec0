import { LOST_LABEL_BECAUSE, type LostLabels, type PredictionLine, type TaskComparison } from '@mailroute/evaluation';
import { classifierTasks, readManifest, type ClassifierTask, type Manifest } from '@mailroute/model';
import { alignToTaxonomy, labelsSpokenOf, modelTrainingConfig, retiredRoutingRowsOf, retiredRoutingWarnings, tasksReadWith, type TrainingConfig } from '@mailroute/training';
import { keepingLost } from './compare-lost-queues.js';

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

/** A model as compare read the rows with it: its tasks (its manifest's) and the config the rows were read with. */
export interface ReadModel {
  tasks: readonly ClassifierTask[];
  config: TrainingConfig;
}

/**
 * Each model's labels per task under the names its predictions are scored in: the newer model's through the aliases
 * of the config its rows were read with; the older's likewise, then put into the newer's taxonomy as its predictions
 * are (`alignToTaxonomy`: aliases followed, a label the newer lacks `other` when it has that catch-all). Where the
 * two differ, compare scores both on the labels both know (`oneSidedLabels`). The queues the challenger lost (`lost`)
 * stay the older champion's own, as its predictions do (`keepingLost`).
 */
export function scoredTaxonomies(sides: Record<Role, ReadModel>, older: Role, lost?: LostLabels): Record<Role, Record<string, string[]>> {
  const newer: Role = older === 'challenger' ? 'champion' : 'challenger';
  const read = (role: Role) => tasksReadWith(sides[role].tasks, sides[role].config);
  const reference = read(newer);
  const into = older === 'champion' ? keepingLost(reference, lost) : reference;
  const out: Record<Role, Record<string, string[]>> = { challenger: {}, champion: {} };
  for (const task of reference) out[newer][task.name] = [...task.labels];
  for (const task of read(older)) {
    // One line per label, aligned as the older model's lines are: the label each becomes.
    const lines: PredictionLine[] = task.labels.map((label) => ({ truth: {}, prediction: { [task.name]: { label } } }));
    const aligned = alignToTaxonomy(lines, [], into).lines.map((l) => l.prediction[task.name].label);
    out[older][task.name] = [...new Set(aligned)];
  }
  return out;
}

/** The config the rows' labels were read with: `text` in words, and `role` when it is one model's own. */
export interface TruthsReadWith {
  role?: Role;
  text: string;
}

/**
 * What `oneSidedLabels` of each task says, in words, per side: the emails labelled with a label only that model knows,
 * left out of the task's comparison; a label only it knows that no email compared is labelled with (a label the
 * config the labels were read with does not know is renamed by its aliases or masked as retired, so a file's rows can
 * carry it and none be compared); how many of the emails compared it predicted such labels for (counted as wrong).
 * Both macro-F1s leave those labels out. A queue the challenger lost (`lost`: the champion routes mail to it, the
 * challenger cannot predict it) is said apart (`lostQueueWarning`): its emails are scored, not left out.
 */
export function oneSidedLabelWarnings(comparison: { tasks: readonly Pick<TaskComparison, 'task' | 'n' | 'oneSidedLabels'>[] }, readWith: TruthsReadWith): string[] {
  const out: string[] = [];
  const list = (labels: readonly string[]) => (labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`);
  for (const t of comparison.tasks) {
    for (const role of ['challenger', 'champion'] as const) {
      const all = t.oneSidedLabels?.[role] ?? [];
      const lost = all.filter((l) => l.lost !== undefined);
      if (lost.length > 0) out.push(lostQueueWarning(t, lost, list));
      const labels = all.filter((l) => l.lost === undefined);
      if (labels.length === 0) continue;
      const labelled = labels.filter((l) => l.emails > 0);
      const unlabelled = labels.filter((l) => l.emails === 0).map((l) => l.label);
      const parts: string[] = [];
      if (labelled.length > 0) {
        const emails = labelled.reduce((s, l) => s + l.emails, 0);
        const named = labelled.length === 1 ? labelled[0].label : list(labelled.map((l) => `${l.label} (${l.emails})`));
        parts.push(
          `${emails} email${emails === 1 ? '' : 's'} labelled ${named}, which only the ${role} knows, ${emails === 1 ? 'is' : 'are'} left out of the ${t.task} comparison, and ${labelled.length === 1 ? 'the label' : 'those labels'} out of both models' macro-F1; evaluate the ${role} alone to see how it does on them`,
        );
      }
      if (unlabelled.length > 0) {
        const one = unlabelled.length === 1;
        const it = one ? 'it' : 'them';
        // The reader's own label no email has is just absent; another's may have been renamed or masked as it was read.
        const why =
          readWith.role === role
            ? `no email compared is labelled with ${it}`
            : `no email compared is labelled with ${it}, the labels being read with ${readWith.text}, whose aliases rename and whose retired labels mask ${readWith.role === undefined ? 'labels it does not know' : `labels of the ${role}'s it does not know`}`;
        parts.push(`${list(unlabelled)}, which only the ${role} knows, ${one ? 'is' : 'are'} left out of both models' macro-F1: ${why}`);
      }
      const predicted = labels.reduce((s, l) => s + l.predicted, 0);
      if (predicted > 0) parts.push(`the ${role} predicted ${labels.length === 1 ? 'it' : 'one of them'} for ${predicted} of the ${t.n} emails compared, which ${predicted === 1 ? 'counts' : 'count'} as wrong`);
      out.push(`${t.task}: ${parts.join('; ')}`);
    }
  }
  return out;
}

/**
 * The summary's warning of the queues the challenger lost (`oneSidedLabels.champion` with `lost`), with why each was
 * lost, what the figures did with their emails (scored, each wrong for the challenger) and what to do: `queue: the
 * challenger cannot predict advisory (no training row had it), which the champion routes mail to: the 23 emails …`.
 */
function lostQueueWarning(
  t: Pick<TaskComparison, 'task' | 'n'>,
  lost: NonNullable<TaskComparison['oneSidedLabels']>['champion'],
  list: (labels: readonly string[]) => string,
): string {
  const one = lost.length === 1;
  const [it, them] = one ? ['it', 'the label'] : ['them', 'those labels'];
  const named = list(lost.map((l) => `${l.label} (${l.lost === undefined ? '' : LOST_LABEL_BECAUSE[l.lost]})`));
  const labelled = lost.filter((l) => l.emails > 0);
  const emails = labelled.reduce((n, l) => n + l.emails, 0);
  const counted =
    emails === 0
      ? `no email here is labelled with ${it}, so the figures do not show the loss`
      : `the ${emails === 1 ? 'email' : `${emails} emails`} labelled ${labelled.length === 1 ? labelled[0].label : list(labelled.map((l) => `${l.label} (${l.emails})`))} stay in the ${t.task} comparison, each counted wrong for the challenger (it cannot route them right), and ${them} in both models' macro-F1`;
  const predicted = lost.reduce((n, l) => n + l.predicted, 0);
  const champion = predicted > 0 ? `; the champion predicted ${it} for ${predicted} of the ${t.n} emails compared` : '';
  return `${t.task}: the challenger cannot predict ${named}, which the champion routes mail to: ${counted}${champion}; the gate fails on ${it}: train with rows of ${it} (or a lower minCount), or, if ${one ? 'the queue is' : 'they are'} gone on purpose, retire ${it} or alias ${it} to "other" in the challenger's training config`;
}
