import type { Command } from 'commander';
import { createLocalRegistry, isNearId, noChampionError } from '@mailroute/model';
import { compareRunRows, compareRuns, formatRunList, formatRunSummary, formatTable, listRuns, readRunOf, RUN_COMPARE_UNITS, RunNotFoundError, runsDir, type RunRecord } from '@mailroute/training';
import { warnIfNoHome } from './registry.js';
import type { CliContext } from '../context.js';
import { refuseUnknownSubcommand } from '../errors.js';
import { safeJson, safeLines, safeValue } from '../terminal-text.js';
import { wholeNumberOption } from '../numbers.js';

/**
 * Each registered model's standing, as `registry list` shows it: its status, `(pruned)` when its files are gone,
 * `champion` for the champion. Undefined when the registry cannot be read (runs list then has no such column).
 */
async function registryStanding(home: string): Promise<Map<string, string> | undefined> {
  const registry = createLocalRegistry({ home });
  try {
    const [versions, champion] = await Promise.all([registry.list(), registry.champion()]);
    return new Map(versions.map((v) => [v.id, `${v.status}${v.prunedAt === undefined ? '' : ' (pruned)'}${v.id === champion?.id ? ', champion' : ''}`]));
  } catch {
    return undefined;
  }
}

/**
 * The run `ref` names: a run id, a model id or `champion` (the run that trained the champion). `champion` is read
 * through the registry first: with no champion, the registry's error (`REGISTRY_NOT_APPROVED`, with the way out),
 * as every command taking `champion` answers, not that no run is called "champion". An id that names no run and no
 * model is refused with the run ids near it (the training library's error) or, when none is, the model ids near
 * it, as `registry show` names them.
 */
export async function runOf(home: string, ref: string): Promise<RunRecord> {
  const registry = createLocalRegistry({ home });
  if (ref === 'champion') {
    const champion = await registry.champion();
    if (!champion) {
      const versions = await registry.list();
      throw noChampionError(home, versions, versions.length > 0 ? 'show a run by its id (mailroute runs list)' : undefined);
    }
    return readRunOf(home, champion.id).catch((error: unknown) => {
      // A champion added from elsewhere (`registry add`) was trained by no run here.
      if (error instanceof RunNotFoundError) throw new RunNotFoundError(champion.id, runsDir(home), { reason: `the champion, ${champion.id}, was trained by no run kept there (a model added with mailroute registry add, or its run folder was removed)` });
      throw error;
    });
  }
  return readRunOf(home, ref).catch(async (error: unknown) => {
    if (!(error instanceof RunNotFoundError) || !error.message.endsWith('mailroute runs list shows the ids')) throw error;
    // No run id near it: a mistyped model id (runs show takes those too) is named as registry show names it.
    const versions = await registry.list().catch(() => []);
    // The model itself, its run gone: said so, not offered as a near id of itself.
    if (versions.some((v) => v.id === ref)) {
      throw new RunNotFoundError(ref, runsDir(home), { reason: `the model ${ref} is in the registry, but no run kept there trained it (a model added with mailroute registry add, or its run folder was removed); mailroute registry show ${ref} has its record` });
    }
    const near = versions.filter((v) => String(v.version) === ref || isNearId(v.id, ref)).map((v) => v.id);
    if (near.length === 0) throw error;
    throw new RunNotFoundError(ref, runsDir(home), { reason: `no model "${ref}" in the registry either; did you mean ${near.slice(0, 3).join(' or ')}?` });
  });
}

/**
 * `mailroute runs [list] | runs show <id> | runs compare <a> <b>`: experiment runs under MAILROUTE_HOME/runs, each
 * readable by default and as JSON with --json. What a run record holds (a note, paths, ids, a failed run's error) is
 * printed with its control characters escaped.
 */
export function registerRuns(program: Command, ctx: CliContext): void {
  const cmd = program.command('runs').description('List experiment runs, show one, or compare two side by side');

  cmd
    .command('list', { isDefault: true })
    .description("Runs, newest first, with their model's standing in the registry; a failed run with the first line of its error (runs show has it whole)")
    .option('--json', 'print the run records as JSON')
    .option('--limit <n>', 'the newest n runs only (default: all)', wholeNumberOption('--limit', 1))
    .allowExcessArguments()
    .action(async (flags: { json?: boolean; limit?: number }, list: Command) => {
      refuseUnknownSubcommand(cmd, list.args);
      const all = await listRuns(ctx.home, { onDamaged: (error) => ctx.stderr.write(safeLines(`warning: ${error.message}; not listed\n`)) });
      const runs = flags.limit === undefined ? all : all.slice(0, flags.limit);
      if (all.length === 0) await warnIfNoHome(ctx);
      if (flags.json) {
        ctx.stdout.write(`${safeJson(runs)}\n`);
        return;
      }
      if (runs.length === 0) {
        ctx.stdout.write(`no runs in ${safeValue(ctx.home)}\n`);
        return;
      }
      ctx.stdout.write(`${formatRunList(runs, safeValue, await registryStanding(ctx.home))}\n`);
      if (runs.length < all.length) ctx.stdout.write(`(${all.length - runs.length} older run(s) not listed)\n`);
    });

  cmd
    .command('show <run>')
    .description('One run: its ids, code, data, row counts, the params not at their defaults, each epoch, the figures measured and the warnings training said; <run> is a run id, or a model id or `champion` for the run that trained it')
    .option('--json', 'print the full run record (config, data hash, counts, epochs, metrics, artifact files, warnings) as JSON')
    .action(async (runId: string, flags: { json?: boolean }) => {
      const run = await runOf(ctx.home, runId);
      ctx.stdout.write(flags.json ? `${safeJson(run)}\n` : `${formatRunSummary(run, safeValue)}\n`);
    });

  cmd
    .command('compare <a> <b>')
    .description('Two runs side by side: data, counts, metrics and their differences (b - a; of scores, in percentage points); each a run id, or a model id or `champion`')
    .option('--json', 'print the comparison as JSON (both runs, the params and config that differ, each count and metric with a, b and b - a, and whether their rows compare)')
    .addHelpText('after', `\n${RUN_COMPARE_UNITS}`)
    .action(async (a: string, b: string, flags: { json?: boolean }) => {
      const [ra, rb] = await Promise.all([runOf(ctx.home, a), runOf(ctx.home, b)]);
      if (flags.json) {
        ctx.stdout.write(`${safeJson(compareRuns(ra, rb))}\n`);
        return;
      }
      ctx.stdout.write(`${formatTable(['', 'a', 'b', 'b - a'], compareRunRows(ra, rb).map((row) => row.map(safeValue)))}\n\n${RUN_COMPARE_UNITS}\n`);
    });
}
