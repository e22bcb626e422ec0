import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutput, prepareOutput } from './output-path.js';
import { runCli } from './test-support.js';
import { writeOutputFile } from './write-output.js';

let dir: string;
const EXPORT = 'subject,body\nHallo,Bitte um Rückruf.\n';
const LINE = '{"id":"a","modelId":"m","truth":{"queue":"x"},"prediction":{"queue":{"label":"x","confidence":0.9}}}\n';

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-out-'));
  writeFileSync(path.join(dir, 'in.jsonl'), '{"id":"a","format":"text","input":"Hallo"}\n');
  writeFileSync(path.join(dir, 'export.csv'), EXPORT);
  writeFileSync(path.join(dir, 'preds.jsonl'), LINE);
  writeFileSync(path.join(dir, 'other.jsonl'), LINE);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (argv: string[]) => runCli(argv, { cwd: dir, home: path.join(dir, 'home') });

describe("--out in the registry's home", () => {
  // The home's records, by every command that writes --out: a mistyped path replaced the registry's index or a model's manifest.
  const home = () => path.join(dir, 'home');
  const cases: Array<[string, (h: string) => string[]]> = [
    ['clean into registry.json', (h) => ['clean', '--in', 'in.jsonl', '--out', path.join(h, 'registry.json')]],
    ['predict into a model folder', (h) => ['predict', '--model', './no-model', '--data', 'export.csv', '--out', path.join(h, 'models', 'm1', 'manifest.json')]],
    ['evaluate into a model folder', (h) => ['evaluate', '--predictions', 'preds.jsonl', '--out', path.join(h, 'models', 'm1')]],
    ['compare into runs/', (h) => ['compare', '--challenger', 'preds.jsonl', '--champion', 'other.jsonl', '--resamples', '10', '--out', path.join(h, 'runs', 'r')]],
    ['demo-data into runs/, through a link to the home', () => ['demo-data', '--out', path.join(dir, 'home-link', 'runs', 'demo.csv')]],
  ];
  it.each(cases)('is a usage error (exit code 2) for %s, and the home is left as it was', async (_name, argv) => {
    mkdirSync(path.join(home(), 'models', 'm1'), { recursive: true });
    writeFileSync(path.join(home(), 'registry.json'), '{"versions":[]}');
    writeFileSync(path.join(home(), 'models', 'm1', 'manifest.json'), '{}');
    rmSync(path.join(dir, 'home-link'), { force: true });
    symlinkSync(home(), path.join(dir, 'home-link'));
    const { code, stderr } = await run(argv(home()));
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/^mailroute: --out \S+ is (in )?\S+, which the registry's home keeps \(MAILROUTE_HOME /);
    expect(readFileSync(path.join(home(), 'registry.json'), 'utf8')).toBe('{"versions":[]}');
    expect(readFileSync(path.join(home(), 'models', 'm1', 'manifest.json'), 'utf8')).toBe('{}');
    expect(() => lstatSync(path.join(home(), 'runs'))).toThrow();
    expect(() => lstatSync(path.join(home(), 'mailroute.db'))).toThrow();
  });

  it('takes an --out elsewhere in the home (the demo data beside the registry)', async () => {
    const { code, stderr } = await run(['demo-data', '--rows', '20', '--out', path.join(home(), 'demo.csv')]);
    expect(code, stderr).toBe(0);
  });
});

describe('--out that names an input file', () => {
  // Every command that takes --out and reads files: the input would be overwritten (or cannot become a folder).
  const cases: Array<[string, string[]]> = [
    ['clean', ['clean', '--in', 'in.jsonl', '--out', './in.jsonl']],
    ['predict', ['predict', '--model', './no-model', '--data', 'export.csv', '--out', 'export.csv']],
    ['evaluate --predictions', ['evaluate', '--predictions', 'preds.jsonl', '--out', 'preds.jsonl']],
    ['evaluate --model', ['evaluate', '--model', './no-model', '--data', 'export.csv', '--out', './export.csv']],
    ['compare', ['compare', '--challenger', 'preds.jsonl', '--champion', 'other.jsonl', '--resamples', '10', '--out', 'other.jsonl']],
    ['compare --data', ['compare', '--challenger', './a', '--champion', './b', '--data', 'export.csv', '--out', 'export.csv']],
  ];
  it.each(cases)('is a usage error (exit code 2) for %s, naming the flag, and the input is left as it was', async (_name, argv) => {
    const { code, stderr, stdout } = await run(argv);
    const out = argv[argv.indexOf('--out') + 1];
    expect(code, stderr).toBe(2);
    expect(stderr).toContain(`mailroute: --out ${out} is also an input file; it would be overwritten: choose another --out`);
    expect(stderr).toContain('(run with --help for usage)');
    expect(stdout).toBe('');
    expect(readFileSync(path.join(dir, 'export.csv'), 'utf8')).toBe(EXPORT);
    expect(readFileSync(path.join(dir, 'preds.jsonl'), 'utf8')).toBe(LINE);
    expect(readFileSync(path.join(dir, 'other.jsonl'), 'utf8')).toBe(LINE);
  });

  it('is a usage error too as `-` where a file or folder is written (only clean writes to standard output)', async () => {
    for (const argv of [['predict', '--model', './no-model', '--data', 'export.csv', '--out', '-'], ['evaluate', '--predictions', 'preds.jsonl', '--out', '-']]) {
      const { code, stderr } = await run(argv);
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(/^mailroute: --out -: this command writes a (file|directory), not standard output/);
    }
  });

  it('leaves a folder that cannot be made a failure (exit code 1): it depends on the disk, not the arguments', async () => {
    const { code, stderr } = await run(['evaluate', '--predictions', 'preds.jsonl', '--out', 'export.csv/report']);
    expect(code).toBe(1);
    expect(stderr).toContain('[OUTPUT_PATH_INVALID] --out export.csv/report: cannot create its folder');
  });
});

describe('--out that is a chain of links', () => {
  it('is checked where the write goes: through both links of a chain of two', async () => {
    const links = mkdtempSync(path.join(os.tmpdir(), 'mailroute-links-'));
    try {
      // first -> second -> no-folder/out.jsonl: the folder the write would need is not there.
      symlinkSync('second', path.join(links, 'first'));
      symlinkSync(path.join('no-folder', 'out.jsonl'), path.join(links, 'second'));
      await expect(checkOutput(links, 'first', 'file')).rejects.toThrow('--out first: cannot write it (no file can be created there)');
      await expect(prepareOutput(links, 'first', 'file')).rejects.toMatchObject({ code: 'OUTPUT_PATH_INVALID' });
      // ahead -> next -> sub/out.jsonl in a folder that is there: accepted, and written to the file the last link names.
      mkdirSync(path.join(links, 'sub'));
      symlinkSync('next', path.join(links, 'ahead'));
      symlinkSync(path.join('sub', 'out.jsonl'), path.join(links, 'next'));
      const out = await prepareOutput(links, 'ahead', 'file');
      await writeOutputFile(out, ['line\n'], '--out ahead');
      expect(readFileSync(path.join(links, 'sub', 'out.jsonl'), 'utf8')).toBe('line\n');
      expect([lstatSync(path.join(links, 'ahead')).isSymbolicLink(), lstatSync(path.join(links, 'next')).isSymbolicLink()]).toEqual([true, true]);
      // A loop of links is refused before the work, not written over.
      symlinkSync('loop-b', path.join(links, 'loop-a'));
      symlinkSync('loop-a', path.join(links, 'loop-b'));
      await expect(checkOutput(links, 'loop-a', 'file')).rejects.toThrow('--out loop-a: cannot write it (a loop of symbolic links (ELOOP))');
    } finally {
      rmSync(links, { recursive: true, force: true });
    }
  });
});
