import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Placeholder until its issue lands: the command is listed but says plainly that it is not there yet.
export function registerRuns(program: Command, _ctx: CliContext): void {
  program
    .command('runs')
    .description('List experiment runs or compare two')
    .action(() => {
      throw new Error('mailroute runs is not implemented yet');
    });
}
