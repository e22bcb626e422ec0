import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ENV, DEPLOYER_ENV, FEEDBACK_EXPORT_ENV, QUALITY_ENV, REGISTER_ENV } from '../contracts.js';

// The README's table of each Lambda's environment variables must name exactly the variables contracts.ts gives it.
describe('README: Lambda environment variables', () => {
  const LAMBDAS = { API: API_ENV, deployer: DEPLOYER_ENV, quality: QUALITY_ENV, register: REGISTER_ENV, 'feedback-export': FEEDBACK_EXPORT_ENV };

  it('lists every variable of every Lambda, and no other', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('## Lambda environment variables');
    expect(start).toBeGreaterThan(-1);
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const documented: Record<string, string[]> = {};
    for (const line of section.split('\n')) {
      const row = /^\| ([\w-]+) \| `([A-Z0-9_]+)` \|/.exec(line);
      if (row) (documented[row[1]] ??= []).push(row[2]);
    }
    const expected = Object.fromEntries(Object.entries(LAMBDAS).map(([lambda, env]) => [lambda, Object.values(env).sort()]));
    expect(Object.fromEntries(Object.entries(documented).map(([lambda, names]) => [lambda, names.sort()]))).toEqual(expected);
  });
});
