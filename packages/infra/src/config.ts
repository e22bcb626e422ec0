import { z } from 'zod';
import { scheduleTimingProblem } from './schedule-timing.js';
import { createsRetrainingPipeline, exportsFeedback, retrainingScheduleDescription, SCHEDULE_DESCRIPTION_MAX, timezoneProblem, validateScheduleExpression } from './schedule.js';
import { issueLines, missingKeyMessage } from './config-keys.js';
import { DEFAULT_MAX_RUNTIME_SECONDS } from './retraining-pipeline.js';
import { knownTimeZone, LAMBDA_DEFAULT_MAX_BODY_BYTES, LAMBDA_MAX_BODY_BYTES, oauthScopeProblem, sameTokenScopeProblem, TOKEN_SCOPE_KEYS, type TokenScopeKey } from '@mailroute/aws/contracts';

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const AccountId = z.string().regex(/^\d{12}$/, 'an AWS account id has 12 digits');

/**
 * A number, or the plain decimal text of one (`0.65`, `12`; no exponent, sign of +, spaces or hex): `pulumi
 * config set --path mailroute:<key>.<field> <value>`, which the errors here recommend, stores a value it cannot
 * read as an integer (0.65) as a string.
 */
/** The longest task name a per-task alarm takes: CloudWatch alarm names hold 255 characters, the stack's prefix and `live-quality-` included. */
const MAX_ALARM_TASK_NAME = 200;

/** The key of a task's own live-quality alarm (`queue` -> `live-quality-queue`): alarm names take [a-z0-9-] only. */
export function liveQualityAlarmKey(task: string): string {
  return `live-quality-${task.toLowerCase().replace(/_/g, '-')}`;
}

function configNumber<T extends z.ZodNumber>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' && /^-?\d+(?:\.\d+)?$/.test(value) ? Number(value) : value), schema);
}

/** A role Pulumi's provider can assume: its name at most 64 characters after the last "/". */
const IamRoleArn = z
  .string()
  .regex(
    /^arn:aws:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
    'an IAM role ARN, arn:aws:iam::<account>:role/[<path>/]<name>: a name of at most 64 letters, digits and + = , . @ _ - after the last "/"',
  );

/** One OAuth scope as an access token carries it (`mailroute/classify`): one word, RFC 6749's characters. */
const OAuthScope = z
  .string({ error: (issue) => (issue.input === undefined ? 'required when api.scopes is set: the OAuth scope a token must carry for it, such as mailroute/classify' : 'a string, the OAuth scope') })
  .superRefine((scope, ctx) => {
    const problem = oauthScopeProblem(scope);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** `api.scopes`: the OAuth scope that grants each mailroute scope of the public API, a scope of its own for each. */
const TokenScopesConfig = z
  .strictObject({ classify: OAuthScope, feedback: OAuthScope } satisfies Record<TokenScopeKey, unknown>, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}: only ${TOKEN_SCOPE_KEYS.join(' and ')} take an OAuth scope (admin is never granted through API Gateway)` : undefined),
  })
  .superRefine((scopes, ctx) => {
    const problem = sameTokenScopeProblem(scopes);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A SageMaker instance type, `ml.<family>.<size>` (ml.c6i.large, ml.g5.12xlarge, ml.p4de.24xlarge). */
const InstanceType = z.string().regex(/^ml\.[a-z]+\d+[a-z0-9-]*\.(?:nano|micro|small|medium|large|\d*xlarge)$/, 'a SageMaker instance type, ml.<family>.<size> such as ml.c6i.large or ml.g5.2xlarge');

/**
 * A folder of the artifact bucket under data/, ending in "/": what the SageMaker execution role may read
 * (storage-plan.ts) and SageMaker takes as an S3Prefix channel.
 */
const DataFolder = z
  .string()
  .regex(/^data\/(?:[^/\s]+\/)+$/, 'a folder under data/ ending in "/", such as data/retraining/exports/: training jobs read data/ only')
  // The retraining schedule's description names the exports' folder, and Scheduler takes at most 512 characters there.
  .max(400, 'at most 400 characters: the retraining schedule\'s description names the folder, and Scheduler takes at most 512 characters there');

/** Why an imageTag that is no string is refused; a number other than a whole one lost the tag's text (1.10 is 1.1). */
function imageTagTypeMessage(input: unknown): string {
  if (typeof input !== 'number') return 'a string';
  return `a string, not the number ${input}: quote the tag in Pulumi.<stack>.yaml (imageTag: "1.10"): unquoted, YAML reads 1.10 as the number 1.1`;
}

const RetrainingTargetSchema = z.discriminatedUnion('kind', [
  /** A SageMaker pipeline in this account (the default: `<prefix>-retrain`). */
  z.strictObject({
    kind: z.literal('sagemaker-pipeline'),
    // SageMaker's pipeline name pattern: the schedule takes any name, the monthly StartPipelineExecution would not.
    // {0,255} bounded the letters, not the hyphens between them: CreatePipeline takes at most 256 characters.
    pipelineName: z
      .string()
      .regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/, 'a SageMaker pipeline name: letters, digits and hyphens, starting and ending with a letter or digit')
      .max(256, 'a SageMaker pipeline name has at most 256 characters'),
  }),
  /** Any Lambda function, e.g. one that starts a CodeBuild or Step Functions run. */
  z.strictObject({
    kind: z.literal('lambda'),
    functionArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/,
        'a Lambda function ARN, arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]',
      ),
  }),
]);

/**
 * The shortest log retention a prod stack may set (CloudWatch's 365): a year of API access, Lambda,
 * endpoint and VPC flow logs, what PCI DSS 10.5.1 asks of audit logs; dev keeps any retention CloudWatch takes.
 */
export const PROD_MIN_LOG_RETENTION_DAYS = 365;
/** The least time to live of prod's predictions and feedback: the live-quality report's 30-day window, and a day. */
export const PROD_MIN_FEEDBACK_TTL_DAYS = 31;

/**
 * How long prod keeps a replaced or deleted object under `models/` (its noncurrent versions): the champion pointer,
 * the champion history and the decision records there are the registry's audit trail, which the bucket's versioning
 * makes one (packages/aws/README.md, *Audit trail*). Seven years by default; never under a year, as prod's other audit
 * logs (PROD_MIN_LOG_RETENTION_DAYS).
 */
export const PROD_MODELS_NONCURRENT_VERSION_DAYS = 2557;

/** S3 server access logs of a prod stack by default: a year and a month, over its floor of a year. */
export const PROD_ACCESS_LOG_DAYS = 400;

/**
 * Days without a live feedback count before the feedback alarm fires, by default: the reporter publishes once a day,
 * so prod tolerates one missed report (whose own errors alarm pages); dev, where feedback is test traffic, a week.
 */
export const FEEDBACK_STOPPED_DAYS = { dev: 7, prod: 2 } as const;

/** The longest `monitoring.feedbackStoppedDays`: a daily alarm evaluates at most 7 periods (CloudWatch's 7 days). */
export const MAX_FEEDBACK_STOPPED_DAYS = 7;

type InstanceCounts = { initialInstanceCount: number; minInstances: number; maxInstances: number };

/**
 * Where the endpoint's instance counts contradict each other: min over max, or a new endpoint's initial count
 * outside [min, max]: a new endpoint would start at a count its autoscaling then works against.
 */
export function instanceCountIssues({ initialInstanceCount: initial, minInstances: min, maxInstances: max }: InstanceCounts): { path: string[]; message: string }[] {
  if (min > max) return [{ path: ['serving', 'minInstances'], message: `${min} exceeds serving.maxInstances ${max}: the autoscaling range needs minInstances <= maxInstances` }];
  const range = `set it from ${min} to ${max} (serving.minInstances to serving.maxInstances), or leave it out to start at minInstances`;
  if (initial < min) return [{ path: ['serving', 'initialInstanceCount'], message: `${initial} is under serving.minInstances ${min}: a new endpoint would start under the autoscaling range; ${range}` }];
  if (initial > max) return [{ path: ['serving', 'initialInstanceCount'], message: `${initial} is over serving.maxInstances ${max}: a new endpoint would start over the autoscaling range; ${range}` }];
  return [];
}

/**
 * Why a VPC block cannot hold one private /20 subnet per AZ (see network-plan.ts), or undefined: octets
 * 0-255, a network address, and a prefix from /16 to /19 (two AZs) or /18 (three).
 */
export function cidrProblem(cidr: string, azCount: number): string | undefined {
  const [ip, bits] = cidr.split('/');
  // The provider checks a VPC's block with Go's net.ParseCIDR, which refuses 10.040.0.0/16 at preview.
  if (ip.split('.').some((o) => o.length > 1 && o.startsWith('0'))) return `${cidr}: an octet has a leading zero (write ${ip.split('.').map(Number).join('.')}/${bits})`;
  const octets = ip.split('.').map(Number);
  if (octets.some((o) => o > 255)) return `${cidr}: an octet is over 255`;
  const prefix = Number(bits);
  const largest = 20 - Math.ceil(Math.log2(azCount));
  if (prefix < 16 || prefix > largest) return `${cidr}: the VPC needs a /16 to /${largest} block for ${azCount} private /20 subnets`;
  const start = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (start % 2 ** (32 - prefix) !== 0) return `${cidr} is not a network address (its host bits are not 0)`;
  return undefined;
}

const CidrBlock = z.string().regex(/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\/\d{1,2}$/, 'a CIDR block such as 10.40.0.0/16');
const AzCount = configNumber(z.number().int().min(2).max(3));

/** What the schema leaves unset where the default depends on the environment (see withEnvironmentDefaults). */
interface EnvironmentDefaulted {
  environment: 'dev' | 'prod';
  monitoring: { logRetentionDays: number; feedbackStoppedDays?: number };
  artifacts: { noncurrentVersionDays: number; modelsNoncurrentVersionDays?: number; accessLogDays?: number };
}

/**
 * The defaults that differ by environment, filled in where the stack sets none: dev keeps its S3 access logs as long
 * as its other logs and the models' old versions as long as other objects', prod keeps them PROD_ACCESS_LOG_DAYS and
 * PROD_MODELS_NONCURRENT_VERSION_DAYS (audit trails); the feedback-stopped alarm waits FEEDBACK_STOPPED_DAYS.
 */
export function withEnvironmentDefaults<C extends EnvironmentDefaulted>(
  config: C,
): C & { monitoring: C['monitoring'] & { feedbackStoppedDays: number }; artifacts: C['artifacts'] & { modelsNoncurrentVersionDays: number; accessLogDays: number } } {
  const prod = config.environment === 'prod';
  const { monitoring, artifacts } = config;
  return {
    ...config,
    monitoring: { ...monitoring, feedbackStoppedDays: monitoring.feedbackStoppedDays ?? FEEDBACK_STOPPED_DAYS[config.environment] },
    artifacts: {
      ...artifacts,
      modelsNoncurrentVersionDays: artifacts.modelsNoncurrentVersionDays ?? (prod ? PROD_MODELS_NONCURRENT_VERSION_DAYS : artifacts.noncurrentVersionDays),
      accessLogDays: artifacts.accessLogDays ?? (prod ? PROD_ACCESS_LOG_DAYS : monitoring.logRetentionDays),
    },
  };
}

/** One stack's configuration (`Pulumi.<stack>.yaml`, namespace `mailroute`), parsed once at the edge. */
export const StackConfigSchema = z
  .strictObject({
    environment: z.enum(['dev', 'prod']),
    accountId: AccountId,
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-central-1'),
    /** The role Pulumi assumes in the target account (its account id must be `accountId`). */
    deployRoleArn: IamRoleArn,
    /**
     * A read-only role in the same account, which the provider assumes instead of `deployRoleArn` when
     * MAILROUTE_PULUMI_ROLE=preview (stack.ts): a preview of pull-request code runs the program, and must
     * not hold rights that change the stack. Unset: no such preview.
     */
    previewRoleArn: IamRoleArn.optional(),
    /** The `cost-centre` tag on every resource: what AWS takes in a tag value (SageMaker, DynamoDB ... refuse more). */
    costCentre: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, 'a tag value: letters, digits, spaces and _ . : / = + - @ only (AWS refuses other characters in tags)'),
    network: z
      .strictObject({ cidr: CidrBlock.default('10.40.0.0/16'), azCount: AzCount.default(2) })
      .superRefine((network, ctx) => {
        // Zod runs this on values that failed their own check too: an empty cidr is "not a network address" else.
        if (!CidrBlock.safeParse(network.cidr).success || !AzCount.safeParse(network.azCount).success) return;
        const problem = cidrProblem(network.cidr, network.azCount);
        if (problem) ctx.addIssue({ code: 'custom', path: ['cidr'], message: problem });
      })
      .prefault({}),
    serving: z.strictObject(
      {
        /**
         * The serving container's tag in this stack's ECR repository: required, and a version or a commit,
         * because the repository is IMMUTABLE (a moving tag such as `latest` can be pushed once only).
         */
        imageTag: z.preprocess(
          // An all-digit tag (a date, 20261203) arrives as a number from `pulumi config set --path` or unquoted YAML.
          (tag) => (typeof tag === 'number' && Number.isSafeInteger(tag) && tag >= 0 ? String(tag) : tag),
          z
            .string({ error: (issue) => (issue.input === undefined ? 'required: the serving image tag in ECR, a version such as 0.1.0' : imageTagTypeMessage(issue.input)) })
            .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'an image tag: letters, digits, _ . - (at most 128)')
            .refine((tag) => !/^latest/i.test(tag), 'a version or commit, not a moving tag: the ECR repository is IMMUTABLE, so `latest...` can be pushed once only'),
        ),
        instanceType: InstanceType.default('ml.c6i.large'),
        /** Instances a newly created endpoint starts with: from minInstances to maxInstances, minInstances if unset. */
        initialInstanceCount: configNumber(z.number().int().min(1)).optional(),
        /** Autoscaling bounds (min <= max): the scalable target's minCapacity and maxCapacity. */
        minInstances: configNumber(z.number().int().min(1)).default(1),
        maxInstances: configNumber(z.number().int().min(1)).default(2),
        /** Autoscaling target: invocations per instance per minute. */
        invocationsPerInstance: configNumber(z.number().int().min(1)).default(600),
        /**
         * S3 prefix (in the artifact bucket) of the model the endpoint starts with, before any approval: under
         * `models/`, which the SageMaker role may read, and ending in `/`, as SageMaker requires of an S3Prefix.
         */
        bootstrapModelKey: z
          .string()
          .regex(/^models\/(?:[^/\s]+\/)+$/, 'a folder under models/ ending in "/", such as models/bootstrap/: the SageMaker role reads models/ only, and SageMaker takes a model prefix only with its trailing "/"')
          .default('models/bootstrap/'),
        lambdaMemoryMb: configNumber(z.number().int().min(128).max(10240)).default(1024),
        /**
         * The API Lambda's timeout: API Gateway's integration timeout (29 s), which the handlers' limits
         * assume (`/v1/quality` caps its reads to answer within it); less cuts such answers off early.
         */
        lambdaTimeoutSeconds: configNumber(z.number().int().min(1).max(29)).default(29),
        /**
         * The API Lambda's reserved concurrency; unset (the default): none, the function shares the account's pool.
         * A reservation is taken from every other function of the account (Lambda keeps 100 unreserved), and it caps
         * the API too (over it, invocations are throttled): set it only where the account's quota leaves room.
         */
        lambdaReservedConcurrency: configNumber(z.number().int().min(1)).optional(),
        /** Expected API requests per month, for the cost estimate. */
        monthlyRequests: configNumber(z.number().int().min(0)).default(1_000_000),
      },
      // Required for its imageTag; the other keys have defaults.
      { error: (issue) => (issue.code !== 'invalid_type' ? undefined : issue.input === undefined ? 'required: at least { imageTag: <version> }' : 'an object') },
    )
    .transform((serving) => ({ ...serving, initialInstanceCount: serving.initialInstanceCount ?? serving.minInstances })),
    api: z.strictObject({
      /** JWT issuer of the CRM's identity provider (OIDC discovery URL base). */
      issuer: z.string().url().startsWith('https://'),
      /** The CRM caller allow-list: client ids (JWT audiences) that may call the API. */
      allowedClientIds: z.array(z.string().min(1)).min(1),
      throttleRatePerSecond: configNumber(z.number().min(1)).default(50),
      throttleBurst: configNumber(z.number().int().min(1)).default(100),
      /**
       * The API Lambda's request body limit in bytes (its MAILROUTE_MAX_BODY_BYTES; 413 beyond it): 1 MiB by
       * default, at most 4 MiB, what Lambda's 6 MB invocation payload holds once a binary body is base64-encoded.
       */
      maxBodyBytes: configNumber(z.number().int().min(1).max(LAMBDA_MAX_BODY_BYTES)).default(LAMBDA_DEFAULT_MAX_BODY_BYTES),
      /** The IANA time zone (`Europe/Berlin`) of the CRM's times sent without one, as feedback's closedAt; unset: UTC. */
      timeZone: z.string().refine(knownTimeZone, { error: 'not a time zone Node knows: an IANA name such as Europe/Berlin' }).optional(),
      /**
       * Per-client scopes: the OAuth scope a token must carry for each mailroute scope, `{ classify: mailroute/classify,
       * feedback: mailroute/feedback }` (the API Lambda's MAILROUTE_TOKEN_SCOPES). Unset: every allow-listed client may classify and post feedback.
       */
      scopes: TokenScopesConfig.optional(),
    }),
    training: z
      .strictObject({
        /**
         * The retraining job's instance: the trainer (ngram-bag, in the serving image) runs on CPU in seconds to
         * minutes and under 1 GiB, so a general-purpose type; a GPU type only costs more.
         */
        instanceType: InstanceType.default('ml.m5.xlarge'),
        /**
         * Hours of training per month, for the cost estimate: at most a 31-day month's, as the retraining runs one job
         * at a time (an unbounded number made the exported estimate Infinity, which JSON, and so Pulumi's state, cannot hold).
         */
        hoursPerMonth: configNumber(z.number().min(0).max(744, 'at most 744, the hours of a 31-day month: the retraining runs one job at a time')).default(2),
        /**
         * The longest a retraining job may run, in seconds: the pipeline's MaxRuntimeSeconds default and the cap its
         * role's IAM puts on CreateTrainingJob (sagemaker:MaxRuntimeInSeconds), so no run costs more than this many
         * seconds of `instanceType`. At most 28 days, SageMaker's longest.
         */
        maxRuntimeSeconds: configNumber(z.number().int().min(60).max(2_419_200, 'at most 2419200 (28 days, the longest SageMaker lets a training job run)')).default(DEFAULT_MAX_RUNTIME_SECONDS),
      })
      .prefault({}),
    retraining: z
      .strictObject({
        /**
         * Off unless a stack turns it on. The stack creates the default target, the SageMaker pipeline
         * `<prefix>-retrain` (RetrainingPipeline), either way, but it trains on the exports and config under
         * `dataPrefix` and `configPrefix`: until someone puts them there, every monthly run would fail.
         */
        enabled: z.boolean().default(false),
        /** The pipeline's default `training` channel: the CRM exports (CSV, JSONL, JSON), a folder under data/. */
        dataPrefix: DataFolder.default('data/retraining/exports/'),
        /** The pipeline's default `config` channel: the training config JSON (`train-config.json`), a folder under data/. */
        configPrefix: DataFolder.default('data/retraining/config/'),
        /** EventBridge Scheduler expression; monthly on the 1st at 03:00 by default. */
        schedule: z.string().default('cron(0 3 1 * ? *)'),
        /** IANA time zone of the schedule's cron or at() times. */
        timezone: z
          .string()
          .default('Europe/Berlin')
          .superRefine((timezone, ctx) => {
            const problem = timezoneProblem(timezone);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          }),
        target: RetrainingTargetSchema.optional(),
        /**
         * With `feedback.storeText`, the default pipeline exports the confirmed cases of the table before Train (its
         * ExportFeedback step); false leaves the step out: a table too big for a Lambda step's 10 minutes, exported by hand.
         */
        exportFeedback: z.boolean().default(true),
      })
      .prefault({}),
    monitoring: z.strictObject({
      alarmEmail: z.string().email(),
      logRetentionDays: configNumber(
        z
          .number()
          .int()
          .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), `a retention CloudWatch Logs accepts: one of ${LOG_RETENTION_DAYS.join(', ')} (days)`),
      ).default(30),
      /**
       * The endpoint's p99 latency alarm, in ms (CloudWatch's ModelLatency is in microseconds): at most 60 s, as long
       * as SageMaker lets a real-time invocation run; a higher one could never fire, and past about 1e305 the
       * threshold in microseconds was Infinity, which PutMetricAlarm cannot take.
       */
      p99LatencyMs: configNumber(z.number().positive().max(60_000, 'at most 60000 (60 s, the longest a SageMaker real-time invocation runs): a higher p99 alarm could never fire')).default(500),
      /**
       * The HTTP API's p99 latency alarm, in ms: what the CRM waits for, the Lambda, the endpoint and DynamoDB together.
       * 2 s by default: the endpoint's 500 ms and the rest, with room for a cold start now and then. At most 30000: API
       * Gateway ends a request at 30 s, so a higher alarm could never fire.
       */
      apiP99LatencyMs: configNumber(z.number().positive().max(30_000, 'at most 30000 (30 s, the longest API Gateway lets an HTTP API request run): a higher p99 alarm could never fire')).default(2000),
      /**
       * Days in a row without a case closed (the quality reporter's daily `LiveFeedbackLastDay`, once a model serves)
       * before the feedback-stopped alarm fires. Unset: FEEDBACK_STOPPED_DAYS of the environment (dev 7, prod 2).
       */
      feedbackStoppedDays: configNumber(
        z.number().int().min(1).max(MAX_FEEDBACK_STOPPED_DAYS, `at most ${MAX_FEEDBACK_STOPPED_DAYS}: a CloudWatch alarm of daily periods evaluates at most seven days`),
      ).optional(),
      /** Alarm when live macro F1 (from CRM feedback) of any task falls under this: the floor of every task. */
      minLiveMacroF1: configNumber(z.number().min(0).max(1)).default(0.7),
      /**
       * A stricter floor for a task by its name (`queue: 0.8`), which gets an alarm of its own; at least
       * `minLiveMacroF1`, which the worst-task alarm already holds every task to.
       */
      minLiveMacroF1ByTask: z
        .record(z.string(), configNumber(z.number().min(0).max(1)))
        .default({}),
    })
    .superRefine((m, ctx) => {
      const seen = new Map<string, string>();
      for (const [task, floor] of Object.entries(m.minLiveMacroF1ByTask)) {
        if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(task) || task.length > MAX_ALARM_TASK_NAME) {
          const why = task.length > MAX_ALARM_TASK_NAME ? `longer than ${MAX_ALARM_TASK_NAME} characters, which its alarm's name cannot hold` : 'ASCII letters, digits and _, starting with a letter (as training configs name tasks)';
          ctx.addIssue({ code: 'custom', path: ['minLiveMacroF1ByTask', task], message: `not a task name an alarm can carry: ${why}` });
          continue;
        }
        if (floor < m.minLiveMacroF1) {
          ctx.addIssue({
            code: 'custom',
            path: ['minLiveMacroF1ByTask', task],
            message: `${floor} is under minLiveMacroF1 (${m.minLiveMacroF1}), which the worst-task alarm holds every task to: lower minLiveMacroF1 to let ${task} go lower, and give the other tasks their floors here`,
          });
        }
        const key = liveQualityAlarmKey(task);
        const other = seen.get(key);
        if (other !== undefined) ctx.addIssue({ code: 'custom', path: ['minLiveMacroF1ByTask', task], message: `${task} and ${other} would name one alarm (${key}): task names that differ only in case are one here` });
        seen.set(key, task);
      }
    }),
    feedback: z
      .strictObject({
        ttlDays: configNumber(z.number().int().min(1).max(3650)).default(400),
        /**
         * Keep a PII-masked copy of each email's text with its prediction (the API Lambda's MAILROUTE_STORE_TEXT), so
         * that `mailroute feedback export --dynamodb-table` writes training rows; off: labels only (`--labels-only`).
         */
        storeText: z.boolean().default(false),
      })
      .prefault({}),
    artifacts: z
      .strictObject({
        /** Days a replaced or deleted object is kept (its noncurrent versions) under data/, reports/ and training-output/. */
        noncurrentVersionDays: configNumber(z.number().int().min(1)).default(90),
        /**
         * Days a replaced or deleted object under models/ is kept: the registry's audit trail (champion pointer and
         * history, decision and gate records) and the registered models' files. Unset: dev as `noncurrentVersionDays`,
         * prod PROD_MODELS_NONCURRENT_VERSION_DAYS (seven years); prod at least PROD_MIN_LOG_RETENTION_DAYS.
         */
        modelsNoncurrentVersionDays: configNumber(z.number().int().min(1)).optional(),
        /** Uploads abandoned half-way are removed after this many days. */
        abortMultipartDays: configNumber(z.number().int().min(1)).default(7),
        /** Training data snapshots move to infrequent access after this many days. */
        dataInfrequentAccessDays: configNumber(z.number().int().min(30)).default(60),
        /**
         * Days the bucket's S3 server access logs (who read or wrote which object) are kept in the stack's log bucket:
         * prod at least PROD_MIN_LOG_RETENTION_DAYS, like its other audit logs; at most ten years, CloudWatch Logs' longest.
         * Unset: dev as long as its other logs (`monitoring.logRetentionDays`), prod PROD_ACCESS_LOG_DAYS (400).
         */
        accessLogDays: configNumber(z.number().int().min(1).max(3653, 'at most 3653 (ten years, the longest retention the stack gives any log)')).optional(),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    // Zod runs this check on values that failed their own (a deployRoleArn that is no ARN, a prefix outside
    // data/): compare only what parsed, or the error says "role is in account undefined" besides the real issue.
    for (const key of ['deployRoleArn', 'previewRoleArn'] as const) {
      const roleAccount = /^arn:aws:iam::(\d{12}):/.exec(config[key] ?? '')?.[1];
      if (roleAccount !== undefined && roleAccount !== config.accountId) {
        ctx.addIssue({ code: 'custom', path: [key], message: `role is in account ${roleAccount}, not ${config.accountId}` });
      }
    }
    for (const issue of instanceCountIssues(config.serving)) ctx.addIssue({ code: 'custom', ...issue });
    if (config.environment === 'prod') {
      // Dev's sizes are no prod endpoint: one instance has no canary in a blue/green update and no second AZ.
      if (config.serving.minInstances < 2) {
        ctx.addIssue({ code: 'custom', path: ['serving', 'minInstances'], message: `prod needs at least 2 (got ${config.serving.minInstances}): one instance has no blue/green canary and no second AZ` });
      }
      if (config.monitoring.logRetentionDays < PROD_MIN_LOG_RETENTION_DAYS) {
        ctx.addIssue({
          code: 'custom',
          path: ['monitoring', 'logRetentionDays'],
          message: `prod keeps its logs at least ${PROD_MIN_LOG_RETENTION_DAYS} days (got ${config.monitoring.logRetentionDays}): its API access, Lambda, endpoint and VPC flow logs are an audit trail, kept a year`,
        });
      }
      if (config.artifacts.accessLogDays !== undefined && config.artifacts.accessLogDays < PROD_MIN_LOG_RETENTION_DAYS) {
        ctx.addIssue({
          code: 'custom',
          path: ['artifacts', 'accessLogDays'],
          message: `prod keeps the artifact bucket's access logs at least ${PROD_MIN_LOG_RETENTION_DAYS} days (got ${config.artifacts.accessLogDays}): they are the audit trail of who read or wrote which object, kept a year`,
        });
      }
      const modelsDays = config.artifacts.modelsNoncurrentVersionDays;
      if (modelsDays !== undefined && modelsDays < PROD_MIN_LOG_RETENTION_DAYS) {
        ctx.addIssue({
          code: 'custom',
          path: ['artifacts', 'modelsNoncurrentVersionDays'],
          message: `prod keeps replaced and deleted objects under models/ at least ${PROD_MIN_LOG_RETENTION_DAYS} days (got ${modelsDays}): the champion pointer and history and the decision records there are the registry's audit trail, which versioning keeps (default ${PROD_MODELS_NONCURRENT_VERSION_DAYS}, seven years)`,
        });
      }
      // The daily quality report measures the last 30 days of feedback, and the feedback-stopped alarm its last day:
      // a table that forgets sooner starves both, and neither alarms on missing data.
      if (config.feedback.ttlDays < PROD_MIN_FEEDBACK_TTL_DAYS) {
        ctx.addIssue({
          code: 'custom',
          path: ['feedback', 'ttlDays'],
          message: `prod keeps predictions and feedback at least ${PROD_MIN_FEEDBACK_TTL_DAYS} days (got ${config.feedback.ttlDays}): the daily live-quality report measures the last 30 days of feedback, and a shorter time to live leaves it, and its alarms, without data and quiet`,
        });
      }
      if (/^ml\.t\d/.test(config.serving.instanceType)) {
        ctx.addIssue({ code: 'custom', path: ['serving', 'instanceType'], message: `${config.serving.instanceType} is a burstable dev size: prod serves on a fixed-performance type such as ml.c6i.large` });
      }
    }
    // The training channel reads every CSV, JSONL and JSON file in its folder: the config JSON there would be read as exports.
    const { dataPrefix, configPrefix } = config.retraining;
    const folders = DataFolder.safeParse(dataPrefix).success && DataFolder.safeParse(configPrefix).success;
    if (folders && (dataPrefix.startsWith(configPrefix) || configPrefix.startsWith(dataPrefix))) {
      ctx.addIssue({ code: 'custom', path: ['retraining', 'configPrefix'], message: `${configPrefix} and retraining.dataPrefix ${dataPrefix} overlap: the training channel would read the config JSON as exports` });
    }
    // The schedule's description names the folder (and, where the pipeline exports the feedback, says so): Scheduler takes 512 characters.
    const description = retrainingScheduleDescription(config, createsRetrainingPipeline(config));
    if (DataFolder.safeParse(dataPrefix).success && description.length > SCHEDULE_DESCRIPTION_MAX) {
      const orStep = exportsFeedback(config) ? ', or leave the feedback export out of the description (retraining.exportFeedback: false)' : '';
      ctx.addIssue({ code: 'custom', path: ['retraining', 'dataPrefix'], message: `${dataPrefix.length} characters: too long for the retraining schedule's description (${description.length} of Scheduler's ${SCHEDULE_DESCRIPTION_MAX} characters with it); name a shorter folder${orStep}` });
    }
    const scheduleProblem = validateScheduleExpression(config.retraining.schedule);
    if (scheduleProblem) ctx.addIssue({ code: 'custom', path: ['retraining', 'schedule'], message: scheduleProblem });
    // An enabled schedule that Scheduler takes but that never starts a run (a past at(), 30 February) or skips months
    // (day 31): a retraining that never starts never fails either, so no alarm would tell. Judged at `pulumi up`.
    const { enabled, schedule, timezone } = config.retraining;
    const timing = enabled && !scheduleProblem && !timezoneProblem(timezone) ? scheduleTimingProblem(schedule, timezone, new Date()) : undefined;
    if (timing) ctx.addIssue({ code: 'custom', path: ['retraining', 'schedule'], message: `${timing} (or set retraining.enabled: false)` });
  })
  .transform(withEnvironmentDefaults);
export type StackConfig = z.infer<typeof StackConfigSchema>;
export type StackConfigInput = z.input<typeof StackConfigSchema>;

export class StackConfigError extends Error {
  readonly code = 'STACK_CONFIG_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StackConfigError';
  }
}

/** Why `stackName`'s config is another stack's: `Pulumi.dev.yaml` with `environment: prod`. */
function stackMismatch(stackName: string, environment: string): string {
  const other = environment === 'dev' || environment === 'prod' ? `, or run on stack ${environment} (-s ${environment}) if the file was meant for it` : '';
  return `stack ${stackName} has mailroute:environment ${environment}: set mailroute:environment: ${stackName} in Pulumi.${stackName}.yaml${other}`;
}

/** Parses raw stack config; the error names every bad key (`serving.maxInstances: ...`). */
export function parseStackConfig(raw: unknown, stackName?: string): StackConfig {
  // The stack first: a dev file that says prod would otherwise fail only on prod's checks (2 instances, a year of
  // logs), which never name the cause.
  const environment = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).environment : undefined;
  if (stackName && typeof environment === 'string' && environment !== stackName) throw new StackConfigError(stackMismatch(stackName, environment));
  const parsed = StackConfigSchema.safeParse(raw, { error: missingKeyMessage });
  if (!parsed.success) {
    // A key the schema does not know is refused, not dropped: a typo (minInstance) would deploy the default.
    const lines = issueLines(parsed.error.issues, raw, StackConfigSchema);
    throw new StackConfigError(`invalid stack config:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

/** Top-level keys read from the Pulumi config namespace `mailroute`. */
export const CONFIG_KEYS = [
  'environment', 'accountId', 'region', 'deployRoleArn', 'previewRoleArn', 'costCentre', 'network', 'serving', 'api',
  'training', 'retraining', 'monitoring', 'feedback', 'artifacts',
] as const;

/**
 * Raw config from Pulumi's string values: objects (`serving:`, `api:` ...) arrive as JSON text; scalars
 * stay strings, so an account id is never read as a number. `present` names the keys the stack sets (from
 * `pulumi.runtime.allConfig()`), so that one the program does not know reaches the schema, which refuses it.
 */
export function rawConfigFrom(get: (key: string) => string | undefined, present: readonly string[] = []): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  // An own property even for `mailroute:__proto__`: assigned, it would become raw's prototype, whose keys
  // (retraining: {...}) the schema reads as if set, while the key itself would not be refused.
  const set = (key: string, value: unknown) => Object.defineProperty(raw, key, { value, enumerable: true, writable: true, configurable: true });
  for (const key of new Set<string>([...CONFIG_KEYS, ...present])) {
    const value = get(key);
    if (value === undefined) continue;
    const trimmed = value.trim();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
      set(key, value);
      continue;
    }
    try {
      set(key, JSON.parse(trimmed));
    } catch (error) {
      throw new StackConfigError(
        `invalid stack config:\n  mailroute:${key}: not JSON (${(error as Error).message}); set an object as YAML under the key in Pulumi.<stack>.yaml, or with pulumi config set --path mailroute:${key}.<field> <value>`,
        { cause: error },
      );
    }
  }
  return raw;
}
