import type { Command } from 'commander';
import { DEMO_DEFAULT_ROWS, DEMO_DEFAULT_SEED, demoDataText } from '@mailroute/training';
import type { CliContext } from '../context.js';
import { prepareOutput, refuseStandardOutput } from '../output-path.js';
import { UsageError } from '../errors.js';
import { MAX_SEED, wholeNumber } from '../numbers.js';
import { writeOutputFile, writeStdout } from '../write-output.js';

/**
 * The most rows demo-data writes: the file is made as one string, which V8 holds up to about 512 MB (some
 * 900,000 rows of JSONL); a larger --rows ran for minutes and then failed with "Invalid string length", or
 * ran out of memory.
 */
const MAX_DEMO_ROWS = 500_000;

/** `mailroute demo-data --out demo.csv [--rows N] [--seed S]`: the synthetic demo dataset. */
export function registerDemoData(program: Command, ctx: CliContext): void {
  program
    .command('demo-data')
    .description('Write the synthetic demo dataset (invented German and English mail to a broker; CSV, or JSONL for *.jsonl or *.ndjson)')
    .requiredOption('--out <file>', 'file to write (.csv, or .jsonl / .ndjson for JSONL)')
    .option('--rows <n>', `number of emails, at most ${MAX_DEMO_ROWS} (default ${DEMO_DEFAULT_ROWS})`)
    .option('--seed <s>', `random seed, 0 to ${MAX_SEED}; the same seed gives the same file, and ids of its own (demo-s7-000001 for seed 7; demo-000001 for the default, ${DEMO_DEFAULT_SEED})`)
    .action(async (flags: { out: string; rows?: string; seed?: string }) => {
      const rows = flags.rows === undefined ? DEMO_DEFAULT_ROWS : wholeNumber('--rows', flags.rows, 1, MAX_DEMO_ROWS);
      const seed = flags.seed === undefined ? DEMO_DEFAULT_SEED : wholeNumber('--seed', flags.seed, 0, MAX_SEED);
      refuseStandardOutput(flags.out, 'file');
      if (!/\.(csv|jsonl|ndjson)$/i.test(flags.out)) throw new UsageError(`--out ${flags.out}: the file must end in .csv, .jsonl or .ndjson (it picks the format, as training reads it)`);
      const out = await prepareOutput(ctx.cwd, flags.out, 'file', '--out', [], ctx.home);
      const { text, rows: n } = demoDataText(out, { rows, seed });
      await writeOutputFile(out, [text], `--out ${flags.out}`);
      await writeStdout(ctx.stdout, `wrote ${n} synthetic ${n === 1 ? 'email' : 'emails'} to ${flags.out} (seed ${seed})\n`);
    });
}
