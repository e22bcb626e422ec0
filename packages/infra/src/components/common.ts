import type * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import type { StackConfig } from '../config.js';
import { standardTags } from '../naming.js';

/** What every component gets: the parsed config and the tags it puts on what it creates. */
export interface StackContext {
  config: StackConfig;
  tags: Record<string, string>;
}

export function stackContext(config: StackConfig): StackContext {
  return { config, tags: standardTags(config) };
}

/**
 * Options of a data store and of each resource that holds one of its settings (a bucket's public access
 * block, policy, encryption ...): prod keeps them even when the stack or the resource is deleted, so a
 * retained store keeps its access rules and encryption, not just its data.
 */
export function dataStoreOptions(config: Pick<StackConfig, 'environment'>): pulumi.CustomResourceOptions {
  const prod = config.environment === 'prod';
  return { protect: prod, retainOnDelete: prod };
}

export const tagsWith = (ctx: StackContext, name: string): Record<string, string> => ({ ...ctx.tags, Name: name });

/** CloudWatch alarm ARN from its name (IAM needs it before the alarm exists). */
export const alarmArn = (config: StackConfig, name: string) => `arn:aws:cloudwatch:${config.region}:${config.accountId}:alarm:${name}`;

/** A dead-letter queue: encrypted with the stack key, messages kept 14 days (its alarm is in monitoring-plan.ts). */
export function deadLetterQueue(resourceName: string, queueName: string, ctx: StackContext & { kmsKeyArn: pulumi.Input<string> }, parent: pulumi.Resource): aws.sqs.Queue {
  return new aws.sqs.Queue(resourceName, { name: queueName, kmsMasterKeyId: ctx.kmsKeyArn, messageRetentionSeconds: 1_209_600, tags: tagsWith(ctx, queueName) }, { parent });
}
