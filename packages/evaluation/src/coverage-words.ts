import { CATCH_ALL_LABEL } from '@mailroute/model';
import { codeSpan } from './markdown.js';

/**
 * The words for a task's abstention threshold and coverage, in every form a person reads (report.md,
 * report.html, the precision-vs-coverage chart, the model card). Only the routing task (the manifest's
 * `routing.queueTask`) routes mail: the others answer a label or abstain, so their coverage is the share they
 * answer, not a share routed. Without the routing (a predictions file, no model), no task is said to route.
 */

/** Which task routes mail and whose abstention sends it to manual triage: the manifest's `routing`. */
export interface ReportRouting {
  queueTask: string;
  /** Tasks whose abstention sends the email to manual triage (default: the queue task alone). */
  abstainTasks?: readonly string[];
}

export interface CoverageWords {
  /** What the task does with an email at or above its threshold: `routed` (the routing task) or `answered`. */
  verb: 'routed' | 'answered';
  /** The threshold's rule, for a table's heading: `route automatically when confidence >= threshold`. */
  rule: string;
  /** What becomes of the emails below the threshold, after a `;`: `the rest goes to manual triage.` */
  rest: string;
}

const answerRule = 'answer automatically when confidence >= threshold';

/**
 * The words for `task`'s coverage, given the report's routing (undefined: not known, nothing said to route) and the
 * task's labels: the routing task routes only what has a queue, so when it has the catch-all `other` (rare queues
 * merged at training time) its words say that mail predicted `other` goes to manual triage at any threshold, and
 * likewise mail on which another task of `abstainTasks` abstains.
 */
export function coverageWords(routing: ReportRouting | undefined, task: string, labels: readonly string[] = []): CoverageWords {
  if (routing === undefined) return { verb: 'answered', rule: `${answerRule}, else abstain`, rest: 'below it the task abstains.' };
  if (task === routing.queueTask) {
    const other = labels.includes(CATCH_ALL_LABEL);
    // The other tasks by name, as code (in quotes in a picture), as the model card names them: a name is the manifest's, any text.
    const watched = (routing.abstainTasks ?? []).filter((t) => t !== task).map((t) => codeSpan(t)).join(' or ');
    const unless = [other ? 'the queue is not `other`' : '', watched !== '' ? `no ${watched} abstains` : ''].filter((x) => x !== '');
    const also = [other ? 'mail predicted `other` (no queue)' : '', watched !== '' ? `mail on which ${watched} abstains` : ''].filter((x) => x !== '');
    return {
      verb: 'routed',
      rule: `route automatically when confidence >= threshold${unless.length > 0 ? ` and ${unless.join(' and ')}` : ''}`,
      rest: also.length > 0 ? `the rest, and ${also.join(' and ')} at any threshold, goes to manual triage.` : 'the rest goes to manual triage.',
    };
  }
  if (routing.abstainTasks?.includes(task)) {
    const rest = 'below it the task abstains and the email goes to manual triage';
    return { verb: 'answered', rule: `${answerRule}; ${rest}`, rest: `${rest}.` };
  }
  return { verb: 'answered', rule: `${answerRule}; below it the task abstains, which is only flagged: this task does not route mail`, rest: 'below it the task abstains, which is only flagged.' };
}
