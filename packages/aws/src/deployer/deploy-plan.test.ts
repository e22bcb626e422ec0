import { describe, it, expect } from 'vitest';
import { deploymentName, planDeployment, trafficRouting, type ApprovedPackage } from './deploy-plan.js';
import { config, event } from './test-fixtures.js';

const pkg: ApprovedPackage = {
  arn: event.detail.ModelPackageArn,
  version: 7,
  status: 'Approved',
  image: '222222222222.dkr.ecr.eu-central-1.amazonaws.com/mailroute-serving:1.4.0',
  modelDataS3Uri: 's3://bucket/models/ngram-bag-x/',
  compressed: false,
  environment: { MAILROUTE_MODEL_ID: 'ngram-bag-x' },
};

const now = new Date('2026-11-29T10:15:00Z');

describe('planDeployment', () => {
  it('updates an existing endpoint blue/green with canary traffic and rollback alarms', () => {
    const plan = planDeployment({ event, pkg, current: { status: 'InService', endpointConfigName: 'old' }, config, now });
    if (plan.action !== 'deploy' || plan.endpoint.kind !== 'update') throw new Error('expected an update');
    expect(plan.modelName).toBe('mailroute-prod-v7-20261129101500');
    expect(plan.createModel.VpcConfig).toEqual({ Subnets: ['subnet-a', 'subnet-b'], SecurityGroupIds: ['sg-1'] });
    expect(plan.createModel.PrimaryContainer?.ModelDataSource?.S3DataSource).toMatchObject({ S3DataType: 'S3Prefix', CompressionType: 'None' });
    expect(plan.createEndpointConfig.KmsKeyId).toBe(config.kmsKeyArn);
    expect(plan.createEndpointConfig.ProductionVariants?.[0]).toMatchObject({ VariantName: 'AllTraffic', InstanceType: 'ml.c6i.large', InitialInstanceCount: 2 });
    const policy = plan.endpoint.input.DeploymentConfig?.BlueGreenUpdatePolicy;
    // No instance count from DescribeEndpoint: the configured 2 instances, of which the canary is one.
    expect(policy?.TrafficRoutingConfiguration).toEqual({ Type: 'CANARY', CanarySize: { Type: 'INSTANCE_COUNT', Value: 1 }, WaitIntervalInSeconds: 300 });
    expect(policy?.TerminationWaitInSeconds).toBe(600);
    expect(plan.endpoint.input.RetainAllVariantProperties).toBe(true); // the scaled instance count stays
    expect(plan.endpoint.input.DeploymentConfig?.AutoRollbackConfiguration?.Alarms).toEqual([
      { AlarmName: 'mailroute-prod-endpoint-5xx' },
      { AlarmName: 'mailroute-prod-endpoint-p99' },
    ]);
  });

  it("tags the model, endpoint config and a new endpoint with the stack's tags (environment, cost-centre) and its own", () => {
    const resourceTags = { environment: 'prod', service: 'mailroute', 'cost-centre': 'cc-customer-service' };
    const expected = [
      { Key: 'environment', Value: 'prod' },
      { Key: 'service', Value: 'mailroute' },
      { Key: 'cost-centre', Value: 'cc-customer-service' },
      { Key: 'mailroute:model-package', Value: pkg.arn },
    ];
    const created = planDeployment({ event, pkg, current: undefined, config: { ...config, resourceTags }, now });
    if (created.action !== 'deploy' || created.endpoint.kind !== 'create') throw new Error('expected a new endpoint');
    for (const tags of [created.createModel.Tags, created.createEndpointConfig.Tags, created.endpoint.input.Tags]) expect(tags).toEqual(expected);
    const updated = planDeployment({ event, pkg, current: { status: 'InService', endpointConfigName: 'old' }, config: { ...config, resourceTags }, now });
    if (updated.action !== 'deploy') throw new Error('expected a deployment');
    expect(updated.createModel.Tags).toEqual(expected);
    expect(updated.createEndpointConfig.Tags).toEqual(expected);
    // Without the stack's tags (a deployer run outside the stack): its own two, as before.
    const bare = planDeployment({ event, pkg, current: { status: 'InService', endpointConfigName: 'old' }, config, now });
    if (bare.action !== 'deploy') throw new Error('expected a deployment');
    expect(bare.createModel.Tags).toEqual([{ Key: 'mailroute:model-package', Value: pkg.arn }, { Key: 'service', Value: 'mailroute' }]);
  });

  it("refuses stack tags AWS or the deployer's own would not take", () => {
    const plan = (resourceTags: Record<string, string>) => () => planDeployment({ event, pkg, current: undefined, config: { ...config, resourceTags }, now });
    // planDeployment's own parse throws zod's error (the deployer reads its environment first, which names the variable).
    expect(plan({ 'aws:cloudformation:stack-name': 'x' })).toThrow(/aws:cloudformation:stack-name.*a tag key may not start with aws:/);
    expect(plan({ 'mailroute:model-package': 'x' })).toThrow(/the deployer sets this tag itself/);
    expect(plan({ service: 'other' })).toThrow(/the service tag is mailroute/);
    expect(plan({ 'cost-centre': 'cc<1>' })).toThrow(/cost-centre.*a tag value takes letters, digits/);
    expect(plan({ ['k'.repeat(129)]: 'v' })).toThrow(/a tag key is 1 to 128 characters/);
    expect(plan({ note: 'v'.repeat(257) })).toThrow(/a tag value is at most 256 characters/);
    expect(plan(Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`t${i}`, 'v'])))).toThrow(/49 tags: at most 48/);
    expect(plan(Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, 'v'])))).not.toThrow();
  });

  it('leaves KmsKeyId out on instance types with local NVMe storage, for which CreateEndpointConfig refuses one', () => {
    for (const instanceType of ['ml.g4dn.xlarge', 'ml.g5.2xlarge', 'ml.c5d.large', 'ml.m5d.large', 'ml.r5d.large']) {
      const plan = planDeployment({ event, pkg, current: { status: 'InService', endpointConfigName: 'old' }, config: { ...config, instanceType }, now });
      if (plan.action !== 'deploy') throw new Error('expected a deployment');
      expect(plan.createEndpointConfig, instanceType).not.toHaveProperty('KmsKeyId');
      expect(plan.createEndpointConfig.ProductionVariants?.[0].InstanceType).toBe(instanceType);
    }
  });

  it('shifts a single instance all at once (SageMaker allows a canary of at most half the instances)', () => {
    const single = planDeployment({ event, pkg, current: { status: 'InService', endpointConfigName: 'old', instanceCount: 1 }, config, now });
    if (single.action !== 'deploy' || single.endpoint.kind !== 'update') throw new Error('expected an update');
    const policy = single.endpoint.input.DeploymentConfig?.BlueGreenUpdatePolicy;
    expect(policy?.TrafficRoutingConfiguration).toEqual({ Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 300 });
    expect(policy?.TerminationWaitInSeconds).toBe(600);
    expect(single.endpoint.input.DeploymentConfig?.AutoRollbackConfiguration?.Alarms).toHaveLength(2);
    // A dev stack configured for one instance, the endpoint's count unknown: all at once too.
    const dev = planDeployment({ event, pkg, current: { status: 'InService', endpointConfigName: 'old' }, config: { ...config, initialInstanceCount: 1 }, now });
    if (dev.action !== 'deploy' || dev.endpoint.kind !== 'update') throw new Error('expected an update');
    expect(dev.endpoint.input.DeploymentConfig?.BlueGreenUpdatePolicy?.TrafficRoutingConfiguration?.Type).toBe('ALL_AT_ONCE');
  });

  it('sizes the canary as canaryPercent of the instances, at least one and at most half', () => {
    const canary = (instances: number, canaryPercent: number) => trafficRouting(instances, { canaryPercent, canaryWaitSeconds: 60 }).CanarySize?.Value;
    expect(canary(2, 10)).toBe(1);
    expect(canary(3, 10)).toBe(1);
    expect(canary(3, 50)).toBe(1); // 1.5 instances would be more than half
    expect(canary(20, 10)).toBe(2);
    expect(canary(20, 50)).toBe(10);
    expect(canary(40, 25)).toBe(10);
  });

  it('creates the endpoint when there is none', () => {
    const plan = planDeployment({ event, pkg: { ...pkg, compressed: true }, current: undefined, config, now });
    if (plan.action !== 'deploy') throw new Error('expected a deploy');
    expect(plan.endpoint.kind).toBe('create');
    expect(plan.createModel.PrimaryContainer?.ModelDataSource?.S3DataSource).toMatchObject({ S3DataType: 'S3Object', CompressionType: 'Gzip' });
  });

  it('skips other groups, non-approved events and packages rejected since', () => {
    expect(planDeployment({ event: { ...event, detail: { ...event.detail, ModelPackageGroupName: 'other' } }, pkg, current: undefined, config, now }).action).toBe('skip');
    expect(planDeployment({ event: { ...event, detail: { ...event.detail, ModelApprovalStatus: 'Rejected' } }, pkg, current: undefined, config, now }).action).toBe('skip');
    expect(planDeployment({ event, pkg: { ...pkg, status: 'Rejected' }, current: undefined, config, now }).action).toBe('skip');
  });

  it('skips the version the endpoint already serves, and deploys an older one approved again (a rollback)', () => {
    const skip = planDeployment({ event, pkg, current: { status: 'InService', endpointConfigName: 'mailroute-prod-v7-20261101090000' }, config, now });
    expect(skip).toEqual({ action: 'skip', reason: 'endpoint mailroute-prod already serves version 7 (mailroute-prod-v7-20261101090000)' });
    expect(planDeployment({ event, pkg, current: { status: 'InService', endpointConfigName: 'mailroute-prod-v8-20261101090000' }, config, now }).action).toBe('deploy');
    expect(planDeployment({ event, pkg, current: { status: 'InService', endpointConfigName: 'mailroute-prod-bootstrap' }, config, now }).action).toBe('deploy');
  });

  it('refuses to update an endpoint that is busy', () => {
    expect(() => planDeployment({ event, pkg, current: { status: 'Updating' }, config, now })).toThrow(
      expect.objectContaining({ code: 'DEPLOY_ENDPOINT_BUSY' }),
    );
  });
});

describe('deploymentName', () => {
  it('stays within 63 characters of letters, digits and hyphens', () => {
    const name = deploymentName('x'.repeat(80), 12345, now);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[A-Za-z0-9-]+-v12345-20261129101500$/);
  });
});
