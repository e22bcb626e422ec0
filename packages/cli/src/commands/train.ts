import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Placeholder until its issue lands: the command is listed but says plainly that it is not there yet.
export function registerTrain(program: Command, _ctx: CliContext): void {
  program
    .command('train')
    .description('Train a model from a CRM export and register it')
    .action(() => {
      throw new Error('mailroute train is not implemented yet');
    });
}
