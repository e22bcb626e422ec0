import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Placeholder until its issue lands: the command is listed but says plainly that it is not there yet.
export function registerCompare(program: Command, _ctx: CliContext): void {
  program
    .command('compare')
    .description('Compare a challenger with the champion and apply the gate')
    .action(() => {
      throw new Error('mailroute compare is not implemented yet');
    });
}
