import type * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import type { StackContext } from './common.js';

/** Every log group the stack writes to is created here: retention and the CMK, never left to a service default; kept on delete in prod. */
export function managedLogGroup(
  resourceName: string,
  logGroupName: pulumi.Input<string>,
  ctx: StackContext & { kmsKeyArn: pulumi.Input<string> },
  parent: pulumi.Resource,
): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(
    resourceName,
    { name: logGroupName, retentionInDays: ctx.config.monitoring.logRetentionDays, kmsKeyId: ctx.kmsKeyArn, tags: ctx.tags },
    // Prod's logs are an audit trail: a destroyed or renamed resource leaves them to expire by retention.
    { parent, retainOnDelete: ctx.config.environment === 'prod' },
  );
}
