import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { applyGate, comparePredictions, comparisonMarkdown, GateFailedError, GatePolicyError, parseGatePolicy, type GatePolicy } from '@mailroute/evaluation';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { createProgress } from '../progress.js';
import { modelModeUnavailable, parseIntFlag, readPredictionFile } from './evaluate.js';

interface CompareFlags {
  challenger?: string;
  champion?: string;
  data?: string;
  policy?: string;
  out?: string;
  resamples?: string;
  seed?: string;
}

/** The gate policy: `--policy <file>`, else `<MAILROUTE_HOME>/gate.json` when present, else the default. */
async function loadPolicy(ctx: CliContext, file: string | undefined): Promise<{ policy: GatePolicy; source: string }> {
  const candidate = file !== undefined ? path.resolve(ctx.cwd, file) : path.join(ctx.home, 'gate.json');
  if (file === undefined && !existsSync(candidate)) return { policy: parseGatePolicy({}), source: 'default policy' };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(candidate, 'utf8'));
  } catch (cause) {
    throw new GatePolicyError(`cannot read gate policy ${candidate}: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`, { cause });
  }
  return { policy: parseGatePolicy(json), source: candidate };
}

export function registerCompare(program: Command, ctx: CliContext): void {
  program
    .command('compare')
    .description('Compare a challenger with the champion and apply the gate (exit 1 when it fails)')
    .option('--challenger <file>', "the challenger's predictions JSONL (or a model with --data)")
    .option('--champion <file>', "the champion's predictions JSONL on the same test set (or a model with --data)")
    .option('--data <file>', 'labelled test set, when --challenger and --champion are models')
    .option('--policy <file>', 'gate policy JSON (default: $MAILROUTE_HOME/gate.json, else 0.5 pts max macro-F1 drop per task and no mean drop)')
    .option('--out <dir>', 'write comparison.json and gate.md here')
    .option('--resamples <n>', 'paired-bootstrap resamples', '1000')
    .option('--seed <n>', 'bootstrap seed', '20261129')
    .action(async (flags: CompareFlags) => {
      if (flags.data !== undefined) throw modelModeUnavailable('compare');
      if (flags.challenger === undefined || flags.champion === undefined) throw new UsageError('compare needs --challenger <file> and --champion <file>');
      const resamples = parseIntFlag('--resamples', flags.resamples, 10);
      const seed = parseIntFlag('--seed', flags.seed, 0);
      const { policy, source } = await loadPolicy(ctx, flags.policy);
      const challenger = await readPredictionFile(ctx, flags.challenger);
      const champion = await readPredictionFile(ctx, flags.champion);
      const progress = createProgress(ctx, 'compare');
      let comparison;
      try {
        comparison = comparePredictions(challenger, champion, { bootstrap: { resamples, seed }, onProgress: progress.update });
      } finally {
        progress.stop();
      }
      const gate = applyGate(comparison, policy);
      const names = { challenger: path.basename(flags.challenger), champion: path.basename(flags.champion) };
      const markdown = `${comparisonMarkdown(comparison, gate, names)}\nPolicy: ${source === 'default policy' ? source : path.relative(ctx.cwd, source) || source}.\n`;
      ctx.stdout.write(markdown);
      if (flags.out !== undefined) {
        const out = path.resolve(ctx.cwd, flags.out);
        await mkdir(out, { recursive: true });
        await writeFile(path.join(out, 'comparison.json'), `${JSON.stringify({ comparison, gate }, null, 2)}\n`);
        await writeFile(path.join(out, 'gate.md'), markdown);
      }
      if (!gate.pass) {
        const failed = gate.checks.filter((c) => !c.pass).map((c) => c.name);
        throw new GateFailedError(`gate failed: ${failed.join('; ')}`);
      }
    });
}
