import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStackConfig } from './config.js';
import { endpointName, physicalName, sagemakerLogGroupNames } from './naming.js';
import { bucketNameProblem, nameProblems } from './testing/name-rules.js';
import { MINIMAL_CONFIG } from './testing/minimal-config.js';

/**
 * The names a stack's config can change: the environment and the account id (in the bucket's name). For every
 * pair the config takes, the names are ones AWS takes and dev's never equal prod's. The whole graph's names are
 * checked per stack in testing/stack-suite.ts against the same rules.
 */
const accountId = fc.stringMatching(/^\d{12}$/);

describe('naming (properties)', () => {
  it('names the artifact bucket, the endpoint and its log group validly for any account the config takes', () => {
    fc.assert(
      fc.property(fc.constantFrom('dev', 'prod'), accountId, (environment, id) => {
        const config = parseStackConfig({ ...MINIMAL_CONFIG, environment, accountId: id, deployRoleArn: `arn:aws:iam::${id}:role/deploy`, serving: { imageTag: '0.1.0', minInstances: 2 }, monitoring: { alarmEmail: 'ops@example.com', logRetentionDays: 365 } });
        const bucket = physicalName(config, `artifacts-${config.accountId}`);
        expect(bucketNameProblem(bucket), bucket).toBeUndefined();
        const other = { environment: environment === 'dev' ? ('prod' as const) : ('dev' as const) };
        expect(physicalName(other, `artifacts-${id}`)).not.toBe(bucket);
        expect(endpointName(other)).not.toBe(endpointName(config));
        expect(nameProblems([{ type: 'aws:cloudwatch/logGroup:LogGroup', name: 'g', inputs: { name: sagemakerLogGroupNames(config).endpoint } }])).toEqual([]);
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it('refuses, in the rules the stacks are checked with, the names AWS refuses', () => {
    for (const bad of ['ab', 'Mailroute-dev', 'mailroute..dev', '192.168.1.1', 'xn--mailroute', 'mailroute-s3alias', '-mailroute', `m${'a'.repeat(63)}`]) expect(bucketNameProblem(bad), bad).toBeDefined();
    const one = (type: string, input: string, name: string) => nameProblems([{ type, name: 'r', inputs: { [input]: name } }]);
    expect(one('aws:sagemaker/endpoint:Endpoint', 'name', 'mailroute_dev')).toHaveLength(1);
    expect(one('aws:sagemaker/endpoint:Endpoint', 'name', `m${'a'.repeat(63)}`)).toHaveLength(1);
    expect(one('aws:lambda/function:Function', 'name', `m${'a'.repeat(64)}`)).toHaveLength(1);
    expect(one('aws:iam/role:Role', 'name', 'mailroute dev')).toHaveLength(1);
    expect(one('aws:cloudwatch/eventRule:EventRule', 'name', 'mailroute/dev')).toHaveLength(1);
    expect(one('aws:ecr/repository:Repository', 'name', 'Mailroute')).toHaveLength(1);
    expect(one('aws:kms/alias:Alias', 'name', 'alias/aws/x')).toHaveLength(1);
    expect(nameProblems([{ type: 'aws:sqs/queue:Queue', name: 'q', inputs: {} }])).toEqual(['aws:sqs/queue:Queue q: no name']);
  });
});
