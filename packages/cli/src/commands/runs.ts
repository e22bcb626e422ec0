import type { Command } from 'commander';
import { compareRunRows, formatRunList, formatTable, listRuns, readRun } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { refuseUnknownSubcommand } from '../errors.js';

/** `mailroute runs [list] | runs show <id> | runs compare <a> <b>`: experiment runs under MAILROUTE_HOME/runs. */
export function registerRuns(program: Command, ctx: CliContext): void {
  const cmd = program.command('runs').description('List experiment runs, show one, or compare two side by side');

  cmd
    .command('list', { isDefault: true })
    .description('Runs, newest first; a failed run with the first line of its error (runs show has it whole)')
    .option('--json', 'print JSON')
    .allowExcessArguments()
    .action(async (flags: { json?: boolean }, list: Command) => {
      refuseUnknownSubcommand(cmd, list.args);
      const runs = await listRuns(ctx.home, { onDamaged: (error) => ctx.stderr.write(`warning: ${error.message}; not listed\n`) });
      if (flags.json) {
        ctx.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
        return;
      }
      if (runs.length === 0) {
        ctx.stdout.write(`no runs in ${ctx.home}\n`);
        return;
      }
      ctx.stdout.write(`${formatRunList(runs)}\n`);
    });

  cmd
    .command('show <runId>')
    .description('The full run record (config, data hash, counts, epochs, metrics) as JSON')
    .action(async (runId: string) => {
      ctx.stdout.write(`${JSON.stringify(await readRun(ctx.home, runId), null, 2)}\n`);
    });

  cmd
    .command('compare <a> <b>')
    .description('Two runs side by side: data, counts, metrics and their differences (b - a)')
    .action(async (a: string, b: string) => {
      const [ra, rb] = await Promise.all([readRun(ctx.home, a), readRun(ctx.home, b)]);
      ctx.stdout.write(`${formatTable(['', 'a', 'b', 'b - a'], compareRunRows(ra, rb))}\n`);
    });
}
