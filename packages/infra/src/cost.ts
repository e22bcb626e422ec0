import type { StackConfig } from './config.js';
import { vpcEndpointPlan } from './network-plan.js';
import { alarmSpecs } from './monitoring-plan.js';

/**
 * AWS list prices (USD, on-demand) used by the monthly estimate. Source: AWS list prices,
 * us-east-1/eu-central-1, as of 2025-06, transcribed from the public pricing pages (SageMaker, VPC
 * PrivateLink, Lambda, API Gateway, DynamoDB, S3, KMS, CloudWatch). They were not re-fetched on the
 * machine that wrote this (no internet); check them before budgeting.
 */
export const PRICE_LIST = {
  asOf: '2025-06',
  source: 'AWS list prices, us-east-1/eu-central-1, as of 2025-06',
  regions: {
    'us-east-1': {
      sagemakerHostingPerHour: { 'ml.t2.medium': 0.056, 'ml.m5.large': 0.115, 'ml.c5.large': 0.102, 'ml.c6i.large': 0.102, 'ml.m5.xlarge': 0.23, 'ml.g4dn.xlarge': 0.7364, 'ml.g5.xlarge': 1.408 },
      sagemakerTrainingPerHour: { 'ml.m5.large': 0.115, 'ml.m5.xlarge': 0.23, 'ml.g4dn.xlarge': 0.7364, 'ml.g5.xlarge': 1.408 },
      interfaceEndpointPerAzHour: 0.01,
      lambdaPerGbSecondArm: 0.0000133334,
      lambdaPerMillionRequests: 0.2,
      httpApiPerMillionRequests: 1.0,
      dynamoPerMillionWrites: 0.625,
      dynamoPerMillionReads: 0.125,
      dynamoStoragePerGbMonth: 0.25,
      dynamoPitrPerGbMonth: 0.2,
      s3StandardPerGbMonth: 0.023,
      kmsKeyPerMonth: 1.0,
      cloudwatchAlarmPerMonth: 0.1,
      cloudwatchDashboardPerMonth: 3.0,
      logsIngestPerGb: 0.5,
      ecrStoragePerGbMonth: 0.1,
    },
    'eu-central-1': {
      sagemakerHostingPerHour: { 'ml.t2.medium': 0.065, 'ml.m5.large': 0.138, 'ml.c5.large': 0.122, 'ml.c6i.large': 0.122, 'ml.m5.xlarge': 0.276, 'ml.g4dn.xlarge': 0.9198, 'ml.g5.xlarge': 1.7626 },
      sagemakerTrainingPerHour: { 'ml.m5.large': 0.138, 'ml.m5.xlarge': 0.276, 'ml.g4dn.xlarge': 0.9198, 'ml.g5.xlarge': 1.7626 },
      interfaceEndpointPerAzHour: 0.012,
      lambdaPerGbSecondArm: 0.0000133334,
      lambdaPerMillionRequests: 0.2,
      httpApiPerMillionRequests: 1.2,
      dynamoPerMillionWrites: 0.7625,
      dynamoPerMillionReads: 0.1525,
      dynamoStoragePerGbMonth: 0.306,
      dynamoPitrPerGbMonth: 0.2448,
      s3StandardPerGbMonth: 0.0245,
      kmsKeyPerMonth: 1.0,
      cloudwatchAlarmPerMonth: 0.1,
      cloudwatchDashboardPerMonth: 3.0,
      logsIngestPerGb: 0.63,
      ecrStoragePerGbMonth: 0.1,
    },
  },
} as const;

export type PricedRegion = keyof typeof PRICE_LIST.regions;
export const HOURS_PER_MONTH = 730;
const DAYS_PER_MONTH = 365 / 12;

/** Usage the sizes in the config do not say; the defaults describe one CRM's mail volume. */
export interface UsageAssumptions {
  /** Average Lambda duration per API request, ms. */
  lambdaMsPerRequest: number;
  storageGb: number;
  tableGb: number;
  logsGbPerMonth: number;
  imagesGb: number;
  /**
   * S3 server access logs of the artifact bucket written per month. Its requests are few (the API and quality Lambdas
   * read the champion and manifests once per container, training jobs read their data, the registry writes a model),
   * some tens of thousands a month at a few hundred bytes a record: 0.1 GB is a generous round figure.
   */
  accessLogGbPerMonth: number;
}
export const DEFAULT_USAGE: UsageAssumptions = { lambdaMsPerRequest: 60, storageGb: 50, tableGb: 5, logsGbPerMonth: 5, imagesGb: 5, accessLogGbPerMonth: 0.1 };

/**
 * The prediction item's size in DynamoDB write units (1 KB each, rounded up): about 0.6 KB without kept text (1 unit),
 * about 3 KB with `feedback.storeText` (2 KB of a cleaned subject and body: 3 units). Its storage grows about 5 times.
 */
export const PREDICTION_ITEM_WRITE_UNITS = { plain: 1, withText: 3 } as const;
export const STORED_TEXT_STORAGE_FACTOR = 5;

/**
 * DynamoDB write units one API request costs (on demand), as packages/aws writes them. A write unit is 1 KB of the
 * item written (an update: the larger of the item before and after it); a write in a transaction costs two; a global
 * secondary index that projects the item (all three here project ALL) writes its copy at one unit a KB whenever the
 * item enters it or an attribute it holds changes. With `p` the prediction item's units (PREDICTION_ITEM_WRITE_UNITS):
 *
 * - the prediction (writePredictions, dynamo-store-writes.ts): a Put in a transaction, 2p, and its copies in
 *   `by-email` and `by-day`, p each: 4p;
 * - its feedback, taken as one a request (one feedback per email, each email classified once: the most there is):
 *   the feedback item's Put or merge (under 1 KB, in no index) in a transaction, 2, and in the same transaction
 *   (JudgedIndex.write, dynamo-judged-index.ts) the mark of each prediction of its email (one): an Update in a
 *   transaction, 2p, which copies the by-day keys into `judged-by-day` (its copy, p) and changes attributes
 *   `by-email` and `by-day` project (their copies rewritten, p each): 2 + 5p.
 *
 * Without kept text (p = 1) 4 + 7 = 11 units a request, with it (p = 3) 12 + 17 = 29. Left out: the rare retries of a
 * transaction that met a conflict, a feedback that corrects an earlier one (a second merge and marks), and the judged
 * index's record, written once per Lambda instance.
 */
export function dynamoWriteUnitsPerRequest(storeText: boolean): number {
  const p = storeText ? PREDICTION_ITEM_WRITE_UNITS.withText : PREDICTION_ITEM_WRITE_UNITS.plain;
  const TRANSACTION = 2;
  const prediction = TRANSACTION * p + 2 * p;
  const feedbackItem = TRANSACTION * 1;
  const mark = TRANSACTION * p + 3 * p;
  return prediction + feedbackItem + mark;
}

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  unitPriceUsd: number;
  monthlyUsd: number;
}

export class UnpricedError extends Error {
  readonly code = 'COST_UNPRICED';
  constructor(message: string) {
    super(message);
    this.name = 'UnpricedError';
  }
}

/** Monthly cost of one stack at list prices: the endpoint at its minimum size plus usage-driven lines. */
export function estimateMonthlyCost(
  config: Pick<StackConfig, 'region' | 'serving' | 'training' | 'network' | 'environment' | 'monitoring' | 'artifacts'> & { feedback?: Pick<StackConfig['feedback'], 'storeText'> },
  usage: UsageAssumptions = DEFAULT_USAGE,
): { lines: CostLine[]; totalUsd: number; source: string } {
  const prices = PRICE_LIST.regions[config.region as PricedRegion];
  // The program exports the estimate, so these stop a preview: say which config key to change, or which table to extend.
  const unpriced = (key: string, what: string, priced: object) =>
    new UnpricedError(`mailroute:${key}: no ${what} in the cost estimate's price list (priced: ${Object.keys(priced).join(', ')}); add it to PRICE_LIST in src/cost.ts`);
  if (!prices) throw unpriced('region', `list prices for ${config.region}`, PRICE_LIST.regions);
  const hosting = (prices.sagemakerHostingPerHour as Record<string, number>)[config.serving.instanceType];
  if (hosting === undefined) throw unpriced('serving.instanceType', `${config.region} hosting price for ${config.serving.instanceType}`, prices.sagemakerHostingPerHour);
  const training = (prices.sagemakerTrainingPerHour as Record<string, number>)[config.training.instanceType];
  if (training === undefined) throw unpriced('training.instanceType', `${config.region} training price for ${config.training.instanceType}`, prices.sagemakerTrainingPerHour);
  const requests = config.serving.monthlyRequests;
  const storeText = config.feedback?.storeText === true;
  const interfaces = vpcEndpointPlan(config.region).filter((e) => e.type === 'Interface').length;
  const line = (item: string, quantity: number, unit: string, unitPriceUsd: number): CostLine => ({
    item,
    quantity,
    unit,
    unitPriceUsd,
    monthlyUsd: quantity * unitPriceUsd,
  });
  const lines = [
    line(`SageMaker endpoint ${config.serving.instanceType} x${config.serving.minInstances}`, config.serving.minInstances * HOURS_PER_MONTH, 'instance-hours', hosting),
    line(`SageMaker training ${config.training.instanceType}`, config.training.hoursPerMonth, 'instance-hours', training),
    line(`Interface VPC endpoints (${interfaces} x ${config.network.azCount} AZ)`, interfaces * config.network.azCount * HOURS_PER_MONTH, 'endpoint-AZ-hours', prices.interfaceEndpointPerAzHour),
    line('Lambda compute (arm64)', (requests * usage.lambdaMsPerRequest * config.serving.lambdaMemoryMb) / 1000 / 1024, 'GB-seconds', prices.lambdaPerGbSecondArm),
    line('Lambda requests', requests / 1e6, 'million requests', prices.lambdaPerMillionRequests),
    line('HTTP API requests', requests / 1e6, 'million requests', prices.httpApiPerMillionRequests),
    // A prediction and its feedback per request, in transactions, each copied into the indexes (dynamoWriteUnitsPerRequest);
    // listPairs reads are small. Kept text makes each prediction item several write units and several times the storage.
    line(`DynamoDB writes${storeText ? ' (with kept text)' : ''}`, (requests * dynamoWriteUnitsPerRequest(storeText)) / 1e6, 'million write units', prices.dynamoPerMillionWrites),
    line('DynamoDB reads', requests / 1e6, 'million read units', prices.dynamoPerMillionReads),
    line('DynamoDB storage + PITR', usage.tableGb * (storeText ? STORED_TEXT_STORAGE_FACTOR : 1), 'GB-months', prices.dynamoStoragePerGbMonth + prices.dynamoPitrPerGbMonth),
    line('S3 artifacts', usage.storageGb, 'GB-months', prices.s3StandardPerGbMonth),
    // Delivering the logs is free; they are stored (S3 Standard) until they expire, so the bucket holds accessLogDays of them.
    line(`S3 access logs (kept ${config.artifacts.accessLogDays} days)`, (usage.accessLogGbPerMonth * config.artifacts.accessLogDays) / DAYS_PER_MONTH, 'GB-months', prices.s3StandardPerGbMonth),
    line('ECR images', usage.imagesGb, 'GB-months', prices.ecrStoragePerGbMonth),
    line('KMS key', 1, 'keys', prices.kmsKeyPerMonth),
    line('CloudWatch alarms', alarmSpecs(config, { endpointName: '', variantName: '', apiFunctionName: '', deployerFunctionName: '', apiId: '', stage: '' }).length, 'alarms', prices.cloudwatchAlarmPerMonth),
    line('CloudWatch dashboard', 1, 'dashboards', prices.cloudwatchDashboardPerMonth),
    line('CloudWatch Logs ingestion', usage.logsGbPerMonth, 'GB', prices.logsIngestPerGb),
  ];
  const totalUsd = Math.round(lines.reduce((sum, l) => sum + l.monthlyUsd, 0) * 100) / 100;
  return { lines, totalUsd, source: PRICE_LIST.source };
}
