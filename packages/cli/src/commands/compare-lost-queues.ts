import type { LostLabels, PredictionLine } from '@mailroute/evaluation';
import { CATCH_ALL_LABEL, currentLabel, type ClassifierTask, type Manifest } from '@mailroute/model';
import type { TrainingConfig } from '@mailroute/training';
import { lostQueues } from './route-change.js';

/**
 * The queues the challenger lost (`lostQueues`: the champion routes mail to them, the challenger cannot predict them
 * and its config did not give them up on purpose), under the names the champion's lines are scored in (`config`: the
 * one its rows were read with), as `comparePredictions`' `lostLabels` takes them: `{ queue: { advisory: 'no-examples' } }`.
 * Undefined when a manifest is unknown or nothing is lost.
 */
export function lostLabelsOf(manifests: { challenger?: Manifest; champion?: Manifest }, config: TrainingConfig): LostLabels | undefined {
  const { challenger, champion } = manifests;
  if (challenger === undefined || champion === undefined) return undefined;
  const lost = lostQueues(champion, challenger);
  if (lost.length === 0) return undefined;
  const task = champion.routing.queueTask;
  const labels = champion.tasks.find((t) => t.name === task)?.labels ?? [];
  const aliases = config.tasks.find((t) => t.name === task)?.aliases ?? {};
  return { [task]: Object.fromEntries(lost.map((l) => [currentLabel({ name: task, labels, aliases }, l.label), l.reason])) };
}

/**
 * The taxonomy the older champion's predictions are put into (`alignToTaxonomy`) with the queues the challenger lost
 * kept as they are: mapped into `other`, a champion's right prediction of a lost queue would score as right on the
 * `other` its email was read as, and the lost queue would vanish from the comparison.
 */
export function keepingLost(tasks: readonly ClassifierTask[], lost: LostLabels | undefined): ClassifierTask[] {
  if (lost === undefined) return [...tasks];
  return tasks.map((task) => {
    const kept = Object.hasOwn(lost, task.name) ? Object.keys(lost[task.name]) : [];
    if (kept.length === 0) return task;
    const aliases = Object.fromEntries(Object.entries(task.aliases ?? {}).filter(([from, to]) => !(kept.includes(from) && to === CATCH_ALL_LABEL)));
    return { ...task, labels: [...new Set([...task.labels, ...kept])], aliases };
  });
}

/**
 * Both sides' lines with the truth of every email whose true queue is one the challenger lost given back as that queue.
 * Read for the challenger, which does not know it, such an email's truth is blank (left out of the comparison) or
 * `other` (its rare labels' catch-all, which the champion's right prediction then scored as); the champion's own lines
 * (`championLines`, before they were put into the challenger's taxonomy) still carry it. Lines join by id, else by place.
 */
export function withLostTruths(both: Record<'challenger' | 'champion', PredictionLine[]>, championLines: readonly PredictionLine[], lost: LostLabels | undefined): Record<'challenger' | 'champion', PredictionLine[]> {
  if (lost === undefined) return both;
  const byId = new Map(championLines.flatMap((l) => (l.id === undefined ? [] : [[l.id, l] as const])));
  const restored = (lines: readonly PredictionLine[]) =>
    lines.map((line, i) => {
      const own = line.id !== undefined ? byId.get(line.id) : championLines[i];
      let truth: PredictionLine['truth'] | undefined;
      for (const [task, labels] of Object.entries(lost)) {
        const label = own?.truth[task];
        if (typeof label !== 'string' || !Object.hasOwn(labels, label) || line.truth[task] === label) continue;
        truth ??= { ...line.truth };
        truth[task] = label;
      }
      return truth === undefined ? line : { ...line, truth };
    });
  return { challenger: restored(both.challenger), champion: restored(both.champion) };
}
