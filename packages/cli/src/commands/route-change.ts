import { CATCH_ALL_LABEL, readManifest, type Manifest } from '@mailroute/model';

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
