import { LOST_LABEL_BECAUSE, type LostLabelReason } from '@mailroute/evaluation';
import { CATCH_ALL_LABEL, classifierTasks, followAliases, readManifest, renamesOf, type Manifest } from '@mailroute/model';

/** The queues a model routes mail to: its queue task's name and labels (`other` aside: that is manual triage). */
function queuesOf(manifest: Manifest): { task: string; queues: string[] } {
  const task = manifest.routing.queueTask;
  const labels = manifest.tasks.find((t) => t.name === task)?.labels ?? [];
  return { task, queues: labels.filter((label) => label !== CATCH_ALL_LABEL) };
}

/** At most this many queue names are listed in each half of the note; the rest are counted. */
const MAX_NAMED = 12;

const named = (labels: readonly string[]): string =>
  labels.length <= MAX_NAMED ? labels.join(', ') : `${labels.slice(0, MAX_NAMED).join(', ')} and ${labels.length - MAX_NAMED} more`;

/**
 * What a change of champion does to the queue names the CRM receives, or '' when none: a model trained on a new
 * taxonomy routes to queues the CRM may not know yet (`tax` for `tax_documents`), and from the next poll on every
 * server of the registry answers with them. `before` and `after` are the two champions' manifests.
 */
export function routeChangeNotice(beforeId: string, before: Manifest, afterId: string, after: Manifest): string {
  const was = queuesOf(before);
  const now = queuesOf(after);
  const added = now.queues.filter((q) => !was.queues.includes(q));
  const gone = was.queues.filter((q) => !now.queues.includes(q));
  const renamedTask = was.task !== now.task;
  if (added.length === 0 && gone.length === 0 && !renamedTask) return '';
  const parts = [
    renamedTask ? `the queue comes from task ${now.task}, not ${was.task}` : '',
    added.length > 0 ? `new: ${named(added)}` : '',
    gone.length > 0 ? `no longer routed to: ${named(gone)}` : '',
  ].filter((p) => p !== '');
  return `note: ${afterId} routes mail to other queues than ${beforeId} did (${parts.join('; ')}): the CRM must know the new queue names before servers using this registry switch to it\n`;
}

/** A queue the model before routed mail to that the model after cannot predict, and why (see LostLabelReasonSchema). */
export interface LostQueue {
  label: string;
  reason: LostLabelReason;
}

/**
 * The queues `before` (the champion) predicts and routes mail to that `after` (a challenger) cannot predict, and whose
 * loss its training config did not choose: a queue it retired, or renamed, merged or aliased into `other` by its
 * aliases, is gone on purpose (the route change notice says it); one with no training rows, one merged into `other` or
 * dropped for being under minCount, or one it never had, is lost: a thin month's export, not a decision. Labels are
 * compared under `after`'s names and under `before`'s (a newer champion may have renamed the queue an older model
 * routes to). None when the two route by different tasks (the notice names that change) or lose nothing.
 * Example: `lostQueues(champion, challenger)` → `[{ label: 'advisory', reason: 'no-examples' }]`.
 */
export function lostQueues(before: Manifest, after: Manifest): LostQueue[] {
  const task = before.routing.queueTask;
  if (after.routing.queueTask !== task) return [];
  const was = classifierTasks(before).find((t) => t.name === task);
  const now = classifierTasks(after).find((t) => t.name === task);
  if (was === undefined || now === undefined) return [];
  // Renames only: the rare labels merged into `other` are aliases of the task too, and are what is looked for here.
  const [renamedNow, renamedBefore] = [renamesOf(now), renamesOf(was)];
  const ours = (label: string) => followAliases(renamedNow, label).label;
  const common = (label: string) => followAliases(renamedBefore, ours(label)).label;
  const routed = new Set(now.labels.map(common));
  const retired = new Set(now.retired ?? []);
  const dropped = after.tasks.find((t) => t.name === task)?.droppedAsRare ?? [];
  const reason = (label: string): LostLabelReason =>
    now.mergedIntoOther?.includes(label) ? 'merged-into-other' : dropped.includes(label) ? 'dropped-as-rare' : now.withoutOutput?.includes(label) ? 'no-examples' : 'not-trained';
  return was.labels
    .filter((label) => label !== CATCH_ALL_LABEL && ours(label) !== CATCH_ALL_LABEL && !retired.has(label) && !retired.has(ours(label)) && !routed.has(common(label)))
    .map((label) => ({ label, reason: reason(ours(label)) }));
}

/**
 * `routeChangeNotice` for two registry versions by their artifact folders; '' when either manifest cannot be read
 * (a pruned artifact): the note is a help, never a reason for the command to fail.
 */
export async function routeChangeNoticeOf(before: { id: string; dir: string | undefined }, after: { id: string; dir: string | undefined }): Promise<string> {
  if (before.id === after.id || before.dir === undefined || after.dir === undefined) return '';
  try {
    const [was, now] = await Promise.all([readManifest(before.dir), readManifest(after.dir)]);
    return routeChangeNotice(before.id, was, after.id, now);
  } catch {
    return '';
  }
}

/** `lostQueues` for two registry versions by their artifact folders; none when either manifest cannot be read (a pruned artifact). */
export async function lostQueuesOf(before: { dir: string | undefined }, after: { dir: string | undefined }): Promise<LostQueue[]> {
  if (before.dir === undefined || after.dir === undefined || before.dir === after.dir) return [];
  try {
    const [was, now] = await Promise.all([readManifest(before.dir), readManifest(after.dir)]);
    return lostQueues(was, now);
  } catch {
    return [];
  }
}

/**
 * `registry approve` refused to make a version the champion that cannot predict a queue the champion routes mail to
 * (`lostQueues`) without --force: exit code 1, `[REGISTRY_QUEUES_LOST]`, as the registry's own refusals (a failed gate).
 */
export class QueuesLostError extends Error {
  readonly code = 'REGISTRY_QUEUES_LOST';
  constructor(message: string) {
    super(message);
    this.name = 'QueuesLostError';
  }
}

/**
 * What making `afterId` the champion in place of `beforeId` does to the queues it lost (`lostQueues`), said before it is
 * done: `making m-new the champion stops routing mail to advisory (no training row had it), which m-old routes to: …`.
 */
export function lostQueuesText(beforeId: string, afterId: string, lost: readonly LostQueue[]): string {
  const named = lost.map((q) => `${q.label} (${LOST_LABEL_BECAUSE[q.reason]})`);
  const shown = named.length <= MAX_NAMED ? named.join(', ') : `${named.slice(0, MAX_NAMED).join(', ')} and ${named.length - MAX_NAMED} more`;
  return `making ${afterId} the champion stops routing mail to ${shown}, which ${beforeId} routes to: ${afterId} cannot predict ${lost.length === 1 ? 'that queue' : 'those queues'}, so such mail would go to manual triage or to another queue`;
}
