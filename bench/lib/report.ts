import { execSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One measured figure: always with its unit, so the JSON reads on its own. */
export interface Figure {
  name: string;
  value: number | string | null;
  unit: string;
  /** Optional reference figure measured in the same run, and what it is. */
  reference?: { name: string; value: number | string | null };
  note?: string;
}

export interface Table {
  title: string;
  columns: string[];
  rows: Array<Array<string | number | null>>;
}

export interface SectionResult {
  section: string;
  figures: Figure[];
  tables: Table[];
  notes: string[];
  /**
   * Why the section measured nothing (no shared data, no reference): bench/run.ts then writes no result file,
   * so the results of an earlier run stay as they were.
   */
  skipped?: string;
}

/** The result of a section that measured nothing, and why. */
export function skippedSection(section: string, reason: string): SectionResult {
  return { section, figures: [], tables: [], notes: [`Skipped: ${reason}`], skipped: reason };
}

export function machine(): Record<string, string | number> {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
  };
}

/** The commit measured, with `-dirty` when the working tree has changes to tracked files (the figures are then of other code). */
export function commit(): string {
  const git = (args: string) => execSync(`git ${args}`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  try {
    const head = git('rev-parse --short HEAD');
    return git('status --porcelain --untracked-files=no') === '' ? head : `${head}-dirty`;
  } catch {
    return 'unknown';
  }
}

/**
 * A table cell, the one place numbers are rounded for display: integers as they are, numbers of 1000 or more to
 * whole numbers (17101.1 is 17101, not 1.710e+4), others to 4 significant digits without the trailing zeros
 * (0.45 is 0.45, not 0.4500: a figure rounded to 2 decimals shows no digits it does not have) and never in
 * exponent form.
 */
export function cell(value: string | number | null): string {
  if (value === null) return '–';
  if (typeof value !== 'number') return value;
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  // 4 significant digits first, then the layout: 999.96 rounds to 1000, shown as 1000 (not 1000.0).
  const rounded = Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(4));
  if (Number.isInteger(rounded)) return String(rounded);
  const decimals = Math.min(100, 3 - Math.floor(Math.log10(Math.abs(rounded))));
  return rounded.toFixed(decimals).replace(/0+$/, '').replace(/\.$/, '');
}

export function toMarkdown(result: SectionResult, meta: Record<string, unknown>): string {
  const lines = [`# Benchmark: ${result.section}`, '', `Commit ${meta.commit}, ${meta.date}, ${JSON.stringify(meta.machine)}`, ''];
  for (const table of result.tables) {
    lines.push(`## ${table.title}`, '', `| ${table.columns.join(' | ')} |`, `| ${table.columns.map(() => '---').join(' | ')} |`);
    for (const row of table.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
    lines.push('');
  }
  if (result.figures.length > 0) {
    lines.push('## Figures', '', '| figure | value | unit | reference | note |', '| --- | --- | --- | --- | --- |');
    for (const f of result.figures) {
      const ref = f.reference ? `${f.reference.name}: ${cell(f.reference.value)}` : '';
      lines.push(`| ${f.name} | ${cell(f.value)} | ${f.unit} | ${ref} | ${f.note ?? ''} |`);
    }
    lines.push('');
  }
  if (result.notes.length > 0) lines.push('## Notes', '', ...result.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

/**
 * Writes `file` through a temp file beside it and a rename: a reader (or a run killed mid-write) sees the old
 * file or the new one, never half of one. A failure leaves the old file and no temp file.
 */
export function writeFileAtomicSync(file: string, data: string, write: (file: string, data: string) => void = writeFileSync): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(16).slice(2, 10)}.tmp`);
  try {
    write(tmp, data);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** Writes `bench-results/<section>.json` and `.md` (each atomically) and returns their paths. */
export function writeSection(result: SectionResult, outDir = path.resolve('bench-results')): string[] {
  if (result.skipped !== undefined) throw new Error(`bench: ${result.section} was skipped (${result.skipped}): a skipped section writes no result file`);
  mkdirSync(outDir, { recursive: true });
  const meta = { machine: machine(), date: new Date().toISOString(), commit: commit() };
  const json = path.join(outDir, `${result.section}.json`);
  const md = path.join(outDir, `${result.section}.md`);
  writeFileAtomicSync(json, `${JSON.stringify({ ...meta, ...result }, null, 2)}\n`);
  writeFileAtomicSync(md, toMarkdown(result, meta));
  return [json, md];
}

/** Median of a list of numbers (the machines are noisy: report medians and ratios); an empty list is an error, not NaN. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values: nothing was measured');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The peer with the highest score (the first of equals), `ours` left out: the reference of a "best peer" figure. */
export function bestPeer(scores: Record<string, number>, ours: string): string {
  const peers = Object.keys(scores).filter((name) => name !== ours);
  if (peers.length === 0) throw new Error('bestPeer: no peer to compare with');
  return peers.reduce((best, name) => (scores[name] > scores[best] ? name : best));
}

/**
 * The `q` quantile (0 < q <= 1) of values sorted ascending, by nearest rank: the smallest value with at least
 * q of the values at or below it (p99 of 100 values is the 99th, not the largest).
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no values: nothing was measured');
  if (!(q > 0 && q <= 1)) throw new RangeError(`percentile: q must be in (0, 1], not ${q}`);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The folder where the shared public data is looked for: MAILROUTE_SHARED_DATA, else ../shared/data (from the working directory). */
export function sharedDataPath(): string {
  return path.resolve(process.env.MAILROUTE_SHARED_DATA ?? '../shared/data');
}

/** Where the shared public data lives, or undefined when there is no folder at sharedDataPath(). */
export function sharedData(): string | undefined {
  const dir = sharedDataPath();
  try {
    return statSync(dir).isDirectory() ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Why there is no shared data, naming the path tried. */
export function sharedDataAbsent(): string {
  const from = process.env.MAILROUTE_SHARED_DATA === undefined ? 'the default ../shared/data; set MAILROUTE_SHARED_DATA to its path' : 'from MAILROUTE_SHARED_DATA';
  return `the shared data is absent: no folder at ${sharedDataPath()} (${from})`;
}
