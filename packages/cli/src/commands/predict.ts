import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Placeholder until its issue lands: the command is listed but says plainly that it is not there yet.
export function registerPredict(program: Command, _ctx: CliContext): void {
  program
    .command('predict')
    .description('Predict labels for a dataset with a model')
    .action(() => {
      throw new Error('mailroute predict is not implemented yet');
    });
}
