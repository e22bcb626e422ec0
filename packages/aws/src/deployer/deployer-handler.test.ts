import { describe, it, expect, beforeEach } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeModelPackageCommand,
  ListModelPackagesCommand,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { DEPLOYER_ENV } from '../contracts.js';
import { createDeployerHandler, createDeployerHandlerFromEnv, deployerConfigFromEnv } from './deployer-handler.js';
import { config, event } from './test-fixtures.js';

const sagemaker = new SageMakerClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const sm = mockClient(sagemaker);
type Out = never;

const described = {
  ModelPackageArn: event.detail.ModelPackageArn,
  ModelPackageVersion: 7,
  ModelApprovalStatus: 'Approved',
  InferenceSpecification: {
    Containers: [{ Image: 'img:1', ModelDataSource: { S3DataSource: { S3Uri: 's3://b/models/x/', S3DataType: 'S3Prefix', CompressionType: 'None' } } }],
  },
};

function validation(message: string): Error {
  return Object.assign(new Error(message), { name: 'ValidationException' });
}

describe('createDeployerHandler', () => {
  beforeEach(() => {
    sm.reset();
    sm.on(DescribeModelPackageCommand).resolves(described as Out);
  });

  it('creates model and config, then updates the existing endpoint', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'old' } as Out);
    const result = await createDeployerHandler({ sagemaker, config })(event);
    expect(result).toEqual({ deployed: true, endpoint: 'updated', modelName: 'mailroute-prod-v7-20261129101500', endpointConfigName: 'mailroute-prod-v7-20261129101500' });
    expect(sm.commandCalls(CreateModelCommand)).toHaveLength(1);
    expect(sm.commandCalls(CreateEndpointConfigCommand)).toHaveLength(1);
    expect(sm.commandCalls(UpdateEndpointCommand)[0].args[0].input.DeploymentConfig?.BlueGreenUpdatePolicy).toBeDefined();
  });

  it('skips an event of another package group or status without describing its package (the role may only describe its own group)', async () => {
    const denied = Object.assign(new Error('not authorized to perform: sagemaker:DescribeModelPackage'), { name: 'AccessDeniedException' });
    sm.on(DescribeModelPackageCommand).rejects(denied);
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'old' } as Out);
    const handler = createDeployerHandler({ sagemaker, config });
    const other = { ...event, detail: { ...event.detail, ModelPackageArn: 'arn:aws:sagemaker:eu-central-1:222222222222:model-package/other-group/3', ModelPackageGroupName: 'other-group' } };
    expect(await handler(other)).toEqual({ deployed: false, reason: 'package group other-group is not mailroute-prod' });
    const pending = { ...event, detail: { ...event.detail, ModelPackageArn: 'arn:aws:sagemaker:eu-central-1:222222222222:model-package/other-group/4', ModelPackageGroupName: 'other-group', ModelApprovalStatus: 'PendingManualApproval' } };
    expect(await handler(pending)).toEqual({ deployed: false, reason: 'package group other-group is not mailroute-prod' });
    expect(sm.commandCalls(DescribeModelPackageCommand)).toHaveLength(0);
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
  });

  it('sizes the traffic shift by the instances the endpoint runs now: one shifts all at once, six get a canary of one', async () => {
    const routing = async (counts: Record<string, number>) => {
      sm.reset();
      sm.on(DescribeModelPackageCommand).resolves(described as Out);
      const variants = Object.entries(counts).map(([VariantName, CurrentInstanceCount]) => ({ VariantName, CurrentInstanceCount }));
      sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'old', ProductionVariants: variants } as Out);
      await createDeployerHandler({ sagemaker, config })(event);
      return sm.commandCalls(UpdateEndpointCommand)[0].args[0].input.DeploymentConfig?.BlueGreenUpdatePolicy?.TrafficRoutingConfiguration;
    };
    expect(await routing({ AllTraffic: 1 })).toEqual({ Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 300 });
    expect(await routing({ AllTraffic: 6 })).toEqual({ Type: 'CANARY', CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 }, WaitIntervalInSeconds: 300 });
    // Another variant's count is not the served variant's.
    expect((await routing({ Shadow: 1, AllTraffic: 4 }))?.Type).toBe('CANARY');
  });

  it('creates the endpoint when DescribeEndpoint says it does not exist', async () => {
    sm.on(DescribeEndpointCommand).rejects(validation('Could not find endpoint "mailroute-prod".'));
    const result = await createDeployerHandler({ sagemaker, config })(event);
    expect(result).toMatchObject({ deployed: true, endpoint: 'created' });
    expect(sm.commandCalls(CreateEndpointCommand)).toHaveLength(1);
  });

  it('carries on when a redelivered event finds the model already created', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'old' } as Out);
    sm.on(CreateModelCommand).rejects(validation('Cannot create already existing model'));
    await expect(createDeployerHandler({ sagemaker, config })(event)).resolves.toMatchObject({ deployed: true });
  });

  it('succeeds when a duplicate delivery handled at the same time started this rollout first (SageMaker refuses the second call)', async () => {
    const name = 'mailroute-prod-v7-20261129101500';
    sm.on(DescribeEndpointCommand)
      .resolvesOnce({ EndpointStatus: 'InService', EndpointConfigName: 'old' } as Out)
      .resolves({ EndpointStatus: 'Updating', EndpointConfigName: 'old', PendingDeploymentSummary: { EndpointConfigName: name } } as Out);
    sm.on(UpdateEndpointCommand).rejects(validation('Cannot update in-progress endpoint "arn:aws:sagemaker:eu-central-1:222222222222:endpoint/mailroute-prod".'));
    await expect(createDeployerHandler({ sagemaker, config })(event)).resolves.toEqual({
      deployed: false,
      reason: `endpoint mailroute-prod is already rolling out ${name} (a duplicate delivery started it)`,
    });
    // The same for the endpoint's creation.
    sm.reset();
    sm.on(DescribeModelPackageCommand).resolves(described as Out);
    sm.on(DescribeEndpointCommand)
      .rejectsOnce(validation('Could not find endpoint "mailroute-prod".'))
      .resolves({ EndpointStatus: 'Creating', EndpointConfigName: name } as Out);
    sm.on(CreateEndpointCommand).rejects(validation('Cannot create already existing endpoint "arn:aws:sagemaker:eu-central-1:222222222222:endpoint/mailroute-prod".'));
    await expect(createDeployerHandler({ sagemaker, config })(event)).resolves.toMatchObject({ deployed: false });
    // Another rollout under way (not this event's) is a failure, as before.
    sm.reset();
    sm.on(DescribeModelPackageCommand).resolves(described as Out);
    sm.on(UpdateEndpointCommand).rejects(validation('Cannot update in-progress endpoint "arn:aws:sagemaker:eu-central-1:222222222222:endpoint/mailroute-prod".'));
    sm.on(DescribeEndpointCommand)
      .resolvesOnce({ EndpointStatus: 'InService', EndpointConfigName: 'old' } as Out)
      .resolves({ EndpointStatus: 'Updating', EndpointConfigName: 'old', PendingDeploymentSummary: { EndpointConfigName: 'mailroute-prod-v8-20261129101600' } } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(event)).rejects.toThrow(/Cannot update in-progress endpoint/);
  });

  it('skips an approval delivered late (retried, redriven) after a later approval was deployed, and still deploys a later re-approval (a rollback)', async () => {
    // Version 8, approved at 11:00, serves; version 7's approval of 10:15 arrives now.
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v8-20261129110000' } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(event)).resolves.toEqual({
      deployed: false,
      staleEvent: true,
      reason: "stale event: version 7's event of 2026-11-29T10:15:00.000Z is older than the deployment mailroute-prod-v8-20261129110000 the endpoint serves; nothing deployed (to serve version 7 again, reject the versions approved after it, or approve it again with force if it was rejected)",
    });
    // The same while a later deployment rolls out: skipped as stale, not failed as busy (no retries, no page).
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Updating', EndpointConfigName: 'mailroute-prod-v6-20261128080000', PendingDeploymentSummary: { EndpointConfigName: 'mailroute-prod-v8-20261129110000' } } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(event)).resolves.toMatchObject({ deployed: false, staleEvent: true, reason: expect.stringContaining('that rolls out now') });
    // Approved in the same second as version 8: the newer version wins, as the registry's "deployed last" does.
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v8-20261129101500' } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(event)).resolves.toMatchObject({ deployed: false, staleEvent: true });
    expect(sm.commandCalls(CreateModelCommand)).toHaveLength(0);
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
    // Version 7 approved again later (rejected, then approved with force): a new event, deployed over version 8.
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v8-20261129110000' } as Out);
    await expect(createDeployerHandler({ sagemaker, config })({ ...event, time: '2026-11-29T12:00:00Z' })).resolves.toMatchObject({ deployed: true, endpointConfigName: 'mailroute-prod-v7-20261129120000' });
  });

  it('does nothing when the endpoint already runs this deployment', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v7-20261129101500' } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(event)).resolves.toMatchObject({ deployed: false });
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
  });

  it('skips (succeeds) when redelivered or retried during its own update: DescribeEndpoint names the new config as pending', async () => {
    sm.on(DescribeEndpointCommand).resolves({
      EndpointStatus: 'Updating',
      EndpointConfigName: 'old',
      PendingDeploymentSummary: { EndpointConfigName: 'mailroute-prod-v7-20261129101500' },
    } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(event)).resolves.toEqual({
      deployed: false,
      reason: 'endpoint mailroute-prod is already rolling out mailroute-prod-v7-20261129101500',
    });
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
    // Another event's update (another version, or this version approved at another time) is still busy.
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Updating', EndpointConfigName: 'old', PendingDeploymentSummary: { EndpointConfigName: 'mailroute-prod-v7-20261129090000' } } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(event)).rejects.toMatchObject({ code: 'DEPLOY_ENDPOINT_BUSY' });
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Creating', EndpointConfigName: 'mailroute-prod-v7-20261129101500' } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(event)).resolves.toMatchObject({ deployed: false });
  });

  it('waits out another update while the invocation has time left, deciding the event again each poll, then deploys', async () => {
    sm.on(DescribeEndpointCommand)
      .resolvesOnce({ EndpointStatus: 'Updating', EndpointConfigName: 'old', PendingDeploymentSummary: { EndpointConfigName: 'mailroute-prod-v6-20261129090000' } } as Out)
      .resolvesOnce({ EndpointStatus: 'Updating', EndpointConfigName: 'old', PendingDeploymentSummary: { EndpointConfigName: 'mailroute-prod-v6-20261129090000' } } as Out)
      .resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v6-20261129090000' } as Out);
    const slept: number[] = [];
    let left = 900_000;
    const context = { getRemainingTimeInMillis: () => left };
    const busyWait = { sleep: async (ms: number) => { slept.push(ms); left -= ms; } };
    await expect(createDeployerHandler({ sagemaker, config, busyWait })(event, context)).resolves.toMatchObject({ deployed: true, endpointConfigName: 'mailroute-prod-v7-20261129101500' });
    expect(slept).toEqual([30_000, 30_000]);
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(1);
  });

  it('fails as busy once the invocation has less than a poll and the margin left (for Lambda to retry)', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'Updating', EndpointConfigName: 'old' } as Out);
    const slept: number[] = [];
    let left = 200_000;
    const busyWait = { sleep: async (ms: number) => { slept.push(ms); left -= ms; } };
    await expect(createDeployerHandler({ sagemaker, config, busyWait })(event, { getRemainingTimeInMillis: () => left })).rejects.toMatchObject({ code: 'DEPLOY_ENDPOINT_BUSY' });
    // 200 s left: polls at 200, 170, 140 and 110 s left; at 80 s, less than 30 s + 60 s, it gives up.
    expect(slept).toEqual([30_000, 30_000, 30_000, 30_000]);
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
    // Other errors are not waited on.
    sm.on(DescribeEndpointCommand).rejects(validation('Access denied'));
    slept.length = 0;
    left = 900_000;
    await expect(createDeployerHandler({ sagemaker, config, busyWait })(event, { getRemainingTimeInMillis: () => left })).rejects.toThrow(/Access denied/);
    expect(slept).toEqual([]);
  });

  it('refuses an event whose time is no timestamp (the names derive from it), approved or rejected, before any change', async () => {
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: 'arn:aws:sagemaker:eu-central-1:222222222222:model-package/mailroute-prod/6' }] } as Out);
    for (const status of ['Approved', 'Rejected']) {
      // A deployment it would otherwise make: v7 approved while v6 serves, or v7 rejected while it serves.
      sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: `mailroute-prod-v${status === 'Approved' ? 6 : 7}-20261101000000` } as Out);
      sm.on(DescribeModelPackageCommand).resolves({ ...described, ModelApprovalStatus: status } as Out);
      const untimed = { ...event, time: 'yesterday', detail: { ...event.detail, ModelApprovalStatus: status } };
      await expect(createDeployerHandler({ sagemaker, config })(untimed)).rejects.toMatchObject({ code: 'DEPLOY_EVENT_INVALID', message: 'not a model package state change event: time: not a timestamp' });
    }
    expect(sm.commandCalls(CreateModelCommand)).toHaveLength(0);
  });

  it("takes Lambda's on-failure record from the dead-letter queue (the event as requestPayload), so a redrive of its body deploys", async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'old' } as Out);
    const failureRecord = {
      version: '1.0',
      timestamp: '2026-11-29T10:18:02.000Z',
      requestContext: { requestId: 'r-1', functionArn: 'arn:aws:lambda:eu-central-1:222222222222:function:mailroute-prod-deployer:$LATEST', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'EndpointBusyError', errorMessage: 'endpoint mailroute-prod is Updating; retry later' },
    };
    await expect(createDeployerHandler({ sagemaker, config })(failureRecord)).resolves.toMatchObject({ deployed: true, endpointConfigName: 'mailroute-prod-v7-20261129101500' });
    await expect(createDeployerHandler({ sagemaker, config })({ ...failureRecord, requestPayload: { source: 'aws.s3' } })).rejects.toMatchObject({ code: 'DEPLOY_EVENT_INVALID' });
  });

  it('rejects other events and propagates other SageMaker errors', async () => {
    await expect(createDeployerHandler({ sagemaker, config })({ source: 'aws.s3' })).rejects.toMatchObject({ code: 'DEPLOY_EVENT_INVALID' });
    sm.on(DescribeEndpointCommand).rejects(validation('Access denied'));
    await expect(createDeployerHandler({ sagemaker, config })(event)).rejects.toThrow(/Access denied/);
  });
});

describe('createDeployerHandler: a rejected version', () => {
  const rejectedArn = 'arn:aws:sagemaker:eu-central-1:222222222222:model-package/mailroute-prod/8';
  const rejection = { ...event, time: '2026-11-30T09:00:00Z', detail: { ...event.detail, ModelPackageArn: rejectedArn, ModelApprovalStatus: 'Rejected' } };
  const version8 = (status: string) => ({ ...described, ModelPackageArn: rejectedArn, ModelPackageVersion: 8, ModelApprovalStatus: status });
  beforeEach(() => {
    sm.reset();
    sm.on(DescribeModelPackageCommand, { ModelPackageName: rejectedArn }).resolves(version8('Rejected') as Out);
    sm.on(DescribeModelPackageCommand, { ModelPackageName: event.detail.ModelPackageArn }).resolves(described as Out);
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: event.detail.ModelPackageArn }] } as Out);
  });

  it('that the endpoint serves is rolled back to the newest Approved version, blue/green', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v8-20261129120000' } as Out);
    const result = await createDeployerHandler({ sagemaker, config })(rejection);
    expect(result).toEqual({ deployed: true, endpoint: 'updated', modelName: 'mailroute-prod-v7-20261130090000', endpointConfigName: 'mailroute-prod-v7-20261130090000', rolledBackFrom: 8 });
    expect(sm.commandCalls(ListModelPackagesCommand)[0].args[0].input).toMatchObject({ ModelPackageGroupName: 'mailroute-prod', ModelApprovalStatus: 'Approved', SortOrder: 'Descending' });
    expect(sm.commandCalls(UpdateEndpointCommand)[0].args[0].input).toMatchObject({ EndpointConfigName: 'mailroute-prod-v7-20261130090000' });
  });

  it('rolls back to the Approved version approved last (the one that served before), not the newest by creation', async () => {
    const arn9 = 'arn:aws:sagemaker:eu-central-1:222222222222:model-package/mailroute-prod/9';
    // Version 9 was approved in October; version 7 after it, in November: 7 served before the rejected 8.
    sm.on(DescribeModelPackageCommand, { ModelPackageName: arn9 }).resolves({ ...described, ModelPackageArn: arn9, ModelPackageVersion: 9, LastModifiedTime: new Date('2026-10-01T00:00:00Z') } as Out);
    sm.on(DescribeModelPackageCommand, { ModelPackageName: event.detail.ModelPackageArn }).resolves({ ...described, LastModifiedTime: new Date('2026-11-01T00:00:00Z') } as Out);
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [{ ModelPackageArn: arn9 }, { ModelPackageArn: event.detail.ModelPackageArn }] } as Out);
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v8-20261129120000' } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(rejection)).resolves.toMatchObject({ deployed: true, endpointConfigName: 'mailroute-prod-v7-20261130090000', rolledBackFrom: 8 });
  });

  it('rolls back a version rejected in the second it was approved in: its deployment is no later event', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v8-20261130090000' } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(rejection)).resolves.toMatchObject({ deployed: true, endpointConfigName: 'mailroute-prod-v7-20261130090000', rolledBackFrom: 8 });
    expect(sm.commandCalls(UpdateEndpointCommand)[0].args[0].input).toMatchObject({ EndpointConfigName: 'mailroute-prod-v7-20261130090000' });
  });

  it('follows the pages of ListModelPackages: a first page can be empty though Approved versions exist', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v8-20261129120000' } as Out);
    sm.on(ListModelPackagesCommand)
      .resolvesOnce({ ModelPackageSummaryList: [], NextToken: 'page-2' } as Out)
      .resolvesOnce({ ModelPackageSummaryList: [{ ModelPackageArn: event.detail.ModelPackageArn, ModelApprovalStatus: 'Approved' }] } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(rejection)).resolves.toMatchObject({ deployed: true, rolledBackFrom: 8 });
    expect(sm.commandCalls(ListModelPackagesCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
  });

  it('while the endpoint updates (maybe rolling out the rejected version) fails as busy, to be retried or redriven', async () => {
    sm.on(DescribeEndpointCommand).resolves({
      EndpointStatus: 'Updating',
      EndpointConfigName: 'mailroute-prod-v7-20261129101500',
      PendingDeploymentSummary: { EndpointConfigName: 'mailroute-prod-v8-20261129120000' },
    } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(rejection)).rejects.toMatchObject({
      code: 'DEPLOY_ENDPOINT_BUSY',
      message: expect.stringContaining('is Updating (rolling out version 8)'),
    });
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
  });

  it('redelivered while its own rollback rolls out, succeeds without deploying again', async () => {
    sm.on(DescribeEndpointCommand).resolves({
      EndpointStatus: 'Updating',
      EndpointConfigName: 'mailroute-prod-v8-20261129120000',
      PendingDeploymentSummary: { EndpointConfigName: 'mailroute-prod-v7-20261130090000' },
    } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(rejection)).resolves.toMatchObject({ deployed: false, reason: expect.stringContaining('already rolling back to version 7') });
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
  });

  it('that the endpoint does not serve, or that was approved again since, changes nothing', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v7-20261129101500' } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(rejection)).resolves.toEqual({
      deployed: false,
      reason: 'the endpoint serves version 7, not the rejected version 8: nothing to roll back',
    });
    sm.on(DescribeModelPackageCommand, { ModelPackageName: rejectedArn }).resolves(version8('Approved') as Out);
    await expect(createDeployerHandler({ sagemaker, config })(rejection)).resolves.toEqual({ deployed: false, reason: 'version 8 is now Approved' });
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
  });

  it('set back to PendingManualApproval (its approval withdrawn) while it serves is rolled back as a rejected one is', async () => {
    const withdrawn = { ...rejection, detail: { ...rejection.detail, ModelApprovalStatus: 'PendingManualApproval' } };
    sm.on(DescribeModelPackageCommand, { ModelPackageName: rejectedArn }).resolves(version8('PendingManualApproval') as Out);
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v8-20261129120000' } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(withdrawn)).resolves.toMatchObject({ deployed: true, endpointConfigName: 'mailroute-prod-v7-20261130090000', rolledBackFrom: 8 });
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(withdrawn)).rejects.toMatchObject({
      message: 'version 8 was set back to PendingManualApproval while it serves and no other version of mailroute-prod is Approved: approve one to roll back to',
    });
  });

  it('registered pending (a new version) while another rolls out changes nothing, and does not wait as busy', async () => {
    const registered = { ...rejection, detail: { ...rejection.detail, ModelApprovalStatus: 'PendingManualApproval' } };
    sm.on(DescribeModelPackageCommand, { ModelPackageName: rejectedArn }).resolves(version8('PendingManualApproval') as Out);
    sm.on(DescribeEndpointCommand).resolves({
      EndpointStatus: 'Updating',
      EndpointConfigName: 'mailroute-prod-v6-20261128101500',
      PendingDeploymentSummary: { EndpointConfigName: 'mailroute-prod-v7-20261129101500' },
    } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(registered)).resolves.toEqual({
      deployed: false,
      reason: 'the endpoint serves version 6 and rolls out version 7, not the unapproved version 8: nothing to roll back',
    });
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
  });

  it('with no other Approved version keeps the endpoint as it is and fails, so the error alarm pages', async () => {
    sm.on(DescribeEndpointCommand).resolves({ EndpointStatus: 'InService', EndpointConfigName: 'mailroute-prod-v8-20261129120000' } as Out);
    sm.on(ListModelPackagesCommand).resolves({ ModelPackageSummaryList: [] } as Out);
    await expect(createDeployerHandler({ sagemaker, config })(rejection)).rejects.toMatchObject({
      code: 'DEPLOY_NO_APPROVED_VERSION',
      message: 'version 8 was rejected while it serves and no other version of mailroute-prod is Approved: approve one to roll back to',
    });
    expect(sm.commandCalls(CreateModelCommand)).toHaveLength(0);
  });
});

describe('deployerConfigFromEnv', () => {
  const env = {
    [DEPLOYER_ENV.endpointName]: 'mailroute-dev',
    [DEPLOYER_ENV.modelPackageGroupName]: 'mailroute-dev',
    [DEPLOYER_ENV.executionRoleArn]: 'arn:aws:iam::111111111111:role/r',
    [DEPLOYER_ENV.instanceType]: 'ml.t2.medium',
    [DEPLOYER_ENV.subnetIds]: 'subnet-a, subnet-b',
    [DEPLOYER_ENV.securityGroupIds]: 'sg-1',
  };

  it('reads the Lambda environment', () => {
    const cfg = deployerConfigFromEnv({ ...env, [DEPLOYER_ENV.initialInstanceCount]: '1', [DEPLOYER_ENV.rollbackAlarmNames]: 'a,b' });
    expect(cfg).toMatchObject({ subnetIds: ['subnet-a', 'subnet-b'], rollbackAlarmNames: ['a', 'b'], initialInstanceCount: 1 });
  });

  it('reads a blank instance count as unset (one) and names the variable of a count that is not a number or of an empty list', () => {
    expect(deployerConfigFromEnv({ ...env, [DEPLOYER_ENV.initialInstanceCount]: '' }).initialInstanceCount).toBe(1);
    expect(() => deployerConfigFromEnv({ ...env, [DEPLOYER_ENV.initialInstanceCount]: 'two' })).toThrow(/at MAILROUTE_INSTANCE_COUNT: /);
    expect(() => deployerConfigFromEnv({ ...env, [DEPLOYER_ENV.securityGroupIds]: ' , ' })).toThrow(/at MAILROUTE_SECURITY_GROUP_IDS: /);
  });

  it('names the missing variable', () => {
    expect(() => deployerConfigFromEnv({})).toThrow(expect.objectContaining({ code: 'AWS_CONFIG_INVALID', message: expect.stringContaining('MAILROUTE_ENDPOINT_NAME') }));
  });

  it("reads the stack's tags from MAILROUTE_RESOURCE_TAGS (a JSON object; unset or blank: none) and names it when they are bad", () => {
    const tags = { environment: 'dev', service: 'mailroute', 'cost-centre': 'cc-ml-platform' };
    expect(DEPLOYER_ENV.resourceTags).toBe('MAILROUTE_RESOURCE_TAGS');
    expect(deployerConfigFromEnv({ ...env, [DEPLOYER_ENV.resourceTags]: JSON.stringify(tags) }).resourceTags).toEqual(tags);
    expect(deployerConfigFromEnv(env).resourceTags).toEqual({});
    expect(deployerConfigFromEnv({ ...env, [DEPLOYER_ENV.resourceTags]: '' }).resourceTags).toEqual({});
    const refused = (value: string) => () => deployerConfigFromEnv({ ...env, [DEPLOYER_ENV.resourceTags]: value });
    for (const value of ['environment=dev', '["dev"]', 'null', '"dev"']) expect(refused(value), value).toThrow(/deployer environment invalid at MAILROUTE_RESOURCE_TAGS: not a JSON object of tag keys and values/);
    expect(refused('{"environment":1}')).toThrow(expect.objectContaining({ code: 'AWS_CONFIG_INVALID', message: expect.stringMatching(/^deployer environment invalid at MAILROUTE_RESOURCE_TAGS: /) }));
    expect(refused('{"aws:x":"1"}')).toThrow(/at MAILROUTE_RESOURCE_TAGS: tag "aws:x": a tag key may not start with aws:/);
  });
});

describe('createDeployerHandlerFromEnv', () => {
  it('refuses to start without its settings', () => {
    expect(() => createDeployerHandlerFromEnv({}, sagemaker)).toThrow(expect.objectContaining({ code: 'AWS_CONFIG_INVALID' }));
  });
});
