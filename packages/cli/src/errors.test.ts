import { NgramBagParamsSchema } from '@mailroute/training';
import { describe, expect, it } from 'vitest';
import { formatError, refuseUnknownSubcommand } from './errors.js';

/** The ZodError the model parameters' schema throws for `value` (a real one, as a leak past a command would be). */
function zodError(value: unknown): unknown {
  try {
    NgramBagParamsSchema.parse(value);
  } catch (error) {
    return error;
  }
  throw new Error('expected the value to be refused');
}

describe('formatError', () => {
  it('says a validation error that reached the command line as its issues, not as the first line of its JSON', () => {
    const line = formatError(zodError({ charNgrams: [3, 'five'] }));
    expect(line).toMatch(/^validation failed: charNgrams\.1: .*expected number/i);
    expect(line).not.toContain('\n');
  });

  it('names three issues and counts the others', () => {
    const line = formatError(zodError({ dim: 'a', buckets: 'b', wordNgrams: 'c', epochs: 'd', batchSize: 'e' }));
    expect(line.split('; ').length).toBe(4);
    expect(line).toMatch(/; and 2 more$/);
  });

  it('keeps an error\'s code and first line', () => {
    expect(formatError(Object.assign(new Error('cannot read x.csv\nat line 3'), { code: 'DATASET_FILE_INVALID' }))).toBe('[DATASET_FILE_INVALID] cannot read x.csv');
    expect(formatError('plain')).toBe('plain');
  });
});

describe('refuseUnknownSubcommand', () => {
  const group = (args: string[]) => ({ name: () => 'registry', args, commands: ['list', 'show'].map((n) => ({ name: () => n })) });

  it('names a word after the group as an unknown command, with the one probably meant', () => {
    expect(() => refuseUnknownSubcommand(group(['lsit']), ['lsit'])).toThrow('unknown registry command "lsit": did you mean registry list? (commands: list, show)');
  });

  it('says that the default command, named, takes no arguments, instead of calling them a command', () => {
    expect(() => refuseUnknownSubcommand(group(['list', 'extra']), ['extra'])).toThrow('registry list takes no arguments, got "extra" (commands: list, show)');
    expect(() => refuseUnknownSubcommand(group(['list']), [])).not.toThrow();
  });
});
