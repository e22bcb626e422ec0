// Test-only: the names each AWS service takes, checked on every named resource of a mocked stack.
import type { ResourceRecord } from '../policies/graph.js';

/** Why S3 would refuse a general purpose bucket name, or undefined (S3 User Guide, *Bucket naming rules*). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'not 3 to 63 characters';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'not lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit';
  if (name.includes('..')) return 'two dots in a row';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|\.mrap|--x-s3)$/.test(name)) return 'a prefix or suffix S3 reserves';
  return undefined;
}

const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * Per resource type, the input that holds its physical name and the pattern (length included) its service
 * takes, from each API reference's constraints: an S3 bucket is checked by bucketNameProblem.
 */
export const NAME_RULES: Record<string, { input: string; pattern?: RegExp }> = {
  'aws:s3/bucket:Bucket': { input: 'bucket' },
  'aws:lambda/function:Function': { input: 'name', pattern: /^[A-Za-z0-9_-]{1,64}$/ },
  'aws:iam/role:Role': { input: 'name', pattern: /^[\w+=,.@-]{1,64}$/ },
  'aws:dynamodb/table:Table': { input: 'name', pattern: /^[A-Za-z0-9_.-]{3,255}$/ },
  'aws:sagemaker/modelPackageGroup:ModelPackageGroup': { input: 'modelPackageGroupName', pattern: SAGEMAKER_NAME },
  'aws:sagemaker/endpoint:Endpoint': { input: 'name', pattern: SAGEMAKER_NAME },
  'aws:sagemaker/pipeline:Pipeline': { input: 'pipelineName', pattern: SAGEMAKER_NAME },
  'aws:cloudwatch/eventRule:EventRule': { input: 'name', pattern: /^[.\-_A-Za-z0-9]{1,64}$/ },
  'aws:scheduler/schedule:Schedule': { input: 'name', pattern: /^[0-9a-zA-Z_.-]{1,64}$/ },
  'aws:cloudwatch/metricAlarm:MetricAlarm': { input: 'name', pattern: /^[\x20-\x7e]{1,255}$/ },
  'aws:cloudwatch/logGroup:LogGroup': { input: 'name', pattern: /^[.\-_/#A-Za-z0-9]{1,512}$/ },
  'aws:cloudwatch/dashboard:Dashboard': { input: 'dashboardName', pattern: /^[A-Za-z0-9_-]{1,255}$/ },
  'aws:sqs/queue:Queue': { input: 'name', pattern: /^[A-Za-z0-9_-]{1,80}$/ },
  'aws:sns/topic:Topic': { input: 'name', pattern: /^[A-Za-z0-9_-]{1,256}$/ },
  'aws:ecr/repository:Repository': { input: 'name', pattern: /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/ },
  'aws:kms/alias:Alias': { input: 'name', pattern: /^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/ },
  'aws:apigatewayv2/api:Api': { input: 'name', pattern: /^.{1,128}$/ },
};

/** The named resources whose name is missing or one their service would refuse, as `type name: why`. */
export function nameProblems(graph: readonly ResourceRecord[]): string[] {
  const problems: string[] = [];
  for (const r of graph) {
    const rule = NAME_RULES[r.type];
    if (!rule) continue;
    const name = (r.inputs as Record<string, unknown>)[rule.input];
    if (typeof name !== 'string') {
      problems.push(`${r.type} ${r.name}: no ${rule.input}`);
      continue;
    }
    const why = rule.pattern ? (rule.pattern.test(name) ? undefined : `does not match ${rule.pattern}`) : bucketNameProblem(name);
    if (why) problems.push(`${r.type} ${name}: ${why}`);
  }
  return problems;
}
