import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linkTarget } from './link-target.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-link-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('linkTarget', () => {
  it('follows every link of a chain, relative to the folder of each, to a file that need not exist', async () => {
    writeFileSync(path.join(dir, 'plain.jsonl'), '');
    expect(await linkTarget(path.join(dir, 'plain.jsonl'))).toBe(path.join(dir, 'plain.jsonl'));
    expect(await linkTarget(path.join(dir, 'absent.jsonl'))).toBe(path.join(dir, 'absent.jsonl'));
    // one -> two -> later/new.jsonl
    symlinkSync('two', path.join(dir, 'one'));
    symlinkSync(path.join('later', 'new.jsonl'), path.join(dir, 'two'));
    expect(await linkTarget(path.join(dir, 'one'))).toBe(path.join(dir, 'later', 'new.jsonl'));
  });

  it('throws ELOOP for a loop of links', async () => {
    symlinkSync('b', path.join(dir, 'a'));
    symlinkSync('a', path.join(dir, 'b'));
    await expect(linkTarget(path.join(dir, 'a'))).rejects.toMatchObject({ code: 'ELOOP' });
  });
});
