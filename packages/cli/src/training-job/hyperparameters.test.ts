import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHyperparameters } from './hyperparameters.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mailroute-hyperparameters-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function read(json: unknown) {
  const at = await mkdtemp(path.join(dir, 'c-'));
  await mkdir(at, { recursive: true });
  await writeFile(path.join(at, 'hyperparameters.json'), JSON.stringify(json));
  return readHyperparameters(at);
}

describe('readHyperparameters', () => {
  it('defaults the config file when there is no file or no value, blank included', async () => {
    expect(await readHyperparameters(path.join(dir, 'none'))).toEqual({ configFile: 'train-config.json' });
    expect(await read({ config: ' ', note: '' })).toEqual({ configFile: 'train-config.json' });
  });

  it('reads the config name (a subfolder of the channel too) and the note, past SageMaker\'s own hyperparameters', async () => {
    expect(await read({ config: 'bank/cfg.json', note: 'execution 7', sagemaker_program: 'x', _tuning_objective_metric: 'validation:f1' })).toEqual({ configFile: 'bank/cfg.json', note: 'execution 7' });
  });

  it('refuses hyperparameters it does not read, naming them: set on an unattended job, they would change nothing unseen', async () => {
    await expect(read({ config: 'cfg.json', epochs: '5', cofig: 'x.json' })).rejects.toMatchObject({
      code: 'TRAINING_JOB_HYPERPARAMETERS_INVALID',
      message: expect.stringMatching(/^hyperparameters the job does not read: cofig, epochs\. It reads "config" .* and "note"; training settings \(epochs, model parameters\) belong in that config$/),
    });
  });

  it('takes numbers and booleans as SageMaker would pass them, as strings', async () => {
    expect((await read({ note: 42 })).note).toBe('42');
  });

  it('refuses a file that is no JSON object of plain values, or a config path out of the channel', async () => {
    await expect(read(['train-config.json'])).rejects.toThrow(/must be a JSON object of string values/);
    await expect(read({ config: '/etc/passwd' })).rejects.toThrow(/must name a file inside the "config" channel/);
    await expect(read({ config: 'a/../../x.json' })).rejects.toThrow(/must name a file inside/);
  });
});
