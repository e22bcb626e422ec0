import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { pyFixed } from '@mailroute/evaluation';
import { createLocalRegistry, decidedBy, failedChecksLine, gateStanding, heldOutTestRows, noChampionError, RegistryError, type ChampionChange, type GateStanding, type ModelVersion, type RollbackSkip } from '@mailroute/model';
import { DEMO_CHAMPION_APPROVED_BY, formatTable } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { registerPrune } from './registry-prune.js';
import { registerAdd } from './registry-add.js';
import { refuseUnknownSubcommand, UsageError } from '../errors.js';
import { safeJson, safeLines, safeValue } from '../terminal-text.js';
import { abstentionOf, gateUncheckedNotice, gateUncheckedTasks, partialMean, partialMeanLegend, partialMeanMark, otherRowsLegend, registeredFiguresWarning, taskSetMarks, testRowsOf } from './registry-notes.js';
import { lostQueuesOf, lostQueuesText, QueuesLostError, routeChangeNoticeOf } from './route-change.js';

/**
 * How to get a champion back when none is left: approve a pending version, or, when every other is
 * Rejected, approve one again with --force (plain approve refuses it), or train a new one.
 */
export function approveAnotherHint(versions: readonly ModelVersion[]): string {
  // A pruned version has no artifact left to approve.
  const others = versions.filter((v) => v.prunedAt === undefined);
  if (others.length === 0) return 'train and approve a new one';
  if (others.some((v) => v.status !== 'Rejected')) return 'approve another (`mailroute registry approve <id>`)';
  return 'approve another: every other version is Rejected, so approve one again with `mailroute registry approve <id> --force --note <why>`, or train a new one';
}

/** When servers act on a change of champion: they read the registry at each poll, not at once. */
const NEXT_POLL = 'at their next poll (every 5 s by default; `mailroute serve --poll-seconds` sets it)';

/**
 * What an approval (`by: 'approve'`) or a change of champion (`'champion'`) sets off, for the person who made it: that
 * nothing served changes when the champion is the one it was; else that servers on this registry switch at their next
 * poll, and how to go back; for a version approved without becoming champion, how to make it one. After an approval
 * the way back is to reject it: that hands back to the champion before and keeps a later rollback from landing on it
 * (made champion again instead, it would stay Approved, the next in line when the champion after it is rejected).
 */
export function whatFollows(id: string, championBefore: string | undefined, championNow: string | undefined, by: 'approve' | 'champion'): string {
  if (championNow !== id) return `; ${championNow ? `${championNow} stays the champion` : 'not the champion'} (\`mailroute registry champion ${id}\` makes it champion)`;
  if (championBefore === id) return '; it was the champion already: nothing served changes';
  const back = !championBefore
    ? ''
    : by === 'approve'
      ? `; to go back: \`mailroute registry reject ${id} --note <why>\` (${championBefore} is champion again, ${id} Rejected)`
      : `; to go back: \`mailroute registry champion ${championBefore}\``;
  return `; servers using this registry switch to it ${NEXT_POLL}${championBefore ? `, from ${championBefore}` : ''}${back}`;
}

/**
 * What `reject` says (stdout) and warns of (stderr), `before` being the version as it stood, `championBefore`
 * the champion then, `championNow` the champion after, `history` the champions the registry kept (oldest first)
 * and `versions` every version after the rejection. Servers are said to act at their next poll, never to serve
 * something now: one that has not polled since the last change still serves what it loaded before.
 * `historyKept` is false for a registry made by a version of mailroute from before it kept its champions: which
 * earlier version served (before the first change of champion since) is not known then, and a rollback cannot go back to it.
 */
export function rejectOutcome(
  before: ModelVersion,
  championBefore: string | undefined,
  championNow: ModelVersion | undefined,
  history: readonly string[],
  versions: readonly ModelVersion[],
  historyKept = true,
  skipped: readonly RollbackSkipped[] = [],
): { stdout: string; stderr: string } {
  const id = before.id;
  // A pruned version has no artifact left to approve: no undo to offer.
  const undo = before.prunedAt === undefined ? `\`mailroute registry approve ${id} --force --note <why>\` undoes this` : 'its artifact was pruned, so no approval can undo this';
  if (before.status === 'Rejected') {
    const who = decidedBy(before);
    return { stdout: `${id}: Rejected already${who ? ` ${who}` : ''}; nothing changed (that rejection stays on record, this one is not added to its history)\n`, stderr: '' };
  }
  if (championBefore !== id) {
    const served = championNow ? `${championNow.id} stays the champion` : `there is no champion: servers using this registry find none ${NEXT_POLL} and keep the model they have loaded`;
    return { stdout: `${id}: Rejected; it was not the champion (${served}); ${undo}\n`, stderr: '' };
  }
  if (championNow) {
    // The champion before the rejected one when it is in the history before its own entry, just made.
    const previous = history.slice(0, -1).includes(championNow.id);
    const why = previous
      ? 'the last champion before it still Approved'
      : historyKept
        ? 'no earlier champion is Approved: the newest Approved version whose gate did not fail'
        : `${NO_HISTORY}: the newest Approved version whose gate did not fail`;
    const unknown = previous || historyKept ? '' : `warning: ${championNow.id} was not chosen as the version that served before ${id} (${NO_HISTORY}); if another Approved version should serve, \`mailroute registry champion <id>\` makes it champion\n`;
    const passedOver = skipped.length === 0 ? '' : `, passing over ${skipped.map((k) => k.id).join(', ')}: ${skipped.length > 1 ? 'their artifacts are' : 'its artifact is'} not intact`;
    return {
      stdout: `${id}: Rejected; it was the champion: the champion is now ${championNow.id} (version ${championNow.version}, ${why}${passedOver}); servers using this registry switch to it ${NEXT_POLL}; ${undo}\n`,
      stderr: rollbackSkippedNotice(skipped) + unknown + newChampionGateNotice(championNow, history),
    };
  }
  // Approved versions whose gate failed are not put in service unasked: name them, and how to make one champion.
  const others = versions.filter((o) => o.id !== id);
  const failed = others.filter((o) => o.status === 'Approved').map((o) => o.id);
  const none = failed.length > 0
    ? `${historyKept ? 'no earlier champion is Approved' : NO_HISTORY}, and ${failed.join(', ')} ${failed.length > 1 ? 'are' : 'is'} Approved but failed ${failed.length > 1 ? 'their gates' : 'its gate'}, so there is no champion now`
    : 'no other version is Approved, so there is no champion now';
  const until = failed.length > 0 ? `you make one champion (\`mailroute registry champion ${failed[0]}\`) or ${approveAnotherHint(others)}` : `you ${approveAnotherHint(others)}`;
  return { stdout: `${id}: Rejected; it was the champion: ${none}; servers using this registry find none ${NEXT_POLL} and keep the model they have loaded until ${until} (a server started or restarted before then refuses to start: it has no champion to serve); ${undo}\n`, stderr: '' };
}

/** A version a rollback passed over (`LocalModelRegistry.reject`'s `onRollbackSkipped`): its artifact failed the check `registry champion` makes. */
export type RollbackSkipped = Pick<RollbackSkip, 'id' | 'version' | 'dir' | 'reason'>;

/**
 * A warning for each version a rollback passed over, with what is wrong with its artifact, and how to have it back: its
 * folder copied back whole, then `registry champion` (which checks it) makes it champion if it should serve.
 */
function rollbackSkippedNotice(skipped: readonly RollbackSkipped[]): string {
  if (skipped.length === 0) return '';
  const lines = skipped.map((k) => `warning: the rollback passed over ${k.id} (version ${k.version}): ${k.reason.replace(`model "${k.id}": `, '')}\n`);
  const [first] = skipped;
  const restore =
    skipped.length === 1
      ? `to have ${first.id} serve instead, copy an intact copy of its folder back to ${first.dir} (a backup's models/${first.id}`
      : `to have one of them serve instead, copy an intact copy of its folder back to ${path.dirname(first.dir)}/<id> (a backup's models/<id>`;
  return `${lines.join('')}note: ${restore}: \`mailroute backup --verify <backup>\` checks it), then \`mailroute registry champion ${skipped.length === 1 ? first.id : '<id>'}\`\n`;
}

/** Said of a registry without champion history (a rollback cannot know which version served before). */
const NO_HISTORY = 'this registry has no full record of its earlier champions (it was made by a mailroute from before it kept one)';

/**
 * A warning when the version that became champion by a rollback was approved over a failed gate, or has none on record;
 * a note instead when it has none for being the registry's first champion (`history`: the champions, oldest first),
 * which there was no champion to compare with.
 */
function newChampionGateNotice(v: ModelVersion, history: readonly string[] = []): string {
  if (!v.gate && history[0] === v.id) return `note: ${v.id}, the champion now, has no gate result on record: it was the first champion, with none before it to compare it with\n`;
  if (!v.gate) return `warning: ${v.id}, the champion now, has no gate result on record: it was approved without \`mailroute compare\` checking it against a champion\n`;
  if (v.gate.pass) return '';
  const when = v.statusChangedAt !== undefined && Date.parse(v.gate.at) > Date.parse(v.statusChangedAt) ? 'after its approval' : 'and was approved over it with --force';
  return `warning: ${v.id}, the champion now, failed its last gate (against ${v.gate.champion} at ${v.gate.at}) ${when}; \`mailroute registry champion <id>\` makes another Approved version champion\n`;
}

/**
 * The command that records a gate for a version: compare it with the champion on the rows both held out
 * (`--split test`) when it held out test rows of its training data and the champion (when known) held out the
 * same ones (the same data hash and split); else `--split test` would be refused, so on a test file: one
 * neither model was trained on when the champion was trained on other data (another data hash, whatever the
 * version held out: its own test file may be rows the champion trained on) or split it otherwise, any test
 * file when the version itself held out no rows (`testShare: 0`, tested on a separate file, or not recorded)
 * and the champion was trained on the same data or is not known. `championRef` is what `--champion` names:
 * `champion` while the champion is the one compared with; its id once the version itself became the champion
 * (an approval, `registry champion <id>`), as `--champion champion` would then name the version itself.
 */
export function compareCommand(v: Pick<ModelVersion, 'id' | 'measuredOn'> & { dataHash?: string }, champion?: Pick<ModelVersion, 'dataHash' | 'measuredOn'>, championRef = 'champion'): string {
  const head = `mailroute compare --challenger ${v.id} --champion ${championRef}`;
  const otherData = champion !== undefined && champion.dataHash !== v.dataHash;
  const neither = `${head} --data <a test file neither model was trained on>`;
  if (!heldOutTestRows(v.measuredOn)) return otherData ? neither : `${head} --data <a test file>`;
  return otherData || (champion !== undefined && champion.measuredOn !== v.measuredOn) ? neither : `${head} --data <file> --split test`;
}

/**
 * The `gate` column: PASS, FAIL, `PASS (stale)` when run against a model that is no longer the champion (for a
 * version awaiting its decision), `-` when none; `(warned)` added when compare warned while measuring it
 * (`gate.warnings`, as `WARNED_LEGEND` says), e.g. `PASS (warned)`, `PASS (stale, warned)`.
 */
function gateCell(v: ModelVersion, champion: string | undefined): string {
  const standing = gateStanding(v, champion);
  if (standing === 'none') return '-';
  const outcome = standing === 'failed' ? 'FAIL' : 'PASS';
  const notes = [...(standing === 'stale' ? ['stale'] : []), ...(gateWarned(v) ? ['warned'] : [])];
  return notes.length === 0 ? outcome : `${outcome} (${notes.join(', ')})`;
}

function gateWarned(v: ModelVersion): boolean {
  return (v.gate?.warnings?.length ?? 0) > 0;
}

/**
 * Under the list, when a gate shows `(warned)`: what it means and where the warnings are. Every kind compare keeps with
 * a gate (`compare`'s warnings: predicting's, automated mail, answered share and precision, the gate's own, the
 * challenger's training's), not one: most warned gates are of the challenger, not of seen rows.
 */
const WARNED_LEGEND =
  "gate (warned): compare warned while measuring it: of the test rows (ones a model was trained on or near copies, bad rows skipped, automated mail left out) or of the challenger (fewer emails answered, a lower precision on those answered, under its target precision, worse at a task the policy leaves out, its training's warnings); `mailroute registry show <id>` prints them\n";

/** Under the list, when a gate shows `(stale)`: what it means (approve takes it with a warning) and how to measure it again. */
const STALE_LEGEND =
  'gate (stale): it passed against a model that is no longer the champion (approve takes it with a warning); `mailroute compare --challenger <id> --champion champion --data <file>` measures it against the champion of now\n';

/**
 * What `approve` says about the gate on record beside the approval (stderr), `v` being the version as it stood
 * before the approval (its status then) and `championBefore` the champion then: that none is (and how to record
 * one), that it passed against a model that is no longer the champion (stale), or that it failed and --force
 * approved it all the same (the registry refuses it otherwise); nothing when it passed against the champion.
 * Then what compare warned of while measuring that gate (as `WARNED_LEGEND` says), whatever its outcome.
 * Only for a version that awaited its decision: approving an Approved version again decides nothing (its first
 * approval stays the one on record), so there is nothing about its gate to say. `promoted`: the approval made
 * it the champion, so the command to record a gate names `championBefore`, the champion it replaced, by its id
 * (`--champion champion` now names the version itself, and compare refuses a model compared with itself).
 */
export function gateNotice(v: ModelVersion, championBefore: string | undefined, champion?: Pick<ModelVersion, 'dataHash' | 'measuredOn'>, promoted = false): string {
  if (v.status === 'Approved') {
    // Approved again: nothing is decided and the gate is not checked, but a failure recorded since the approval
    // (a compare run after it, in a registry written before a decided version's gate was kept as it was; one
    // overridden by the approval is in its note) is said, as the version serves all the same.
    const failedSince = v.gate && !v.gate.pass && (v.statusChangedAt === undefined || Date.parse(v.gate.at) > Date.parse(v.statusChangedAt));
    return failedSince && v.gate
      ? `warning: the last gate on record for ${v.id} failed (against ${v.gate.champion} at ${v.gate.at}), after its approval; approving it again makes it the champion without checking it (its first approval stays the decision on record)\n`
      : '';
  }
  const standing = gateStanding(v, championBefore);
  return `${gateStandingNotice(v, standing, championBefore, champion, promoted)}${gateUncheckedNotice(v)}${gateWarningsNotice(v)}`;
}

/**
 * What compare warned of when it measured the gate on record (as `WARNED_LEGEND` says), said beside the approval that
 * relies on that gate, each warning whole: one line for one, else a line each under a heading.
 */
function gateWarningsNotice(v: ModelVersion): string {
  const warnings = v.gate?.warnings ?? [];
  if (!v.gate || warnings.length === 0) return '';
  const measured = `warning: the gate on record for ${v.id} (against ${v.gate.champion} at ${v.gate.at}) was measured with`;
  if (warnings.length === 1) return `${measured} a warning: ${warnings[0]}\n`;
  return `${measured} ${warnings.length} warnings:\n${warnings.map((w) => `  - ${w}\n`).join('')}`;
}

/** `gateNotice`'s line on the standing of the gate on record, for a version that awaited its decision. */
function gateStandingNotice(v: ModelVersion, standing: GateStanding, championBefore: string | undefined, champion: Pick<ModelVersion, 'dataHash' | 'measuredOn'> | undefined, promoted: boolean): string {
  // Made the champion by this approval: the champion it replaced is named by its id (`champion` is the version now).
  const replaced = promoted && championBefore !== undefined && championBefore !== v.id;
  const command = compareCommand(v, champion, replaced ? championBefore : 'champion');
  if (standing === 'none') {
    if (!championBefore || championBefore === v.id) return `note: no gate result is on record for ${v.id} (there was no other champion to compare it with)\n`;
    // Compare keeps a gate only on a version awaiting its decision, which this one no longer is: the command is a look, recorded nowhere.
    return replaced
      ? `note: no gate result is on record for ${v.id}; \`${command}\` compares it with ${championBefore}, the champion it replaced (a look after the decision: no gate is recorded once a version is Approved)\n`
      : `note: no gate result is on record for ${v.id}; \`${command}\` compares it with the champion (a look after the decision: no gate is recorded once a version is Approved)\n`;
  }
  if (standing === 'failed' && v.gate) return `warning: ${v.id} was approved with --force over its failed gate (against ${v.gate.champion} at ${v.gate.at}); the approval's note says so\n`;
  if (standing === 'stale' && v.gate && championBefore === undefined) {
    // With no champion there is none to compare with: nothing to run again.
    return `note: the gate on record for ${v.id} passed against ${v.gate.champion} at ${v.gate.at}, which was not the champion: there was none\n`;
  }
  if (standing === 'stale' && v.gate) {
    const against = replaced ? `${championBefore}, the champion it replaced` : 'the champion of now';
    return `warning: the gate on record for ${v.id} is stale: it passed against ${v.gate.champion} at ${v.gate.at}, and the champion was ${championBefore} when approved; \`${command}\` compares it with ${against}\n`;
  }
  return '';
}

/**
 * Before `approve` makes `id` the champion in place of `championId`: the queues the champion routes mail to that it
 * cannot predict (`lostQueues`: no training rows, merged into `other` under minCount; not those its config retired or
 * aliased away). Refused unless --force (`QueuesLostError`; with --note, kept with the approval, which says which queues); with it, said
 * on stderr before the approval. Returns the note to approve with.
 */
async function checkLostQueues(ctx: CliContext, reg: ReturnType<typeof createLocalRegistry>, championId: string, id: string, flags: { note?: string; force?: boolean }): Promise<string | undefined> {
  const dir = (v: string) => reg.artifactDir(v).catch(() => undefined);
  const lost = await lostQueuesOf({ dir: await dir(championId) }, { dir: await dir(id) });
  if (lost.length === 0) return flags.note;
  const said = lostQueuesText(championId, id, lost);
  if (flags.force !== true) throw new QueuesLostError(`${said}; add --force --note <why> to approve it anyway, or --no-promote to approve it without making it champion`);
  if (!hasNote(flags.note)) throw new UsageError(`approve --force of ${id}: ${said}; add --note <why> (it is kept with the approval)`);
  ctx.stderr.write(safeLines(`warning: ${said}; approving it with --force\n`));
  return `${flags.note}; approved with force though it no longer routes mail to ${lost.map((q) => q.label).join(', ')} (which ${championId} routes to)`;
}

/** `routeChangeNoticeOf` for two registry versions: what a change of champion does to the queue names the CRM gets. */
function routeChange(reg: ReturnType<typeof createLocalRegistry>, beforeId: string, afterId: string): Promise<string> {
  const dir = (id: string) => reg.artifactDir(id).catch(() => undefined);
  return Promise.all([dir(beforeId), dir(afterId)]).then(([before, after]) => routeChangeNoticeOf({ id: beforeId, dir: before }, { id: afterId, dir: after }));
}

/**
 * The id `ref` names: `champion` is the champion, as `--model champion` is elsewhere (no registry id reads so), for
 * every subcommand that takes an id; any other ref as given (the registry names ids it may mean).
 */
async function versionId(reg: ReturnType<typeof createLocalRegistry>, ref: string, home: string, otherwise: string): Promise<string> {
  if (ref !== 'champion') return ref;
  const champion = await reg.champion();
  if (champion) return champion.id;
  const versions = await reg.list();
  throw noChampionError(home, versions, versions.length > 0 ? otherwise : undefined);
}

/**
 * Who makes a decision or a change of champion: `--by`, else `$USER`, else the OS account's name (`userInfo` throws
 * for a uid with no account, as in some containers: then `uid <n>`), so a decision always names someone. It is the
 * name of the account the command ran as, which anyone can set (`--by`, `USER`): no verified identity. Where one is
 * needed, the AWS registry's approvals are made by IAM principals, which CloudTrail records.
 */
export function deciderName(by: string | undefined, env: Readonly<Record<string, string | undefined>>, userInfo: () => string = () => os.userInfo().username): string | undefined {
  if (by !== undefined && by.trim() !== '') return by;
  if (env.USER !== undefined && env.USER.trim() !== '') return env.USER;
  try {
    const name = userInfo();
    if (name.trim() !== '') return name;
  } catch {
    // No account for this uid: its number, below.
  }
  return typeof process.getuid === 'function' ? `uid ${process.getuid()}` : undefined;
}

/** Whether a `--note` says something (an empty or blank one is none). */
function hasNote(note: string | undefined): note is string {
  return note !== undefined && note.trim() !== '';
}

/**
 * Why `approve --force` of `before` (the version as it stands) needs `--note`, or undefined when it does not: forcing
 * past a failed gate (a measured failure) or undoing a rejection (a person's decision) overrides something on
 * record, so the reason goes on record with it. A --force that overrides nothing (a passed gate) needs none.
 */
export function forceNoteNeeded(before: Pick<ModelVersion, 'id' | 'status' | 'gate' | 'statusChangedBy' | 'statusChangedAt'>): string | undefined {
  const add = 'add --note <why> (it is kept with the approval)';
  if (before.status === 'Rejected') {
    const who = decidedBy(before);
    return `approve --force of ${before.id}, which was rejected${who ? ` ${who}` : ''}, undoes that decision: ${add}`;
  }
  if (before.status === 'PendingManualApproval' && before.gate && !before.gate.pass) {
    return `approve --force of ${before.id} overrides its failed gate (against ${before.gate.champion} at ${before.gate.at}: ${failedChecksLine(before.gate)}): ${add}`;
  }
  return undefined;
}

/** How a change of champion came about, in words, for `registry history` (`previous`: the champion before it, if known). */
function championVia(change: ChampionChange, previous: string | undefined): string {
  if (change.via === 'approve') return 'approve';
  if (change.via === 'champion') return 'registry champion';
  if (change.via === 'rollback') return previous ? `rollback (reject of ${previous})` : 'rollback (reject of the champion)';
  if (change.via !== undefined) return change.via;
  return change.at === undefined ? 'champion when the history began' : 'not recorded';
}

/**
 * `registry history`'s table: every change of champion, oldest first, with how, by whom and why; then the champion
 * now when there is none (its last champion rejected with none to roll back to), and, for a registry from before the
 * history was kept, that earlier champions are not listed.
 */
export function championHistoryText(changes: readonly ChampionChange[], champion: string | null, complete: boolean): string {
  const lines: string[] = [];
  if (changes.length === 0) lines.push(champion === null ? 'no champion yet\n' : `${safeValue(champion)} is the champion; no change of champion is on record\n`);
  else {
    const header = ['when (UTC)', 'champion', 'how', 'by', 'note'];
    const rows = changes.map((c, i) => [c.at === undefined ? '-' : c.at.slice(0, 19).replace('T', ' '), c.id, championVia(c, changes[i - 1]?.id), c.by ?? '-', c.note ?? '-']);
    lines.push(`${formatTable(header, rows.map((r) => r.map(safeValue)))}\n`);
    if (champion === null) lines.push(`no champion now: ${safeValue(changes.at(-1)!.id)} was rejected with no Approved version to roll back to\n`);
  }
  if (!complete) lines.push('note: this registry was made by a mailroute from before it kept its champions: champions before the first line are not listed\n');
  // `by` is an OS account name, which anyone can set: said where it is read as who decided.
  if (changes.some((c) => c.by !== undefined)) {
    const demo = changes.some((c) => c.by === DEMO_CHAMPION_APPROVED_BY) ? `; ${DEMO_CHAMPION_APPROVED_BY}: the demo model that \`npm start\` trained and approved on an empty registry` : '';
    lines.push(`by: --by, else the OS account the command ran as (not a verified identity; registry.json can be edited by anyone who can write the home)${demo}\n`);
  }
  return lines.join('');
}

/** A version's row of `registry list`; `taskSet`: its mean's mark when the listed means are over other tasks (taskSetMarks). */
function row(v: ModelVersion, champion: string | undefined, taskSet = '', missing?: string): string[] {
  const f1 = v.metrics.mean_macro_f1;
  return [
    String(v.version),
    v.id === champion ? `${v.id} *` : v.id,
    v.prunedAt !== undefined ? `${v.status} (pruned)` : missing !== undefined ? `${v.status} (missing)` : v.status,
    gateCell(v, champion),
    v.createdAt.slice(0, 19).replace('T', ' '),
    v.tasks.join(','),
    // Rounded as the reports and the gate round it (Python's %f, ties to even); marked when over some tasks only, or over other tasks than others listed.
    f1 === undefined ? '-' : `${pyFixed(f1, 4)}${partialMeanMark(v)}${taskSet}`,
    v.measuredOn ?? '-',
    // Held-out splits of other data are other rows: the hash tells two versions' figures apart.
    v.dataHash.slice(0, 12),
  ];
}

/**
 * What is gone of a registered version's artifact (`dir`: `<home>/models/<id>`), looked at without reading the model
 * files (`registry list` stays fast): its folder, its manifest.json, or a file the manifest lists (`model.onnx`);
 * undefined when each is there. A file present but changed is not seen here (`registry champion <id>` hashes them).
 */
export async function artifactGone(dir: string): Promise<string | undefined> {
  if (!(await stat(dir).then((info) => info.isDirectory(), () => false))) return 'its folder is missing';
  let text: string;
  try {
    text = await readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch {
    return 'manifest.json is missing';
  }
  let files: unknown;
  try {
    files = (JSON.parse(text) as { files?: unknown }).files;
  } catch {
    return undefined; // there, but not JSON: a change, which the checks that hash say
  }
  if (files === null || typeof files !== 'object') return undefined;
  const absent: string[] = [];
  for (const name of Object.keys(files)) {
    // Names are plain file names (the manifest schema's); one that is not is the hashing checks' to refuse.
    if (name.includes('/') || name.startsWith('.')) continue;
    if (!(await stat(path.join(dir, name)).then((info) => info.isFile(), () => false))) absent.push(name);
  }
  return absent.length === 0 ? undefined : `${absent.join(', ')} ${absent.length > 1 ? 'are' : 'is'} missing`;
}

/** Under the list, when a version shows `(missing)`: what it means and what to do. */
function missingLegend(home: string, missing: readonly { id: string; gone: string }[]): string {
  const named = missing.slice(0, 3).map((m) => `${m.id}: ${m.gone}`).join('; ');
  const more = missing.length > 3 ? `; and ${missing.length - 3} more` : '';
  return `status (missing): files of its artifact are gone from ${path.join(home, 'models')}/<id> (${named}${more}); no server can load it and a rollback passes over it: copy an intact copy of its folder back (a backup's models/<id>; \`mailroute backup --verify <backup>\` checks it)\n`;
}

/**
 * A home that does not exist reads as an empty registry: said on stderr, so that a typo in a cron job's MAILROUTE_HOME
 * is seen, not taken for a registry with no models (the answer on stdout stays what it is for an empty one). A home
 * that is a file fails before this, as the registry reads it (`REGISTRY_HOME_NOT_DIRECTORY`).
 */
export async function warnIfNoHome(ctx: CliContext): Promise<void> {
  if (await stat(ctx.home).then(() => true, () => false)) return;
  const named = ctx.env.MAILROUTE_HOME?.trim() ? `MAILROUTE_HOME=${ctx.home}` : `the home ${ctx.home} (MAILROUTE_HOME is unset: the default .mailroute of the folder the command runs in)`;
  ctx.stderr.write(safeLines(`warning: ${named} does not exist: there is no registry there\n`));
}

/**
 * `mailroute registry list|show|approve|reject|champion|history|add|prune`: the local registry under MAILROUTE_HOME. What versions
 * hold (notes and names of approvals and rejections, ids, tasks, file names) is printed with control characters escaped.
 */
export function registerRegistry(program: Command, ctx: CliContext): void {
  const registry = () => createLocalRegistry({ home: ctx.home });
  const print = (v: unknown): void => {
    ctx.stdout.write(`${safeJson(v)}\n`);
  };
  const cmd = program
    .command('registry')
    .description('List, show, approve or reject registered models; show or set the champion, and list its changes; add a model made elsewhere; prune the artifacts of old rejected or unapproved ones');

  cmd
    .command('list', { isDefault: true })
    .description('Registered versions, newest first (* marks the champion; a gate that compare measured with warnings shows `(warned)`, e.g. `PASS (warned)`; a status `(missing)`: model files are gone)')
    .option('--json', 'print JSON')
    .allowExcessArguments()
    .action(async (flags: { json?: boolean }, list: Command) => {
      refuseUnknownSubcommand(cmd, list.args);
      const reg = registry();
      const [versions, champion] = await Promise.all([reg.list(), reg.champion()]);
      // What is gone of each artifact not pruned (stat and the manifest only: no file is hashed).
      const gone = await Promise.all(versions.map((v) => (v.prunedAt === undefined ? artifactGone(path.join(ctx.home, 'models', v.id)) : undefined)));
      if (versions.length === 0) await warnIfNoHome(ctx);
      if (flags.json) {
        print({ champion: champion?.id ?? null, versions: versions.map((v, i) => (gone[i] === undefined ? v : { ...v, artifactMissing: gone[i] })) });
        return;
      }
      if (versions.length === 0) {
        ctx.stdout.write(`no models registered in ${safeValue(ctx.home)}\n`);
        return;
      }
      const header = ['version', 'id', 'status', 'gate', 'created (UTC)', 'tasks', 'mean macro-F1', 'measured on', 'data'];
      const taskSets = taskSetMarks(versions);
      ctx.stdout.write(`${formatTable(header, versions.map((v, i) => row(v, champion?.id, taskSets.marks[i], gone[i]).map(safeValue)))}\n`);
      const missing = versions.flatMap((v, i) => (gone[i] === undefined ? [] : [{ id: v.id, gone: gone[i] }]));
      if (missing.length > 0) ctx.stdout.write(safeLines(missingLegend(ctx.home, missing)));
      if (versions.some((v) => gateStanding(v, champion?.id) === 'stale')) ctx.stdout.write(STALE_LEGEND);
      if (versions.some(gateWarned)) ctx.stdout.write(WARNED_LEGEND);
      ctx.stdout.write(safeLines(partialMeanLegend(versions)));
      ctx.stdout.write(safeLines(taskSets.legend));
      // The emails each version was measured on, from its manifest: two tested on one file compare whatever their tasks.
      const testRows = await Promise.all(versions.map((v) => reg.artifactDir(v.id).then(testRowsOf, () => undefined)));
      ctx.stdout.write(otherRowsLegend(versions.map((v, i) => ({ ...v, testRows: testRows[i] })), champion?.id));
    });

  cmd
    .command('show <id>')
    .description('One version (`champion`: the champion) with its artifact directory, the history of its status and its last gate from compare (`gateStale`: true when it passed against a model that is not (or no longer) the champion and the version is not Approved: awaiting its decision, or Rejected; never for the champion or an Approved version) and, per task, its abstention (`threshold`: the calibrated confidence under which it abstains, which sends the mail to manual triage for the tasks of the routing\'s abstainTasks (the queue task by default); `temperature`; `targetPrecision`: what the threshold was chosen for on the validation split), as JSON')
    // Its output is JSON always: --json is taken, as by the other commands a script passes it to.
    .option('--json', 'print JSON (what it prints anyway)')
    .action(async (ref: string) => {
      const reg = registry();
      const id = await versionId(reg, ref, ctx.home, 'show a version by its id');
      const [version, champion] = await Promise.all([reg.get(id), reg.champion()]);
      // A tampered artifact is shown, with what is wrong, rather than hidden behind the error.
      const artifact = await reg.artifactDir(id).then(
        (dir) => ({ artifactDir: dir }),
        (error: unknown) => {
          if (error instanceof RegistryError && error.code === 'REGISTRY_ARTIFACT_TAMPERED') return { artifactError: error.message };
          // Pruned: the record is what is left to show (its prunedAt says when the artifact went).
          if (error instanceof RegistryError && error.code === 'REGISTRY_PRUNED') return { artifactDir: null };
          throw error;
        },
      );
      const gate = version.gate ? { gateStale: gateStanding(version, champion?.id) === 'stale' } : {};
      // What the figures and the gate leave out: tasks the mean is not over, tasks the gate did not check, and test rows worded as training rows.
      const partial = partialMean(version);
      const mean = partial === undefined ? {} : { meanMacroF1Tasks: partial.covers, notMeasured: partial.notMeasured };
      const unchecked = gateUncheckedTasks(version);
      const dir = 'artifactDir' in artifact ? artifact.artifactDir : undefined;
      const [figuresWarning, abstention] = await Promise.all([registeredFiguresWarning(dir), abstentionOf(dir)]);
      print({
        ...version,
        champion: champion?.id === id,
        ...gate,
        ...mean,
        ...(unchecked.length > 0 ? { gateUncheckedTasks: unchecked } : {}),
        ...(figuresWarning !== undefined ? { figuresWarning } : {}),
        ...(abstention !== undefined ? { abstention } : {}),
        ...artifact,
      });
    });

  cmd
    .command('approve <id>')
    .description('Approve a version (`champion`: the champion, whose approval stays as it was); it becomes the champion unless --no-promote. Refused when its last gate (`mailroute compare`) failed, or when it cannot predict a queue the champion routes mail to (no training rows, merged into `other` under minCount; not one its config retired or aliased away), unless --force; a version already Approved is only made champion (its first approval stays on record; its gate is not checked again)')
    .option('--by <name>', 'who approves (default: $USER, else the OS account name; not a verified identity)')
    .option('--note <text>', 'why (required with --force over a failed gate or a rejection)')
    .option('--no-promote', 'approve without making it champion')
    .option('--force', 'approve a version that was rejected (undoes that decision; both stay in its history), whose last gate failed, or that cannot predict a queue the champion routes mail to (the approval\'s note says so); needs --note')
    .action(async (ref: string, flags: { by?: string; note?: string; promote: boolean; force?: boolean }) => {
      const reg = registry();
      const id = await versionId(reg, ref, ctx.home, 'approve a version by its id');
      const before = await reg.get(id).catch(() => undefined);
      // Overriding a rejection or a failed gate is done with its reason on record, or not at all.
      const noteNeeded = flags.force === true && before !== undefined && !hasNote(flags.note) ? forceNoteNeeded(before) : undefined;
      if (noteNeeded !== undefined) throw new UsageError(noteNeeded);
      const championBefore = await reg.champion();
      // Queues the champion routes to that this version cannot predict: said, and refused without --force, before anything changes.
      const note = flags.promote && championBefore !== undefined && championBefore.id !== id ? await checkLostQueues(ctx, reg, championBefore.id, id, flags) : flags.note;
      const v = await reg
        .approve(id, { by: deciderName(flags.by, ctx.env), note, promote: flags.promote, force: flags.force === true })
        .catch((error: unknown) => {
          // The registry says "pass force"; on the command line that is a flag, with the reason.
          if (error instanceof RegistryError && error.code === 'REGISTRY_REJECTED') throw new RegistryError(error.code, error.message.replace(/pass force\b.*$/, 'add --force --note <why> to approve it anyway'));
          if (error instanceof RegistryError && error.code === 'REGISTRY_GATE_FAILED') {
            // A failure measured on rows a model was trained on (the champion flattered) is said with it: rerun on other data.
            const warned = before?.gate?.warnings ?? [];
            const measured =
              warned.length === 0 ? '' : warned.length === 1 ? `; it was measured with a warning (${warned[0]})` : `; it was measured with ${warned.length} warnings: ${warned.map((w, i) => `(${i + 1}) ${w}`).join('; ')}`;
            throw new RegistryError(error.code, error.message.replace(/; run the comparison again\b.*$/, `${measured}; run \`${compareCommand(before ?? { id }, championBefore)}\` again, or add --force --note <why> to approve it anyway (the approval's note then says so)`));
          }
          throw error;
        });
      // Approving an Approved version again records nothing (the first approval stays the decision on record): say so, as its --by and --note are not kept.
      const already = before?.status === 'Approved' ? ` (it was already Approved${decidedBy(before) ? ` ${decidedBy(before)}` : ''}: that approval stays on record, this one is not added to its history)` : '';
      const championNow = await reg.champion();
      ctx.stdout.write(safeLines(`${v.id}: ${v.status}${flags.promote ? ', champion' : ''}${already}${whatFollows(v.id, championBefore?.id, championNow?.id, 'approve')}\n`));
      // Judged as the version stood before this approval: its gate is stale only if it was still awaiting a decision.
      ctx.stderr.write(safeLines(gateNotice({ ...v, status: before?.status ?? v.status }, championBefore?.id, championBefore, championNow?.id === v.id)));
      if (championBefore && championNow) ctx.stderr.write(safeLines(await routeChange(reg, championBefore.id, championNow.id)));
      // Figures that likely overstate (test rows worded as training rows), said where the decision is made.
      if (before?.status !== 'Approved') {
        const figures = await registeredFiguresWarning(await reg.artifactDir(v.id).catch(() => undefined));
        // Said already when the gate's warnings (printed above) hold the same count of near copies, as compare measured it.
        const cut = figures?.indexOf(': its registered figures') ?? -1;
        const fact = cut > 0 ? figures!.slice(0, cut) : undefined;
        const said = fact !== undefined && fact !== '' && (v.gate?.warnings ?? []).some((w) => w.includes(fact));
        if (figures !== undefined && !said) ctx.stderr.write(safeLines(`warning: ${v.id}: ${figures}\n`));
      }
    });

  cmd
    .command('reject <id>')
    .description(
      'Reject a version (`champion`: the champion; a rejected champion hands over to the latest earlier champion that is still Approved, else to the newest Approved version whose gate did not fail, if any, passing over one whose model files are not intact (refused, changing nothing, when none is); servers switch at their next poll); rejecting a Rejected version changes nothing',
    )
    .option('--by <name>', 'who rejects (default: $USER, else the OS account name; not a verified identity)')
    .option('--note <text>', 'why (required to reject the champion)')
    .action(async (ref: string, flags: { by?: string; note?: string }) => {
      const reg = registry();
      const id = await versionId(reg, ref, ctx.home, 'reject a version by its id');
      const [before, championBefore, historyKept] = await Promise.all([reg.get(id), reg.champion(), reg.championHistoryComplete()]);
      // Taking the champion out of service changes what every server serves: done with its reason on record.
      if (championBefore?.id === id && !hasNote(flags.note)) {
        throw new UsageError(`rejecting ${id}, the champion, takes it out of service (servers roll back at their next poll): add --note <why> (it is kept with the rejection and the change of champion)`);
      }
      let skipped: RollbackSkipped[] = [];
      await reg.reject(id, { by: deciderName(flags.by, ctx.env), note: flags.note, onRollbackSkipped: (passed) => (skipped = passed) });
      const [championNow, history, versions] = await Promise.all([reg.champion(), reg.championHistory(), reg.list()]);
      const { stdout, stderr } = rejectOutcome(before, championBefore?.id, championNow, history, versions, historyKept, skipped);
      ctx.stdout.write(safeLines(stdout));
      ctx.stderr.write(safeLines(stderr));
      if (championBefore && championNow) ctx.stderr.write(safeLines(await routeChange(reg, championBefore.id, championNow.id)));
    });

  cmd
    .command('champion [id]')
    .description('Show the champion, or make an Approved version champion (with a warning when its last gate failed); `registry history` lists every change of champion')
    .option('--by <name>', 'who makes it champion (default: $USER, else the OS account name; not a verified identity)')
    .option('--note <text>', 'why (kept in the champion history)')
    .action(async (ref: string | undefined, flags: { by?: string; note?: string }) => {
      const reg = registry();
      const id = ref === undefined ? undefined : await versionId(reg, ref, ctx.home, 'make a version champion by its id');
      if (id === undefined && (flags.by !== undefined || flags.note !== undefined)) throw new UsageError('--by and --note go with an id: `mailroute registry champion <id> --note <why>`');
      const before = await reg.champion();
      if (id !== undefined) await reg.setChampion(id, { by: deciderName(flags.by, ctx.env), note: flags.note });
      const champion = await reg.champion();
      if (champion === undefined && id === undefined) await warnIfNoHome(ctx);
      // Asked to set one: what follows (nothing served changes when it was the champion already); asked only to show: the champion.
      const follows = champion && id !== undefined ? whatFollows(champion.id, before?.id, champion.id, 'champion') : '';
      ctx.stdout.write(safeLines(champion ? `${champion.id} (version ${champion.version}, ${champion.status})${follows}\n` : 'no champion\n'));
      // Made champion now over a failed gate on record: said, as approve says it (nothing is refused: it is Approved).
      if (champion && id !== undefined && before?.id !== champion.id && champion.gate && !champion.gate.pass) ctx.stderr.write(safeLines(newChampionGateNotice(champion)));
      // Made champion over one it was never compared with (a way back is one): said, so it is a choice, not a slip.
      else if (champion && before && before.id !== champion.id && champion.gate?.champion !== before.id) {
        const gate = champion.gate ? `its gate on record is against ${champion.gate.champion}` : 'it has no gate on record';
        ctx.stderr.write(safeLines(`note: ${champion.id} was not compared with ${before.id}, the champion it replaces (${gate}); \`${compareCommand(champion, before, before.id)}\` compares them\n`));
      }
      if (champion && before && id !== undefined) ctx.stderr.write(safeLines(await routeChange(reg, before.id, champion.id)));
      // A rollback this way leaves the champion it replaces Approved: the one a later reject of this champion hands back to.
      if (champion && before && before.id !== champion.id && before.status === 'Approved') {
        ctx.stderr.write(
          safeLines(`note: ${before.id} stays Approved: rejecting ${champion.id} later would make it champion again; \`mailroute registry reject ${before.id} --note <why>\` if it must not serve again\n`),
        );
      }
    });

  cmd
    .command('history')
    .description('Every change of champion, oldest first: when, which version, how (approve, registry champion, rollback on reject), by whom and why')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const reg = registry();
      const [changes, champion, complete] = await Promise.all([reg.championChanges(), reg.champion(), reg.championHistoryComplete()]);
      if (changes.length === 0) await warnIfNoHome(ctx);
      if (flags.json) {
        print({ champion: champion?.id ?? null, complete, history: changes });
        return;
      }
      ctx.stdout.write(championHistoryText(changes, champion?.id ?? null, complete));
    });

  registerAdd(cmd, ctx);
  registerPrune(cmd, ctx);
}
