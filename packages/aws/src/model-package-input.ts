import { createHash } from 'node:crypto';
import type { CreateModelPackageCommandInput } from '@aws-sdk/client-sagemaker';
import type { ModelVersion } from '@mailroute/model';
import { toCustomerMetadata } from './registry-metadata.js';

/**
 * CreateModelPackage's idempotency token for a version: the same for every try of the same id and manifest in
 * the same group (another artifact under a reused id gets another token), so a repeated call (the SDK's retry, or ours after a lost answer) returns the package already made
 * instead of a second one. 32 hex characters of a sha256: inside SageMaker's limits on the token (at most
 * 36 characters of letters, digits and inner hyphens), whatever the id's own length or characters.
 */
export function modelPackageClientToken(groupName: string, id: string, manifestSha256 = ''): string {
  return createHash('sha256').update(`${groupName}\n${id}\n${manifestSha256}`).digest('hex').slice(0, 32);
}

/** The Versioned model package of a version: its artifact prefix uncompressed, the registry's metadata. */
export function createModelPackageInput(input: {
  groupName: string;
  inferenceImage: string;
  artifactUri: string;
  version: Omit<ModelVersion, 'version' | 'status' | 'createdAt'>;
}): CreateModelPackageCommandInput {
  const { id } = input.version;
  return {
    ModelPackageGroupName: input.groupName,
    ModelPackageDescription: `mailroute ${id}`,
    ModelApprovalStatus: 'PendingManualApproval',
    ClientToken: modelPackageClientToken(input.groupName, id, input.version.manifestSha256),
    CustomerMetadataProperties: toCustomerMetadata(input.version),
    InferenceSpecification: {
      Containers: [
        {
          Image: input.inferenceImage,
          ModelDataSource: { S3DataSource: { S3Uri: input.artifactUri, S3DataType: 'S3Prefix', CompressionType: 'None' } },
          Environment: { MAILROUTE_MODEL_ID: id },
        },
      ],
      SupportedContentTypes: ['application/json'],
      SupportedResponseMIMETypes: ['application/json'],
    },
  };
}
