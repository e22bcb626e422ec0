import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A child process: other tests of this run draw PNGs, and a loaded module stays loaded.
function resvgLoadedAfter(code: string): boolean {
  const script = `${code}\nconst { createRequire } = await import('node:module');\nconst cache = createRequire(import.meta.url).cache;\nprocess.stdout.write(String(Object.keys(cache).some((k) => k.includes('resvg'))));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: path.resolve(import.meta.dirname, '..'), encoding: 'utf8' });
  return out.trim() === 'true';
}

describe('resvg, the PNG renderer', () => {
  it('is not loaded with the package (a server imports its metrics and draws no picture), only at the first PNG', () => {
    expect(resvgLoadedAfter("const e = await import('@mailroute/evaluation'); e.computeTaskMetrics;")).toBe(false);
    expect(resvgLoadedAfter("const e = await import('@mailroute/evaluation'); e.svgToPng('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>');")).toBe(true);
  }, 60_000);
});
