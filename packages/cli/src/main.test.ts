import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { registerServe } from './commands/serve.js';
import { buildProgram } from './main.js';
import { createContext } from './context.js';
import { buildProgramOf, runProgram } from './program.js';
import { captureStream, runCli } from './test-support.js';


function run(argv: string[]) {
  return runCli(argv);
}

describe('mailroute', () => {
  it('prints help with exit code 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: mailroute');
    expect(stdout).toContain('train');
    expect(stdout).toMatch(/MAILROUTE_HOME +where the registry/);
    expect(stdout).toContain('Exit codes: 0 success, 1 failure (one line on stderr), 2 usage error, 3 done in part (feedback forget), 130 interrupted (Ctrl-C), 143 stopped by SIGTERM.');
  });

  it('marks the required options "(required)" in each command\'s help, as the reference does, and no other', async () => {
    const help = async (...words: string[]) => (await run([...words, '--help'])).stdout.replace(/\s+/g, ' ');
    expect(await help('train')).toContain('--data <files...> (required) CSV or JSONL export(s)');
    const predict = await help('predict');
    for (const flag of ['--model <ref>', '--data <files...>', '--out <file>']) expect(predict).toContain(`${flag} (required) `);
    expect(await help('demo-data')).toContain('--out <file> (required) file to write');
    const clean = await help('clean');
    for (const flag of ['--in <file>', '--out <file>']) expect(clean).toContain(`${flag} (required) `);
    // Required though the command checks them itself (with words of its own).
    const evaluate = await help('evaluate');
    expect(evaluate).toContain('--out <dir> (required) report directory');
    expect(evaluate).not.toMatch(/--(predictions|model|data) \S+ \(required\)/);
    const compare = await help('compare');
    for (const flag of ['--challenger <file|ref>', '--champion <file|ref>']) expect(compare).toContain(`${flag} (required) `);
    // Each takes a model too (with --data), as the README passes them: a registry id and `champion`.
    expect(compare).toContain("--champion <file|ref> (required) the champion's predictions JSONL on the same test set; with --data, a model: registry id, `champion`");
    expect(compare).not.toContain('--data <files...> (required)');
    expect(await help('feedback', 'export')).toContain('--out <file> (required) ');
    expect(await help('feedback', 'predictions')).toContain('--out <file> (required) ');
    expect(await help('serve')).not.toContain('(required)');
    // Every file evaluate writes to --out is named.
    for (const file of ['metrics.json', 'metrics.schema.json', 'report.txt', 'report.md', 'report.html', 'model-card.md', 'pictures/', 'predictions.jsonl']) expect(evaluate).toContain(file);
  });

  it('names every MAILROUTE_ variable the CLI reads in --help and in the README\'s Environment paragraph', async () => {
    const src = path.dirname(fileURLToPath(import.meta.url));
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const read = new Set(files.flatMap((f) => readFileSync(path.join(src, f), 'utf8').match(/MAILROUTE_[A-Z_]+/g) ?? []));
    expect(read).toContain('MAILROUTE_MAX_CONNECTIONS');
    const help = (await run(['--help'])).stdout.split('Environment:')[1];
    const readme = readFileSync(path.join(src, '../../../README.md'), 'utf8').split('\nEnvironment: ')[1].split('\n\n')[0];
    for (const variable of read) {
      expect(help, variable).toContain(variable);
      expect(readme, variable).toContain(variable);
    }
  });

  it('names every option of every command in the README\'s command table', () => {
    const readme = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../README.md'), 'utf8');
    const rows = readme.split('\n').filter((line) => line.startsWith('| `mailroute '));
    const program = buildProgram(createContext({ env: {} }));
    const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
    const missing = all(program)
      // `start` takes serve's flags but the key flags, as its row says.
      .filter((c) => c !== program && c.commands.length === 0 && c.name() !== 'start')
      .flatMap((command) => {
        // A group's subcommands (registry list, approve, ...) share the group's rows.
        const name = command.parent === program ? command.name() : (command.parent?.name() ?? '');
        const row = rows.filter((r) => r.startsWith(`| \`mailroute ${name} `) || r.startsWith(`| \`mailroute ${name}\``)).join('\n');
        return command.options.map((o) => o.long ?? '').filter((long) => !row.includes(long)).map((long) => `${command.name()} ${long}`);
      });
    expect(missing).toEqual([]);
  });

  it('has a section in packages/cli/README.md for every command and subcommand', () => {
    const reference = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../README.md'), 'utf8');
    const headings = new Set(reference.split('\n').filter((line) => /^#{2,3} /.test(line)).map((line) => line.replace(/^#+ /, '')));
    const program = buildProgram(createContext({ env: {} }));
    // `registry approve` under `### registry approve`, `train` under `## train`.
    const named = (c: Command): string[] => c.commands.flatMap((sub) => [sub.name(), ...named(sub).map((n) => `${sub.name()} ${n}`)]);
    const commands = named(program);
    expect(commands).toEqual(expect.arrayContaining(['train', 'registry approve', 'runs compare']));
    expect(commands.filter((name) => !headings.has(name))).toEqual([]);
  });

  it('exits with 2 on an unknown command', async () => {
    const { code, stderr } = await run(['no-such-command']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'no-such-command'");
  });

  it('exits with 2 on an unknown command given with --help, not with the general help', async () => {
    const { code, stdout, stderr } = await run(['trian', '--help']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("unknown command 'trian'");
    expect(stderr).toContain('(Did you mean train?)');
    // A known command's help is still help.
    expect((await run(['train', '--help'])).code).toBe(0);
    expect((await run(['help', 'train'])).code).toBe(0);
    // "none: no auth" read as a value to pass (`--api-keys none` looks for a file called none).
    const serveHelp = (await run(['serve', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(serveHelp).toContain('--api-keys <file> API key file (default <home>/api-keys.json; with no key file: no auth, loopback only)');
    // start shares serve's server options but has no --sagemaker: its help names no default of that mode.
    expect(serveHelp).toContain('request body limit (default 1 MB, 6 MB with --sagemaker; at most 6 MB)');
    const startHelp = (await run(['start', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(startHelp).toContain('request body limit (default 1 MB; at most 6 MB)');
    expect(startHelp).not.toContain('--sagemaker');
  });

  it('says the unknown command of `help <command>` as for the command itself, not the general help', async () => {
    const said = await run(['trian']);
    for (const argv of [['help', 'trian'], ['help', 'trian', '--help']]) {
      const { code, stdout, stderr } = await run(argv);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(said.stderr);
      expect(stderr).not.toContain('Usage:');
    }
    expect(said.stderr).toMatch(/^mailroute: unknown command 'trian'\n\(Did you mean train\?\)\n/);
    // `help` alone is still the general help.
    expect((await run(['help'])).stdout).toContain('Usage: mailroute');
  });

  it('answers `help <command> <subcommand>` with the subcommand\'s help, and an unknown subcommand as the command does', async () => {
    const nested = await run(['help', 'registry', 'approve']);
    expect(nested.code).toBe(0);
    expect(nested.stdout).toBe((await run(['registry', 'approve', '--help'])).stdout);
    expect(nested.stdout).toMatch(/^Usage: mailroute registry approve /);
    const unknown = await run(['help', 'registry', 'aprove']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe((await run(['registry', 'aprove'])).stderr);
    expect(unknown.stderr).toContain('unknown registry command "aprove"');
  });

  it('answers a command that only groups others, given alone (feedback, mailroute itself), with its help on stdout and exit code 0, as registry and runs alone list', async () => {
    for (const words of [['feedback'], []]) {
      const alone = await run(words);
      expect([alone.code, alone.stderr], words.join(' ')).toEqual([0, '']);
      expect(alone.stdout).toBe((await run([...words, '--help'])).stdout);
    }
    expect((await run(['feedback'])).stdout).toMatch(/^Usage: mailroute feedback /);
    // A word after it is still an unknown command, and a subcommand still needs its options.
    const typo = await run(['feedback', 'expotr']);
    expect([typo.code, typo.stdout]).toEqual([2, '']);
    expect(typo.stderr).toContain("unknown command 'expotr'");
    expect((await run(['feedback', 'export'])).code).toBe(2);
  });

  it('says in one line, exit code 2, that a program of some commands only (the serve bundle) does not run another', async () => {
    const out = captureStream();
    const err = captureStream();
    const ctx = createContext({ env: {}, stdout: out.stream, stderr: err.stream });
    const program = buildProgramOf(ctx, [registerServe], 'serve only');
    const code = await runProgram(program, ['train', '--help'], ctx, { unknownCommand: (name) => `this build runs only "serve", not "${name}"` });
    expect(code).toBe(2);
    expect(out.text()).toBe('');
    expect(err.text()).toBe('mailroute: this build runs only "serve", not "train"\n');
  });

  it('exits with 2 on an unknown option of a subcommand', async () => {
    const { code, stderr } = await run(['registry', 'list', '--no-such-flag']);
    expect(code).toBe(2);
    expect(stderr).toContain('--no-such-flag');
  });

  it('names a mistyped option that Commander reports as a missing required one, alone', async () => {
    const { code, stderr } = await run(['train', '--dta', 'x.csv']);
    expect(code).toBe(2);
    // The typo is the error, not the option it misspells.
    expect(stderr).toBe("mailroute: unknown option '--dta' (did you mean --data?)\n(run with --help for usage)\n");
    // So for every command with a required option, subcommands of a group included.
    const predict = await run(['predict', '--modle', 'champion', '--data', 'x.csv', '--out', 'p.jsonl']);
    expect(predict.code).toBe(2);
    expect(predict.stderr.split('\n')[0]).toBe("mailroute: unknown option '--modle' (did you mean --model?)");
    expect(predict.stderr).not.toContain('required option');
    const typo = await run(['clean', '--in', 'x.jsonl', '--outt', 'o.jsonl']);
    expect(typo.stderr.split('\n')[0]).toBe("mailroute: unknown option '--outt' (did you mean --out?)");
    // A value that starts with a dash is a value, not an unknown option: the missing option is said.
    const value = await run(['predict', '--data', 'x.csv', '--out', '--modle']);
    expect(value.code).toBe(2);
    expect(value.stderr).toContain("required option '--model <ref>' not specified");
    expect(value.stderr).not.toContain('unknown option');
    // A short option (there are none but -h and -V) is said as unknown, with the long option of its letter.
    const short = await run(['demo-data', '-o', 'a.csv']);
    expect(short.code).toBe(2);
    expect(short.stderr).toBe("mailroute: unknown option '-o' (mailroute takes long options only; did you mean --out?)\n(run with --help for usage)\n");
    expect((await run(['train', '-d', 'x.csv'])).stderr.split('\n')[0]).toBe("mailroute: unknown option '-d' (mailroute takes long options only: --data, --delimiter?)");
    // An unknown option without a missing required one is said the same way, in one line.
    const other = await run(['registry', 'list', '--jsn']);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe("mailroute: unknown option '--jsn' (did you mean --json?)\n(run with --help for usage)\n");
    // An option of another command (start takes serve's flags, but not its key flags) is said to be that command's.
    const key = await run(['start', '--new-key', 'crm']);
    expect(key.code).toBe(2);
    expect(key.stderr).toBe("mailroute: unknown option '--new-key' (it is an option of mailroute serve, not of start; see mailroute serve --help)\n(run with --help for usage)\n");
    expect((await run(['start', '--model-dir', 'm'])).stderr).toContain("unknown option '--model-dir' (it is an option of mailroute serve, not of start;");
    // An option of several commands: the one most like start (serve, whose server options it shares) is named first, and its help.
    expect((await run(['start', '--pii-patterns', 'p.json'])).stderr).toBe(
      "mailroute: unknown option '--pii-patterns' (it is an option of mailroute serve, feedback export, clean, not of start; see mailroute serve --help)\n(run with --help for usage)\n",
    );
    expect((await run(['registry', 'list', '--by', 'me'])).stderr).toContain("unknown option '--by' (it is an option of mailroute registry approve, registry reject, registry champion, not of registry list;");
    // An option of the SageMaker container bundle's own train (the training job), which no command here has: said so (README, "AWS").
    const root = await run(['train', '--root', 'ml']);
    expect(root.code).toBe(2);
    expect(root.stderr).toBe(
      "mailroute: unknown option '--root' (it is an option of the SageMaker container bundle's train, the training job: node mailroute.mjs train --root <dir>, not of mailroute train; see packages/cli/README.md, \"train in the container\")\n(run with --help for usage)\n",
    );
    // An option lengthened or shortened at a word's edge, too far for an edit distance: the command's own is named.
    expect((await run(['predict', '--model', 'm', '--data', 'x.csv', '--output', 'p.jsonl'])).stderr).toContain("unknown option '--output' (did you mean --out?)");
    expect((await run(['evaluate', '--predictions', 'p.jsonl', '--out-dir', 'r'])).stderr).toContain("unknown option '--out-dir' (did you mean --out?)");
    expect((await run(['serve', '--model', 'ngram-bag-1'])).stderr).toContain("unknown option '--model' (did you mean --model-dir?)");
    // An option of one value given twice: Commander kept the last unsaid, so the first file was never read.
    const twice = await run(['evaluate', '--predictions', 'a.jsonl', '--predictions', 'b.jsonl', '--out', 'r']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe('mailroute: --predictions is given twice: it takes one value (the last would be used, the first never read); give it once\n(run with --help for usage)\n');
    expect((await run(['demo-data', '--rows', '10', '--out', 'd.csv', '--rows=20'])).stderr).toContain('--rows is given twice');
    // Options of several values, and flags, may repeat.
    const several = await run(['clean', '--in', 'x.jsonl', '--out', 'o.jsonl', '--no-redact', '--no-redact']);
    expect(several.stderr).not.toContain('given twice');
    // A near miss of the command's own option is still said first.
    expect((await run(['start', '--prot', '1'])).stderr).toContain("unknown option '--prot' (did you mean --port?)");
    // Known options, --no- forms and values are not taken for unknown ones.
    const clean = await run(['clean', '--no-redact', '--scope', 'quotes', '--out', 'o.jsonl']);
    expect(clean.code).toBe(2);
    expect(clean.stderr).not.toContain('unknown option');
  });
});
