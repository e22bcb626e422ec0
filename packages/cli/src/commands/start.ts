import path from 'node:path';
import type { Command } from 'commander';
import { closeOnSignals } from '@mailroute/serving';
import { ensureDemoChampion } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { stagedProgress } from '../progress.js';
import { printBanner } from './serve-banner.js';
import { addServeOptions, checkServeSettings, lineLogger, refuseUnsafeListen, shutdownSignals, startFromFlags, timeZoneSetting, type ServeFlags } from './serve.js';
import { safeLines } from '../terminal-text.js';

/**
 * `npm start`: a champion model (trained on the synthetic demo data and approved when the registry has
 * none), then the server on 127.0.0.1:8080 until SIGTERM/SIGINT.
 */
export function registerStart(program: Command, ctx: CliContext): void {
  addServeOptions(program.command('start').description('Train and approve a demo model when the registry is empty, then serve the champion on localhost'), { sagemaker: false }).action(
    async (flags: ServeFlags) => {
      const home = flags.home ? path.resolve(ctx.cwd, flags.home) : ctx.home;
      // A public address without keys, a bad PORT or MAILROUTE_MAX_CONNECTIONS, or a named key file that is missing or
      // bad, is refused before the demo model is trained (and approved).
      refuseUnsafeListen(ctx, { ...flags, home });
      checkServeSettings(ctx, flags);
      const progress = stagedProgress(ctx, 'training the demo model');
      const champion = await ensureDemoChampion({
        home,
        onProgress: progress.update,
        logger: { info: (message) => void ctx.stderr.write(safeLines(`${message}\n`)), warn: (message) => void ctx.stderr.write(safeLines(`warning: ${message}\n`)) },
      }).finally(() => progress.stop());
      ctx.stderr.write(`champion model: ${champion.id}\n`);
      const logger = lineLogger(ctx);
      const server = await startFromFlags(ctx, { ...flags, home }, logger);
      printBanner(ctx, server, undefined, false, timeZoneSetting(ctx, flags));
      await closeOnSignals(server, shutdownSignals.emitter, logger);
    },
  );
}
