import path from 'node:path';
import type { Command } from 'commander';
import { predictionLineChunks, type PredictionLine } from '@mailroute/evaluation';
import { loadTrainingConfig, predictDatasetChunks } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { InterruptedError } from '../errors.js';
import { twoStepInterrupt } from '../interrupt.js';
import { prepareOutput } from '../output-path.js';
import { OWNER_ONLY, removeOwnTempFiles, writeOutputFile, writeStdout } from '../write-output.js';
import { addReadFlags, modelRef, parseSplitFlag, readOptions, type ReadFlags } from './evaluate.js';
import { formatSeconds } from '../format-seconds.js';
import { stagedProgress } from '../progress.js';
import { safeLines } from '../terminal-text.js';

interface PredictFlags extends ReadFlags {
  model: string;
  data: string[];
  out: string;
  config?: string;
  split?: string;
}

/** `mailroute predict --model <id|dir|champion> --data file --out preds.jsonl`: the evaluation line format. */
export function registerPredict(program: Command, ctx: CliContext): void {
  const command = program
    .command('predict')
    .description('Predict every row of a dataset with a model; writes prediction lines (JSONL) for `mailroute evaluate`. Labels are optional: a file of unlabelled emails needs only a text column of the model\'s config')
    .requiredOption('--model <ref>', 'registry id, `champion`, or an artifact directory')
    .requiredOption('--data <files...>', 'CSV or JSONL file(s)')
    .requiredOption('--out <file>', 'predictions JSONL to write')
    .option('--config <file>', 'training config to read the data with (default: the one stored in the model)')
    .option('--split <name>', '"test": predict only the rows the model held out when trained from --data (the same file(s))');
  addReadFlags(command)
    .action(async (flags: PredictFlags) => {
      const read = readOptions(flags);
      const config = flags.config ? await loadTrainingConfig(path.resolve(ctx.cwd, flags.config)) : undefined;
      const model = modelRef(ctx, flags.model);
      const split = parseSplitFlag(flags.split);
      const out = await prepareOutput(ctx.cwd, flags.out, 'file', '--out', [...flags.data, ...(flags.config ? [flags.config] : [])], ctx.home);
      const progress = stagedProgress(ctx, 'predict');
      const started = performance.now();
      // The rows are read, then cleaned, predicted and written a chunk (PREDICTION_CHUNK rows) at a time into a temporary
      // file renamed into place. Ctrl-C stops at the next chunk (reading the files does not stop: it stops once they are
      // read), and the temporary file is removed: --out is as it was. A second Ctrl-C removes it and quits at once.
      const interrupt = twoStepInterrupt(ctx, {
        stopping: (signal) => `stopping (${signal} again quits at once)`,
        quitting: `quitting now; ${flags.out} is as it was`,
        reason: new InterruptedError(`interrupted: nothing was written to ${flags.out}; it is as it was`),
        again: () => removeOwnTempFiles(out),
      });
      try {
        const options = {
          model,
          dataPath: flags.data.map((d) => path.resolve(ctx.cwd, d)),
          ...(config ? { config, configFile: flags.config } : {}),
          home: ctx.home,
          ...(split ? { split } : {}),
          ...read,
          onProgress: progress.update,
          // Said above the bar (reading a big file draws one), not glued to its end.
          onWarning: (message: string) => {
            progress.clearLine();
            ctx.stderr.write(safeLines(`warning: ${message}\n`));
          },
          signal: interrupt.signal,
        };
        const rows = await predictDatasetChunks(options, async ({ rows, chunks }) => {
          // Never a half-written file, never one big string. The lines came out of the line schema as predicting built
          // them: not checked again. Email ids with their labels (and truths): the owner's alone, whatever the umask.
          await writeOutputFile(out, jsonl(chunks), `--out ${flags.out}`, { mode: OWNER_ONLY });
          return rows;
        });
        progress.stop();
        const seconds = (performance.now() - started) / 1000;
        await writeStdout(ctx.stdout, `wrote ${rows} prediction lines to ${flags.out} (${formatSeconds(seconds)} s)\n`);
      } finally {
        interrupt.release();
        progress.stop();
      }
    });
}

/** The chunks of prediction lines as JSONL text, 1,000 lines a string. */
async function* jsonl(chunks: AsyncIterable<PredictionLine[]>): AsyncGenerator<string> {
  for await (const lines of chunks) yield* predictionLineChunks(lines, 1000, { parsed: true });
}
