import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sageMakerPaths } from './sagemaker-paths.js';

describe('sageMakerPaths', () => {
  it('is /opt/ml by default, as SageMaker mounts it', () => {
    expect(sageMakerPaths({})).toEqual({
      modelDir: '/opt/ml/model',
      inputConfigDir: '/opt/ml/input/config',
      dataChannel: '/opt/ml/input/data/training',
      configChannel: '/opt/ml/input/data/config',
      failureFile: '/opt/ml/output/failure',
      outputDataDir: '/opt/ml/output/data',
    });
  });

  it('moves under MAILROUTE_SAGEMAKER_ROOT, or the root given, which wins', () => {
    expect(sageMakerPaths({ MAILROUTE_SAGEMAKER_ROOT: '/tmp/ml' }).dataChannel).toBe('/tmp/ml/input/data/training');
    expect(sageMakerPaths({ MAILROUTE_SAGEMAKER_ROOT: '/tmp/ml' }, '/srv/ml').failureFile).toBe('/srv/ml/output/failure');
    expect(sageMakerPaths({ MAILROUTE_SAGEMAKER_ROOT: ' ' }).modelDir).toBe('/opt/ml/model');
  });

  it('takes the SM_* variables of SageMaker\'s training toolkit over the root, blank ones aside', () => {
    const paths = sageMakerPaths(
      { SM_MODEL_DIR: '/m', SM_INPUT_CONFIG_DIR: '/c', SM_CHANNEL_TRAINING: '/d', SM_CHANNEL_CONFIG: '/cfg', SM_OUTPUT_DIR: '/o', MAILROUTE_SAGEMAKER_ROOT: '/tmp/ml' },
      '/srv/ml',
    );
    expect(paths).toEqual({ modelDir: '/m', inputConfigDir: '/c', dataChannel: '/d', configChannel: '/cfg', failureFile: path.join('/o', 'failure'), outputDataDir: path.join('/o', 'data') });
    expect(sageMakerPaths({ SM_OUTPUT_DIR: '/o', SM_OUTPUT_DATA_DIR: '/od' }).outputDataDir).toBe('/od');
    expect(sageMakerPaths({ SM_MODEL_DIR: '' }, '/srv/ml').modelDir).toBe('/srv/ml/model');
  });
});
