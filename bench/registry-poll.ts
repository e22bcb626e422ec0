/**
 * What a server's champion poll (every 5 s: `champion()`, then `get()` of its id) costs the request thread as the
 * registry grows, with the parsed index kept while `registry.json` is unchanged, beside the same poll that parses
 * the file anew (a fresh registry each poll, as every poll did before the cache). Not a `npm run bench` section;
 * run it alone: `npx tsx bench/registry-poll.ts [versions] [polls]`. Writes bench-results/registry-poll.{json,md}.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { writeFixture } from '@mailroute/model/testing';
import { countFromArg } from './lib/env.js';
import { commit, median, writeSection } from './lib/report.js';

const versions = countFromArg('versions (first argument)', process.argv[2], 2000, 1, 1_000_000);
const polls = countFromArg('polls (second argument)', process.argv[3], 21, 1, 10_000);

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-bench-registry-'));
try {
  const home = path.join(dir, 'home');
  const artifact = path.join(dir, 'artifact');
  await writeFixture(artifact, 0.5);
  const setup = createLocalRegistry({ home });
  const champion = await setup.register(artifact);
  await setup.approve(champion.id, { force: true });
  // The index of a registry that has trained for years: the champion and many Rejected versions like it.
  const file = path.join(home, 'registry.json');
  const index = JSON.parse(readFileSync(file, 'utf8')) as { versions: Array<Record<string, unknown>> };
  const [entry] = index.versions;
  for (let i = 1; i < versions; i++) index.versions.push({ ...entry, id: `${String(entry.id)}-old-${i}`, version: Number(entry.version) + i, status: 'Rejected' });
  writeFileSync(file, JSON.stringify(index, null, 2));

  const poll = async (registry: ReturnType<typeof createLocalRegistry>): Promise<number> => {
    const started = performance.now();
    const current = await registry.champion();
    if (current) await registry.get(current.id);
    return performance.now() - started;
  };
  const kept = createLocalRegistry({ home });
  await poll(kept); // the first poll parses, as a server's first does
  const cached: number[] = [];
  const parsed: number[] = [];
  // Interleaved, so that the machine's load falls on both alike.
  for (let i = 0; i < polls; i++) {
    cached.push(await poll(kept));
    parsed.push(await poll(createLocalRegistry({ home })));
  }
  const [c, p] = [median(cached), median(parsed)];
  const written = writeSection({
    section: 'registry-poll',
    figures: [
      { name: `champion poll (champion + get), index kept while unchanged, ${versions} versions, median of ${polls}`, value: Number(c.toFixed(3)), unit: 'ms', reference: { name: 'the same poll parsing registry.json anew (ms)', value: Number(p.toFixed(3)) } },
      { name: 'parsed anew / kept', value: Number((p / c).toFixed(1)), unit: 'ratio' },
    ],
    tables: [],
    notes: [`Commit ${commit()}. Synthetic index: one fixture model and ${versions - 1} Rejected copies of its entry; the poll of a server runs every 5 s (serve --poll-seconds).`],
  });
  console.log(`kept ${c.toFixed(3)} ms, parsed anew ${p.toFixed(3)} ms (median of ${polls} polls, ${versions} versions): ${(p / c).toFixed(1)}x; wrote ${written.join(', ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
