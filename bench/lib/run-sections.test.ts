import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { skippedSection, writeSection, type SectionResult } from './report.js';
import { ALL_SKIPPED_EXIT_CODE, runSections } from './run-sections.js';

const measured = (section: string, notes: string[] = []): SectionResult => ({ section, figures: [{ name: 'f', value: 1, unit: 'x' }], tables: [], notes });

describe('runSections', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bench-run-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const io = (lines: string[]) => ({ log: (line: string) => lines.push(line), write: (r: SectionResult) => writeSection(r, dir) });

  it('writes nothing for a skipped section (earlier results stay) and exits non-zero when every section was skipped', async () => {
    writeFileSync(path.join(dir, 'training.json'), '{"figures":["earlier"]}');
    const lines: string[] = [];
    const code = await runSections(
      [
        ['training', async () => skippedSection('training', 'no folder at /nonexistent')],
        ['preprocess', async () => skippedSection('preprocess', 'no folder at /nonexistent')],
      ],
      io(lines),
    );
    expect(code).toBe(ALL_SKIPPED_EXIT_CODE);
    expect(code).not.toBe(0);
    expect(readdirSync(dir)).toEqual(['training.json']);
    expect(readFileSync(path.join(dir, 'training.json'), 'utf8')).toBe('{"figures":["earlier"]}');
    expect(lines).toContain('bench: training: Skipped: no folder at /nonexistent');
    expect(lines.some((l) => l.includes('every section asked for was skipped'))).toBe(true);
  });

  it('exits 0 when any section was measured, writing only the measured ones', async () => {
    const lines: string[] = [];
    const code = await runSections(
      [
        ['training', async () => skippedSection('training', 'no data')],
        ['evaluation', async () => measured('evaluation')],
      ],
      io(lines),
    );
    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['evaluation.json', 'evaluation.md']);
    expect(lines.some((l) => l.includes('skipped training'))).toBe(true);
  });

  it("says every note of a section that has figures too (a missing reference is not only in the files)", async () => {
    const lines: string[] = [];
    await runSections([['training', async () => measured('training', ['The scikit-learn reference is ABSENT: ...'])]], io(lines));
    expect(lines).toContain('bench: training: The scikit-learn reference is ABSENT: ...');
  });
});

describe('bench/run.ts', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(path.join(os.tmpdir(), 'bench-run-cli-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('with no shared data: skips training and preprocess, keeps the earlier results, names the path tried and exits 3', () => {
    mkdirSync(path.join(cwd, 'bench-results'));
    writeFileSync(path.join(cwd, 'bench-results', 'training.json'), 'earlier');
    const missing = path.join(cwd, 'nonexistent');
    const runTs = fileURLToPath(new URL('../run.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), runTs, 'training', 'preprocess'], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, MAILROUTE_SHARED_DATA: missing, ORT_DISABLE_TELEMETRY: '1' },
    });
    expect(r.stderr).toContain(`no folder at ${missing}`);
    expect(r.status).toBe(ALL_SKIPPED_EXIT_CODE);
    expect(ALL_SKIPPED_EXIT_CODE).toBe(3);
    expect(readdirSync(path.join(cwd, 'bench-results'))).toEqual(['training.json']);
    expect(readFileSync(path.join(cwd, 'bench-results', 'training.json'), 'utf8')).toBe('earlier');
    expect(existsSync(path.join(cwd, 'bench-results', 'preprocess.json'))).toBe(false);
  }, 60_000);
});
