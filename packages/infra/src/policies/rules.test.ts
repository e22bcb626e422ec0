import { beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../stack.js';
import { loadStackConfigFile, runMocked, type RecordedResource } from '../testing/pulumi-harness.js';
import { ALL_RULES, runPolicies } from './rules.js';
import { T, type PolicyContext } from './graph.js';
import { WILDCARD_RESOURCE_ALLOW_LIST } from './wildcard-allow-list.js';

// Each policy must pass on the real prod graph and fail once one resource in it is made bad.
let graph: RecordedResource[];
let context: PolicyContext;

beforeAll(async () => {
  const config = loadStackConfigFile('prod');
  context = { environment: 'prod', accountId: config.accountId };
  ({ graph } = await runMocked(config, (rootOpts) => createProgram(config, { lambdaDistDir: '/opt/dist' }, rootOpts).outputs));
}, 60_000);

/** A deep copy of the graph with `mutate` applied to the first resource of `type` (or added). */
function broken(type: string, mutate: (r: RecordedResource) => void, name?: string): RecordedResource[] {
  const copy = structuredClone(graph);
  const target = copy.find((r) => r.type === type && (name === undefined || r.name === name));
  if (!target) throw new Error(`no ${type} in graph`);
  mutate(target);
  return copy;
}

/** A deep copy of the graph without the resources of `type`. */
const without = (type: string): RecordedResource[] => structuredClone(graph).filter((r) => r.type !== type);

/** The log bucket's policy with its statements filtered and edited. */
function editLogPolicy(r: RecordedResource, edit: (statements: Record<string, unknown>[]) => Record<string, unknown>[]): string {
  const policy = JSON.parse(String(r.inputs.policy)) as { Statement: Record<string, unknown>[] };
  return JSON.stringify({ ...policy, Statement: edit(policy.Statement) });
}

/** The artifact bucket logging to itself with default encryption `byDefault`: a log target, but no log bucket. */
function selfLogging(byDefault: Record<string, string>): RecordedResource[] {
  const copy = broken(T.bucketLogging, (r) => { r.inputs.targetBucket = r.inputs.bucket; });
  copy.find((r) => r.name === 'artifacts-encryption')!.inputs.rules = [{ applyServerSideEncryptionByDefault: byDefault }];
  return copy;
}

/** The pipeline's definition with its Train step's Arguments edited. */
function editTrain(r: RecordedResource, edit: (args: Record<string, unknown>) => void): string {
  const definition = JSON.parse(String(r.inputs.pipelineDefinition)) as { Steps: { Type: string; Arguments: Record<string, unknown> }[] };
  edit(definition.Steps.find((s) => s.Type === 'Training')!.Arguments);
  return JSON.stringify(definition);
}

const violationsOf = (policy: string, g: RecordedResource[]) => runPolicies(g, context).filter((v) => v.policy === policy);

const cases: [policy: string, why: string, graph: () => RecordedResource[]][] = [
  ['no-public-buckets', 'public access block switched off', () => broken(T.bucketPab, (r) => { r.inputs.restrictPublicBuckets = false; })],
  ['no-public-buckets', 'bucket policy allowing anyone', () => broken(T.bucketPolicy, (r) => { r.inputs.policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }); })],
  ['no-public-endpoints', 'route without authorizer', () => broken(T.route, (r) => { r.inputs.authorizationType = 'NONE'; })],
  ['no-public-endpoints', 'ingress from anywhere', () => broken(T.securityGroup, (r) => { r.inputs.ingress = [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'] }]; }, 'network-endpoints')],
  ['no-public-endpoints', 'Lambda permission without source', () => broken(T.lambdaPermission, (r) => { delete r.inputs.sourceArn; })],
  ['no-public-endpoints', 'a NAT gateway', () => [...graph, { type: T.natGateway, name: 'nat', inputs: {} }]],
  ['encryption-at-rest', 'bucket with SSE-S3', () => broken(T.bucketSse, (r) => { r.inputs.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }]; }, 'artifacts-encryption')],
  ['encryption-at-rest', 'log bucket with SSE-KMS, which S3 delivers no access logs to', () => broken(T.bucketSse, (r) => { r.inputs.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'k' } }]; }, 'artifacts-access-logs-encryption')],
  ['encryption-at-rest', 'table without CMK', () => broken(T.table, (r) => { r.inputs.serverSideEncryption = { enabled: false }; })],
  ['encryption-at-rest', 'log group without key', () => broken(T.logGroup, (r) => { delete r.inputs.kmsKeyId; })],
  ['encryption-at-rest', 'key rotation off', () => broken(T.kmsKey, (r) => { r.inputs.enableKeyRotation = false; })],
  ['encryption-at-rest', 'training output without the key', () => broken(T.pipeline, (r) => { r.inputs.pipelineDefinition = editTrain(r, (a) => { delete (a.OutputDataConfig as Record<string, unknown>).KmsKeyId; }); })],
  ['encryption-at-rest', 'endpoint volumes unencrypted', () => broken(T.endpointConfig, (r) => { delete r.inputs.kmsArn; delete r.inputs.kmsKeyArn; })],
  ['least-privilege', 'Action "*"', () => broken(T.rolePolicy, (r) => { r.inputs.policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' }] }); })],
  ['least-privilege', 'Resource "*" for a data action', () => broken(T.rolePolicy, (r) => { r.inputs.policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] }); })],
  ['least-privilege', 'AdministratorAccess attached', () => [...graph, { type: T.rolePolicyAttachment, name: 'admin', inputs: { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', role: 'r' } }]],
  ['compute-in-vpc', 'Lambda outside the VPC', () => broken(T.lambda, (r) => { delete r.inputs.vpcConfig; })],
  ['compute-in-vpc', 'SageMaker model outside the VPC', () => broken(T.sagemakerModel, (r) => { delete r.inputs.vpcConfig; })],
  ['compute-in-vpc', 'pipeline training job outside the VPC', () => broken(T.pipeline, (r) => { r.inputs.pipelineDefinition = editTrain(r, (a) => { delete a.VpcConfig; }); })],
  ['log-retention', 'log group kept forever', () => broken(T.logGroup, (r) => { delete r.inputs.retentionInDays; })],
  ['log-retention', 'prod log group kept 90 days', () => broken(T.logGroup, (r) => { r.inputs.retentionInDays = 90; })],
  ['log-retention', 'Lambda logging to an unmanaged group', () => broken(T.lambda, (r) => { r.inputs.loggingConfig = { logFormat: 'JSON', logGroup: '/aws/lambda/other' }; })],
  ['log-retention', 'stage without access logs', () => broken(T.stage, (r) => { delete r.inputs.accessLogSettings; })],
  ['access-logging', 'artifact bucket without server access logging', () => without(T.bucketLogging)],
  ['access-logging', 'artifact bucket logging to itself', () => broken(T.bucketLogging, (r) => { r.inputs.targetBucket = r.inputs.bucket; })],
  ['access-logging', 'access logging without a prefix', () => broken(T.bucketLogging, (r) => { r.inputs.targetPrefix = ''; })],
  ['access-logging', 'log bucket policy without the delivery grant', () => broken(T.bucketPolicy, (r) => { r.inputs.policy = editLogPolicy(r, (s) => s.filter((x) => x.Effect === 'Deny')); }, 'artifacts-access-logs-policy')],
  ['access-logging', 'log delivery for any source account', () => broken(T.bucketPolicy, (r) => { r.inputs.policy = editLogPolicy(r, (s) => s.map((x) => (x.Effect === 'Allow' ? { ...x, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::*' } } } : x))); }, 'artifacts-access-logs-policy')],
  ['prod-data-retained', 'prod access logging deleted with the stack', () => broken(T.bucketLogging, (r) => { r.retainOnDelete = false; })],
  ['prod-data-retained', 'prod log bucket unprotected', () => broken(T.bucket, (r) => { r.protect = false; }, 'artifacts-access-logs-bucket')],
  ['prod-data-retained', 'prod table deletable', () => broken(T.table, (r) => { r.retainOnDelete = false; })],
  ['prod-data-retained', 'prod table without deletion protection', () => broken(T.table, (r) => { r.inputs.deletionProtectionEnabled = false; })],
  ['prod-data-retained', 'prod table with deletion protection unset', () => broken(T.table, (r) => { delete r.inputs.deletionProtectionEnabled; })],
  ['prod-data-retained', 'prod bucket unprotected', () => broken(T.bucket, (r) => { r.protect = false; })],
  ['prod-data-retained', 'prod public access block deleted with the stack', () => broken(T.bucketPab, (r) => { r.retainOnDelete = false; })],
  ['prod-data-retained', 'prod TLS-only bucket policy unprotected', () => broken(T.bucketPolicy, (r) => { r.protect = false; })],
  ['prod-data-retained', 'prod bucket encryption deleted with the stack', () => broken(T.bucketSse, (r) => { delete r.retainOnDelete; })],
  ['tags-everywhere', 'untagged queue', () => broken(T.queue, (r) => { r.inputs.tags = { service: 'mailroute' }; })],
  ['tags-everywhere', 'provider without default tags', () => broken(T.provider, (r) => { r.inputs.defaultTags = { tags: {} }; })],
  ['account-guard', 'provider allowed into another account', () => broken(T.provider, (r) => { r.inputs.allowedAccountIds = ['333333333333']; })],
  ['account-guard', 'provider assuming a role elsewhere', () => broken(T.provider, (r) => { r.inputs.assumeRoles = [{ roleArn: 'arn:aws:iam::333333333333:role/x' }]; })],
];

describe('policies over the prod graph', () => {
  it('all pass on the program as written', () => {
    expect(runPolicies(graph, context)).toEqual([]);
  });

  it.each(cases)('%s fails on %s', (policy, _why, make) => {
    expect(violationsOf(policy, make()).length).toBeGreaterThan(0);
  });

  it('every policy has at least one failing case', () => {
    for (const rule of ALL_RULES) expect(cases.some(([p]) => p === rule.name), rule.name).toBe(true);
  });

  it('allows SSE-S3 on the log bucket only, not on a bucket that logs to itself', () => {
    const bucket = (name: string) => `${T.bucket}::${name}`;
    expect(violationsOf('encryption-at-rest', graph).map((x) => x.resource)).toEqual([]);
    expect(violationsOf('encryption-at-rest', selfLogging({ sseAlgorithm: 'AES256' })).map((x) => x.resource)).toContain(bucket('artifacts-bucket'));
    expect(violationsOf('encryption-at-rest', selfLogging({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'k' })).map((x) => x.resource)).not.toContain(bucket('artifacts-bucket'));
  });

  it('prod-data-retained does not apply to dev', () => {
    const g = broken(T.table, (r) => { r.retainOnDelete = false; });
    expect(runPolicies(g, { ...context, environment: 'dev' }).filter((v) => v.policy === 'prod-data-retained')).toEqual([]);
  });

  it('gives a reason for every wildcard-resource exception', () => {
    for (const entry of WILDCARD_RESOURCE_ALLOW_LIST) expect(entry.reason.length).toBeGreaterThan(20);
  });
});
