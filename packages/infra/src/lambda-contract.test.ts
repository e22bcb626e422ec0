import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';

// The program and the adapters it deploys share one set of names (@mailroute/aws/contracts). The program
// must reach them without loading the AWS SDK, so that module imports nothing and the program never
// imports the package's root (only the Lambda entry points under lambda/, bundled apart, do).
const here = path.dirname(fileURLToPath(import.meta.url));

function programSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'lambda' ? [] : programSources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('contract between the program and the code it deploys', () => {
  it('reads the shared names from a module that imports nothing', () => {
    const contracts = readFileSync(path.resolve(here, '../../aws/src/contracts.ts'), 'utf8');
    expect(contracts).not.toMatch(/^\s*import\b|\brequire\(|\bimport\(/m);
  });

  it('never imports the AWS package root outside the Lambda entry points', () => {
    const sources = programSources(here);
    expect(sources.length).toBeGreaterThan(10);
    const offenders = sources.filter((file) => /from '@mailroute\/aws'/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => path.relative(here, f))).toEqual([]);
  });
});
