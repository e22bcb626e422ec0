import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { apiLambdaPolicy, deployerLambdaPolicy, qualityReporterPolicy, type PolicyDocument } from './iam-documents.js';

/**
 * The contract between the Lambdas' code and their roles: every AWS SDK command the code sends must be
 * allowed by the role the stack gives it, or the first real call fails with AccessDenied in the account.
 * The commands are read from the adapters' source, so a new call without its IAM action fails here.
 */
const IAM_ACTION: Record<string, string[]> = {
  InvokeEndpointCommand: ['sagemaker:InvokeEndpoint'],
  // lib-dynamodb's document commands; a transaction's Put needs PutItem (and ConditionCheckItem for its condition).
  TransactWriteCommand: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
  PutCommand: ['dynamodb:PutItem'],
  GetCommand: ['dynamodb:GetItem'],
  QueryCommand: ['dynamodb:Query'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  GetObjectCommand: ['s3:GetObject'],
  DescribeModelPackageCommand: ['sagemaker:DescribeModelPackage'],
  ListModelPackagesCommand: ['sagemaker:ListModelPackages'],
  CreateModelCommand: ['sagemaker:CreateModel'],
  CreateEndpointConfigCommand: ['sagemaker:CreateEndpointConfig'],
  DescribeEndpointCommand: ['sagemaker:DescribeEndpoint'],
  CreateEndpointCommand: ['sagemaker:CreateEndpoint'],
  UpdateEndpointCommand: ['sagemaker:UpdateEndpoint'],
};

function commandsIn(file: string): string[] {
  const source = readFileSync(fileURLToPath(new URL(`../../aws/src/${file}`, import.meta.url)), 'utf8');
  return [...new Set([...source.matchAll(/new ([A-Z][A-Za-z0-9]+Command)\(/g)].map((m) => m[1]))];
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

const common = { kmsKeyArn: 'arn:key', logGroupArn: 'arn:lg', tableArn: 'arn:table', readObjectArns: ['arn:aws:s3:::b/models/*'] };

describe('IAM contract: the SDK commands each Lambda sends are allowed by its role', () => {
  it('API Lambda: endpoint, prediction and feedback table, champion manifest', () => {
    const commands = ['sagemaker-endpoint-classifier.ts', 'dynamo-prediction-store.ts', 'lambda/champion-tasks.ts'].flatMap(commandsIn);
    expect(commands).toContain('InvokeEndpointCommand');
    expect(missingActions(commands, apiLambdaPolicy({ ...common, endpointArn: 'arn:ep', metricNamespace: 'Mailroute' }))).toEqual([]);
  });

  it('quality reporter: reads only (listPairs and the champion manifest)', () => {
    // The reporter calls listPairs (Query, then BatchGet) and loadChampionTasks (GetObject), nothing that writes.
    const used = ['QueryCommand', 'BatchGetCommand', 'GetObjectCommand'];
    for (const c of used) expect([...commandsIn('dynamo-prediction-store.ts'), ...commandsIn('lambda/champion-tasks.ts')]).toContain(c);
    expect(missingActions(used, qualityReporterPolicy(common))).toEqual([]);
    expect(allowed(qualityReporterPolicy(common)).has('dynamodb:PutItem')).toBe(false);
  });

  it('deployer: package, model, endpoint config, endpoint', () => {
    const commands = commandsIn('deployer/deployer-handler.ts');
    expect(commands).toContain('UpdateEndpointCommand');
    expect(commands).toContain('ListModelPackagesCommand'); // the rollback when the serving version is rejected
    const policy = deployerLambdaPolicy({ accountId: '2', region: 'eu-central-1', endpointName: 'ep', modelPackageGroupName: 'g', sagemakerRoleArn: 'arn:role', kmsKeyArn: 'arn:key', logGroupArn: 'arn:lg', alarmArns: ['arn:alarm'], deadLetterQueueArn: 'arn:dlq' });
    expect(missingActions(commands, policy)).toEqual([]);
  });

  it('fails for a command whose action the role lacks', () => {
    expect(missingActions(['PutCommand', 'ScanCommand'], qualityReporterPolicy(common))).toEqual(['PutCommand needs dynamodb:PutItem', 'ScanCommand: no IAM action known for it (add it to IAM_ACTION and to the role)']);
  });
});
