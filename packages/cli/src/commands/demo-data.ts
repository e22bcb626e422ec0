import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Placeholder until its issue lands: the command is listed but says plainly that it is not there yet.
export function registerDemoData(program: Command, _ctx: CliContext): void {
  program
    .command('demo-data')
    .description('Write the synthetic demo dataset')
    .action(() => {
      throw new Error('mailroute demo-data is not implemented yet');
    });
}
