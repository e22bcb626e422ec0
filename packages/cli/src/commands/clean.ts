import type { Command } from 'commander';
import type { CliContext } from '../context.js';

// Placeholder until its issue lands: the command is listed but says plainly that it is not there yet.
export function registerClean(program: Command, _ctx: CliContext): void {
  program
    .command('clean')
    .description('Clean emails: strip quotes, signatures, disclaimers and HTML; mask personal data')
    .action(() => {
      throw new Error('mailroute clean is not implemented yet');
    });
}
