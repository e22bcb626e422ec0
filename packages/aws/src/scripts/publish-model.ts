// Puts a locally trained model into the stack's SageMaker model package group (PendingManualApproval);
// approving it there deploys it (the deployer Lambda).
//   AWS_REGION=eu-central-1 npx tsx packages/aws/src/scripts/publish-model.ts --model <id> --bucket <bucket> --group <group> --image <ecr uri>
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { homeFolder } from '@mailroute/model';
import { S3SageMakerRegistry } from '../s3-sagemaker-registry.js';
import { publishFailureMessage, publishModel, recordFailedCalls } from '../publish-model.js';

const USAGE = `usage: publish-model (--model <local model id> | --artifact-dir <dir>) --bucket <artifact bucket> --group <model package group> --image <serving image> [--home <MAILROUTE_HOME>] [--prefix models/] [--note <text>]

Uploads a model's artifact to s3://<bucket>/<prefix><model id>/ and registers it as a model package
(PendingManualApproval) in the group. Approving that package (SageMaker console, or aws sagemaker
update-model-package --model-approval-status Approved) makes the deployer Lambda put it on the endpoint.

  --model         a model of the local registry (mailroute registry list), read from --home
  --artifact-dir  an artifact directory instead (manifest.json, model files)
  --home          the local registry's directory; default $MAILROUTE_HOME, else .mailroute (as mailroute's)
  --bucket        the stack's artifact bucket; default $MAILROUTE_ARTIFACT_BUCKET
  --group         the stack's model package group; default $MAILROUTE_MODEL_PACKAGE_GROUP
  --image         the serving image the package names (ECR URI with tag or digest); default $MAILROUTE_INFERENCE_IMAGE
  --prefix        the models prefix in the bucket; default models/

The AWS SDK's usual settings apply: AWS_REGION (or the profile's region) and credentials allowed s3:PutObject,
s3:GetObject, s3:DeleteObject and s3:ListBucket on the bucket, kms:GenerateDataKey and kms:Decrypt on the stack's
key (the bucket encrypts with it: alias/mailroute-<env>-data), sagemaker:CreateModelPackage, ListModelPackages and
DescribeModelPackage on the group. The manifest is written first and only where the id has none (S3's conditional
write): when another publisher of the same id got there first with another manifest (read to compare), nothing is
uploaded and it fails with REGISTRY_DUPLICATE. A failed AWS call fails it (exit 1) naming the call and its bucket/key
or group, AWS's error, the IAM action an access denied needs, and "retry shortly" for throttling, SlowDown or a 5xx.
`;

function fail(message: string, code: number): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(code);
}

const options = {
  model: { type: 'string' },
  'artifact-dir': { type: 'string' },
  home: { type: 'string' },
  bucket: { type: 'string' },
  group: { type: 'string' },
  image: { type: 'string' },
  prefix: { type: 'string', default: 'models/' },
  note: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
let values: ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];
try {
  ({ values } = parseArgs({ options }));
} catch (error) {
  fail(`publish-model: ${(error as Error).message}\n\n${USAGE}`, 2);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const env = process.env;
const bucket = values.bucket ?? env.MAILROUTE_ARTIFACT_BUCKET;
const group = values.group ?? env.MAILROUTE_MODEL_PACKAGE_GROUP;
const image = values.image ?? env.MAILROUTE_INFERENCE_IMAGE;
const missing = [
  (values.model === undefined) === (values['artifact-dir'] === undefined) ? 'one of --model and --artifact-dir' : undefined,
  bucket ? undefined : '--bucket (or MAILROUTE_ARTIFACT_BUCKET)',
  group ? undefined : '--group (or MAILROUTE_MODEL_PACKAGE_GROUP)',
  image ? undefined : '--image (or MAILROUTE_INFERENCE_IMAGE)',
].filter((m) => m !== undefined);
if (missing.length > 0) fail(`publish-model: missing ${missing.join(', ')}\n\n${USAGE}`, 2);

try {
  const registry = new S3SageMakerRegistry({
    // A failed call's error is noted with the call (operation, bucket/key or group), which the message names.
    s3: recordFailedCalls(new S3Client({}), 'S3'),
    sagemaker: recordFailedCalls(new SageMakerClient({}), 'SageMaker'),
    bucket: bucket as string,
    prefix: values.prefix,
    modelPackageGroupName: group as string,
    inferenceImage: image as string,
    cacheDir: path.join(os.tmpdir(), 'mailroute-publish-cache'),
  });
  const { version, modelPackageArn, s3Uri } = await publishModel({ registry, modelId: values.model, artifactDir: values['artifact-dir'], home: homeFolder(process.cwd(), values.home ?? env.MAILROUTE_HOME), note: values.note });
  process.stdout.write(`${JSON.stringify({ id: version.id, version: version.version, status: version.status, modelPackageArn, s3Uri, next: `approve version ${version.version} of ${group} to deploy it` })}\n`);
} catch (error) {
  fail(`publish-model: ${publishFailureMessage(error)}`, 1);
}
