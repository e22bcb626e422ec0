// An in-memory SageMaker model package group behind aws-sdk-client-mock, and an s3rver bucket on loopback:
// the registry's tests (and its contract test against the local registry) run on these.
import path from 'node:path';
import S3rver from 's3rver';
import { S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  UpdateModelPackageCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { checkCreateModelPackage, checkUpdateModelPackage } from './sagemaker-limits.js';

type Out = never;
export const testCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface FakePackage {
  arn: string;
  version: number;
  status: string;
  created: Date;
  /** LastModifiedTime: set on creation and by every update, as SageMaker does. */
  modified: Date;
  props: Record<string, string>;
  /** The last decision's ApprovalDescription. */
  approvalDescription?: string;
  input: unknown;
}

/**
 * Answers CreateModelPackage, DescribeModelPackage, ListModelPackages (newest first) and UpdateModelPackage. A
 * create or update past SageMaker's limits (customer metadata, description, group name: sagemaker-limits.ts) is
 * refused with a ValidationException, changing nothing, as SageMaker refuses it.
 */
export function fakeModelPackageGroup(sm: AwsClientStub<SageMakerClient>): FakePackage[] {
  const packages: FakePackage[] = [];
  sm.on(CreateModelPackageCommand).callsFake((input) => {
    checkCreateModelPackage(input);
    const version = packages.length + 1;
    const arn = `arn:aws:sagemaker:eu-central-1:111111111111:model-package/${input.ModelPackageGroupName}/${version}`;
    const created = new Date(Date.UTC(2026, 10, version));
    packages.push({ arn, version, status: input.ModelApprovalStatus, created, modified: created, props: { ...input.CustomerMetadataProperties }, input });
    return { ModelPackageArn: arn } as Out;
  });
  sm.on(DescribeModelPackageCommand).callsFake((input) => {
    const p = packages.find((x) => x.arn === input.ModelPackageName);
    if (!p) throw new Error('ValidationException');
    return { ModelPackageArn: p.arn, ModelPackageVersion: p.version, ModelApprovalStatus: p.status, CreationTime: p.created, LastModifiedTime: p.modified, CustomerMetadataProperties: p.props, ApprovalDescription: p.approvalDescription } as Out;
  });
  sm.on(ListModelPackagesCommand).callsFake(() => ({ ModelPackageSummaryList: [...packages].reverse().map((p) => ({ ModelPackageArn: p.arn })) }) as Out);
  sm.on(UpdateModelPackageCommand).callsFake((input) => {
    const p = packages.find((x) => x.arn === input.ModelPackageArn)!;
    const merged = { ...p.props, ...input.CustomerMetadataProperties };
    for (const key of input.CustomerMetadataPropertiesToRemove ?? []) delete merged[key];
    checkUpdateModelPackage(input, merged);
    p.status = input.ModelApprovalStatus;
    // Later than any creation or earlier update, in the order the updates come.
    p.modified = new Date(Math.max(Date.now(), ...packages.map((x) => x.modified.getTime() + 1)));
    p.props = merged;
    p.approvalDescription = input.ApprovalDescription;
    return { ModelPackageArn: p.arn } as Out;
  });
  return packages;
}

/** s3rver on a free loopback port with the bucket `artifacts`, and a client for it. */
export async function startS3rver(root: string): Promise<{ s3: S3Client; close: () => Promise<void> }> {
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(root, 's3'), configureBuckets: [{ name: 'artifacts' }] });
  const { port } = await server.run();
  const s3 = new S3Client({ region: 'eu-central-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, credentials: testCredentials,
    // s3rver does not understand the aws-chunked trailing checksums the SDK sends for streams by default.
    requestChecksumCalculation: 'WHEN_REQUIRED' });
  // S3 refuses a key over 1,024 bytes of UTF-8 (KeyTooLongError); s3rver takes it.
  s3.middlewareStack.add(
    (next) => async (args) => {
      const key = (args.input as { Key?: unknown }).Key;
      if (typeof key === 'string' && Buffer.byteLength(key) > 1024) {
        throw Object.assign(new Error('Your key is too long'), { name: 'KeyTooLongError', $metadata: { httpStatusCode: 400 } });
      }
      return next(args);
    },
    { step: 'initialize', name: 'keyTooLong' },
  );
  return {
    s3,
    close: async () => {
      s3.destroy();
      await server.close();
    },
  };
}
