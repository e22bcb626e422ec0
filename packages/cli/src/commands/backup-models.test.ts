import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { writeLoadableArtifact } from '@mailroute/model/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';
import type { BackupManifest } from './backup.js';

// A backup is of no use when a restore of it cannot serve: each model folder is checked against its manifest.json.
const dir = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-backup-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Entries beside `out` left by an unfinished backup. */
const partials = (out: string) => readdirSync(path.dirname(out)).filter((name) => name.startsWith(`.${path.basename(out)}.partial-`));

/** A registrable artifact with a small model.onnx. */
function artifact(id: string): string {
  const at = path.join(mkdtempSync(path.join(dir, 'artifact-')), id);
  return writeLoadableArtifact(at, id, { onnx: Buffer.alloc(2000, 7), extra: { dataHash: 'h', metrics: { mean_macro_f1: 0.8 } } });
}

describe('mailroute backup: model folders against their manifests', () => {
  it('fails, leaving nothing, when the champion or an Approved version is not as its manifest says; a Rejected one is noted; --verify checks each model against its manifest', async () => {
    const own = mkdtempSync(path.join(dir, 'damaged-'));
    const registry = createLocalRegistry({ home: own });
    for (const id of ['m-old', 'm-rej', 'm-champ']) await registry.register(artifact(id));
    await registry.approve('m-old');
    await registry.approve('m-rej');
    await registry.approve('m-champ');
    await registry.reject('m-rej', { note: 'worse' });
    const models = path.join(own, 'models');
    const backup = (name: string) => runCli(['backup', '--home', own, '--out', path.join(own, name)], { env: { CI: 'true' }, cwd: own });
    const nothingLeft = (name: string) => {
      expect(existsSync(path.join(own, name))).toBe(false);
      expect(partials(path.join(own, name))).toEqual([]);
    };

    // The champion's model.onnx moved away by hand: no backup.
    renameSync(path.join(models, 'm-champ', 'model.onnx'), path.join(own, 'champ.onnx'));
    const champion = await backup('b1');
    expect(champion.code).toBe(1);
    expect(champion.stderr).toMatch(
      new RegExp(`^mailroute: \\[BACKUP_MODEL_DAMAGED\\] 1 model the registry may serve is not whole: m-champ \\(the champion\\): model\\.onnx is missing \\(manifest\\.json lists it\\) in ${path.join(models, 'm-champ')}\\. No server could load it from a restore of this backup\\. Copy an intact copy of the folder back .*reject it .*; then back up again\\. Nothing was written to ${path.join(own, 'b1')}\n$`),
    );
    nothingLeft('b1');
    renameSync(path.join(own, 'champ.onnx'), path.join(models, 'm-champ', 'model.onnx'));

    // An Approved version (the one a rollback goes to) whose model.onnx changed, or whose folder is gone: no backup.
    const onnx = path.join(models, 'm-old', 'model.onnx');
    const original = readFileSync(onnx);
    writeFileSync(onnx, 'corrupted');
    const changed = await backup('b2');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('[BACKUP_MODEL_DAMAGED] 1 model the registry may serve is not whole: m-old (Approved): model.onnx does not match its sha256 in manifest.json (changed since registration)');
    nothingLeft('b2');
    writeFileSync(onnx, original);
    renameSync(path.join(models, 'm-old'), path.join(own, 'm-old'));
    const gone = await backup('b3');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`m-old (Approved): its folder ${path.join(models, 'm-old')} is missing`);
    nothingLeft('b3');
    renameSync(path.join(own, 'm-old'), path.join(models, 'm-old'));

    // A Rejected version's: a note, and the backup is made; --verify notes it too.
    rmSync(path.join(models, 'm-rej', 'model.onnx'));
    const rejected = await backup('b4');
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stderr).toContain('note: models/m-rej (Rejected) is not whole: model.onnx is missing (manifest.json lists it); backed up as it is');
    const verified = await runCli(['backup', '--verify', path.join(own, 'b4')], { env: {}, cwd: own });
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stderr).toContain('note: models/m-rej (Rejected) is not whole: model.onnx is missing (manifest.json lists it)');
    expect(verified.stdout).toContain('  models/: 2 of 3 model folders match their manifest.json');

    // A backup whose champion lacks model.onnx though backup.json matches (as an older mailroute made one): --verify fails.
    const b4 = path.join(own, 'b4');
    rmSync(path.join(b4, 'models', 'm-champ', 'model.onnx'));
    const manifestFile = path.join(b4, 'backup.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
    manifest.files = manifest.files.filter((f) => f.path !== 'models/m-champ/model.onnx');
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const broken = await runCli(['backup', '--verify', b4], { env: {}, cwd: own });
    expect(broken.code).toBe(1);
    const problem = 'models/m-champ (the champion): model.onnx is missing (manifest.json lists it): a restore could not serve it';
    expect(broken.stdout).toBe(`backup ${b4} holds 1 model the registry may serve that is not whole (its files match backup.json):\n  ${problem}\n`);
    expect(broken.stderr).toContain(`mailroute: [BACKUP_VERIFY_FAILED] ${b4}: 1 problem: ${problem}\n`);
    // And one without the champion's folder at all.
    rmSync(path.join(b4, 'models', 'm-champ'), { recursive: true });
    manifest.files = manifest.files.filter((f) => !f.path.startsWith('models/m-champ/'));
    manifest.registry = { ...manifest.registry!, models: manifest.registry!.models.filter((m) => m !== 'm-champ') };
    writeFileSync(manifestFile, JSON.stringify(manifest));
    expect((await runCli(['backup', '--verify', b4], { env: {}, cwd: own })).stdout).toContain('  models/m-champ: not in the backup, though registry.json lists it as the champion');
  });

});
