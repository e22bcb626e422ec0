/**
 * `npm run bench [-- section ...]`: runs the benchmark sections (all by default) and writes
 * `bench-results/<section>.json` and `.md`. Each section is `bench/<section>.ts` exporting `run()`.
 */
import { writeSection, type SectionResult } from './lib/report.js';

type Section = () => Promise<SectionResult>;

const sections: Record<string, () => Promise<Section>> = {
  preprocess: async () => (await import('./preprocess.js')).run,
  training: async () => (await import('./training.js')).run,
  'training-splits': async () => (await import('./training-splits.js')).run,
  serving: async () => (await import('./serving.js')).run,
  evaluation: async () => (await import('./evaluation.js')).run,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in sections));
if (unknown.length > 0) {
  console.error(`bench: unknown section(s) ${unknown.join(', ')}; known: ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(sections)) {
  console.error(`bench: ${name} ...`);
  const run = await sections[name]();
  const result = await run();
  for (const file of writeSection(result)) console.error(`bench: wrote ${file}`);
}
