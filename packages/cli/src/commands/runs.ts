import type { Command } from 'commander';
import { createLocalRegistry } from '@mailroute/model';
import { compareRunRows, formatRunList, formatTable, listRuns, readRunOf, RUN_COMPARE_UNITS } from '@mailroute/training';
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
 * `mailroute runs [list] | runs show <id> | runs compare <a> <b>`: experiment runs under MAILROUTE_HOME/runs.
 * What a run record holds (a note, paths, ids, a failed run's error) is printed with its control characters escaped.
 */
export function registerRuns(program: Command, ctx: CliContext): void {
  const cmd = program.command('runs').description('List experiment runs, show one, or compare two side by side');

  cmd
    .command('list', { isDefault: true })
    .description("Runs, newest first, with their model's standing in the registry; a failed run with the first line of its error (runs show has it whole)")
    .option('--json', 'print JSON')
    .option('--limit <n>', 'the newest n runs only (default: all)', wholeNumberOption('--limit', 1))
    .allowExcessArguments()
    .action(async (flags: { json?: boolean; limit?: number }, list: Command) => {
      refuseUnknownSubcommand(cmd, list.args);
      const all = await listRuns(ctx.home, { onDamaged: (error) => ctx.stderr.write(safeLines(`warning: ${error.message}; not listed\n`)) });
      const runs = flags.limit === undefined ? all : all.slice(0, flags.limit);
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
    .description('The full run record (config, data hash, counts, epochs, metrics) as JSON; <run> is a run id, or a model id or `champion` for the run that trained it')
    .action(async (runId: string) => {
      ctx.stdout.write(`${safeJson(await readRunOf(ctx.home, runId))}\n`);
    });

  cmd
    .command('compare <a> <b>')
    .description('Two runs side by side: data, counts, metrics and their differences (b - a; of scores, in percentage points); each a run id, or a model id or `champion`')
    .addHelpText('after', `\n${RUN_COMPARE_UNITS}`)
    .action(async (a: string, b: string) => {
      const [ra, rb] = await Promise.all([readRunOf(ctx.home, a), readRunOf(ctx.home, b)]);
      ctx.stdout.write(`${formatTable(['', 'a', 'b', 'b - a'], compareRunRows(ra, rb).map((row) => row.map(safeValue)))}\n\n${RUN_COMPARE_UNITS}\n`);
    });
}
