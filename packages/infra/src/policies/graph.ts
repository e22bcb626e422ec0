/** One resource of a (mocked) Pulumi program: its type token, logical name, mock id, inputs and options. */
export interface ResourceRecord {
  type: string;
  name: string;
  id?: string;
  inputs: Record<string, unknown>;
  protect?: boolean;
  retainOnDelete?: boolean;
}

export interface Violation {
  policy: string;
  resource: string;
  message: string;
}

export interface PolicyContext {
  environment: 'dev' | 'prod';
  accountId: string;
}

export interface PolicyRule {
  name: string;
  description: string;
  check(graph: readonly ResourceRecord[], context: PolicyContext): Violation[];
}

export const T = {
  bucket: 'aws:s3/bucket:Bucket',
  bucketSse: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  bucketPab: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
  bucketVersioning: 'aws:s3/bucketVersioning:BucketVersioning',
  bucketOwnership: 'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
  bucketLifecycle: 'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
  bucketLogging: 'aws:s3/bucketLogging:BucketLogging',
  kmsAlias: 'aws:kms/alias:Alias',
  ecrLifecycle: 'aws:ecr/lifecyclePolicy:LifecyclePolicy',
  kmsKey: 'aws:kms/key:Key',
  table: 'aws:dynamodb/table:Table',
  topic: 'aws:sns/topic:Topic',
  queue: 'aws:sqs/queue:Queue',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
  endpointConfig: 'aws:sagemaker/endpointConfiguration:EndpointConfiguration',
  sagemakerModel: 'aws:sagemaker/model:Model',
  modelPackageGroup: 'aws:sagemaker/modelPackageGroup:ModelPackageGroup',
  ecr: 'aws:ecr/repository:Repository',
  lambda: 'aws:lambda/function:Function',
  lambdaPermission: 'aws:lambda/permission:Permission',
  functionUrl: 'aws:lambda/functionUrl:FunctionUrl',
  route: 'aws:apigatewayv2/route:Route',
  stage: 'aws:apigatewayv2/stage:Stage',
  securityGroup: 'aws:ec2/securityGroup:SecurityGroup',
  subnet: 'aws:ec2/subnet:Subnet',
  natGateway: 'aws:ec2/natGateway:NatGateway',
  internetGateway: 'aws:ec2/internetGateway:InternetGateway',
  pipeline: 'aws:sagemaker/pipeline:Pipeline',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  rolePolicyAttachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  provider: 'pulumi:providers:aws',
} as const;

export const ofType = (graph: readonly ResourceRecord[], type: string) => graph.filter((r) => r.type === type);

/** Pulumi inputs of nested blocks arrive as objects or one-element lists depending on the provider. */
export function first(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) return value[0] as Record<string, unknown> | undefined;
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Policy JSON from an input that may be a string or an object. */
export function policyStatements(value: unknown): Record<string, unknown>[] {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!parsed || typeof parsed !== 'object') return [];
  return asList((parsed as { Statement?: unknown }).Statement) as Record<string, unknown>[];
}

/** The Training steps of a SageMaker pipeline's definition: their names and Arguments (CreateTrainingJob's request). */
export function trainingSteps(pipeline: ResourceRecord): { name: string; args: Record<string, unknown> }[] {
  const definition = pipeline.inputs.pipelineDefinition;
  const parsed = (typeof definition === 'string' ? JSON.parse(definition) : definition) as { Steps?: { Name?: string; Type?: string; Arguments?: Record<string, unknown> }[] } | undefined;
  return (parsed?.Steps ?? []).filter((s) => s.Type === 'Training').map((s) => ({ name: String(s.Name), args: s.Arguments ?? {} }));
}

/** Records that refer to `target` through an input (by its mock id, name or ARN). */
export function refersTo(record: ResourceRecord, field: string, target: ResourceRecord): boolean {
  const value = record.inputs[field];
  return value !== undefined && (value === target.id || value === target.name || value === target.inputs.bucket || value === target.inputs.arn);
}
