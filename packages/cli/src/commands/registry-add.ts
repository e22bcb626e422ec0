import path from 'node:path';
import type { Command } from 'commander';
import { createLocalRegistry } from '@mailroute/model';
import type { CliContext } from '../context.js';
import { safeLines } from '../terminal-text.js';

/**
 * `mailroute registry add <dir> [--note text]`: registers a model's artifact directory made elsewhere (a SageMaker
 * training job's model.tar.gz unpacked, the model a `train` kept when the registry could not take it), as `train`
 * registers its own: the files checked against the manifest's sha256, copied in, the version awaiting approval.
 */
export function registerAdd(registry: Command, ctx: CliContext): void {
  registry
    .command('add <dir>')
    .description(
      "Register a model's artifact directory (manifest.json and the files it lists) made elsewhere: a SageMaker training job's model.tar.gz unpacked, or the model a train kept when the registry could not take it; its files are checked against the manifest's sha256 and copied in, as PendingManualApproval",
    )
    .option('--note <text>', 'a note stored with the version (registry show has it)')
    .action(async (dir: string, flags: { note?: string }) => {
      const version = await createLocalRegistry({ home: ctx.home }).register(path.resolve(ctx.cwd, dir), flags.note === undefined ? {} : { note: flags.note });
      ctx.stdout.write(safeLines(`registered ${version.id} (version ${version.version}, ${version.status})\n`));
    });
}
