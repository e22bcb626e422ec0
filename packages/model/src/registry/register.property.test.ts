import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixture } from '../classifier-fixture.js';
import { oddJsonValue, pathsOf, withValue } from '../json-edits.js';
import { RegistryError } from './errors.js';
import { createLocalRegistry } from './local-registry.js';

// An artifact damaged before registration, field by field or file by file: register refuses it with
// REGISTRY_ARTIFACT_INVALID naming the directory given, leaving no model and no staging copy behind, or
// registers it, and then the version can be approved and made champion (its files are the ones registered).

const FUZZ_RUNS = Number(process.env.MAILROUTE_FUZZ_RUNS ?? 60);
const FUZZ_SEED = Number(process.env.MAILROUTE_FUZZ_SEED ?? 1);

let root: string;
let good: string;
let manifest: unknown;
let run = 0;
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mailroute-register-fuzz-'));
  good = path.join(root, 'good');
  await writeFixture(good, 0.5);
  manifest = JSON.parse(readFileSync(path.join(good, 'manifest.json'), 'utf8'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Whatever is at `file` (a file, a directory, a link) replaced: by `data`, a directory, or a link to `target`. */
function put(file: string, what: { data: string | Buffer } | { dir: true } | { linkTo: string } | { none: true }): void {
  rmSync(file, { recursive: true, force: true });
  if ('data' in what) writeFileSync(file, what.data);
  else if ('dir' in what) mkdirSync(file);
  else if ('linkTo' in what) symlinkSync(what.linkTo, file);
}

/** Ways the files of an artifact are damaged, each given the artifact's directory. */
const fileDamage: Record<string, (dir: string) => void> = {
  'model.onnx removed': (dir) => put(path.join(dir, 'model.onnx'), { none: true }),
  'model.onnx grown': (dir) => put(path.join(dir, 'model.onnx'), { data: Buffer.concat([readFileSync(path.join(good, 'model.onnx')), Buffer.from('x')]) }),
  'model.onnx a directory': (dir) => put(path.join(dir, 'model.onnx'), { dir: true }),
  'model.onnx a link': (dir) => put(path.join(dir, 'model.onnx'), { linkTo: path.join(good, 'model.onnx') }),
  'a file not listed': (dir) => put(path.join(dir, 'notes.txt'), { data: 'trained on a Friday' }),
  'manifest.json a directory': (dir) => put(path.join(dir, 'manifest.json'), { dir: true }),
  'manifest.json removed': (dir) => put(path.join(dir, 'manifest.json'), { none: true }),
};

/** One damage: a manifest field deleted or replaced, the manifest cut short, or a file damaged. */
function damageOf(manifest: unknown): fc.Arbitrary<{ what: string; apply: (dir: string) => void }> {
  const manifestFile = (dir: string) => path.join(dir, 'manifest.json');
  return fc.oneof(
    fc.tuple(fc.constantFrom(...pathsOf(manifest).filter((p) => p.length > 0)), oddJsonValue).map(([at, value]) => ({
      what: `manifest ${at.join('.')}`,
      apply: (dir: string) => put(manifestFile(dir), { data: JSON.stringify(withValue(manifest, at, value)) }),
    })),
    // The model id names the version's directory: ids of every length a name may have, and ones that are paths.
    fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]*$/), fc.integer({ min: 190, max: 300 }).map((n) => 'm'.repeat(n)), fc.string({ maxLength: 20 }), fc.constantFrom('../x', 'a/b', '/tmp', '.hidden', '..', 'x\0', '')).map((id) => ({
      what: `modelId ${JSON.stringify(id)}`,
      apply: (dir: string) => put(manifestFile(dir), { data: JSON.stringify(withValue(manifest, ['modelId'], id)) }),
    })),
    fc.nat({ max: 2000 }).map((at) => ({ what: `manifest cut at ${at}`, apply: (dir: string) => put(manifestFile(dir), { data: readFileSync(manifestFile(good)).subarray(0, at) }) })),
    fc.constantFrom(...Object.keys(fileDamage)).map((what) => ({ what, apply: fileDamage[what] })),
  );
}

describe('LocalModelRegistry.register of a damaged artifact', () => {
  it('refuses it with REGISTRY_ARTIFACT_INVALID, nothing left behind, or registers a version that can be approved', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(damageOf(manifest), { minLength: 1, maxLength: 2 }), async (damages) => {
        const dir = path.join(root, `artifact-${run++}`);
        cpSync(good, dir, { recursive: true });
        for (const d of damages) d.apply(dir);
        const home = path.join(root, `home-${run}`);
        const reg = createLocalRegistry({ home });
        let version;
        try {
          version = await reg.register(dir);
        } catch (error) {
          expect(error).toBeInstanceOf(RegistryError);
          expect(error).toMatchObject({ code: 'REGISTRY_ARTIFACT_INVALID', message: expect.stringContaining(dir) });
          // No model, and no staging copy: models/ is empty when the damage was found after copying.
          expect(existsSync(path.join(home, 'models')) ? readdirSync(path.join(home, 'models')) : []).toEqual([]);
          return;
        }
        expect(readdirSync(path.join(home, 'models'))).toEqual([version.id]);
        await reg.approve(version.id);
        expect((await reg.champion())?.id).toBe(version.id);
        expect(await reg.artifactDir(version.id)).toBe(path.join(home, 'models', version.id));
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  }, 60_000);
});
