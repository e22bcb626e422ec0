import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Placeholder until its issue lands: the command is listed but says plainly that it is not there yet.
export function registerStart(program: Command, _ctx: CliContext): void {
  program
    .command('start')
    .description('Train a demo model if there is no champion, then serve it on localhost')
    .action(() => {
      throw new Error('mailroute start is not implemented yet');
    });
}
