import type { Command } from 'commander';
import { createLocalRegistry, gateStanding, heldOutTestRows, RegistryError, type ModelVersion } from '@mailroute/model';
import { formatTable } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { refuseUnknownSubcommand } from '../errors.js';
import { safeJson, safeLines, safeValue } from '../terminal-text.js';

/**
 * How to get a champion back when none is left: approve a pending version, or, when every other is
 * Rejected, approve one again with --force (plain approve refuses it), or train a new one.
 */
export function approveAnotherHint(others: readonly ModelVersion[]): string {
  if (others.length === 0) return 'train and approve a new one';
  if (others.some((v) => v.status !== 'Rejected')) return 'approve another (`mailroute registry approve <id>`)';
  return 'approve another: every other version is Rejected, so approve one again with `mailroute registry approve <id> --force`, or train a new one';
}

/**
 * What an approval or a change of champion sets off, for the person who made it: nothing when the champion is
 * the one it was; else that servers on this registry switch at their next poll, and how to go back; for a
 * version approved without becoming champion, how to make it one.
 */
export function whatFollows(id: string, championBefore: string | undefined, championNow: string | undefined): string {
  if (championNow !== id) return `; ${championNow ? `${championNow} stays the champion` : 'not the champion'} (\`mailroute registry champion ${id}\` makes it champion)`;
  if (championBefore === id) return '';
  const back = championBefore ? `; to go back: \`mailroute registry champion ${championBefore}\`` : '';
  return `; servers using this registry switch to it at their next poll (every 5 s by default)${championBefore ? `, from ${championBefore}` : ''}${back}`;
}

/**
 * The command that records a gate for a version: compare it with the champion on the rows both held out
 * (`--split test`) when it held out test rows of its training data and the champion (when known) held out the
 * same ones (the same data hash and split); else `--split test` would be refused, so on a test file: one
 * neither model was trained on when the champion was trained on other data or split it otherwise, any test
 * file when the version itself held out no rows (`testShare: 0`, tested on a separate file, or not recorded).
 */
export function compareCommand(v: Pick<ModelVersion, 'id' | 'measuredOn'> & { dataHash?: string }, champion?: Pick<ModelVersion, 'dataHash' | 'measuredOn'>): string {
  const head = `mailroute compare --challenger ${v.id} --champion champion`;
  if (!heldOutTestRows(v.measuredOn)) return `${head} --data <a test file>`;
  const sameRows = champion === undefined || (champion.dataHash === v.dataHash && champion.measuredOn === v.measuredOn);
  return `${head} ${sameRows ? '--data <file> --split test' : '--data <a test file neither model was trained on>'}`;
}

/** The `gate` column: PASS, FAIL, `PASS (stale)` when run against a model that is no longer the champion (for a version awaiting its decision), `-` when none. */
function gateCell(v: ModelVersion, champion: string | undefined): string {
  const standing = gateStanding(v, champion);
  return standing === 'none' ? '-' : standing === 'failed' ? 'FAIL' : standing === 'stale' ? 'PASS (stale)' : 'PASS';
}

/**
 * What `approve` says about the gate on record beside the approval (stderr), `v` being the version as it stood
 * before the approval (its status then) and `championBefore` the champion then: that none is (and how to record
 * one), that it passed against a model that is no longer the champion (stale), or that it failed and --force
 * approved it all the same (the registry refuses it otherwise); nothing when it passed against the champion.
 * Only for a version that awaited its decision: approving an Approved version again decides nothing (its first
 * approval stays the one on record), so there is nothing about its gate to say.
 */
export function gateNotice(v: ModelVersion, championBefore: string | undefined, champion?: Pick<ModelVersion, 'dataHash' | 'measuredOn'>): string {
  if (v.status === 'Approved') {
    // Approved again: nothing is decided and the gate is not checked, but a failure recorded since the approval
    // (a compare run after it; one overridden by the approval is in its note) is said, as the version serves all the same.
    const failedSince = v.gate && !v.gate.pass && (v.statusChangedAt === undefined || Date.parse(v.gate.at) > Date.parse(v.statusChangedAt));
    return failedSince && v.gate
      ? `warning: the last gate on record for ${v.id} failed (against ${v.gate.champion} at ${v.gate.at}), after its approval; approving it again makes it the champion without checking it (its first approval stays the decision on record)\n`
      : '';
  }
  const standing = gateStanding(v, championBefore);
  if (standing === 'none') {
    return championBefore && championBefore !== v.id
      ? `note: no gate result is on record for ${v.id}; \`${compareCommand(v, champion)}\` records one before an approval\n`
      : `note: no gate result is on record for ${v.id} (there was no other champion to compare it with)\n`;
  }
  if (standing === 'failed' && v.gate) return `warning: ${v.id} was approved with --force over its failed gate (against ${v.gate.champion} at ${v.gate.at}); the approval's note says so\n`;
  if (standing === 'stale' && v.gate) {
    return `warning: the gate on record for ${v.id} is stale: it passed against ${v.gate.champion} at ${v.gate.at}, and the champion was ${championBefore ?? 'none'} when approved; \`${compareCommand(v, champion)}\` compares it with the champion of now\n`;
  }
  return '';
}

function row(v: ModelVersion, champion: string | undefined): string[] {
  const f1 = v.metrics.mean_macro_f1;
  return [
    String(v.version),
    v.id === champion ? `${v.id} *` : v.id,
    v.status,
    gateCell(v, champion),
    v.createdAt.slice(0, 19).replace('T', ' '),
    v.tasks.join(','),
    f1 === undefined ? '-' : f1.toFixed(4),
    v.measuredOn ?? '-',
    // Held-out splits of other data are other rows: the hash tells two versions' figures apart.
    v.dataHash.slice(0, 12),
  ];
}

/**
 * `mailroute registry list|show|approve|reject|champion`: the local registry under MAILROUTE_HOME. What versions
 * hold (notes and names of approvals and rejections, ids, tasks, file names) is printed with control characters escaped.
 */
export function registerRegistry(program: Command, ctx: CliContext): void {
  const registry = () => createLocalRegistry({ home: ctx.home });
  const print = (v: unknown): void => {
    ctx.stdout.write(`${safeJson(v)}\n`);
  };
  const cmd = program.command('registry').description('List, show, approve or reject registered models; show or set the champion');

  cmd
    .command('list', { isDefault: true })
    .description('Registered versions, newest first (* marks the champion)')
    .option('--json', 'print JSON')
    .allowExcessArguments()
    .action(async (flags: { json?: boolean }, list: Command) => {
      refuseUnknownSubcommand(cmd, list.args);
      const reg = registry();
      const [versions, champion] = await Promise.all([reg.list(), reg.champion()]);
      if (flags.json) {
        print({ champion: champion?.id ?? null, versions });
        return;
      }
      if (versions.length === 0) {
        ctx.stdout.write(`no models registered in ${safeValue(ctx.home)}\n`);
        return;
      }
      const header = ['version', 'id', 'status', 'gate', 'created', 'tasks', 'mean macro-F1', 'measured on', 'data'];
      ctx.stdout.write(`${formatTable(header, versions.map((v) => row(v, champion?.id).map(safeValue)))}\n`);
    });

  cmd
    .command('show <id>')
    .description('One version (`champion`: the champion) with its artifact directory, the history of its status and its last gate from compare (`gateStale`: true when it passed against a model that is no longer the champion and the version awaits its decision; never for the champion or an Approved version)')
    .action(async (ref: string) => {
      const reg = registry();
      // `champion` names the champion, as --model champion does elsewhere (registry ids never read so).
      const championNow = ref === 'champion' ? await reg.champion() : undefined;
      if (ref === 'champion' && !championNow) throw new RegistryError('REGISTRY_NOT_FOUND', 'there is no champion in the registry (mailroute registry list shows the versions)');
      const id = championNow?.id ?? ref;
      const [version, champion] = await Promise.all([reg.get(id), reg.champion()]);
      // A tampered artifact is shown, with what is wrong, rather than hidden behind the error.
      const artifact = await reg.artifactDir(id).then(
        (dir) => ({ artifactDir: dir }),
        (error: unknown) => {
          if (error instanceof RegistryError && error.code === 'REGISTRY_ARTIFACT_TAMPERED') return { artifactError: error.message };
          throw error;
        },
      );
      const gate = version.gate ? { gateStale: gateStanding(version, champion?.id) === 'stale' } : {};
      print({ ...version, champion: champion?.id === id, ...gate, ...artifact });
    });

  cmd
    .command('approve <id>')
    .description('Approve a version; it becomes the champion unless --no-promote. Refused when its last gate (`mailroute compare`) failed, unless --force; a version already Approved is only made champion (its first approval stays on record; its gate is not checked again)')
    .option('--by <name>', 'who approves')
    .option('--note <text>', 'why')
    .option('--no-promote', 'approve without making it champion')
    .option('--force', 'approve a version that was rejected (undoes that decision; both stay in its history), or whose last gate failed (the approval\'s note says so)')
    .action(async (id: string, flags: { by?: string; note?: string; promote: boolean; force?: boolean }) => {
      const reg = registry();
      const before = await reg.get(id).catch(() => undefined);
      const championBefore = await reg.champion();
      const v = await reg
        .approve(id, { by: flags.by ?? ctx.env.USER, note: flags.note, promote: flags.promote, force: flags.force === true })
        .catch((error: unknown) => {
          // The registry says "pass force"; on the command line that is a flag.
          if (error instanceof RegistryError && error.code === 'REGISTRY_REJECTED') throw new RegistryError(error.code, error.message.replace(/pass force\b.*$/, 'add --force to approve it anyway'));
          if (error instanceof RegistryError && error.code === 'REGISTRY_GATE_FAILED') {
            throw new RegistryError(error.code, error.message.replace(/run the comparison again\b.*$/, `run \`${compareCommand(before ?? { id }, championBefore)}\` again, or add --force to approve it anyway (the approval's note then says so)`));
          }
          throw error;
        });
      // Approving an Approved version again records nothing (the first approval stays the decision on record): say so, as its --by and --note are not kept.
      const already = before?.status === 'Approved' ? ` (it was already Approved${[before.statusChangedBy && ` by ${before.statusChangedBy}`, before.statusChangedAt && ` at ${before.statusChangedAt}`].filter(Boolean).join('')}: that approval stays on record, this one is not added to its history)` : '';
      const championNow = await reg.champion();
      ctx.stdout.write(safeLines(`${v.id}: ${v.status}${flags.promote ? ', champion' : ''}${already}${whatFollows(v.id, championBefore?.id, championNow?.id)}\n`));
      // Judged as the version stood before this approval: its gate is stale only if it was still awaiting a decision.
      ctx.stderr.write(safeLines(gateNotice({ ...v, status: before?.status ?? v.status }, championBefore?.id, championBefore)));
    });

  cmd
    .command('reject <id>')
    .description('Reject a version (a rejected champion hands over to the newest other Approved version, if any)')
    .option('--by <name>', 'who rejects')
    .option('--note <text>', 'why')
    .action(async (id: string, flags: { by?: string; note?: string }) => {
      const reg = registry();
      const wasChampion = (await reg.champion())?.id === id;
      const v = await reg.reject(id, { by: flags.by ?? ctx.env.USER, note: flags.note });
      if (!wasChampion) {
        const champion = await reg.champion();
        ctx.stdout.write(safeLines(`${v.id}: ${v.status}; not served (${champion ? `the champion stays ${champion.id}` : 'there is no champion'}); \`mailroute registry approve ${v.id} --force\` undoes this\n`));
        return;
      }
      const next = await reg.champion();
      ctx.stdout.write(
        safeLines(
          next
            ? `${v.id}: ${v.status}; it was the champion: the champion is now ${next.id} (version ${next.version}, the newest other Approved version); servers switch to it at their next poll\n`
            : `${v.id}: ${v.status}; it was the champion: no other version is Approved, so there is no champion now and running servers keep serving ${v.id} until you ${approveAnotherHint((await reg.list()).filter((o) => o.id !== v.id))}\n`,
        ),
      );
    });

  cmd
    .command('champion [id]')
    .description('Show the champion, or make an Approved version champion')
    .action(async (id: string | undefined) => {
      const reg = registry();
      const before = await reg.champion();
      if (id !== undefined) await reg.setChampion(id);
      const champion = await reg.champion();
      ctx.stdout.write(safeLines(champion ? `${champion.id} (version ${champion.version}, ${champion.status})${whatFollows(champion.id, before?.id, champion.id)}\n` : 'no champion\n'));
    });
}
