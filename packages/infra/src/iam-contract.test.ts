import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deploymentName } from '@mailroute/aws';
import { DYNAMO_TABLE_LAYOUT } from '@mailroute/aws/contracts';
import { apiLambdaPolicy, deployerLambdaPolicy, qualityReporterPolicy, type PolicyDocument } from './iam-documents.js';
import { feedbackExportLambdaPolicy, registerLambdaPolicy, retrainingPipelinePolicy } from './iam-retraining.js';

/**
 * The contract between the Lambdas' code and their roles: every AWS SDK command the code sends must be
 * allowed by the role the stack gives it, or the first real call fails with AccessDenied in the account.
 * The commands are read from the adapters' source, so a new call without its IAM action fails here.
 */
const IAM_ACTION: Record<string, string[]> = {
  InvokeEndpointCommand: ['sagemaker:InvokeEndpoint'],
  // lib-dynamodb's document commands; a transaction's Put needs PutItem (and ConditionCheckItem for its condition),
  // an Update item in it UpdateItem.
  TransactWriteCommand: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
  'TransactWriteCommand Update': ['dynamodb:UpdateItem'],
  PutCommand: ['dynamodb:PutItem'],
  GetCommand: ['dynamodb:GetItem'],
  QueryCommand: ['dynamodb:Query'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  ScanCommand: ['dynamodb:Scan'],
  GetObjectCommand: ['s3:GetObject'],
  PutObjectCommand: ['s3:PutObject'],
  DeleteObjectCommand: ['s3:DeleteObject'],
  ListObjectsV2Command: ['s3:ListBucket'],
  CreateModelPackageCommand: ['sagemaker:CreateModelPackage'],
  UpdateModelPackageCommand: ['sagemaker:UpdateModelPackage'],
  DescribeModelPackageCommand: ['sagemaker:DescribeModelPackage'],
  ListModelPackagesCommand: ['sagemaker:ListModelPackages'],
  CreateModelCommand: ['sagemaker:CreateModel'],
  CreateEndpointConfigCommand: ['sagemaker:CreateEndpointConfig'],
  DescribeEndpointCommand: ['sagemaker:DescribeEndpoint'],
  CreateEndpointCommand: ['sagemaker:CreateEndpoint'],
  UpdateEndpointCommand: ['sagemaker:UpdateEndpoint'],
};

const sourceOf = (file: string) => readFileSync(fileURLToPath(new URL(`../../aws/src/${file}`, import.meta.url)), 'utf8');

function commandsIn(file: string): string[] {
  const source = sourceOf(file);
  const commands = [...source.matchAll(/new ([A-Z][A-Za-z0-9]+Command)\(/g)].map((m) => m[1]);
  // A transaction's Update items need an action of their own.
  if (commands.includes('TransactWriteCommand') && /\bUpdate: \{/.test(source)) commands.push('TransactWriteCommand Update');
  return [...new Set(commands)];
}

type Layout = typeof DYNAMO_TABLE_LAYOUT;
/** The table's indexes a file names (`L.byDayIndex`, ...), by their names in the table. */
function indexesIn(file: string): string[] {
  const names = [...sourceOf(file).matchAll(/\bL\.(\w+Index)\b/g)].map((m) => (DYNAMO_TABLE_LAYOUT[m[1] as keyof Layout] as { name: string }).name);
  return [...new Set(names)];
}

/** IAM's wildcard match: `*` in the pattern stands for anything. */
const matches = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);

/** The indexes a Query on which the policy does not allow (an ARN pattern's `*` stands for anything). */
function unqueryableIndexes(indexes: readonly string[], policy: PolicyDocument, tableArn: string): string[] {
  const patterns = policy.Statement.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('dynamodb:Query')).flatMap((s) => [s.Resource ?? []].flat());
  return indexes.filter((name) => !patterns.some((p) => matches(p, `${tableArn}/index/${name}`)));
}

/** Whether an Allow statement grants `action` on `arn` (by its Resource patterns). */
function allowsOn(policy: PolicyDocument, action: string, arn: string): boolean {
  return policy.Statement.some((s) => s.Effect === 'Allow' && [s.Action].flat().includes(action) && [s.Resource ?? []].flat().some((p) => matches(p, arn)));
}

/**
 * Whether a missing key reaches the code as 404 NoSuchKey: S3 answers 403 AccessDenied instead unless the
 * role may list the bucket. Only a listing without an `s3:prefix` condition counts: AWS does not document
 * that S3 fills `s3:prefix` for the implicit ListBucket check of a GetObject on a missing key.
 */
function missingKeyIsNoSuchKey(policy: PolicyDocument, bucketArn: string): boolean {
  return policy.Statement.some(
    (s) => s.Effect === 'Allow' && [s.Action].flat().includes('s3:ListBucket') && [s.Resource ?? []].flat().includes(bucketArn) && s.Condition === undefined,
  );
}

/** The condition keys of one request, as IAM evaluates them: a list for a multivalued key, absent when the request has none. */
type RequestContext = Record<string, string | number | string[]>;

/**
 * Whether an Allow statement grants `action` on `arn` for a request with `context`: the conditions the stack's policies
 * use (StringEquals, ForAllValues:StringEquals, NumericLessThanEquals, Null), each operator's keys all holding; any other
 * operator counts as not holding, so a test cannot pass on a condition this does not know.
 */
function allowsRequest(policy: PolicyDocument, action: string, arn: string, context: RequestContext): boolean {
  const holds = (operator: string, key: string, expected: string | string[] | boolean): boolean => {
    const wanted = [expected].flat().map(String);
    const value = context[key];
    const values = value === undefined ? [] : [value].flat().map(String);
    switch (operator) {
      case 'Null':
        return (values.length === 0) === (wanted[0] === 'true');
      case 'StringEquals':
        return values.length > 0 && values.some((v) => wanted.includes(v));
      case 'ForAllValues:StringEquals':
        return values.every((v) => wanted.includes(v));
      case 'NumericLessThanEquals':
        return values.length === 1 && Number(values[0]) <= Number(wanted[0]);
      default:
        return false;
    }
  };
  return policy.Statement.some(
    (s) =>
      s.Effect === 'Allow' &&
      [s.Action].flat().includes(action) &&
      [s.Resource ?? []].flat().some((p) => matches(p, arn)) &&
      Object.entries(s.Condition ?? {}).every(([operator, keys]) => Object.entries(keys).every(([key, expected]) => holds(operator, key, expected))),
  );
}

function allowed(policy: PolicyDocument): Set<string> {
  return new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
}

function missingActions(commands: readonly string[], policy: PolicyDocument): string[] {
  const granted = allowed(policy);
  return commands.flatMap((c) => {
    const actions = IAM_ACTION[c];
    if (!actions) return [`${c}: no IAM action known for it (add it to IAM_ACTION and to the role)`];
    return actions.filter((a) => !granted.has(a)).map((a) => `${c} needs ${a}`);
  });
}

const common = { kmsKeyArn: 'arn:key', logGroupArn: 'arn:lg', tableArn: 'arn:table', artifactBucketArn: 'arn:aws:s3:::b', modelsPrefix: 'models/' };
/** What a retraining run may cost (training.instanceType and training.maxRuntimeSeconds of a stack). */
const costCap = { trainingInstanceTypes: ['ml.m5.xlarge'], maxRuntimeSeconds: 7200 };
// The champion pointer (models/champion.json) is missing on a fresh stack; s3-objects.ts (under
// champion-tasks.ts) reads it as absent on NoSuchKey.

describe('IAM contract: the SDK commands each Lambda sends are allowed by its role', () => {
  it('API Lambda: endpoint, prediction and feedback table and the indexes it queries, champion manifest', () => {
    const files = ['sagemaker-endpoint-classifier.ts', 'dynamo-prediction-store.ts', 'dynamo-store-writes.ts', 'dynamo-store-reads.ts', 'dynamo-judged-index.ts', 'lambda/champion-tasks.ts', 's3-objects.ts'];
    const commands = files.flatMap(commandsIn);
    expect(commands).toContain('InvokeEndpointCommand');
    expect(commands).toContain('TransactWriteCommand Update'); // saveFeedback marks the predictions judged
    const policy = apiLambdaPolicy({ ...common, endpointArn: 'arn:ep' });
    expect(missingActions(commands, policy)).toEqual([]);
    const indexes = files.flatMap(indexesIn);
    expect(indexes).toEqual(expect.arrayContaining(['by-email', 'by-day', 'judged-by-day']));
    expect(unqueryableIndexes(indexes, policy, common.tableArn)).toEqual([]);
    expect(sourceOf('lambda/champion-tasks.ts')).toContain('readObjectText');
    expect(sourceOf('s3-objects.ts')).toContain('NoSuchKey');
    expect(missingKeyIsNoSuchKey(policy, common.artifactBucketArn)).toBe(true);
  });

  it('quality reporter: reads only (listPairs and the champion manifest)', () => {
    // The reporter calls listPairs (Query by day or judged by day, the judged index's record by Get, then
    // BatchGet) and loadChampionTasks (GetObject), nothing that writes.
    const files = ['dynamo-prediction-store.ts', 'dynamo-store-reads.ts', 'dynamo-judged-index.ts', 'lambda/champion-tasks.ts', 's3-objects.ts'];
    const used = ['QueryCommand', 'GetCommand', 'BatchGetCommand', 'GetObjectCommand'];
    for (const c of used) expect(files.flatMap(commandsIn)).toContain(c);
    expect(missingActions(used, qualityReporterPolicy(common))).toEqual([]);
    expect(allowed(qualityReporterPolicy(common)).has('dynamodb:PutItem')).toBe(false);
    const indexes = ['by-day', 'judged-by-day'];
    for (const name of indexes) expect(indexesIn('dynamo-prediction-store.ts')).toContain(name);
    expect(unqueryableIndexes(indexes, qualityReporterPolicy(common), common.tableArn)).toEqual([]);
    expect(missingKeyIsNoSuchKey(qualityReporterPolicy(common), common.artifactBucketArn)).toBe(true);
  });

  it('deployer: package, model, endpoint config, endpoint', () => {
    const commands = commandsIn('deployer/deployer-handler.ts');
    expect(commands).toContain('UpdateEndpointCommand');
    expect(commands).toContain('ListModelPackagesCommand'); // the rollback when the serving version is rejected
    const policy = deployerLambdaPolicy({ accountId: '2', region: 'eu-central-1', endpointName: 'ep', modelPackageGroupName: 'g', sagemakerRoleArn: 'arn:role', kmsKeyArn: 'arn:key', logGroupArn: 'arn:lg', alarmArns: ['arn:alarm'], deadLetterQueueArn: 'arn:dlq' });
    expect(missingActions(commands, policy)).toEqual([]);
  });

  it('deployer: each call is allowed on the resources SageMaker authorizes it against, named as the deployer names them', () => {
    const endpointName = 'mailroute-prod-classifier';
    const policy = deployerLambdaPolicy({ accountId: '2', region: 'eu-central-1', endpointName, modelPackageGroupName: 'g', sagemakerRoleArn: 'arn:role', kmsKeyArn: 'arn:key', logGroupArn: 'arn:lg', alarmArns: ['arn:alarm'], deadLetterQueueArn: 'arn:dlq' });
    const sm = 'arn:aws:sagemaker:eu-central-1:2';
    const name = deploymentName(endpointName, 12, new Date('2026-03-01T04:05:06Z'));
    const endpoint = `${sm}:endpoint/${endpointName}`;
    const config = `${sm}:endpoint-config/${name}`;
    const need: [string, string][] = [
      ['sagemaker:CreateModel', `${sm}:model/${name}`],
      ['sagemaker:CreateEndpointConfig', config],
      ['sagemaker:DescribeEndpoint', endpoint],
      // CreateEndpoint and UpdateEndpoint are authorized against the endpoint and the config it gets.
      ['sagemaker:CreateEndpoint', endpoint],
      ['sagemaker:CreateEndpoint', config],
      ['sagemaker:UpdateEndpoint', endpoint],
      ['sagemaker:UpdateEndpoint', config],
    ];
    expect(need.filter(([action, arn]) => !allowsOn(policy, action, arn))).toEqual([]);
    // Nothing of another endpoint's.
    expect(allowsOn(policy, 'sagemaker:UpdateEndpoint', `${sm}:endpoint/other`)).toBe(false);
    expect(allowsOn(policy, 'sagemaker:UpdateEndpoint', `${sm}:endpoint-config/other-v1-20260301040506`)).toBe(false);
  });

  it('register Lambda: reads the training output, writes models/ and creates packages in its group, nothing else', () => {
    // publishModel -> S3SageMakerRegistry.register: the duplicate check and the search after a failed create
    // (List + Describe), the manifest's conditional write read back, the upload, the package; a failure deletes
    // what it wrote. The Train step's output is downloaded (listed, then read) before.
    const files = ['register/register-handler.ts', 'publish-model.ts', 's3-sagemaker-registry.ts', 's3-artifacts.ts', 's3-objects.ts'];
    const used = ['ListModelPackagesCommand', 'DescribeModelPackageCommand', 'CreateModelPackageCommand', 'PutObjectCommand', 'GetObjectCommand', 'DeleteObjectCommand', 'ListObjectsV2Command'];
    for (const c of used) expect(files.flatMap(commandsIn)).toContain(c);
    const bucketArn = 'arn:aws:s3:::mailroute-prod-artifacts-2';
    const policy = registerLambdaPolicy({ accountId: '2', region: 'eu-central-1', artifactBucketArn: bucketArn, trainingOutputPrefix: 'training-output/retrain/', modelsPrefix: 'models/', modelPackageGroupName: 'g', kmsKeyArn: 'arn:key', logGroupArn: 'arn:lg' });
    expect(missingActions(used, policy)).toEqual([]);
    expect(missingKeyIsNoSuchKey(policy, bucketArn)).toBe(true);
    const sm = 'arn:aws:sagemaker:eu-central-1:2';
    const need: [string, string][] = [
      ['s3:GetObject', `${bucketArn}/training-output/retrain/pipelines-x-train-y/output/model/manifest.json`],
      ['s3:PutObject', `${bucketArn}/models/ngram-bag-20260301-abc/manifest.json`],
      ['s3:GetObject', `${bucketArn}/models/ngram-bag-20260301-abc/manifest.json`],
      ['s3:DeleteObject', `${bucketArn}/models/ngram-bag-20260301-abc/weights.bin`],
      ['sagemaker:CreateModelPackage', `${sm}:model-package/g/3`],
      ['sagemaker:CreateModelPackage', `${sm}:model-package-group/g`],
      ['sagemaker:DescribeModelPackage', `${sm}:model-package/g/3`],
    ];
    expect(need.filter(([action, arn]) => !allowsOn(policy, action, arn))).toEqual([]);
    // Not the data, reports or another job's output; not another group; no approval (a person approves).
    expect(allowsOn(policy, 's3:GetObject', `${bucketArn}/data/retraining/exports/crm.csv`)).toBe(false);
    expect(allowsOn(policy, 's3:GetObject', `${bucketArn}/training-output/other/model.bin`)).toBe(false);
    expect(allowsOn(policy, 's3:PutObject', `${bucketArn}/training-output/retrain/x`)).toBe(false);
    expect(allowsOn(policy, 'sagemaker:CreateModelPackage', `${sm}:model-package/other/1`)).toBe(false);
    // Only as awaiting approval: a package created Approved would deploy with no person deciding.
    const create = (status?: string) => allowsRequest(policy, 'sagemaker:CreateModelPackage', `${sm}:model-package-group/g`, status === undefined ? {} : { 'sagemaker:ModelApprovalStatus': status });
    expect([create('PendingManualApproval'), create('Approved'), create('Rejected'), create()]).toEqual([true, false, false, false]);
    // Its own model folder, not the champion pointer, its history or the records beside them, which approvals write.
    for (const key of ['models/champion.json', 'models/champion-history.json', 'models/ngram-bag-20260301-abc.gate.json']) {
      expect(allowsOn(policy, 's3:PutObject', `${bucketArn}/${key}`), key).toBe(false);
      expect(allowsOn(policy, 's3:DeleteObject', `${bucketArn}/${key}`), key).toBe(false);
    }
    expect(missingActions(['UpdateModelPackageCommand'], policy)).toEqual(['UpdateModelPackageCommand needs sagemaker:UpdateModelPackage']);
  });

  it("retraining pipeline: runs its own training jobs as the execution role and invokes only the register Lambda", () => {
    const input = { accountId: '2', region: 'eu-central-1', sagemakerRoleArn: 'arn:aws:iam::2:role/sm', registerFunctionArn: 'arn:aws:lambda:eu-central-1:2:function:mailroute-prod-register', kmsKeyArn: 'arn:key', ...costCap };
    const policy = retrainingPipelinePolicy(input);
    // SageMaker names a pipeline's jobs pipelines-<execution id>-<step>-<suffix>.
    const job = 'arn:aws:sagemaker:eu-central-1:2:training-job/pipelines-a1b2c3d4e5f6-train-k1lrlzzx5x';
    for (const action of ['sagemaker:CreateTrainingJob', 'sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:AddTags']) expect(allowsOn(policy, action, job), action).toBe(true);
    expect(allowsOn(policy, 'sagemaker:CreateTrainingJob', 'arn:aws:sagemaker:eu-central-1:2:training-job/someone-elses')).toBe(false);
    expect(allowsOn(policy, 'iam:PassRole', input.sagemakerRoleArn)).toBe(true);
    expect(allowsOn(policy, 'iam:PassRole', 'arn:aws:iam::2:role/admin')).toBe(false);
    expect(allowsOn(policy, 'lambda:InvokeFunction', input.registerFunctionArn)).toBe(true);
    expect([...allowed(policy)].filter((a) => a.startsWith('s3:'))).toEqual([]);
  });

  it("retraining pipeline: creates a training job only on the configured instance type and for at most maxRuntimeSeconds", () => {
    const policy = retrainingPipelinePolicy({ accountId: '2', region: 'eu-central-1', sagemakerRoleArn: 'arn:aws:iam::2:role/sm', registerFunctionArn: 'arn:aws:lambda:eu-central-1:2:function:r', kmsKeyArn: 'arn:key', ...costCap });
    const job = 'arn:aws:sagemaker:eu-central-1:2:training-job/pipelines-a1b2c3d4e5f6-train-k1lrlzzx5x';
    // CreateTrainingJob's request as IAM sees it: the instance types it names, its StoppingCondition's run time.
    const create = (context: RequestContext) => allowsRequest(policy, 'sagemaker:CreateTrainingJob', job, context);
    expect(create({ 'sagemaker:InstanceTypes': ['ml.m5.xlarge'], 'sagemaker:MaxRuntimeInSeconds': 7200 })).toBe(true);
    expect(create({ 'sagemaker:InstanceTypes': ['ml.m5.xlarge'], 'sagemaker:MaxRuntimeInSeconds': 600 })).toBe(true);
    // A run started by hand with another InstanceType or a longer MaxRuntimeSeconds is refused: what a run costs is capped.
    expect(create({ 'sagemaker:InstanceTypes': ['ml.p4d.24xlarge'], 'sagemaker:MaxRuntimeInSeconds': 7200 })).toBe(false);
    expect(create({ 'sagemaker:InstanceTypes': ['ml.m5.xlarge', 'ml.g5.48xlarge'], 'sagemaker:MaxRuntimeInSeconds': 7200 })).toBe(false);
    expect(create({ 'sagemaker:InstanceTypes': ['ml.m5.xlarge'], 'sagemaker:MaxRuntimeInSeconds': 7201 })).toBe(false);
    // ForAllValues holds for a request that names no type: the Null condition refuses that too.
    expect(create({ 'sagemaker:MaxRuntimeInSeconds': 7200 })).toBe(false);
    expect(create({ 'sagemaker:InstanceTypes': ['ml.m5.xlarge'] })).toBe(false);
    // Watching, stopping and tagging the pipeline's jobs carry no such keys and stay unconditional.
    for (const action of ['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob', 'sagemaker:AddTags']) expect(allowsRequest(policy, action, job, {}), action).toBe(true);
    // The condition keys as AWS's Service Authorization Reference names them, with their operators.
    expect(policy.Statement.find((x) => [x.Action].flat().includes('sagemaker:CreateTrainingJob'))?.Condition).toEqual({
      'ForAllValues:StringEquals': { 'sagemaker:InstanceTypes': ['ml.m5.xlarge'] },
      Null: { 'sagemaker:InstanceTypes': 'false' },
      NumericLessThanEquals: { 'sagemaker:MaxRuntimeInSeconds': '7200' },
    });
  });

  it('retraining pipeline with the feedback export: invokes the register and feedback-export Lambdas, no other', () => {
    const exporter = 'arn:aws:lambda:eu-central-1:2:function:mailroute-prod-export-feedback';
    const policy = retrainingPipelinePolicy({ accountId: '2', region: 'eu-central-1', sagemakerRoleArn: 'arn:aws:iam::2:role/sm', registerFunctionArn: 'arn:aws:lambda:eu-central-1:2:function:mailroute-prod-register', feedbackExportFunctionArn: exporter, kmsKeyArn: 'arn:key', ...costCap });
    expect(allowsOn(policy, 'lambda:InvokeFunction', exporter)).toBe(true);
    expect(allowsOn(policy, 'lambda:InvokeFunction', 'arn:aws:lambda:eu-central-1:2:function:mailroute-prod-api')).toBe(false);
  });

  it('feedback-export Lambda: scans the table, reads the training config under data/, writes only its own file there', () => {
    // The handler reads the config (readObjectText), the cases (dynamoConfirmedCases: a Scan, then BatchGet and, for
    // feedback that names no prediction, readNewestOfEmail's Query on by-email), and puts and removes its file.
    const files = ['feedback-export/feedback-export-handler.ts', 'dynamo-confirmed-cases.ts', 'dynamo-store-reads.ts', 's3-objects.ts'];
    const used = ['ScanCommand', 'BatchGetCommand', 'QueryCommand', 'GetObjectCommand', 'PutObjectCommand', 'DeleteObjectCommand'];
    for (const c of used) expect(files.flatMap(commandsIn)).toContain(c);
    const bucketArn = 'arn:aws:s3:::mailroute-prod-artifacts-2';
    const policy = feedbackExportLambdaPolicy({ tableArn: common.tableArn, artifactBucketArn: bucketArn, dataPrefix: 'data/', kmsKeyArn: 'arn:key', logGroupArn: 'arn:lg' });
    expect(missingActions(used, policy)).toEqual([]);
    expect(sourceOf('dynamo-store-reads.ts')).toMatch(/readNewestOfEmail[\s\S]*IndexName: L\.byEmailIndex\.name/);
    expect(unqueryableIndexes(['by-email'], policy, common.tableArn)).toEqual([]);
    expect(unqueryableIndexes(['by-day'], policy, common.tableArn)).toEqual(['by-day']);
    expect(missingKeyIsNoSuchKey(policy, bucketArn)).toBe(true);
    for (const action of ['s3:PutObject', 's3:DeleteObject']) {
      expect(allowsOn(policy, action, `${bucketArn}/data/retraining/exports/mailroute-feedback/confirmed-cases.csv`), action).toBe(true);
      expect(allowsOn(policy, action, `${bucketArn}/data/retraining/exports/crm-2026-11.csv`), action).toBe(false);
      expect(allowsOn(policy, action, `${bucketArn}/models/mailroute-feedback/confirmed-cases.csv`), action).toBe(false);
    }
    // In a folder right under data/ too, and not a folder whose name merely ends so.
    expect(allowsOn(policy, 's3:PutObject', `${bucketArn}/data/mailroute-feedback/confirmed-cases.jsonl`)).toBe(true);
    expect(allowsOn(policy, 's3:PutObject', `${bucketArn}/data/exports/crm-mailroute-feedback/confirmed-cases.csv`)).toBe(false);
    expect(allowsOn(policy, 's3:GetObject', `${bucketArn}/data/retraining/config/train-config.json`)).toBe(true);
    // The config, not the CRM's exports (customers' unmasked mail).
    expect(allowsOn(policy, 's3:GetObject', `${bucketArn}/data/retraining/exports/crm-2026-11.csv`)).toBe(false);
    expect(allowed(policy).has('dynamodb:PutItem')).toBe(false);
  });

  it('fails for a command whose action the role lacks', () => {
    expect(missingActions(['PutCommand', 'ScanCommand', 'BatchWriteCommand'], qualityReporterPolicy(common))).toEqual(['PutCommand needs dynamodb:PutItem', 'ScanCommand needs dynamodb:Scan', 'BatchWriteCommand: no IAM action known for it (add it to IAM_ACTION and to the role)']);
  });

  it('fails for a missing key the role may not list (S3 would answer 403, not NoSuchKey)', () => {
    const getOnly: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/models/*' }] };
    expect(missingKeyIsNoSuchKey(getOnly, 'arn:aws:s3:::b')).toBe(false);
    // A listing limited by s3:prefix, even to the key's own prefix: not known to cover the implicit check.
    const prefixed: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': 'models/*' } } }] };
    expect(missingKeyIsNoSuchKey(prefixed, 'arn:aws:s3:::b')).toBe(false);
    const otherBucket: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::other' }] };
    expect(missingKeyIsNoSuchKey(otherBucket, 'arn:aws:s3:::b')).toBe(false);
  });

  it('fails for an index the role may not query', () => {
    expect(unqueryableIndexes(['by-email', 'by-day'], qualityReporterPolicy(common), common.tableArn)).toEqual(['by-email']);
    const wildcard: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: 'arn:table/index/*' }] };
    expect(unqueryableIndexes(['by-email', 'judged-by-day'], wildcard, common.tableArn)).toEqual([]);
  });
});
