import { existsSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArtifactWriteError, createLocalRegistry } from '@mailroute/model';
import { describe, expect, it } from 'vitest';
import { loadDemoConfig } from '../demo/demo-config.js';
import { writeDemoData } from '../demo/generate.js';
import { listRuns } from '../tracking/run-record.js';
import { ensureDemoChampion } from './demo-champion.js';
import { trainFromConfig } from './train-from-config.js';
import { scratchWriteError } from './write-failures.js';

const SMALL = { epochs: 4, buckets: 2 ** 14, dim: 24, patience: 2 };

/** `text` as a regular expression matches it. */
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A write's error on a full disk, as Node gives it: no file named. */
const diskFull = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });

/** A folder with `home` (not made yet) and 300 demo rows in `demo.csv`. */
async function trainingFolder(): Promise<{ dir: string; home: string; data: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-write-failures-'));
  const data = path.join(dir, 'demo.csv');
  await writeDemoData(data, { rows: 300, seed: 5 });
  return { dir, home: path.join(dir, 'home'), data };
}

describe('training on a full or unwritable disk', () => {
  it('says a model the registry had no room for is gone when it cannot be kept beside its run either, and records why the run failed', async () => {
    const { home, data } = await trainingFolder();
    // The copy into models/ fails as on a full disk; so does the copy into runs/<run>/model (something already there).
    const registry = createLocalRegistry({
      home,
      hooks: {
        afterCopyFile: (relative) => {
          const [run] = readdirSync(path.join(home, 'runs'));
          writeFileSync(path.join(home, 'runs', run, 'model'), '');
          throw Object.assign(diskFull(), { syscall: 'copyfile', dest: path.join(home, 'models', '.staging-x', relative) });
        },
      },
    });
    const warnings: string[] = [];
    const training = trainFromConfig({ config: { ...(await loadDemoConfig()), model: SMALL }, dataPath: data, home, registry, logger: { warn: (m) => warnings.push(m) } });
    await expect(training).rejects.toMatchObject({ code: 'REGISTRY_NO_SPACE' });
    const [run] = await listRuns(home);
    const kept = path.join(home, 'runs', run.runId, 'model');
    expect(warnings.at(-1)).toMatch(
      new RegExp(
        `^the trained model was not registered and could not be kept in ${esc(kept)} either \\(.+\\): it is removed with the temporary folder; registering it needs [\\d.]+ [kM]?B free on the file system of ${esc(home)} \\([\\d.]+ [kMGT]?B free now\\): free that much there and train again$`,
      ),
    );
    expect(run).toMatchObject({ status: 'failed', error: expect.stringMatching(/^cannot write .*: the disk is full \(ENOSPC\); registering copies the model/) });
    expect(existsSync(kept)).toBe(false);
    expect(readdirSync(path.join(home, 'models'))).toEqual([]);
  });

  // Linux's /dev/full answers every write with ENOSPC, as a full disk does; elsewhere there is no such device.
  it.skipIf(!existsSync('/dev/full'))('stops at the first epoch whose record cannot be written, and records why (no process-ending rejection)', async () => {
    const { home, data } = await trainingFolder();
    let run = '';
    const epochs: string[] = [];
    const training = trainFromConfig({
      config: { ...(await loadDemoConfig()), model: SMALL },
      dataPath: data,
      home,
      onEpoch: (_report, line) => epochs.push(line),
      // Once the run's folder is made: its epochs.jsonl on a full disk.
      onProgress: () => {
        if (run !== '') return;
        run = readdirSync(path.join(home, 'runs'))[0];
        symlinkSync('/dev/full', path.join(home, 'runs', run, 'epochs.jsonl'));
      },
    });
    await expect(training).rejects.toMatchObject({ code: 'TRAINING_WRITE_FAILED' });
    await expect(training).rejects.toThrow(new RegExp(`^cannot write ${esc(path.join(home, 'runs', run, 'epochs.jsonl'))}: the disk is full \\(ENOSPC\\); training records its run in `));
    expect(epochs).toEqual([]);
    const [recorded] = await listRuns(home);
    expect(recorded).toMatchObject({ runId: run, status: 'failed', epochs: [], error: expect.stringMatching(/epochs\.jsonl: the disk is full \(ENOSPC\)/) });
  });

  it('names the temporary folder (TMPDIR) when the model cannot be made there, before a run is recorded', async () => {
    const { dir, home, data } = await trainingFolder();
    const notAFolder = path.join(dir, 'tmp-file');
    writeFileSync(notAFolder, '');
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = notAFolder;
    try {
      const training = trainFromConfig({ config: { ...(await loadDemoConfig()), model: SMALL }, dataPath: data, home });
      await expect(training).rejects.toMatchObject({
        code: 'TRAINING_WRITE_FAILED',
        message: expect.stringMatching(
          new RegExp(
            `^cannot write ${esc(notAFolder)}/mailroute-train-\\S+: a file stands where a folder is needed \\(ENOTDIR\\); training writes the model into the temporary folder ${esc(notAFolder)} \\(TMPDIR, or /tmp when unset\\) before it registers it in MAILROUTE_HOME: point TMPDIR at a folder that can be written, and train again$`,
          ),
        ),
      });
    } finally {
      process.env.TMPDIR = previous;
    }
    expect(await listRuns(home)).toEqual([]);
  });

  it("says a full temporary folder as TMPDIR's, with the model's size and the room there; an error elsewhere as it is", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mailroute-scratch-root-'));
    const scratch = path.join(root, 'mailroute-train-1-abc');
    const file = path.join(scratch, 'ngram-bag-1.tmp-1-ab', 'model.onnx');
    const full = new ArtifactWriteError(file, 3_400_000, { cause: Object.assign(diskFull(), { path: file }) });
    const said = (await scratchWriteError(full, scratch)) as Error & { code: string };
    expect(said.code).toBe('TRAINING_WRITE_FAILED');
    expect(said.message).toMatch(
      new RegExp(
        `^cannot write ${esc(file)}: the disk is full \\(ENOSPC\\); training writes the model \\(3\\.4 MB\\) into the temporary folder ${esc(root)} \\(TMPDIR, or /tmp when unset\\) before it registers it in MAILROUTE_HOME: it needs 3\\.4 MB free on the file system of ${esc(root)} \\([\\d.]+ [kMGT]?B free now\\); free that much there, or point TMPDIR at a folder with room, and train again$`,
      ),
    );
    const elsewhere = Object.assign(diskFull(), { path: path.join(os.tmpdir(), 'home', 'registry.json') });
    expect(await scratchWriteError(elsewhere, scratch)).toBe(elsewhere);
  });

  it('says a home on a read-only file system is read-only when start makes it, not that a folder is missing', async () => {
    const home = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-ro-')), 'mount', 'home');
    // mkdir as Node 20 behaves on a read-only file system: the recursive call says ENOENT, one folder alone EROFS.
    const readOnly = (async (_dir: string, options?: { recursive?: boolean }) => {
      throw Object.assign(new Error(options?.recursive ? 'ENOENT: no such file or directory' : 'EROFS: read-only file system'), { code: options?.recursive ? 'ENOENT' : 'EROFS' });
    }) as unknown as typeof import('node:fs/promises').mkdir;
    await expect(ensureDemoChampion({ home, rows: 20 }, { mkdir: readOnly })).rejects.toMatchObject({ code: 'EROFS' });
    expect(existsSync(home)).toBe(false);
  });
});
