/**
 * `npm run bench [-- section ...]`: runs the benchmark sections (all by default) and writes
 * `bench-results/<section>.json` and `.md` (in the working directory). Each section is `bench/<section>.ts`
 * exporting `run()`. A section that cannot measure (no shared data, no reference) is skipped: it writes no file,
 * so earlier results stay. Exit code 0 when at least one section was measured, 3 (ALL_SKIPPED_EXIT_CODE) when
 * every section asked for was skipped, 2 for a usage error or a setting out of range, 1 when a section failed.
 */
import { BenchSettingError } from './lib/env.js';
import { ALL_SKIPPED_EXIT_CODE, runSections, type Section } from './lib/run-sections.js';

const sections: Record<string, () => Promise<Section>> = {
  preprocess: async () => (await import('./preprocess.js')).run,
  training: async () => (await import('./training.js')).run,
  'training-splits': async () => (await import('./training-splits.js')).run,
  serving: async () => (await import('./serving.js')).run,
  evaluation: async () => (await import('./evaluation.js')).run,
};

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: npm run bench [-- section ...]   (default: every section, in this order)

Sections: ${Object.keys(sections).join(', ')}
Each writes bench-results/<section>.json and .md (in the working directory), measured beside a reference in
the same run. A section that cannot measure (no shared data; training-splits: no scikit-learn) is skipped and
writes nothing, so earlier results are kept. Every section's notes are printed.

Exit code: 0 when at least one section was measured; ${ALL_SKIPPED_EXIT_CODE} when every section asked for was skipped;
2 for an unknown section or option, or a setting out of range; 1 when a section failed.

Environment:
  BENCH_RUNS=N                   preprocess: timed rounds of cleaning and of language detection (default 15)
  MAILROUTE_BENCH_SINGLE_TASK=1  training: add the tickets in single-task mode
  MAILROUTE_BENCH_SPLITS=N       training-splits: split seeds 1..N (default 10)
  MAILROUTE_BENCH_MODEL_SEEDS=M  training-splits: model seeds 0..M-1 (default 5)
  MAILROUTE_BENCH_SECONDS=S      serving: seconds per load run (default 15)
  MAILROUTE_BENCH_ROUNDS=R       serving: rounds of constant route + mailroute (default 3)
  MAILROUTE_SHARED_DATA=DIR      all but serving: where the public data is (default ../shared/data)`);
  process.exit(0);
}
const options = args.filter((a) => a.startsWith('-'));
if (options.length > 0) {
  console.error(`bench: unknown option(s) ${options.join(', ')}; see npm run bench -- --help`);
  process.exit(2);
}
const wanted = args;
const unknown = wanted.filter((w) => !(w in sections));
if (unknown.length > 0) {
  console.error(`bench: unknown section(s) ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}
// Every section reads its settings when loaded: all are loaded first, so a bad one stops the run before any work.
const chosen = wanted.length > 0 ? wanted : Object.keys(sections);
let runs: Section[];
try {
  runs = [];
  for (const name of chosen) runs.push(await sections[name]());
} catch (error) {
  // A setting out of range is the caller's to fix: one line, not a stack.
  if (!(error instanceof BenchSettingError)) throw error;
  console.error(`bench: ${error.message}`);
  process.exit(2);
}
process.exitCode = await runSections(chosen.map((name, i) => [name, runs[i]] as const));
