import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Placeholder until its issue lands: the command is listed but says plainly that it is not there yet.
export function registerEvaluate(program: Command, _ctx: CliContext): void {
  program
    .command('evaluate')
    .description('Evaluate predictions or a model: metrics, reports and pictures')
    .action(() => {
      throw new Error('mailroute evaluate is not implemented yet');
    });
}
