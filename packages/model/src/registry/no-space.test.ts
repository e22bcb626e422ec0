import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalRegistry } from './local-registry.js';
import { registryArtifact } from './test-artifact.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'mailroute-no-space-'));

/** A write's error on a full disk, as Node gives it: no file named (`ENOSPC: no space left on device, write`). */
const diskFull = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });

/** The error `promise` rejects with; resolving fails the test. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e as Error);
  if (error === undefined) throw new Error('resolved: a rejection was expected');
  return error;
}

/** `text` as a regular expression matches it. */
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The room said in a REGISTRY_NO_SPACE message: `it needs 8.2 kB free on the file system of <home> (… free now)`. */
const room = (home: string) => new RegExp(`needs [\\d.]+ k?B free on the file system of ${esc(home)} \\([\\d.]+ [kMGT]?B free now\\)`);

describe('a registry write on a full disk', () => {
  it('names the lock file when its first write fails, says the room a change needs, and changes nothing', async () => {
    const home = tmp();
    await createLocalRegistry({ home }).register(registryArtifact('m-a'));
    const before = readFileSync(path.join(home, 'registry.json'), 'utf8');
    const full = diskFull();
    // The lock file is made (a full disk still has inodes), then its holder's record cannot be written.
    const failing = createLocalRegistry({ home, hooks: { beforeLockWrite: () => Promise.reject(full) } });
    for (const change of [() => failing.approve('m-a'), () => failing.reject('m-a')]) {
      const error = await failure(change());
      expect(error).toMatchObject({ code: 'REGISTRY_NO_SPACE', cause: full });
      expect(error.message).toMatch(new RegExp(`^cannot write ${esc(path.join(home, 'registry.lock'))}: the disk is full \\(ENOSPC\\); a registry change writes the lock file and a new registry.json \\(about [\\d.]+ k?B\\) beside the old one: `));
      expect(error.message).toMatch(room(home));
      expect(error.message).toMatch(/; free that much there and run the command again \(nothing was changed\)$/);
    }
    // No lock left behind, the index as it was.
    expect(readdirSync(home).sort()).toEqual(['models', 'registry.json']);
    expect(readFileSync(path.join(home, 'registry.json'), 'utf8')).toBe(before);
  });

  it('names registry.json and the size of the new one when the index write fails', async () => {
    const home = tmp();
    await createLocalRegistry({ home }).register(registryArtifact('m-a'));
    const failing = createLocalRegistry({ home, hooks: { beforeIndexWrite: () => Promise.reject(diskFull()) } });
    const error = await failure(failing.approve('m-a'));
    expect(error).toMatchObject({ code: 'REGISTRY_NO_SPACE' });
    expect(error.message).toMatch(new RegExp(`^cannot write ${esc(path.join(home, 'registry.json'))}: the disk is full \\(ENOSPC\\); a registry change writes the lock file and a new registry.json \\([\\d.]+ k?B\\) beside`));
    expect((await createLocalRegistry({ home }).get('m-a')).status).toBe('PendingManualApproval');
  });

  it('prune says it records before it removes, what it would free and what it needs first; nothing is removed', async () => {
    const home = tmp();
    const registry = createLocalRegistry({ home });
    await registry.register(registryArtifact('m-old', 300_000));
    await registry.reject('m-old');
    const failing = createLocalRegistry({ home, hooks: { beforeLockWrite: () => Promise.reject(diskFull()) } });
    const error = await failure(failing.prune({ olderThanDays: 0 }));
    expect(error).toMatchObject({ code: 'REGISTRY_NO_SPACE' });
    expect(error.message).toMatch(
      new RegExp(
        `^cannot write ${esc(path.join(home, 'registry.lock'))}: the disk is full \\(ENOSPC\\); prune records the versions it prunes in registry.json before it removes their artifacts \\(30\\d kB\\), so that no crash leaves a version listed whose artifact is gone: that record \\(the lock file and a new registry.json \\(about [\\d.]+ k?B\\) beside the old one\\) needs `,
      ),
    );
    expect(error.message).toMatch(room(home));
    expect(error.message).toMatch(/; free that much first \(any file you can spare\), then run it again \(nothing was removed\)$/);
    expect(existsSync(path.join(home, 'models', 'm-old', 'model.onnx'))).toBe(true);
    expect((await registry.get('m-old')).prunedAt).toBeUndefined();
  });

  it("names the copy's file and the model's size when the copy into models/ fails, and leaves no staging copy", async () => {
    const home = tmp();
    const artifact = registryArtifact('m-big', 200_000);
    // As copyFile fails on a full disk: its error names the source and the destination.
    const failing = createLocalRegistry({
      home,
      hooks: {
        afterCopyFile: (relative) => {
          const staging = readdirSync(path.join(home, 'models')).find((e) => e.startsWith('.staging-')) ?? '';
          const dest = path.join(home, 'models', staging, relative);
          throw Object.assign(diskFull(), { syscall: 'copyfile', path: path.join(artifact, relative), dest, message: `ENOSPC: no space left on device, copyfile '${path.join(artifact, relative)}' -> '${dest}'` });
        },
      },
    });
    const error = await failure(failing.register(artifact));
    expect(error).toMatchObject({ code: 'REGISTRY_NO_SPACE' });
    expect(error.message).toMatch(new RegExp(`^cannot write ${esc(path.join(home, 'models', '.staging-m-big-'))}[^ ]+: the disk is full \\(ENOSPC\\); registering copies the model \\(20\\d kB\\) into ${esc(path.join(home, 'models'))}, then lists it in registry.json: it needs `));
    expect(error.message).toMatch(room(home));
    expect(error.message).toMatch(/; free that much there \(nothing was registered\)$/);
    expect(readdirSync(path.join(home, 'models'))).toEqual([]);
  });
});
