import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalRegistry } from '@mailroute/model';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';


function run(argv: string[], home: string) {
  return runCli(argv, { env: { USER: 'tester' }, cwd: home, home });
}

function artifact(id: string): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-art-')), id);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'model.onnx'), 'x');
  const files = { 'model.onnx': createHash('sha256').update('x').digest('hex') };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ modelId: id, family: 'ngram-bag', tasks: [{ name: 'queue' }], dataHash: 'h', metrics: { mean_macro_f1: 0.8 }, files }));
  return dir;
}

describe('mailroute registry', () => {
  it('lists, shows, approves (champion), rejects and sets the champion', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-reg-'));
    expect((await run(['registry', 'list'], home)).stdout).toContain('no models registered');
    const reg = createLocalRegistry({ home });
    await reg.register(artifact('model-a'));
    await reg.register(artifact('model-b'));

    const list = await run(['registry'], home);
    expect(list.stdout).toMatch(/2\s+model-b\s+PendingManualApproval/);
    expect(list.stdout).toContain('0.8000');
    expect((await run(['registry', 'champion'], home)).stdout).toBe('no champion\n');

    const approved = await run(['registry', 'approve', 'model-a', '--note', 'good'], home);
    // What follows is said: servers switch to it (there was no champion to go back to).
    expect(approved.stdout).toBe('model-a: Approved, champion; servers using this registry switch to it at their next poll (every 5 s by default)\n');
    // Approved again: nothing is recorded, and the answer says so rather than looking like a second decision.
    const again = await run(['registry', 'approve', 'model-a', '--by', 'carl', '--note', 'again'], home);
    expect(again.stdout).toMatch(/^model-a: Approved, champion \(it was already Approved by \S+ at \S+: that approval stays on record, this one is not added to its history\)\n$/);
    expect(JSON.parse((await run(['registry', 'show', 'model-a'], home)).stdout).history).toHaveLength(2);
    const shown = JSON.parse((await run(['registry', 'show', 'model-a'], home)).stdout);
    expect(shown).toMatchObject({ id: 'model-a', status: 'Approved', statusChangedBy: 'tester', champion: true });
    expect(JSON.parse((await run(['registry', 'show', 'champion'], home)).stdout)).toMatchObject({ id: 'model-a', champion: true });
    expect((await run(['registry', 'list'], home)).stdout).toContain('model-a *');

    const notApproved = await run(['registry', 'champion', 'model-b'], home);
    expect(notApproved.code).toBe(1);
    expect(notApproved.stderr).toContain('[REGISTRY_NOT_APPROVED]');
    expect((await run(['registry', 'approve', 'model-b', '--no-promote'], home)).stdout).toBe('model-b: Approved; model-a stays the champion (`mailroute registry champion model-b` makes it champion)\n');
    expect((await run(['registry', 'champion'], home)).stdout).toBe('model-a (version 1, Approved)\n');
    expect((await run(['registry', 'champion', 'model-b'], home)).stdout).toBe(
      'model-b (version 2, Approved); servers using this registry switch to it at their next poll (every 5 s by default), from model-a; to go back: `mailroute registry champion model-a`\n',
    );
    expect((await run(['registry', 'reject', 'model-b', '--note', 'worse on complaints'], home)).stdout).toBe(
      'model-b: Rejected; it was the champion: the champion is now model-a (version 1, the newest other Approved version); servers switch to it at their next poll\n',
    );
    expect((await run(['registry', 'champion'], home)).stdout).toContain('model-a');
    const json = JSON.parse((await run(['registry', 'list', '--json'], home)).stdout);
    expect(json.versions.map((v: { status: string }) => v.status)).toEqual(['Rejected', 'Approved']);
    expect((await run(['registry', 'reject', 'model-a'], home)).stdout).toBe(
      'model-a: Rejected; it was the champion: no other version is Approved, so there is no champion now and running servers keep serving model-a until you approve another: every other version is Rejected, so approve one again with `mailroute registry approve <id> --force`, or train a new one\n',
    );
    expect((await run(['registry', 'champion'], home)).stdout).toBe('no champion\n');
    // serve, with no champion and every version Rejected, names the flag a plain approve would ask for.
    const served = await run(['serve', '--port', '0'], home);
    expect(served.code).toBe(1);
    expect(served.stderr).toContain('has no champion. Approve a version (every version is Rejected: mailroute registry approve <id> --force)');
    // A rejection stands until someone means to undo it; both decisions stay in the history.
    const refused = await run(['registry', 'approve', 'model-b'], home);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\[REGISTRY_REJECTED\] model "model-b" was rejected by tester at \S+ \("worse on complaints"\); approving it undoes that decision: add --force to approve it anyway/);
    expect((await run(['registry', 'champion'], home)).stdout).toBe('no champion\n');
    expect((await run(['registry', 'approve', 'model-b', '--force', '--by', 'lead'], home)).stdout).toBe('model-b: Approved, champion; servers using this registry switch to it at their next poll (every 5 s by default)\n');
    // Rejecting a version that is not the champion changes nothing served, and says so.
    await reg.register(artifact('model-c'));
    expect((await run(['registry', 'reject', 'model-c'], home)).stdout).toBe('model-c: Rejected; not served (the champion stays model-b); `mailroute registry approve model-c --force` undoes this\n');
    const history = JSON.parse((await run(['registry', 'show', 'model-b'], home)).stdout).history;
    expect(history.map((h: { status: string; by?: string }) => `${h.status}:${h.by ?? ''}`)).toEqual(['PendingManualApproval:', 'Approved:tester', 'Rejected:tester', 'Approved:lead']);
    const typo = await run(['registry', 'frob'], home);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown registry command "frob" (commands: list, show, approve, reject, champion)');
    expect((await run(['runs', 'lsit'], home)).stderr).toContain('unknown runs command "lsit" (commands: list, show, compare)');
    const missing = await run(['registry', 'show', 'nope'], home);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[REGISTRY_NOT_FOUND]');
  });

  it('says MAILROUTE_HOME is a file, not a directory, for registry and serve alike (not a raw ENOTDIR)', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mailroute-cli-home-')), 'home');
    writeFileSync(file, 'not a directory');
    for (const argv of [['registry', 'list'], ['serve', '--port', '0']]) {
      const result = await run(argv, file);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`[REGISTRY_HOME_NOT_DIRECTORY] MAILROUTE_HOME=${file} is a file, not a directory`);
      expect(result.stderr).not.toContain('ENOTDIR');
    }
  });
});
