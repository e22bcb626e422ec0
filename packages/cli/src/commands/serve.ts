import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Placeholder until its issue lands: the command is listed but says plainly that it is not there yet.
export function registerServe(program: Command, _ctx: CliContext): void {
  program
    .command('serve')
    .description('Serve the champion model over HTTP')
    .action(() => {
      throw new Error('mailroute serve is not implemented yet');
    });
}
