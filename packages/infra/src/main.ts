// The Pulumi program's entry (compiled to dist/program/main.js by `npm run build -w packages/infra`).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pulumi from '@pulumi/pulumi';
import { parseStackConfig, rawConfigFrom } from './config.js';
import { createProgram, pulumiRoleFrom } from './stack.js';

const config = new pulumi.Config('mailroute');
// Every key the stack sets in the namespace, so that a misspelt one (mailroute:servng) is refused, not ignored.
const present = Object.keys(pulumi.runtime.allConfig())
  .filter((key) => key.startsWith('mailroute:'))
  .map((key) => key.slice('mailroute:'.length));
const stackConfig = parseStackConfig(rawConfigFrom((key) => config.get(key), present), pulumi.getStack());
const here = path.dirname(fileURLToPath(import.meta.url));
// MAILROUTE_PULUMI_ROLE=preview: CI's previews assume the stack's read-only role (stack.ts, providerRoleArn).
const { outputs } = createProgram(stackConfig, { lambdaDistDir: path.resolve(here, '..'), pulumiRole: pulumiRoleFrom(process.env) });

export const apiUrl = outputs.apiUrl;
export const endpointName = outputs.endpointName;
export const artifactBucket = outputs.artifactBucket;
/** The artifact bucket's S3 server access log bucket (README, ArtifactStorage). */
export const accessLogBucket = outputs.accessLogBucket;
export const modelPackageGroup = outputs.modelPackageGroup;
export const ecrRepositoryUrl = outputs.ecrRepositoryUrl;
export const sagemakerRoleArn = outputs.sagemakerRoleArn;
export const feedbackTable = outputs.feedbackTable;
/** The SageMaker pipeline the stack created (unset when the retraining target is a Lambda or another pipeline). */
export const retrainingPipeline = outputs.retrainingPipeline;
export const alarmTopicArn = outputs.alarmTopicArn;
export const dashboard = outputs.dashboard;
export const monthlyCostEstimateUsd = outputs.monthlyCostEstimateUsd;
