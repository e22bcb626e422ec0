import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { DYNAMO_TABLE_INDEXES, DYNAMO_TABLE_LAYOUT } from '@mailroute/aws/contracts';
import { physicalName } from '../naming.js';
import { dataStoreOptions, tagsWith, type StackContext } from './common.js';

/**
 * Predictions and CRM feedback: on-demand DynamoDB, point-in-time recovery, the stack CMK, TTL. Adding an
 * index to a live table builds it in place (DynamoDB adds one global secondary index per update).
 */
export class FeedbackStorage extends pulumi.ComponentResource {
  readonly tableName: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;

  constructor(name: string, ctx: StackContext & { kmsKeyArn: pulumi.Input<string> }, opts?: pulumi.ComponentResourceOptions) {
    super('mailroute:storage:FeedbackStorage', name, {}, opts);
    const { config } = ctx;
    const L = DYNAMO_TABLE_LAYOUT; // the key and index names the DynamoDB store reads
    const tableName = physicalName(config, 'predictions', 255);
    const indexes = DYNAMO_TABLE_INDEXES;
    const keys = [L.partitionKey, L.sortKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])];
    const table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        name: tableName,
        billingMode: 'PAY_PER_REQUEST',
        hashKey: L.partitionKey,
        rangeKey: L.sortKey,
        attributes: keys.map((k) => ({ name: k, type: 'S' })),
        // judged-by-day is sparse: only predictions whose email has feedback carry its keys. Every index
        // projects whole items, so a listing is one query per page, with no fetch of each item after it.
        globalSecondaryIndexes: indexes.map((index) => ({
          name: index.name,
          hashKey: index.partitionKey,
          rangeKey: index.sortKey,
          projectionType: 'ALL',
        })),
        ttl: { attributeName: L.ttlAttribute, enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: ctx.kmsKeyArn },
        deletionProtectionEnabled: config.environment === 'prod',
        tags: tagsWith(ctx, tableName),
      },
      { parent: this, ...dataStoreOptions(config) },
    );
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
  }
}
