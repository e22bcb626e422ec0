import { didYouMean, type GateRecord } from '@mailroute/model';
import { z } from 'zod';
import { clearDifference, type Comparison, type DisjointLabels, type LostLabelReason, type OneSidedLabel, type TaskComparison, type UnmeasuredTask } from './compare.js';
import { GatePolicyError } from './errors.js';
import { pyFixed } from './python-format.js';
import { headUnits } from './text-cut.js';

/** When a challenger may replace the champion. Points are percentage points (0.5 points = 0.005 F1). */
export const GatePolicySchema = z.object({
  /** No task's macro-F1 may drop by more than this many points. */
  maxMacroF1DropPoints: z.number().nonnegative().default(0.5),
  /**
   * The mean macro-F1 over the gated tasks must not drop (by more than `maxMeanMacroF1DropPoints`). Checked when two or
   * more tasks are gated: with one, the mean is that task's macro-F1, which `maxMacroF1DropPoints` judges.
   */
  meanMacroF1MustNotDrop: z.boolean().default(true),
  /**
   * How far the mean macro-F1 may drop all the same: a drop this small is well inside the noise of a test set (one
   * email more or less right moves a task's macro-F1 by about 0.1-0.3 pts), where a strict rule failed a challenger 0.0001
   * below the champion. Half the default per-task allowance, so the mean rule still asks more than the per-task one. 0: strict.
   */
  maxMeanMacroF1DropPoints: z.number().nonnegative().default(0.25),
  /** Optional: no task's accuracy may drop by more than this many points. */
  maxAccuracyDropPoints: z.number().nonnegative().optional(),
  /** Tasks the gate looks at; default: every compared task. */
  tasks: z.array(z.string()).min(1, 'name at least one task, or leave tasks out to gate them all').optional(),
});
export type GatePolicy = z.infer<typeof GatePolicySchema>;

export const GateCheckSchema = z.object({ name: z.string(), pass: z.boolean(), detail: z.string() });
export const GateResultSchema = z.object({
  pass: z.boolean(),
  policy: GatePolicySchema,
  checks: z.array(GateCheckSchema),
  /**
   * What the checks do not show, for the person deciding: a task the policy's `tasks` leave out at which the
   * challenger is clearly worse (`ungatedWorseWarnings`). Kept with the gate's record; absent when there is none.
   */
  warnings: z.array(z.string()).optional(),
});
export type GateResult = z.infer<typeof GateResultSchema>;

/** Parses a gate policy (e.g. from a JSON file); unknown keys are an error so that typos do not weaken the gate. */
export function parseGatePolicy(input: unknown): GatePolicy {
  // A file holding `null` is not "no policy": it is refused like any other malformed policy.
  const parsed = GatePolicySchema.strict().safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // A misspelt key is named with the key probably meant, as in a training config.
    const message = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => `unknown key "${k}"${didYouMean(k, Object.keys(GatePolicySchema.shape), '"')}`).join('; ') : issue.message;
    throw new GatePolicyError(`gate policy: ${message}${issue.path.length ? ` at ${issue.path.join('.')}` : ''}`);
  }
  return parsed.data;
}

// Float noise must not fail a gate that is met exactly.
const EPS = 1e-9;

const pts = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)} pts`;
// As the comparison table rounds its macro-F1 columns (Python's %f): one figure reads the same in both tables of gate.md.
const f4 = (x: number): string => pyFixed(x, 4);

/** Why a task's labels do not meet, in a few words: `the two models' labels share none (…); the data's labels are none of the champion's, …`. */
export function disjointDetail(d: DisjointLabels): string {
  const parts = d.models ? ["the two models' labels share none (the catch-all `other` aside)"] : [];
  if (d.outsideData.length > 0) parts.push(`the data's labels are none of the ${d.outsideData.join("'s or the ")}'s, which gets no email right`);
  return parts.join('; ');
}

/** Why a task no line has a truth label for cannot pass: `predicted by both models, but no email in the data has a label for topic…`. */
export function unmeasuredDetail(u: UnmeasuredTask): string {
  const by = u.predictedBy.length === 2 ? 'both models' : `the ${u.predictedBy[0]} only`;
  return `predicted by ${by}, but no email in the data has a label for ${u.task}, so nothing says whether the challenger got worse at it; label it in the data, or leave it out of the policy's "tasks"`;
}

/** Why the challenger lost a queue, in a few words (see LostLabelReasonSchema): `no training row had it`. */
export const LOST_LABEL_BECAUSE: Readonly<Record<LostLabelReason, string>> = {
  'no-examples': 'no training row had it',
  'merged-into-other': 'merged into "other" under its minCount',
  'dropped-as-rare': 'dropped under its minCount',
  'not-trained': 'not among its labels',
};

/** The name of the check a lost queue fails (`queue: every queue of the champion's still predicted`). */
const lostCheckName = (task: string): string => `${task}: every queue of the champion's still predicted`;

/**
 * What the gate says of the queues the challenger lost (`oneSidedLabels` with `lost`), the facts first as the registry
 * keeps a failed check cut to 160 characters: `the challenger cannot predict advisory (23 test emails; no training row
 * had it), which the champion routes mail to: …`.
 */
export function lostLabelsDetail(lost: readonly Pick<OneSidedLabel, 'label' | 'emails' | 'lost'>[]): string {
  const named = lost.map((l) => `${l.label} (${l.emails} test email${l.emails === 1 ? '' : 's'}; ${l.lost === undefined ? '' : LOST_LABEL_BECAUSE[l.lost]})`).join(', ');
  const one = lost.length === 1;
  return `the challenger cannot predict ${named}, which the champion routes mail to: those emails count as wrong for it; a queue dropped on purpose is retired, or aliased to "other", in its training config${one ? '' : ' (each of them)'}`;
}

/** A task's queues the challenger lost (`oneSidedLabels.champion` with `lost`); none when it lost none. */
export const lostIn = (t: Pick<TaskComparison, 'oneSidedLabels'>): OneSidedLabel[] => (t.oneSidedLabels?.champion ?? []).filter((l) => l.lost !== undefined);

/**
 * When one model predicts none of a task's labelled emails and the other all of them, the task sets differ (a task the
 * challenger adds, or drops): said, with the way to gate the tasks both have.
 */
function taskSetHint(m: { task: string; labelled: number; challenger: number; champion: number }): string {
  const gate = `; to gate the tasks both models have, list them in the policy's "tasks" (${m.task} left out)`;
  if (m.champion === m.labelled && m.challenger === 0) return ` (the champion has no task ${m.task}: one the challenger adds, judged by its own report)${gate}`;
  if (m.challenger === m.labelled && m.champion === 0) return ` (the challenger no longer predicts ${m.task}: a task it drops)${gate}`;
  return '';
}

/** Applies the policy to a comparison: pass only when every check passes. */
export function applyGate(comparison: Comparison, policyInput: Partial<GatePolicy> = {}): GateResult {
  const policy = GatePolicySchema.parse(policyInput);
  const tasks = policy.tasks ? comparison.tasks.filter((t) => policy.tasks?.includes(t.task)) : comparison.tasks;
  const checks: GateResult['checks'] = [];
  // A model that leaves labelled emails unpredicted is measured on fewer (and maybe easier) emails: it fails.
  for (const m of comparison.missing ?? []) {
    if (policy.tasks && !policy.tasks.includes(m.task)) continue;
    const who = [m.challenger > 0 ? `challenger ${m.challenger}` : '', m.champion > 0 ? `champion ${m.champion}` : ''].filter(Boolean).join(', ');
    checks.push({ name: `${m.task}: every labelled email predicted by both models`, pass: false, detail: `of ${m.labelled} labelled emails, unpredicted by ${who}${taskSetHint(m)}` });
  }
  // Labels that do not meet make a difference that says nothing (a model that can get no email right): not a pass.
  for (const d of comparison.disjointLabels ?? []) {
    if (policy.tasks && !policy.tasks.includes(d.task)) continue;
    checks.push({ name: `${d.task}: labels in common`, pass: false, detail: disjointDetail(d) });
  }
  // A task with no truth label at all is not a pass by default: only a policy that lists the tasks to gate without it leaves it out.
  for (const u of comparison.unmeasured ?? []) {
    if (policy.tasks && !policy.tasks.includes(u.task)) continue;
    checks.push({ name: `${u.task}: measured on the data`, pass: false, detail: unmeasuredDetail(u) });
  }
  // A queue the champion routes to that the challenger can no longer predict (no training rows, merged into `other`):
  // its emails count against the challenger in the figures, and it fails here too, whatever the figures, as approving
  // the challenger sends that mail to manual triage or another queue. Retired or aliased away on purpose, it is no loss.
  for (const t of tasks) {
    const lost = lostIn(t);
    if (lost.length > 0) checks.push({ name: lostCheckName(t.task), pass: false, detail: lostLabelsDetail(lost) });
  }
  for (const wanted of policy.tasks ?? []) {
    const accounted = [...(comparison.missing ?? []), ...(comparison.unmeasured ?? [])].some((m) => m.task === wanted);
    if (!tasks.some((t) => t.task === wanted) && !accounted) {
      checks.push({ name: `task ${wanted} compared`, pass: false, detail: `not among the compared tasks (${comparison.tasks.map((t) => t.task).join(', ')}): a typo, or no truth labels for it` });
    }
  }
  for (const t of tasks) {
    const drop = -t.macroF1.delta * 100;
    checks.push({
      name: `${t.task}: macro-F1 drop ≤ ${policy.maxMacroF1DropPoints} pts`,
      pass: drop <= policy.maxMacroF1DropPoints + EPS,
      detail: `${f4(t.champion.macroF1)} → ${f4(t.challenger.macroF1)} (${pts(t.macroF1.delta)})`,
    });
    if (policy.maxAccuracyDropPoints !== undefined) {
      checks.push({
        name: `${t.task}: accuracy drop ≤ ${policy.maxAccuracyDropPoints} pts`,
        pass: -t.accuracy.delta * 100 <= policy.maxAccuracyDropPoints + EPS,
        detail: `${f4(t.champion.accuracy)} → ${f4(t.challenger.accuracy)} (${pts(t.accuracy.delta)})`,
      });
    }
  }
  // With one task gated the mean is that task's own macro-F1, held to its per-task limit above: a mean check too would
  // judge the same figure twice, by a stricter limit meant for several tasks (the same drop passing and failing).
  if (policy.meanMacroF1MustNotDrop && tasks.length > 1) {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const champ = mean(tasks.map((t) => t.champion.macroF1));
    const chall = mean(tasks.map((t) => t.challenger.macroF1));
    const tolerance = policy.maxMeanMacroF1DropPoints;
    checks.push({
      name: tolerance === 0 ? 'mean macro-F1 does not drop' : `mean macro-F1 drop ≤ ${tolerance} pts`,
      pass: (champ - chall) * 100 <= tolerance + EPS,
      detail: `${f4(champ)} → ${f4(chall)} (${pts(chall - champ)})`,
    });
  }
  const warnings = [...ungatedWorseWarnings(comparison, policy), ...ungatedLostWarnings(comparison, policy)];
  return { pass: checks.every((c) => c.pass), policy, checks, ...(warnings.length > 0 ? { warnings } : {}) };
}

/** What an `ungatedWorseWarnings` warning says after its task's name and `: ` (the registry finds them by it). */
export const UNGATED_WORSE = 'not checked by the gate';

/**
 * Tasks the policy's `tasks` leave out of the gate at which the challenger is clearly worse (the whole interval of
 * its macro-F1 difference below 0 and McNemar's p under 0.05, as the summary's "unlikely to be chance"): the gate
 * passes without a word of them, so each is a warning kept with it. None when the policy gates every task.
 */
export function ungatedWorseWarnings(comparison: Pick<Comparison, 'tasks' | 'disjointLabels' | 'bootstrap'>, policy: Pick<GatePolicy, 'tasks'>): string[] {
  const gated = policy.tasks;
  if (gated === undefined) return [];
  const level = `${Math.round(comparison.bootstrap.confidence * 100)}%`;
  return comparison.tasks
    .filter((t) => !gated.includes(t.task) && !(comparison.disjointLabels ?? []).some((d) => d.task === t.task) && clearDifference(t) === 'worse')
    .map((t) => {
      const d = t.macroF1;
      return `${t.task}: ${UNGATED_WORSE} (the policy's tasks are ${gated.join(', ')}), yet the challenger is worse at it, ${pts(d.delta)} of macro-F1 (${f4(t.champion.macroF1)} → ${f4(t.challenger.macroF1)}; ${level} interval ${pts(d.lo)} to ${pts(d.hi)}, McNemar p ${t.mcnemar.pValue.toPrecision(3)}): unlikely to be chance`;
    });
}

/**
 * Tasks the policy's `tasks` leave out of the gate in which the challenger lost a queue the champion routes to: not a
 * failed check (the policy chose the tasks), but never passed in silence. None when the policy gates every task.
 */
function ungatedLostWarnings(comparison: Pick<Comparison, 'tasks'>, policy: Pick<GatePolicy, 'tasks'>): string[] {
  const gated = policy.tasks;
  if (gated === undefined) return [];
  return comparison.tasks.filter((t) => !gated.includes(t.task) && lostIn(t).length > 0).map((t) => `${t.task}: ${UNGATED_WORSE} (the policy's tasks are ${gated.join(', ')}), yet ${lostLabelsDetail(lostIn(t))}`);
}

/** A failed check in the registry's short form: `name: detail`, cut to `max` characters. */
const MAX_CHECK = 160;
/**
 * A warning in the registry's short form: whole as compare writes them (they name model ids, count rows and give
 * intervals, some 400 characters), where `registry approve` repeats them; cut only when far longer.
 */
const MAX_WARNING = 1000;
/** Failed checks (and warnings) kept on the version; the rest are counted (the whole list is in comparison.json). */
const MAX_FAILED = 10;

/** `lines`, each cut to `max` characters, the first MAX_FAILED - 1 of them and a count of the rest when there are more than MAX_FAILED. */
function shortList(lines: readonly string[], max: number, what: string): string[] {
  const cut = lines.map((line) => (line.length > max ? `${headUnits(line, max - 1)}…` : line));
  return cut.length > MAX_FAILED ? [...cut.slice(0, MAX_FAILED - 1), `and ${cut.length - MAX_FAILED + 1} more ${what}`] : cut;
}

/**
 * The gate's outcome as the registry keeps it on the challenger's version: pass or fail, the champion's id,
 * the failed checks (short), the policy's thresholds, the time, and what the comparison warned of (short;
 * rows a model was trained on), so that a gate measured on data that flatters a model says so where it is judged.
 */
export function gateRecord(gate: GateResult, champion: string, at: Date, warnings: readonly string[] = [], data?: GateRecord['data']): GateRecord {
  const kept = shortList(gate.checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.detail}`), MAX_CHECK, 'checks');
  const thresholds = Object.fromEntries(Object.entries(gate.policy).filter(([, v]) => v !== undefined)) as GateRecord['thresholds'];
  // The gate's own warnings (a task it leaves out, clearly worse) with the caller's, each once.
  const said = shortList([...new Set([...warnings, ...(gate.warnings ?? [])])], MAX_WARNING, 'warnings');
  return { pass: gate.pass, champion, failed: kept, thresholds, at: at.toISOString(), ...(said.length > 0 ? { warnings: said } : {}), ...(data === undefined ? {} : { data }) };
}
