import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import cliPackage from '../package.json' with { type: 'json' };
import { commanderErrorText } from './program.js';
import { runCli } from './test-support.js';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mailroute.mjs');

/** Runs the real `mailroute` binary (from source, as `npx mailroute` does). */
function runBin(argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...argv], { env: { ...process.env, MAILROUTE_DEBUG: '' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe("Commander's own errors", () => {
  it('carry the mailroute: prefix of the CLI\'s other errors and exit code 2, with its hints kept', async () => {
    const cases: Array<[string[], string]> = [
      [['trian'], "mailroute: unknown command 'trian'\n(Did you mean train?)\n"],
      [['predict', '--data'], "mailroute: option '--data <files...>' argument missing\n"],
      [['predict', '--data', 'x.csv', '--out', 'p.jsonl'], "mailroute: required option '--model <ref>' not specified\n"],
      [['predict', '--on-bad-row', 'maybe'], "mailroute: option '--on-bad-row <mode>' argument 'maybe' is invalid. Allowed choices are fail, skip.\n"],
    ];
    for (const [argv, start] of cases) {
      const { code, stdout, stderr } = await runCli(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.startsWith(start), stderr).toBe(true);
      expect(stderr).not.toMatch(/^error:/m);
      expect(stderr.endsWith('(run with --help for usage)\n'), stderr).toBe(true);
    }
  });

  it('refuse an empty file, folder, model or address, naming the option, before anything is read', async () => {
    // `--config "$CONFIG"` with the variable unset: it trained with the demo config, and serve --model-dir ""
    // served the champion; an empty path read as the current folder ("cannot read : a directory, not a file").
    const cases: Array<[string[], string]> = [
      [['train', '--data', 'x.csv', '--config', ''], '--config is empty: give a file'],
      [['serve', '--model-dir', ''], '--model-dir is empty: give a folder'],
      [['clean', '--in', '', '--out', 'o.jsonl'], '--in is empty: give a file'],
      [['registry', 'approve', 'v1', '--by', ''], '--by is empty: give a name'],
      [['evaluate', '--predictions', 'p.jsonl', '--name', ''], '--name is empty: give a name'],
      [['predict', '--model', '', '--data', 'x.csv', '--out', 'p.jsonl'], '--model is empty: give a registry id, champion or a model directory'],
      [['predict', '--model', 'champion', '--data', 'x.csv', '', '--out', 'p.jsonl'], '--data is empty: give a file'],
      [['serve', '--host', ''], '--host is empty: give an address, such as 127.0.0.1'],
    ];
    for (const [argv, message] of cases) {
      const { code, stdout, stderr } = await runCli(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(`mailroute: ${message}\n(run with --help for usage)\n`);
    }
  });

  it('refuse an option whose value is another option of the command, as an unset variable leaves it', async () => {
    // `--by $APPROVER --no-promote` with the variable unset: approved by "--no-promote", and made champion.
    const cases: Array<[string[], string]> = [
      [['registry', 'approve', 'v1', '--by', '--no-promote'], '--by takes a value, got the option --no-promote'],
      [['registry', 'approve', 'v1', '--by', '--promote'], '--by takes a value, got the option --promote'],
      // Commander said that --data was missing, and that there was a word too many.
      [['predict', '--model', '--data', 'x.csv', '--out', 'p.jsonl'], '--model takes a value, got the option --data'],
      [['train', '--data', 'x.csv', '--config', '--note', 'x'], '--config takes a value, got the option --note'],
      [['evaluate', '--predictions', 'p.jsonl', '--out', '--help'], '--out takes a value, got the option --help'],
    ];
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'mailroute-option-values-'));
    const env = { MAILROUTE_HOME: path.join(cwd, 'home') };
    for (const [argv, message] of cases) {
      const { code, stdout, stderr } = await runCli(argv, { env, cwd });
      expect(code, argv.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(`mailroute: ${message}: give the value before it (an unset variable gives none)\n(run with --help for usage)\n`);
    }
    // A dash word that is no option of the command may be a value; one given with = was meant.
    for (const argv of [['predict', '--data', 'x.csv', '--out', '--modle'], ['registry', 'approve', 'v1', '--by=--no-promote'], ['train', '--data', 'x.csv', '--note', '--draft']]) {
      const { stderr } = await runCli(argv, { env, cwd });
      expect(stderr, argv.join(' ')).not.toContain('takes a value, got the option');
    }
    rmSync(cwd, { recursive: true, force: true });
  });

  it('say a quoted control character visibly, as the CLI\'s own errors do', () => {
    expect(commanderErrorText("error: unknown command 'a\u001b[2Jb'\n")).toBe("mailroute: unknown command 'a\\x1b[2Jb'\n");
  });

  it('read so from the real binary', async () => {
    const { code, stdout, stderr } = await runBin(['trian']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe("mailroute: unknown command 'trian'\n(Did you mean train?)\n(run with --help for usage)\n");
  }, 60_000);
});

/** What git says of the checkout this test runs from: `<commit>` or `<commit>-dirty`; undefined outside one. */
function checkoutCommit(): string | undefined {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: path.dirname(bin), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  try {
    return `${git('rev-parse', 'HEAD').slice(0, 12)}${git('status', '--porcelain', '--untracked-files=no') === '' ? '' : '-dirty'}`;
  } catch {
    return undefined;
  }
}

describe('mailroute --version', () => {
  it("prints the CLI package's version and the commit of the checkout it runs from, as git says it (what a backup records as the mailroute that made it)", async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    const commit = checkoutCommit();
    expect(stdout).toBe(commit === undefined ? `${cliPackage.version}\n` : `${cliPackage.version} (commit ${commit})\n`);
  });
});
