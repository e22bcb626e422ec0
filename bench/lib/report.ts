import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
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

/** A table cell: integers as they are, other numbers to 4 significant digits but never in exponent form (17101.1 is 17101, not 1.710e+4). */
export function cell(value: string | number | null): string {
  if (value === null) return '–';
  if (typeof value !== 'number') return value;
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  const digits = Math.floor(Math.log10(Math.abs(value))) + 1;
  return digits >= 4 ? String(Math.round(value)) : value.toFixed(Math.min(20, 4 - digits));
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

/** Writes `bench-results/<section>.json` and `.md` and returns their paths. */
export function writeSection(result: SectionResult, outDir = path.resolve('bench-results')): string[] {
  mkdirSync(outDir, { recursive: true });
  const meta = { machine: machine(), date: new Date().toISOString(), commit: commit() };
  const json = path.join(outDir, `${result.section}.json`);
  const md = path.join(outDir, `${result.section}.md`);
  writeFileSync(json, `${JSON.stringify({ ...meta, ...result }, null, 2)}\n`);
  writeFileSync(md, toMarkdown(result, meta));
  return [json, md];
}

/** Median of a list of numbers (the machines are noisy: report medians and ratios). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Where the shared public data lives, or undefined when this clone has no `../shared`. */
export function sharedData(): string | undefined {
  const dir = path.resolve(process.env.MAILROUTE_SHARED_DATA ?? '../shared/data');
  try {
    execSync(`test -d "${dir}"`);
    return dir;
  } catch {
    return undefined;
  }
}
