import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bestPeer, cell, median, percentile, sharedData, sharedDataAbsent, skippedSection, toMarkdown, writeFileAtomicSync, writeSection } from './report.js';

describe('benchmark tables', () => {
  it('write numbers to 4 significant digits without exponent form, integers and text as they are', () => {
    expect(cell(17101.1257)).toBe('17101');
    expect(cell(0.7528)).toBe('0.7528');
    expect(cell(1.23456)).toBe('1.235');
    expect(cell(0.00012345)).toBe('0.0001234');
    expect(cell(2.220446049250313e-16)).toBe('0.000000000000000222');
    expect(cell(42)).toBe('42');
    expect(cell('met')).toBe('met');
    expect(cell(null)).toBe('–');
  });

  it('show no digits a figure does not have: no trailing zeros, and 999.96 rounds to 1000, not 1000.0', () => {
    expect(cell(0.45)).toBe('0.45');
    expect(cell(-0.5)).toBe('-0.5');
    expect(cell(93.7)).toBe('93.7');
    expect(cell(0.1 + 0.2)).toBe('0.3');
    expect(cell(999.96)).toBe('1000');
    expect(cell(-999.96)).toBe('-1000');
    expect(cell(999.94)).toBe('999.9');
    expect(cell(9.99996)).toBe('10');
  });

  it("show each figure's note in the Markdown, as in the JSON", () => {
    const md = toMarkdown(
      { section: 's', tables: [], notes: [], figures: [{ name: 'banking77 accuracy', value: 0.91493, unit: 'accuracy', reference: { name: 'target', value: 0.913 }, note: 'sklearn here: 0.9117' }] },
      { commit: 'abc1234', date: '2026-12-03', machine: {} },
    );
    expect(md).toContain('| banking77 accuracy | 0.9149 | accuracy | target: 0.913 | sklearn here: 0.9117 |');
  });
});

describe('median and percentile', () => {
  it('median of odd and even counts; an empty list is an error, not NaN', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it('percentile by nearest rank: p99 of 100 values is the 99th, of 2000 the 1980th, of 1 the only one', () => {
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(percentile(upTo(100), 0.99)).toBe(99);
    expect(percentile(upTo(100), 0.5)).toBe(50);
    expect(percentile(upTo(100), 1)).toBe(100);
    expect(percentile(upTo(2000), 0.99)).toBe(1980);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([7], 0.01)).toBe(7);
    expect(() => percentile([], 0.99)).toThrow(/no values/);
    expect(() => percentile([1], 0)).toThrow(/q must be/);
  });
});

describe('bestPeer', () => {
  it("is the peer with the highest score, ours left out (the language figure's reference)", () => {
    const acc = { ours: 97, 'tinyld (de/en only)': 94.9, 'franc-min (de/en only)': 96.8, 'franc-min (all)': 89.4 };
    expect(bestPeer(acc, 'ours')).toBe('franc-min (de/en only)');
    expect(() => bestPeer({ ours: 1 }, 'ours')).toThrow(/no peer/);
  });
});

describe('shared data', () => {
  let dir: string;
  const saved = process.env.MAILROUTE_SHARED_DATA;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bench-report-test-'));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.MAILROUTE_SHARED_DATA;
    else process.env.MAILROUTE_SHARED_DATA = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is found by its path alone, whatever characters it has (no shell): quotes, $(...), spaces', () => {
    // A shell would run the touch (into the temp folder: the path has a slash in it, so it is two nested folders).
    const odd = path.join(dir, `a "b" $(touch ${dir}/pwned) c`);
    mkdirSync(odd, { recursive: true });
    process.env.MAILROUTE_SHARED_DATA = odd;
    expect(sharedData()).toBe(odd);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
  });

  it('is absent for a missing path or a file, and the note names the path tried', () => {
    process.env.MAILROUTE_SHARED_DATA = path.join(dir, 'nonexistent');
    expect(sharedData()).toBeUndefined();
    expect(sharedDataAbsent()).toContain(path.join(dir, 'nonexistent'));
    expect(sharedDataAbsent()).not.toContain('../shared/data is absent');
    writeFileSync(path.join(dir, 'file'), 'x');
    process.env.MAILROUTE_SHARED_DATA = path.join(dir, 'file');
    expect(sharedData()).toBeUndefined();
  });
});

describe('result files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bench-report-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are written through a temp file and a rename: a write that fails half way leaves the old file and no temp file', () => {
    const file = path.join(dir, 'training.json');
    writeFileSync(file, 'old');
    const halfThenFail = (target: string, data: string) => {
      writeFileSync(target, data.slice(0, data.length / 2));
      throw new Error('disk full');
    };
    expect(() => writeFileAtomicSync(file, 'new results', halfThenFail)).toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['training.json']);
    writeFileAtomicSync(file, 'new results');
    expect(readFileSync(file, 'utf8')).toBe('new results');
    expect(readdirSync(dir)).toEqual(['training.json']);
  });

  it('writeSection writes the JSON and the Markdown, and refuses a skipped section', () => {
    const files = writeSection({ section: 's', figures: [{ name: 'f', value: 1, unit: 'x' }], tables: [], notes: [] }, dir);
    expect(files.map((f) => path.basename(f))).toEqual(['s.json', 's.md']);
    expect(JSON.parse(readFileSync(files[0], 'utf8')).figures).toEqual([{ name: 'f', value: 1, unit: 'x' }]);
    expect(readdirSync(dir).sort()).toEqual(['s.json', 's.md']);
    expect(() => writeSection(skippedSection('s', 'no data'), dir)).toThrow(/skipped/);
    expect(JSON.parse(readFileSync(files[0], 'utf8')).figures).toHaveLength(1);
  });
});
