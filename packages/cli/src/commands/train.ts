import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { DatasetError, DEMO_CONFIG_PATH, loadTrainingConfig, trainFromConfig } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { InterruptedError } from '../errors.js';
import { formatSeconds } from '../format-seconds.js';
import { stagedProgress } from '../progress.js';
import { readOptions, type ReadFlags } from './evaluate.js';
import { routingLabelWarnings, trainResultLines } from './train-result.js';
import { safeLines } from '../terminal-text.js';
import { twoStepInterrupt } from '../interrupt.js';
import { logLines, outputWriteError } from '../write-output.js';

interface TrainFlags extends ReadFlags {
  config?: string;
  data: string[];
  testData?: string;
  note?: string;
  mode?: 'multi-task' | 'single-task';
}

/**
 * `mailroute train --config cfg.json --data export.csv`: trains, prints SageMaker-style epoch lines on
 * stdout, registers the model as PendingManualApproval and prints its id last. Ctrl-C stops it at the next
 * epoch or step (exit code 130) with no model registered; once the model is being registered, the run completes.
 * A reader closing stdout early (`| head`) stops the lines, not the training; the id then goes to stderr.
 */
export function registerTrain(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description('Train a model from a CRM export and register it (PendingManualApproval)')
    .requiredOption('--data <files...>', 'CSV or JSONL export(s), read together')
    .option('--config <file>', 'training config JSON (default: the demo config, for `mailroute demo-data` files)')
    .option('--test-data <file>', 'a separate test file; then no test share is split off --data')
    .option('--note <text>', 'a note stored with the run and the registered version (runs list shows it)')
    .addOption(
      new Option('--on-bad-row <mode>', 'skip: leave out rows of --data and --test-data that cannot be read (no text, a bad date, a label outside the taxonomy) and list them on stderr; fail: stop, listing the first (default: the config\'s "onBadRow", fail unless it says skip)').choices(['fail', 'skip']),
    )
    .addOption(
      new Option('--mode <mode>', 'multi-task: one model, its embedding shared by every task; single-task: a separate model (embedding and head) per task, each stopped early on its own validation F1 (default: the config\'s "model.mode", multi-task unless it says single-task)').choices(['multi-task', 'single-task']),
    )
    .option('--delimiter <char>', 'CSV field delimiter of --data and --test-data, one character or `tab` (default: the config\'s "delimiter", usually ","; a file whose first line is Excel\'s sep=; is split by the one it names)')
    .action(async (flags: TrainFlags) => {
      const commandStarted = performance.now();
      // A bad --delimiter is a usage error, before the config or any data is read.
      const read = readOptions(flags);
      // So is an empty MAILROUTE_HOME, before anything is said or read.
      const home = ctx.home;
      const configFile = flags.config ? path.resolve(ctx.cwd, flags.config) : DEMO_CONFIG_PATH;
      if (!flags.config) ctx.stderr.write(`no --config: using the demo config (${path.relative(ctx.cwd, DEMO_CONFIG_PATH)})\n`);
      // The flags override the config's values; the run and the model keep the config as used.
      const loaded = await loadTrainingConfig(configFile);
      const config = { ...loaded, ...read, ...(flags.mode ? { model: { ...loaded.model, mode: flags.mode } } : {}) };
      const progress = stagedProgress(ctx, 'train');
      // Lines written while a bar is drawn start on a cleared line, not glued to the bar.
      const log = (message: string) => {
        progress.clearLine();
        ctx.stderr.write(safeLines(`${message}\n`));
      };
      // Ctrl-C: the run stops at its next epoch or step, keeps its epochs (recorded as they come) and is
      // recorded as interrupted; the bar gives the terminal back its cursor. Not once the model is being
      // registered: the run then completes, so that a registered model never belongs to an interrupted run.
      // A second Ctrl-C quits at once (reading a big export, say, looks at the first only when it is done):
      // registry writes are atomic, so no half model is left; `runs list` shows the run as interrupted (its process is gone).
      const interrupt = twoStepInterrupt(ctx, {
        first: () => progress.stop(),
        // Once the model is registered, a Ctrl-C while the process closes must not end it with 130 (nothing registered).
        quietAfter: true,
        again: () => progress.stop(),
        stopping: (signal) => `stopping at the next step (a model already being registered is kept; ${signal} again quits at once)`,
        quitting: 'quitting now (`mailroute registry list` shows whether the model got registered)',
        reason: new InterruptedError('interrupted: the run keeps the epochs done so far (mailroute runs list); no model was registered'),
      });
      // The epoch lines are a log: `| head` closing it early does not stop the training.
      const out = logLines(ctx.stdout);
      try {
        const result = await trainFromConfig({
          config,
          ...(flags.config ? { configFile: flags.config } : {}),
          dataPath: flags.data.map((d) => path.resolve(ctx.cwd, d)),
          ...(flags.testData ? { testDataPath: path.resolve(ctx.cwd, flags.testData) } : {}),
          home,
          onProgress: progress.update,
          onEpoch: (_report, line) => {
            progress.clearLine();
            void out.write(safeLines(`${line}\n`));
          },
          logger: { info: log, warn: (m) => log(`warning: ${m}`) },
          ...(flags.note ? { note: flags.note } : {}),
          signal: interrupt.signal,
        });
        progress.stop();
        const measuredOn = flags.testData ? `test file ${path.basename(flags.testData)}` : `${result.metricsSplit} split`;
        const lines = trainResultLines(result, measuredOn);
        void out.write(safeLines(`${lines.final}\n`));
        ctx.stderr.write(safeLines(`${lines.kept ? `${lines.kept}\n` : ''}${lines.measured}\n${lines.operating ? `${lines.operating}\n` : ''}training ${formatSeconds(result.trainingSeconds)} s (the whole run ${formatSeconds((performance.now() - commandStarted) / 1000)} s: reading, cleaning, measuring and registering too), run ${result.runId}\n`));
        // A queue the model cannot predict though the config kept it (no rows, merged into `other`): said last, where it is read.
        for (const warning of routingLabelWarnings(result.taxonomy, config)) ctx.stderr.write(safeLines(`warning: ${warning}\n`));
        if (interrupt.signal.aborted) ctx.stderr.write('Ctrl-C came while the model was being registered: the run completed\n');
        const registered = `registered ${result.modelId} (version ${result.version.version}, ${result.version.status})\n`;
        await out.write(registered);
        if (out.closed) ctx.stderr.write(`standard output was closed before the end (its reader quit, as \`| head\` does); the training went on: ${registered}`);
        // Standard output failed (a full disk): the log ended there, the training did not; said as the failure it is.
        if (out.failed) throw trainedThough(out.failed, registered);
      } catch (error) {
        // Without --config the columns looked for are the demo data's: say so, rather than blame the export.
        if (!flags.config && error instanceof DatasetError && error.reason === 'lacks-columns') {
          throw new DatasetError(error.code, `${error.message}; those are the demo config's columns (no --config was given): write a training config that names your export's columns and tasks, and pass it with --config`, error.problems, { cause: error });
        }
        throw error;
      } finally {
        interrupt.release();
        progress.stop();
      }
    });
}

/** A failure to write the epoch lines, said with what the training did all the same: exit code 1, the model registered. */
function trainedThough(error: Error, registered: string): unknown {
  const failure = outputWriteError('standard output', error);
  if (failure instanceof Error) failure.message = `${failure.message}; the training went on: ${registered.trim()}`;
  return failure;
}
