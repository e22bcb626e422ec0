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

export function commit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

function cell(value: string | number | null): string {
  if (value === null) return '–';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return value;
}

export function toMarkdown(result: SectionResult, meta: Record<string, unknown>): string {
  const lines = [`# Benchmark: ${result.section}`, '', `Commit ${meta.commit}, ${meta.date}, ${JSON.stringify(meta.machine)}`, ''];
  for (const table of result.tables) {
    lines.push(`## ${table.title}`, '', `| ${table.columns.join(' | ')} |`, `| ${table.columns.map(() => '---').join(' | ')} |`);
    for (const row of table.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
    lines.push('');
  }
  if (result.figures.length > 0) {
    lines.push('## Figures', '', '| figure | value | unit | reference |', '| --- | --- | --- | --- |');
    for (const f of result.figures) {
      const ref = f.reference ? `${f.reference.name}: ${cell(f.reference.value)}` : '';
      lines.push(`| ${f.name} | ${cell(f.value)} | ${f.unit} | ${ref} |`);
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
