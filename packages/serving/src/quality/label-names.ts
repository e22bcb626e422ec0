import { currentLabel, normalizeLabel, taxonomyLabels, type ClassifierTask } from '@mailroute/model';

/** A task measured, as the served model has it: its labels and its renames and merges (`aliases`). */
export type ServedTask = Pick<ClassifierTask, 'name' | 'labels' | 'aliases' | 'columnSharedWith'>;

/** The models' tasks by model id: the names each prediction was made in. */
export type Taxonomies = ReadonlyMap<string, readonly ClassifierTask[]>;

/** A label's current name under a task's renames and merges. */
function renamed(task: Pick<ClassifierTask, 'name' | 'aliases'>, label: string): string {
  return task.aliases && Object.keys(task.aliases).length > 0 ? currentLabel({ ...task, labels: [] }, label) : label;
}

/** A label's name in a model's taxonomy (its renames followed), or null when the model has none for it or retired it. */
function nameIn(task: ClassifierTask, label: string): string | null {
  const current = currentLabel(task, label);
  return taxonomyLabels(task).includes(current) && !task.retired?.includes(current) && !task.retired?.includes(label) ? current : null;
}

/** Both sides of a pair under the served model's current names; each label is looked up once per model and task. */
export interface LabelNamer {
  /** A predicted label of the served task `task` under the served names. */
  predicted(task: string, label: string): string;
  /** A feedback label of the served task `task`, for a prediction of `modelId`, under the served names; null: unmappable. */
  truth(modelId: string, task: string, label: string): string | null;
}

/**
 * Names for comparing predictions of several models with feedback stored as the CRM sent it (in any model's
 * names). A feedback label is read first in the names of the model that made the prediction (a rollback:
 * `complaints` is still a label of the old model, though the newer one merged it), then in the served model's
 * (a rename or merge the newer model made: `kyc` for an old `payments`, when one of the predicting model's
 * labels became it); both end under the served model's names, so a merge counts the merged labels as one. A
 * label the predicting model has no name for, and that none of its labels became (a queue added or split off
 * since), is unmappable, not scored wrong; one of its taxonomy it has no output for (`withoutOutput`: named by its
 * training config but carried by no training row, or dropped as rare) is scored, a miss whatever it predicted
 * (`mailroute evaluate` leaves such truths out, or reads them as `other`, as training's test figures did; live
 * quality counts the mail it misroutes). A predicting model whose taxonomy is unknown is compared under the
 * served model's names only, as sent. `task` must be one of `served`.
 */
export function createLabelNamer(taxonomies: Taxonomies, served: readonly ServedTask[]): LabelNamer {
  const servedTask = new Map(served.map((t) => [t.name, t]));
  const taskOf = (name: string): ServedTask => servedTask.get(name) ?? { name, labels: [] };
  /** Per task: each predicted label's served name (a renamed label follows its aliases at each lookup otherwise). */
  const predictedNames = new Map<string, Map<string, string>>();
  /** Per model, then task: each feedback label's served name, or null. */
  const truthNames = new Map<string, Map<string, Map<string, string | null>>>();
  const memo = <K, V>(map: Map<K, V>, key: K, make: () => V): V => {
    let value = map.get(key);
    if (value === undefined) map.set(key, (value = make()));
    return value;
  };
  const predicted = (name: string, label: string): string => {
    const names = memo(predictedNames, name, () => new Map<string, string>());
    let current = names.get(label);
    // Normalised as the model's labels are: a prediction or feedback stored before labels lost their emoji
    // variation selectors (or in NFD) names the same label.
    if (current === undefined) names.set(label, (current = renamed(taskOf(name), normalizeLabel(label))));
    return current;
  };
  /** The feedback label `label` under the served names, for a prediction of a model with tasks `tasks`; null: unmappable. */
  const truthOf = (tasks: readonly ClassifierTask[] | undefined, task: ServedTask, label: string): string | null => {
    const own = tasks?.find((t) => t.name === task.name);
    const inOwn = own ? nameIn(own, label) : null;
    if (inOwn !== null) return renamed(task, inOwn);
    // Without the predicting model's taxonomy there is nothing to check against: compared as sent. Else a label
    // of the served model counts when it is what one of the predicting model's labels became (a rename or a
    // merge); a label it split off or added is unmappable for that model.
    const inServed = renamed(task, label);
    if (!own) return inServed;
    const reachable = taxonomyLabels(own).filter((l) => !own.retired?.includes(l)).map((l) => renamed(task, l));
    return reachable.includes(inServed) ? inServed : null;
  };
  const truth = (modelId: string, name: string, label: string): string | null => {
    const byTask = memo(truthNames, modelId, () => new Map<string, Map<string, string | null>>());
    const names = memo(byTask, name, () => new Map<string, string | null>());
    let value = names.get(label);
    if (value === undefined) names.set(label, (value = truthOf(taxonomies.get(modelId), taskOf(name), normalizeLabel(label))));
    return value;
  };
  return { predicted, truth };
}
