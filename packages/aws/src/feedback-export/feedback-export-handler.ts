import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { maskPii } from '@mailroute/serving';
import { feedbackFileChunks, newFeedbackFileTally, parseTrainingConfig, type TrainingConfig } from '@mailroute/training';
import { z } from 'zod';
import { FEEDBACK_EXPORT_ENV, FEEDBACK_EXPORT_STEP, TRAINING_JOB } from '../contracts.js';
import { dynamoConfirmedCases, dynamoDocumentClient } from '../dynamo-confirmed-cases.js';
import { FeedbackExportError } from '../errors.js';
import { configFromEnv, KeyPrefixSchema } from '../lambda-env.js';
import { readObjectText } from '../s3-objects.js';
import { s3Folder } from '../s3-uri.js';

const { inputs: IN, outputs: OUT } = FEEDBACK_EXPORT_STEP;

/** The ExportFeedback step's outputs: the count of cases written and the file's URI. */
export type FeedbackExportResult = Record<typeof OUT.cases | typeof OUT.uri, string>;

export const FeedbackExportConfigSchema = z.object({ tableName: z.string().min(1), artifactBucket: z.string().min(1), dataPrefix: KeyPrefixSchema.default('data/') });
export type FeedbackExportConfig = z.infer<typeof FeedbackExportConfigSchema>;

export interface FeedbackExportDeps {
  s3: S3Client;
  dynamo: DynamoDBDocumentClient;
  config: FeedbackExportConfig;
  /** Where the file is written before its upload; default os.tmpdir() (Lambda's /tmp). */
  tmpDir?: string;
  now?: () => Date;
}

/**
 * The feedback-export Lambda, the retraining pipeline's ExportFeedback step (before Train): every confirmed case the
 * stack's table keeps, with the masked text the API Lambda kept (`mailroute:feedback.storeText`), written in the
 * training config's columns and file form (the config under ConfigUri, as the Train step reads it) to
 * `<TrainingDataUri>mailroute-feedback/confirmed-cases.csv` (or `.jsonl`), which the Train step then reads with the
 * CRM's exports. The file is replaced at each run (the other format's removed), so a case is in it once, with its
 * latest labels; it is what `mailroute feedback export --dynamodb-table` writes, masked again by this version's rules.
 */
export function createFeedbackExportHandler(deps: FeedbackExportDeps) {
  const config = FeedbackExportConfigSchema.parse(deps.config);
  return async (event: unknown): Promise<FeedbackExportResult> => {
    const { dataPrefix, configPrefix } = parseFeedbackExportEvent(event, config);
    const trainingConfig = await readTrainingConfig(deps.s3, config.artifactBucket, `${configPrefix}${TRAINING_JOB.defaultConfigFile}`);
    const format = trainingConfig.format ?? 'csv';
    const key = `${dataPrefix}${FEEDBACK_EXPORT_STEP.file}.${format}`;
    const work = await mkdtemp(path.join(deps.tmpDir ?? os.tmpdir(), 'mailroute-feedback-'));
    try {
      const file = path.join(work, `confirmed-cases.${format}`);
      const tally = newFeedbackFileTally();
      const cases = dynamoConfirmedCases({ client: deps.dynamo, tableName: config.tableName, ...(deps.now ? { now: deps.now } : {}) });
      await writeFile(file, feedbackFileChunks(cases, trainingConfig, { format, mask: (text) => maskPii(text), tally }));
      const { size } = await stat(file);
      await deps.s3.send(new PutObjectCommand({ Bucket: config.artifactBucket, Key: key, Body: createReadStream(file), ContentLength: size, ContentType: format === 'csv' ? 'text/csv' : 'application/x-ndjson' }));
      // A file of the other format (the config's format changed since) would be read beside this one: every case twice.
      await deps.s3.send(new DeleteObjectCommand({ Bucket: config.artifactBucket, Key: `${dataPrefix}${FEEDBACK_EXPORT_STEP.file}.${format === 'csv' ? 'jsonl' : 'csv'}` }));
      return { [OUT.cases]: String(tally.written), [OUT.uri]: `s3://${config.artifactBucket}/${key}` } as FeedbackExportResult;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
}

const EventSchema = z.object({ [IN.trainingDataUri]: z.string().min(1), [IN.configUri]: z.string().min(1) });

/**
 * The step's event: TrainingDataUri and ConfigUri, each an `s3://<artifact bucket>/<folder>` under the data prefix (the
 * pipeline's parameters), as key prefixes ending in `/`. Another bucket, a path outside `data/`, or one with an empty,
 * `.` or `..` segment is refused before anything is read.
 */
export function parseFeedbackExportEvent(event: unknown, config: Pick<FeedbackExportConfig, 'artifactBucket' | 'dataPrefix'>): { dataPrefix: string; configPrefix: string } {
  const parsed = EventSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FeedbackExportError(`not an ExportFeedback step event ({ ${IN.trainingDataUri}, ${IN.configUri} }): ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const prefixOf = (name: string, uri: string): string => {
    const folder = s3Folder(uri);
    if (!folder) throw new FeedbackExportError(`${name} ${JSON.stringify(uri)} is not an s3://<bucket>/<folder> URI`);
    if (folder.bucket !== config.artifactBucket) throw new FeedbackExportError(`${name} ${uri} is in bucket ${folder.bucket}: the step reads and writes only ${config.artifactBucket}`);
    // A file's URI (an export given instead of its folder) would put the file under a "folder" named like it.
    if (/\.(?:csv|jsonl|ndjson|json|gz|zip)$/i.test(folder.key)) throw new FeedbackExportError(`${name} ${uri} names a file: give the folder (the pipeline's channels are folders)`);
    if (folder.badSegment) throw new FeedbackExportError(`${name} ${uri} has an empty, "." or ".." path segment`);
    const { prefix } = folder;
    if (!prefix.startsWith(config.dataPrefix)) throw new FeedbackExportError(`${name} ${uri} is not under s3://${config.artifactBucket}/${config.dataPrefix}, where the training job reads`);
    return prefix;
  };
  return { dataPrefix: prefixOf(IN.trainingDataUri, parsed.data[IN.trainingDataUri]), configPrefix: prefixOf(IN.configUri, parsed.data[IN.configUri]) };
}

/** The training config the Train step will read, checked as training checks it; a missing or invalid one fails the step, naming it. */
async function readTrainingConfig(s3: S3Client, bucket: string, key: string): Promise<TrainingConfig> {
  const shown = `s3://${bucket}/${key}`;
  const text = await readObjectText(s3, bucket, key);
  if (text === undefined) throw new FeedbackExportError(`${shown}: no training config there (the Train step reads the same file): put the training config there first`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new FeedbackExportError(`${shown}: not JSON (${(cause as Error).message})`, { cause });
  }
  try {
    return parseTrainingConfig(json, shown);
  } catch (cause) {
    throw new FeedbackExportError((cause as Error).message, { cause });
  }
}

/** The feedback-export Lambda's handler: settings from the environment (FEEDBACK_EXPORT_ENV), SDK clients for its region. */
export function createFeedbackExportHandlerFromEnv(env: Record<string, string | undefined>, deps: Partial<Omit<FeedbackExportDeps, 'config'>> = {}) {
  return createFeedbackExportHandler({
    s3: deps.s3 ?? new S3Client({}),
    dynamo: deps.dynamo ?? dynamoDocumentClient(),
    config: configFromEnv(FeedbackExportConfigSchema, FEEDBACK_EXPORT_ENV, env, 'feedback-export'),
    tmpDir: deps.tmpDir,
    now: deps.now,
  });
}
