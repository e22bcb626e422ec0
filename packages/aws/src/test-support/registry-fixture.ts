// The S3SageMakerRegistry of a test file that compares it with the local registry: s3rver in a temporary folder
// (started before the file's tests, closed and removed after them) and a fresh registry per call, each on a new
// fake model package group and under a prefix of its own.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import type { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { S3SageMakerRegistry } from '../s3-sagemaker-registry.js';
import { fakeModelPackageGroup, startS3rver, testCredentials } from './fake-model-package-group.js';

export interface RegistryFixture {
  /** The temporary folder (set before the tests run): artifacts, local homes and caches go under it. */
  root: string;
  s3: S3Client;
  /** A number new at each call, for names of folders and prefixes. */
  next: () => number;
  /** A new registry on an empty fake model package group. */
  registry: () => S3SageMakerRegistry;
}

export function registryFixture(name: string): RegistryFixture {
  const sagemaker = new SageMakerClient({ region: 'eu-central-1', credentials: testCredentials });
  const sm = mockClient(sagemaker);
  let counter = 0;
  let close: (() => Promise<void>) | undefined;
  const fixture: RegistryFixture = {
    root: '',
    s3: undefined as unknown as S3Client,
    next: () => ++counter,
    registry: () => {
      sm.reset();
      fakeModelPackageGroup(sm);
      const n = fixture.next();
      return new S3SageMakerRegistry({
        s3: fixture.s3,
        sagemaker,
        bucket: 'artifacts',
        prefix: `${name}-${n}/`,
        modelPackageGroupName: 'mailroute-dev',
        inferenceImage: '111111111111.dkr.ecr.eu-central-1.amazonaws.com/mailroute-serving:1',
        cacheDir: path.join(fixture.root, `cache-${n}`),
      });
    },
  };
  beforeAll(async () => {
    fixture.root = await mkdtemp(path.join(os.tmpdir(), `mailroute-${name}-`));
    ({ s3: fixture.s3, close } = await startS3rver(fixture.root));
  });
  afterAll(async () => {
    await close?.();
    await rm(fixture.root, { recursive: true, force: true });
  });
  return fixture;
}
