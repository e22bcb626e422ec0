import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrainingConfig } from './config.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-config-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a training config that is not JSON', () => {
  it("is said in one line: the parser's reason keeps the text it quotes, its newlines written as \\n", async () => {
    const file = path.join(dir, 'oops.json');
    writeFileSync(file, '{"version":1,\n "columns": oops}\n');
    const error = await loadTrainingConfig(file).then(
      () => new Error('read'),
      (e: unknown) => e as Error,
    );
    // V8 quotes `..."columns": oops}` and the newline after it: the message went on past it, and the CLI showed its first line only.
    expect(error.message).toBe(`${file}:2:13: not JSON (Unexpected token 'o', ..."columns": oops}\\n" is not valid JSON)`);
    expect(error.message).not.toContain('\n');
  });
});
