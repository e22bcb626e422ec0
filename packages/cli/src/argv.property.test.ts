import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import fc from 'fast-check';
import { formatPredictionLines, syntheticPredictionLines } from '@mailroute/evaluation';
import { afterAll, describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { buildProgram } from './main.js';
import { runCli } from './test-support.js';

/**
 * Random argument lists for every command, run in process: whatever they hold (unknown and repeated options,
 * missing values, numbers out of range or not in plain digits, empty strings, folders and missing files where
 * files go), the CLI ends with 0 having said something, 1 with one `mailroute:` line, or 2 with the usage hint;
 * never a stack trace. An empty value where a file, folder, model or address goes, and a whole number outside
 * the range the README gives, are usage errors (2). No model exists in these runs: the commands that would load
 * or train one fail on that early, and `start`'s home is under a file, so it cannot train the demo model.
 */

const base = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-argv-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const predictions = (seed: number) => formatPredictionLines(syntheticPredictionLines({ n: 30, seed, tasks: { queue: ['a', 'b', 'c'] } }));

/** A folder of its own for one run (a run's --out may replace an input or create a missing file), with the input files. */
function runFolder(): string {
  const dir = mkdtempSync(path.join(base, 'run-'));
  mkdirSync(path.join(dir, 'folder'));
  writeFileSync(path.join(dir, 'emails.jsonl'), '{"id":"a","subject":"Rechnung","body":"Wo ist meine Rechnung?"}\n{"id":"b","format":"text","input":"Hallo"}\n');
  writeFileSync(path.join(dir, 'preds.jsonl'), predictions(1));
  writeFileSync(path.join(dir, 'preds2.jsonl'), predictions(2));
  writeFileSync(path.join(dir, 'empty.csv'), '');
  writeFileSync(path.join(dir, 'garbage.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x0a, 0x80]));
  writeFileSync(path.join(dir, 'a-file'), 'text\n');
  return dir;
}

/** The value words a path option is given: files of each kind, a folder, missing ones, standard output, empty. */
const PATHS = ['emails.jsonl', 'preds.jsonl', 'preds2.jsonl', 'empty.csv', 'garbage.bin', 'folder', 'folder/', '.', 'missing.csv', 'missing/x.jsonl', 'out.jsonl', 'out.csv', 'report', '-', '/dev/null', '/proc/nope/x', ''];
/** Other words: blanks, dashes, names of Object's members, control characters, long, and the words some options take. */
const WORDS = ['', ' ', '-', '--x', '__proto__', 'constructor', 'champion', '../..', 'a\u001b[2Jb', 'x'.repeat(300), 'test', 'fail', 'skip', 'tab', ';', 'quotes', 'visible', 'off', '20/50', 'classify,admin', 'undefined'];
/** Numbers in forms that are not plain digits, or past what a double holds. */
const BAD_NUMBERS = ['', ' 5', '5 ', '-1', '+5', '1e999', '1e3', '1.5', 'NaN', 'Infinity', '0x10', '99999999999999999999', '9007199254740993', '٣'];

/** The whole-number options with the range the README and the help give them (by `command --option`, or `--option` for every command). */
const RANGES: Record<string, readonly [number, number]> = {
  'demo-data --rows': [1, 500_000],
  'demo-data --seed': [0, 4_294_967_295],
  'compare --resamples': [10, 100_000],
  'compare --seed': [0, 4_294_967_295],
  'evaluate --bins': [1, 100],
  'evaluate --top-k': [1, Number.MAX_SAFE_INTEGER],
  '--port': [0, 65_535],
  '--poll-seconds': [0, 86_400],
  '--max-batch': [1, 10_000],
  '--max-body-bytes': [1, 6 * 1024 * 1024],
  '--timeout-ms': [1, 600_000],
  '--max-concurrent': [1, 100_000],
  '--max-connections': [1, 1_000_000],
  '--model-threads': [0, 64],
  '--inline-emails': [0, 10_000],
  '--prediction-buffer-ms': [0, 1000],
  '--retention-days': [0, 100_000],
};

/** Value names of the options that name a file, folder, model or address: an empty one is a usage error. */
const NAMING = /<(file|files|dir|ref|host|name)(\.\.\.)?>/;

interface OptionShape {
  long: string;
  flags: string;
  takesValue: boolean;
  variadic: boolean;
  mandatory: boolean;
  range?: readonly [number, number];
  /** A counterexample names the option, not its whole shape. */
  [fc.toStringMethod]: () => string;
}

interface CommandShape {
  words: string[];
  options: OptionShape[];
  /** Positional arguments it takes (`registry show <id>`). */
  args: number;
  [fc.toStringMethod]: () => string;
}

/** Every command that runs something, with its options, read from the program itself. */
function commandShapes(): CommandShape[] {
  const program = buildProgram(createContext({ env: {} }));
  const leaves = (c: Command, words: string[]): CommandShape[] =>
    c.commands.length > 0
      ? c.commands.flatMap((sub) => leaves(sub, [...words, sub.name()]))
      : [
          {
            words,
            args: c.registeredArguments.length,
            [fc.toStringMethod]: () => words.join(' '),
            options: c.options.map((o) => ({
              long: o.long ?? '',
              flags: o.flags,
              takesValue: o.required || o.optional,
              variadic: o.variadic,
              mandatory: o.mandatory,
              range: RANGES[`${words[0]} ${o.long}`] ?? RANGES[o.long ?? ''],
              [fc.toStringMethod]: () => o.long ?? '',
            })),
          },
        ];
  return leaves(program, []);
}

const SHAPES = commandShapes();

/** One item of an argument list: an option with its values, or a word. */
interface Item {
  tokens: string[];
}

function valueArb(option: OptionShape): fc.Arbitrary<string> {
  if (option.range) {
    const [min, max] = option.range;
    // The largest value itself only where it is cheap (not 500,000 demo rows).
    const near = [min - 1, min, ...(max <= 100_000 ? [max] : []), max + 1].filter((n) => n <= Number.MAX_SAFE_INTEGER).map(String);
    const one = fc.constantFrom(...near, ...BAD_NUMBERS, '1', '2', '10');
    return option.long === '--top-k' ? fc.array(one, { minLength: 1, maxLength: 3 }).map((ks) => ks.join(',')) : one;
  }
  return NAMING.test(option.flags) ? fc.constantFrom(...PATHS) : fc.constantFrom(...PATHS, ...WORDS);
}

/** Now and then an item no command takes: an unknown option (alone, with a value, short), `--`, a stray word. */
const noiseArb: fc.Arbitrary<Item> = fc.oneof(
  fc.constantFrom<Item>({ tokens: ['--zzz'] }, { tokens: ['--zzz=1'] }, { tokens: ['-q'] }, { tokens: ['--'] }, { tokens: ['--no-such'] }),
  fc.constantFrom(...WORDS, ...PATHS).map((w): Item => ({ tokens: [w] })),
);

/** The items of one argument list: its required options most times, others at random (repeated too), some noise, in any order. */
function itemsArb(shape: CommandShape): fc.Arbitrary<Item[]> {
  const required = shape.options.filter((o) => o.mandatory).map((o) => fc.option(optionItem(o), { freq: 8 }));
  const others = shape.options.length > 0 ? fc.array(fc.constantFrom(...shape.options).chain(optionItem), { maxLength: 4 }) : fc.constant([]);
  const noise = fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(noiseArb, { minLength: 1, maxLength: 2 }) });
  return fc.tuple(fc.tuple(...required), others, noise).chain(([req, rest, odd]) => {
    const all = [...req.filter((i) => i !== null), ...rest, ...odd];
    return fc.shuffledSubarray(all, { minLength: all.length });
  });
}

function optionItem(option: OptionShape): fc.Arbitrary<Item> {
  if (!option.takesValue) return fc.constant({ tokens: [option.long] });
  // A value missing at the end, the --opt=value form, or one value (two for a list).
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<Item>({ tokens: [option.long] }) },
    { weight: 2, arbitrary: valueArb(option).map((v): Item => ({ tokens: [`${option.long}=${v}`] })) },
    {
      weight: 6,
      arbitrary: fc.array(valueArb(option), { minLength: 1, maxLength: option.variadic ? 2 : 1 }).map((values): Item => ({ tokens: [option.long, ...values] })),
    },
  );
}

/** Whether a whole-number option's value is one the README says it takes. */
function inRange(option: OptionShape, value: string): boolean {
  const [min, max] = option.range as readonly [number, number];
  // --top-k is a comma-separated list (blanks around a comma are the list's).
  const parts = option.long === '--top-k' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : [value];
  return parts.every((p) => /^\d+$/.test(p) && Number(p) >= min && Number(p) <= max);
}

const caseArb = fc
  .constantFrom(...SHAPES)
  .chain((shape) => fc.tuple(fc.constant(shape), itemsArb(shape), fc.array(fc.constantFrom('x', '', 'champion'), { maxLength: shape.args })));

/**
 * What the options end up as, read from the words as Commander reads them: an option's value is the next word
 * whatever it is, a list takes the words after it up to the next option, a repeated option keeps its last
 * value (a list all of them), and nothing after `--` is an option.
 */
function effectiveValues(shape: CommandShape, argv: readonly string[]): Map<OptionShape, string[]> {
  const values = new Map<OptionShape, string[]>();
  const set = (option: OptionShape, given: string[]) => values.set(option, option.variadic ? [...(values.get(option) ?? []), ...given] : given);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') break;
    const [name, ...rest] = argv[i].split('=');
    const option = shape.options.find((o) => o.long === name);
    if (!option || !option.takesValue) continue;
    if (rest.length > 0) set(option, [rest.join('=')]);
    else if (i + 1 < argv.length) {
      const given = [argv[++i]];
      while (option.variadic && i + 1 < argv.length && !argv[i + 1].startsWith('-')) given.push(argv[++i]);
      set(option, given);
    }
  }
  return values;
}

/** Lines allowed after the error line: Commander's hint and the usage hint. */
const AFTER_ERROR = /^(\(Did you mean .*\)|\(run with --help for usage\))$/;

/**
 * Runs `body` with the process in an empty folder of its own, the folder given: what a command wrongly writes to the
 * process's folder instead of its own (ctx.cwd) lands there, to be seen and removed, never in the folder the tests
 * were started in (the repository, where the README's walkthrough leaves a report/ and preds.jsonl).
 */
async function inStandInFolder<T>(body: (folder: string) => Promise<T>): Promise<T> {
  const started = process.cwd();
  const folder = mkdtempSync(path.join(base, 'process-cwd-'));
  process.chdir(folder);
  try {
    return await body(folder);
  } finally {
    process.chdir(started);
  }
}

describe('mailroute with random arguments', () => {
  it('ends with 0 having said something, 1 with one mailroute: line, or 2 with the usage hint; empty names and numbers out of range are usage errors', () => inStandInFolder(async (processFolder) => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ([shape, items, args]) => {
        const argv = [...shape.words, ...args, ...items.flatMap((i) => i.tokens)];
        // start trains the demo model in an empty home: its home is under a file, where none can be made.
        const start = shape.words[0] === 'start';
        if (start && argv.some((a) => a.startsWith('--home'))) return;
        const dir = runFolder();
        const env = { CI: 'true', MAILROUTE_HOME: path.join(dir, start ? 'a-file' : '', 'home') };
        const { code, stdout, stderr } = await runCli(argv, { env, cwd: dir }).finally(() => rmSync(dir, { recursive: true, force: true }));
        const said = `${JSON.stringify(argv)} -> ${code}\n${stderr}`;
        // Nothing lands in the process's folder: relative paths are the command's folder's (ctx.cwd).
        const strays = readdirSync(processFolder);
        for (const name of strays) rmSync(path.join(processFolder, name), { recursive: true, force: true });
        expect(strays, said).toEqual([]);
        expect([0, 1, 2], said).toContain(code);
        expect(stderr, said).not.toMatch(/^\s+at |TypeError|ReferenceError|RangeError|Cannot read properties|\[object Object\]/m);
        // Nor Node's own words for a system error (`ENOTDIR: not a directory, open '…'`) or a bare code: said in words.
        expect(stderr, said).not.toMatch(/\bE[A-Z]{3,}: [a-z]|: E[A-Z]{3,}$/m);
        if (!argv.some((a) => a.includes('undefined'))) expect(stderr, said).not.toContain('undefined');
        // --help answers before any value is read.
        if (!argv.some((a) => a === '--help' || a === '-h')) {
          for (const [option, values] of effectiveValues(shape, argv)) {
            if (NAMING.test(option.flags) && values.includes('')) expect(code, `${said}\n(${option.long} is empty)`).toBe(2);
            if (option.range && !values.every((v) => inRange(option, v))) expect(code, `${said}\n(${option.long} out of range)`).toBe(2);
          }
        }
        if (code === 0) {
          expect(`${stdout}${stderr}`.trim(), said).not.toBe('');
          return;
        }
        const lines = stderr.trimEnd().split('\n');
        const at = lines.findIndex((l) => l.startsWith('mailroute: '));
        expect(at, said).toBeGreaterThanOrEqual(0);
        expect(lines.slice(at + 1).filter((l) => !AFTER_ERROR.test(l)), said).toEqual([]);
        if (code === 2) expect(stderr.endsWith('(run with --help for usage)\n'), said).toBe(true);
      }),
      // MAILROUTE_FUZZ_RUNS and MAILROUTE_FUZZ_SEED widen the search.
      { seed: Number(process.env.MAILROUTE_FUZZ_SEED ?? 1), numRuns: Number(process.env.MAILROUTE_FUZZ_RUNS ?? 300) },
    );
  }), 120_000);
});
