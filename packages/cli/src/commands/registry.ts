import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Placeholder until its issue lands: the command is listed but says plainly that it is not there yet.
export function registerRegistry(program: Command, _ctx: CliContext): void {
  program
    .command('registry')
    .description('List, show, approve or reject registered models')
    .action(() => {
      throw new Error('mailroute registry is not implemented yet');
    });
}
