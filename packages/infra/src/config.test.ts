import { describe, it, expect } from 'vitest';
import { PROD_MIN_FEEDBACK_TTL_DAYS, PROD_MIN_LOG_RETENTION_DAYS, parseStackConfig, rawConfigFrom, type StackConfigInput } from './config.js';
import { timezoneProblem, validateScheduleExpression } from './schedule.js';
import { loadStackConfigFile, rawStackConfigFile } from './testing/stack-files.js';
import { MINIMAL_CONFIG as minimal } from './testing/minimal-config.js';

describe('parseStackConfig', () => {
  it('parses the committed stack files', () => {
    const dev = loadStackConfigFile('dev');
    const prod = loadStackConfigFile('prod');
    expect(dev.accountId).toBe('111111111111');
    expect(prod.accountId).toBe('222222222222');
    expect(prod.serving.minInstances).toBeGreaterThanOrEqual(2);
    expect(prod.monitoring.logRetentionDays).toBe(365);
    // Both create the retraining pipeline and leave its schedule off until exports lie under data/retraining/.
    for (const c of [dev, prod]) expect([c.retraining.enabled, c.retraining.target]).toEqual([false, undefined]);
  });

  it('fills defaults: monthly retraining schedule left off, 30-day logs, one endpoint instance', () => {
    const config = parseStackConfig(minimal);
    expect(config.retraining.schedule).toBe('cron(0 3 1 * ? *)');
    // Off by default: the pipeline it starts trains on exports someone must first put under data/retraining/.
    expect(config.retraining.enabled).toBe(false);
    expect(config.monitoring.logRetentionDays).toBe(30);
    expect(config.serving.initialInstanceCount).toBe(1);
    // The API Lambda may run as long as API Gateway waits for it.
    expect(config.serving.lambdaTimeoutSeconds).toBe(29);
    expect(config.network.azCount).toBe(2);
  });

  it("bounds the API Lambda's body limit by what Lambda's 6 MB payload holds after base64 (4 MiB)", () => {
    expect(parseStackConfig(minimal).api.maxBodyBytes).toBe(1024 * 1024);
    expect(parseStackConfig({ ...minimal, api: { ...minimal.api, maxBodyBytes: 4 * 1024 * 1024 } }).api.maxBodyBytes).toBe(4 * 1024 * 1024);
    expect(() => parseStackConfig({ ...minimal, api: { ...minimal.api, maxBodyBytes: 6 * 1024 * 1024 } })).toThrow(/mailroute:api.maxBodyBytes/);
  });

  it("takes the CRM's time zone for times sent without one (api.timeZone), an IANA name Node knows", () => {
    expect(parseStackConfig(minimal).api.timeZone).toBeUndefined();
    expect(parseStackConfig({ ...minimal, api: { ...minimal.api, timeZone: 'Europe/Berlin' } }).api.timeZone).toBe('Europe/Berlin');
    expect(() => parseStackConfig({ ...minimal, api: { ...minimal.api, timeZone: 'MEZ' } })).toThrow(/mailroute:api.timeZone/);
  });

  it('takes per-client scopes (api.scopes): the OAuth scope for classify and for feedback, each one word of its own', () => {
    const withScopes = (scopes: unknown) => parseStackConfig({ ...minimal, api: { ...minimal.api, scopes } as StackConfigInput['api'] });
    expect(parseStackConfig(minimal).api.scopes).toBeUndefined();
    expect(withScopes({ classify: 'mailroute/classify', feedback: 'mailroute/feedback' }).api.scopes).toEqual({ classify: 'mailroute/classify', feedback: 'mailroute/feedback' });
    expect(() => withScopes({ classify: 'mailroute/classify' })).toThrow(/mailroute:api\.scopes\.feedback: required when api\.scopes is set/);
    expect(() => withScopes({ classify: 'mailroute/classify', feedback: 'mailroute feedback' })).toThrow(/mailroute:api\.scopes\.feedback: "mailroute feedback" has a space/);
    expect(() => withScopes({ classify: '', feedback: 'mailroute/feedback' })).toThrow(/mailroute:api\.scopes\.classify: empty/);
    expect(() => withScopes({ classify: 'mailroute/all', feedback: 'mailroute/all' })).toThrow(/mailroute:api\.scopes: classify and feedback both need "mailroute\/all"/);
    expect(() => withScopes({ classify: 'a', feedback: 'b', admin: 'c' })).toThrow(/mailroute:api\.scopes: unknown key admin/);
  });

  it("refuses a data folder too long for the schedule's description, which says so when the pipeline exports the feedback too", () => {
    const folder = `data/${'x'.repeat(390)}/`;
    const retraining = { dataPrefix: folder };
    expect(parseStackConfig({ ...minimal, retraining }).retraining.dataPrefix).toBe(folder);
    expect(() => parseStackConfig({ ...minimal, retraining, feedback: { storeText: true } })).toThrow(/mailroute:retraining.dataPrefix: 396 characters: too long for the retraining schedule's description \(563 of Scheduler's 512 characters with it\); name a shorter folder, or leave the feedback export out of the description \(retraining.exportFeedback: false\)/);
    // Without the export step the description is the shorter one; a Lambda target's names no folder at all.
    expect(parseStackConfig({ ...minimal, retraining: { ...retraining, exportFeedback: false }, feedback: { storeText: true } }).retraining.exportFeedback).toBe(false);
    const lambda = { kind: 'lambda', functionArn: 'arn:aws:lambda:eu-central-1:111111111111:function:retrain' };
    expect(parseStackConfig({ ...minimal, retraining: { ...retraining, target: lambda }, feedback: { storeText: true } }).retraining.dataPrefix).toBe(folder);
  });

  it("keeps no email text unless feedback.storeText is true (a boolean)", () => {
    expect(parseStackConfig(minimal).feedback.storeText).toBe(false);
    expect(parseStackConfig({ ...minimal, feedback: { storeText: true } }).feedback).toEqual({ ttlDays: 400, storeText: true });
    expect(() => parseStackConfig({ ...minimal, feedback: { storeText: 'yes' } })).toThrow(/mailroute:feedback.storeText/);
  });

  it("keeps the artifact bucket's access logs artifacts.accessLogDays days: dev as its other logs, prod 400 by default, 1 to 3653, prod at least 365", () => {
    const days = (accessLogDays: unknown, environment: 'dev' | 'prod' = 'dev') => {
      const base: StackConfigInput = environment === 'dev' ? minimal : { ...minimal, environment, serving: { imageTag: '1.0.0', minInstances: 2 }, monitoring: { alarmEmail: 'ops@example.com', logRetentionDays: 365 } };
      return parseStackConfig({ ...base, artifacts: { accessLogDays } }).artifacts.accessLogDays;
    };
    // Unset: dev keeps them as long as its other logs (monitoring.logRetentionDays), prod 400 days.
    expect(parseStackConfig(minimal).artifacts.accessLogDays).toBe(30);
    expect(parseStackConfig({ ...minimal, monitoring: { alarmEmail: 'ops@example.com', logRetentionDays: 14 } }).artifacts.accessLogDays).toBe(14);
    expect(days(undefined, 'prod')).toBe(400);
    expect(loadStackConfigFile('dev').artifacts.accessLogDays).toBe(loadStackConfigFile('dev').monitoring.logRetentionDays);
    expect(loadStackConfigFile('prod').artifacts.accessLogDays).toBe(400);
    for (const d of [1, '30', 3653]) expect(days(d)).toBe(Number(d));
    for (const d of [0, -1, 1.5, 3654, 'a year']) expect(() => days(d), String(d)).toThrow(/^invalid stack config:\n {2}mailroute:artifacts.accessLogDays: /);
    expect(() => days(3654)).toThrow(/at most 3653/);
    expect(days(365, 'prod')).toBe(365);
    expect(() => days(90, 'prod')).toThrow(/mailroute:artifacts.accessLogDays: prod keeps the artifact bucket's access logs at least 365 days \(got 90\)/);
  });

  const prodBase: StackConfigInput = { ...minimal, environment: 'prod', serving: { imageTag: '1.0.0', minInstances: 2 }, monitoring: { alarmEmail: 'ops@example.com', logRetentionDays: 365 } };

  it("keeps old versions under models/ (the registry's audit trail) artifacts.modelsNoncurrentVersionDays: prod seven years by default, at least 365", () => {
    const models = (modelsNoncurrentVersionDays: unknown, base: StackConfigInput = prodBase) =>
      parseStackConfig({ ...base, artifacts: { modelsNoncurrentVersionDays } as StackConfigInput['artifacts'] }).artifacts.modelsNoncurrentVersionDays;
    expect(models(undefined)).toBe(2557);
    expect(loadStackConfigFile('prod').artifacts.modelsNoncurrentVersionDays).toBe(2557);
    expect(models(365)).toBe(365);
    expect(models('3653')).toBe(3653);
    expect(() => models(90)).toThrow(/mailroute:artifacts.modelsNoncurrentVersionDays: prod keeps replaced and deleted objects under models\/ at least 365 days \(got 90\): the champion pointer and history and the decision records there are the registry's audit trail/);
    // Dev: as the other prefixes' old versions (noncurrentVersionDays), any whole number of days.
    expect(models(undefined, minimal)).toBe(90);
    expect(parseStackConfig({ ...minimal, artifacts: { noncurrentVersionDays: 30 } }).artifacts.modelsNoncurrentVersionDays).toBe(30);
    expect(models(1, minimal)).toBe(1);
    for (const d of [0, 1.5, 'long']) expect(() => models(d, minimal), String(d)).toThrow(/^invalid stack config:\n {2}mailroute:artifacts.modelsNoncurrentVersionDays: /);
  });

  it('waits monitoring.feedbackStoppedDays days without a live feedback count before alarming: dev 7, prod 2 by default, 1 to 7', () => {
    const stopped = (feedbackStoppedDays: unknown, base: StackConfigInput = prodBase) =>
      parseStackConfig({ ...base, monitoring: { ...base.monitoring, feedbackStoppedDays } as StackConfigInput['monitoring'] }).monitoring.feedbackStoppedDays;
    expect(stopped(undefined)).toBe(2);
    expect(stopped(undefined, minimal)).toBe(7);
    expect(stopped('3')).toBe(3);
    expect(() => stopped(8)).toThrow(/mailroute:monitoring.feedbackStoppedDays: at most 7: a CloudWatch alarm of daily periods evaluates at most seven days/);
    for (const d of [0, 1.5, -1]) expect(() => stopped(d), String(d)).toThrow(/^invalid stack config:\n {2}mailroute:monitoring.feedbackStoppedDays: /);
  });

  it("takes the HTTP API's p99 latency alarm in ms (monitoring.apiP99LatencyMs): 2000 by default, at most API Gateway's 30 s", () => {
    const api = (apiP99LatencyMs: unknown) => parseStackConfig({ ...minimal, monitoring: { alarmEmail: 'ops@example.com', apiP99LatencyMs } as StackConfigInput['monitoring'] }).monitoring.apiP99LatencyMs;
    expect(api(undefined)).toBe(2000);
    expect(api('1500')).toBe(1500);
    expect(api(30_000)).toBe(30_000);
    expect(() => api(30_001)).toThrow(/mailroute:monitoring.apiP99LatencyMs: at most 30000 \(30 s, the longest API Gateway lets an HTTP API request run\)/);
    expect(() => api(0)).toThrow(/mailroute:monitoring.apiP99LatencyMs/);
  });

  it("caps a retraining job's run time (training.maxRuntimeSeconds): 7200 by default, 60 s to SageMaker's 28 days", () => {
    const runtime = (maxRuntimeSeconds: unknown) => parseStackConfig({ ...minimal, training: { maxRuntimeSeconds } as StackConfigInput['training'] }).training.maxRuntimeSeconds;
    expect(runtime(undefined)).toBe(7200);
    expect(runtime('3600')).toBe(3600);
    expect(runtime(2_419_200)).toBe(2_419_200);
    expect(() => runtime(2_419_201)).toThrow(/mailroute:training.maxRuntimeSeconds: at most 2419200 \(28 days/);
    for (const s of [0, 59, 90.5]) expect(() => runtime(s), String(s)).toThrow(/mailroute:training.maxRuntimeSeconds/);
  });

  it("reserves no concurrency for the API Lambda unless serving.lambdaReservedConcurrency says so (a whole number, at least 1)", () => {
    const reserved = (lambdaReservedConcurrency: unknown) =>
      parseStackConfig({ ...minimal, serving: { imageTag: '0.1.0', lambdaReservedConcurrency } as StackConfigInput['serving'] }).serving.lambdaReservedConcurrency;
    expect(reserved(undefined)).toBeUndefined();
    for (const stack of ['dev', 'prod'] as const) expect(loadStackConfigFile(stack).serving.lambdaReservedConcurrency).toBeUndefined();
    expect(reserved('50')).toBe(50);
    for (const n of [0, -1, 2.5]) expect(() => reserved(n), String(n)).toThrow(/mailroute:serving.lambdaReservedConcurrency/);
  });

  it('requires a versioned serving image tag (the ECR repository is IMMUTABLE)', () => {
    expect(() => parseStackConfig({ ...minimal, serving: {} })).toThrow('mailroute:serving.imageTag: required: the serving image tag in ECR');
    expect(() => parseStackConfig({ ...minimal, serving: undefined })).toThrow('mailroute:serving: required: at least { imageTag: <version> }');
    expect(() => parseStackConfig({ ...minimal, serving: { imageTag: 'latest' } })).toThrow(/mailroute:serving.imageTag: a version or commit, not a moving tag/);
    expect(() => parseStackConfig({ ...minimal, serving: { imageTag: 'latest-dev' } })).toThrow(/serving.imageTag/);
    expect(() => parseStackConfig({ ...minimal, serving: { imageTag: 'v1 beta' } })).toThrow(/serving.imageTag: an image tag/);
    for (const tag of ['0.1.0', '1.0.0', 'git-3f2a9c1']) expect(parseStackConfig({ ...minimal, serving: { imageTag: tag } }).serving.imageTag).toBe(tag);
  });

  it('refuses an instance type that is no SageMaker ml.<family>.<size>, naming the key', () => {
    for (const instanceType of ['ml.', 'ml.c6i', 'ml.c6i.large.', 'ml.C6I.large', 'c6i.large', 'ml.c6i.huge', 'ml. c6i.large']) {
      expect(() => parseStackConfig({ ...minimal, serving: { imageTag: '0.1.0', instanceType } }), instanceType).toThrow(/mailroute:serving.instanceType: a SageMaker instance type/);
      expect(() => parseStackConfig({ ...minimal, training: { instanceType } }), instanceType).toThrow(/mailroute:training.instanceType: a SageMaker instance type/);
    }
    for (const instanceType of ['ml.t2.medium', 'ml.c6i.large', 'ml.g4dn.xlarge', 'ml.g5.12xlarge', 'ml.p4de.24xlarge', 'ml.inf2.xlarge', 'ml.trn1n.32xlarge']) {
      expect(parseStackConfig({ ...minimal, serving: { imageTag: '0.1.0', instanceType }, training: { instanceType } }).serving.instanceType).toBe(instanceType);
    }
  });

  it('takes a bootstrap model prefix the SageMaker role can read and SageMaker accepts', () => {
    const key = (bootstrapModelKey: string) => () => parseStackConfig({ ...minimal, serving: { imageTag: '0.1.0', bootstrapModelKey } });
    expect(parseStackConfig(minimal).serving.bootstrapModelKey).toBe('models/bootstrap/');
    expect(key('models/bootstrap-2/')().serving.bootstrapModelKey).toBe('models/bootstrap-2/');
    // No trailing slash: CreateModel refuses an S3Prefix model source that does not end in "/".
    expect(key('models/bootstrap')).toThrow(/mailroute:serving.bootstrapModelKey: a folder under models\/ ending in "\/"/);
    // Outside models/: the endpoint could not download it (the execution role reads data/ and models/ only).
    expect(key('bootstrap/')).toThrow(/mailroute:serving.bootstrapModelKey/);
    expect(key('reports/bootstrap/')).toThrow(/mailroute:serving.bootstrapModelKey/);
    // models/ itself would load every registered model and the champion pointer as one model.
    expect(key('models/')).toThrow(/mailroute:serving.bootstrapModelKey/);
  });

  it('refuses a cost centre AWS would refuse as a tag value', () => {
    for (const costCentre of ['R&D', 'cc,4711', 'cc#1', 'ml (platform)']) {
      expect(() => parseStackConfig({ ...minimal, costCentre }), costCentre).toThrow(/mailroute:costCentre: a tag value: letters, digits, spaces and/);
    }
    for (const costCentre of ['cc-ml-platform', 'CC 4711/ML', 'kst:4711', 'Kostenstelle_ä']) expect(parseStackConfig({ ...minimal, costCentre }).costCentre).toBe(costCentre);
  });

  it('refuses dev sizes in prod: one endpoint instance, a burstable instance type', () => {
    const prod: StackConfigInput = { ...minimal, environment: 'prod', serving: { imageTag: '1.0.0', minInstances: 2, maxInstances: 4 }, monitoring: { alarmEmail: 'ops@example.com', logRetentionDays: 365 } };
    expect(parseStackConfig(prod, 'prod').serving.minInstances).toBe(2);
    expect(() => parseStackConfig({ ...prod, serving: { imageTag: '1.0.0' } }, 'prod')).toThrow(/mailroute:serving.minInstances: prod needs at least 2 \(got 1\)/);
    expect(() => parseStackConfig({ ...prod, serving: { imageTag: '1.0.0', minInstances: 2, instanceType: 'ml.t2.medium' } }, 'prod')).toThrow(
      'mailroute:serving.instanceType: ml.t2.medium is a burstable dev size',
    );
    // The committed dev stack's serving settings are exactly what prod refuses.
    const dev = loadStackConfigFile('dev');
    expect(() => parseStackConfig({ ...prod, serving: dev.serving }, 'prod')).toThrow(/serving.minInstances[^]*serving.instanceType/);
    expect(parseStackConfig({ ...minimal, serving: dev.serving }).serving.instanceType).toBe('ml.t2.medium');
  });

  it('refuses an initial instance count outside the autoscaling range, and min over max, naming keys and values', () => {
    const serving = (counts: { initialInstanceCount?: number; minInstances?: number; maxInstances?: number }) => () => parseStackConfig({ ...minimal, serving: { imageTag: '0.1.0', ...counts } });
    expect(serving({ initialInstanceCount: 1, minInstances: 2, maxInstances: 4 })).toThrow(
      /^invalid stack config:\n {2}mailroute:serving.initialInstanceCount: 1 is under serving.minInstances 2: [^\n]*set it from 2 to 4 \(serving.minInstances to serving.maxInstances\)/,
    );
    expect(serving({ initialInstanceCount: 5, minInstances: 2, maxInstances: 4 })).toThrow(/mailroute:serving.initialInstanceCount: 5 is over serving.maxInstances 4: /);
    // No range to start in: min over max is named alone.
    expect(serving({ initialInstanceCount: 1, minInstances: 3, maxInstances: 2 })).toThrow(/^invalid stack config:\n {2}mailroute:serving.minInstances: 3 exceeds serving.maxInstances 2: [^\n]*$/);
    for (const initialInstanceCount of [2, 3, 4]) expect(serving({ initialInstanceCount, minInstances: 2, maxInstances: 4 })().serving.initialInstanceCount).toBe(initialInstanceCount);
    // Unset, a new endpoint starts at minInstances, inside the range.
    expect(serving({ minInstances: 3, maxInstances: 6 })().serving.initialInstanceCount).toBe(3);
    expect(serving({ minInstances: 1, maxInstances: 1 })().serving.initialInstanceCount).toBe(1);
  });

  it('keeps prod logs at least 365 days; dev takes any retention CloudWatch accepts', () => {
    const prod: StackConfigInput = { ...minimal, environment: 'prod', serving: { imageTag: '1.0.0', minInstances: 2, maxInstances: 4 } };
    const retention = (environment: 'dev' | 'prod', logRetentionDays?: number) => () =>
      parseStackConfig({ ...(environment === 'prod' ? prod : minimal), monitoring: { alarmEmail: 'ops@example.com', logRetentionDays } }, environment);
    expect(PROD_MIN_LOG_RETENTION_DAYS).toBe(365);
    expect(retention('prod', 90)).toThrow(/^invalid stack config:\n {2}mailroute:monitoring.logRetentionDays: prod keeps its logs at least 365 days \(got 90\)/);
    expect(retention('prod', 180)).toThrow(/mailroute:monitoring.logRetentionDays: prod keeps its logs at least 365 days \(got 180\)/);
    // The default (30 days) is a dev value: prod must set its retention.
    expect(retention('prod')).toThrow(/mailroute:monitoring.logRetentionDays: prod keeps its logs at least 365 days \(got 30\)/);
    for (const days of [365, 400, 731, 3653]) expect(retention('prod', days)().monitoring.logRetentionDays).toBe(days);
    for (const days of [1, 14, 90]) expect(retention('dev', days)().monitoring.logRetentionDays).toBe(days);
  });

  it('keeps prod predictions and feedback at least 31 days, what the live-quality report reads; dev takes any (QA: ttlDays 1 passed in prod)', () => {
    const prod: StackConfigInput = { ...minimal, environment: 'prod', serving: { imageTag: '1.0.0', minInstances: 2, maxInstances: 4 }, monitoring: { alarmEmail: 'ops@example.com', logRetentionDays: 365 } };
    const ttl = (environment: 'dev' | 'prod', ttlDays: number) => () => parseStackConfig({ ...(environment === 'prod' ? prod : minimal), feedback: { ttlDays } }, environment);
    expect(PROD_MIN_FEEDBACK_TTL_DAYS).toBe(31);
    expect(ttl('prod', 1)).toThrow(/mailroute:feedback\.ttlDays: prod keeps predictions and feedback at least 31 days \(got 1\): the daily live-quality report measures the last 30 days/);
    expect(ttl('prod', 20)).toThrow(/got 20/);
    for (const days of [31, 400]) expect(ttl('prod', days)().feedback.ttlDays).toBe(days);
    for (const days of [1, 20]) expect(ttl('dev', days)().feedback.ttlDays).toBe(days);
  });

  it('refuses a key it does not know instead of deploying the default in its place', () => {
    expect(() => parseStackConfig({ ...minimal, serving: { imageTag: '1.0.0', minInstance: 2 } })).toThrow('mailroute:serving.minInstance: unknown key (did you mean mailroute:serving.minInstances?)');
    expect(() => parseStackConfig({ ...minimal, monitoring: { alarmEmail: 'ops@example.com', logRetentionDay: 365 } })).toThrow(/mailroute:monitoring.logRetentionDay: unknown key \(did you mean mailroute:monitoring.logRetentionDays\?\)/);
    expect(() => parseStackConfig({ ...minimal, network: { cidr: '10.40.0.0/16', azcount: 3 } })).toThrow(/mailroute:network.azcount: unknown key \(did you mean mailroute:network.azCount\?\)/);
    // A Lambda target takes the keys of its kind only: the error lists them.
    expect(() => parseStackConfig({ ...minimal, retraining: { target: { kind: 'lambda', functionArn: 'arn:aws:lambda:eu-central-1:111111111111:function:f', pipelineName: 'p' } } })).toThrow(
      /mailroute:retraining.target.pipelineName: unknown key: mailroute:retraining.target takes kind, functionArn$/,
    );
    // A top-level key outside the namespace's known ones: the program passes every key the stack sets.
    const values: Record<string, string> = { ...Object.fromEntries(Object.entries(minimal).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])), servng: '{"minInstances":2}' };
    expect(() => parseStackConfig(rawConfigFrom((key) => values[key], Object.keys(values)))).toThrow(/^invalid stack config:\n {2}mailroute:servng: unknown key \(did you mean mailroute:serving\?\)$/);
    expect(parseStackConfig(rawConfigFrom((key) => values[key])).environment).toBe('dev');
  });

  it('refuses a deploy role in another account', () => {
    expect(() => parseStackConfig({ ...minimal, deployRoleArn: 'arn:aws:iam::999999999999:role/deploy' })).toThrow(/deployRoleArn: role is in account 999999999999/);
  });

  it('takes an optional preview role, checked as the deploy role is: a role ARN in the stack’s account', () => {
    expect(parseStackConfig(minimal).previewRoleArn).toBeUndefined();
    expect(parseStackConfig({ ...minimal, previewRoleArn: 'arn:aws:iam::111111111111:role/ci/preview' }).previewRoleArn).toBe('arn:aws:iam::111111111111:role/ci/preview');
    expect(() => parseStackConfig({ ...minimal, previewRoleArn: 'arn:aws:iam::999999999999:role/preview' })).toThrow(/^invalid stack config:\n {2}mailroute:previewRoleArn: role is in account 999999999999, not 111111111111$/);
    expect(() => parseStackConfig({ ...minimal, previewRoleArn: 'arn:aws:iam::111111111111:role/preview/' })).toThrow(/^invalid stack config:\n {2}mailroute:previewRoleArn: an IAM role ARN/);
  });

  it('names each bad key', () => {
    try {
      parseStackConfig({ ...minimal, accountId: '123', monitoring: { alarmEmail: 'ops@example.com', logRetentionDays: 10 }, serving: { imageTag: '0.1.0', minInstances: 3, maxInstances: 2 } });
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('STACK_CONFIG_INVALID');
      const message = (error as Error).message;
      expect(message).toContain('mailroute:accountId');
      expect(message).toContain('mailroute:monitoring.logRetentionDays: a retention CloudWatch Logs accepts: one of 1, 3, 5, 7, 14, 30,');
      expect(message).toContain('mailroute:serving.minInstances');
    }
  });

  it('refuses a VPC block that cannot hold a /20 per AZ, is no network address or has a bad octet', () => {
    const network = (cidr: string, azCount = 2) => () => parseStackConfig({ ...minimal, network: { cidr, azCount } });
    expect(network('10.40.0.0/24')).toThrow('mailroute:network.cidr: 10.40.0.0/24: the VPC needs a /16 to /19 block for 2 private /20 subnets');
    expect(network('10.40.0.0/19', 3)).toThrow('the VPC needs a /16 to /18 block for 3 private /20 subnets');
    expect(network('10.0.0.5/16')).toThrow('10.0.0.5/16 is not a network address');
    expect(network('999.0.0.0/16')).toThrow('999.0.0.0/16: an octet is over 255');
    // The provider's check (Go's net.ParseCIDR) refuses leading zeros, so the first preview would fail on them.
    expect(network('10.040.0.0/16')).toThrow('mailroute:network.cidr: 10.040.0.0/16: an octet has a leading zero (write 10.40.0.0/16)');
    expect(network('010.40.0.0/16')).toThrow(/an octet has a leading zero/);
    expect(parseStackConfig({ ...minimal, network: { cidr: '10.40.0.0/19', azCount: 2 } }).network.cidr).toBe('10.40.0.0/19');
    expect(parseStackConfig({ ...minimal, network: { cidr: '10.40.0.0/18', azCount: 3 } }).network.azCount).toBe(3);
  });

  it('refuses a config file used for the wrong stack', () => {
    expect(() => parseStackConfig(minimal, 'prod')).toThrow(/stack prod has mailroute:environment dev/);
  });

  it("names a stack file's wrong environment first, not the other environment's checks it then fails", () => {
    // Pulumi.dev.yaml with environment: prod: dev's one instance and 30-day logs are no prod sizes, but the cause is the environment.
    expect(() => parseStackConfig({ ...rawStackConfigFile('dev'), environment: 'prod' }, 'dev')).toThrow(
      /^stack dev has mailroute:environment prod: set mailroute:environment: dev in Pulumi\.dev\.yaml, or run on stack prod \(-s prod\) if the file was meant for it$/,
    );
    expect(() => parseStackConfig({ ...rawStackConfigFile('prod'), environment: 'dev' }, 'prod')).toThrow(/^stack prod has mailroute:environment dev: /);
    // A value no stack has is still refused by the schema when no stack is named.
    expect(() => parseStackConfig({ ...minimal, environment: 'staging' })).toThrow(/^invalid stack config:\n {2}mailroute:environment: /);
  });

  it('names a misspelt top-level key with the key it was meant to be, and not that key again as a second error', () => {
    const { monitoring, ...withoutMonitoring } = minimal;
    expect(() => parseStackConfig({ ...withoutMonitoring, monitorng: monitoring }, 'dev')).toThrow(
      /^invalid stack config:\n {2}mailroute:monitorng: unknown key \(did you mean mailroute:monitoring, which is missing\?\)$/,
    );
    // Missing without a misspelt key beside it: said so, not "expected object, received undefined".
    expect(() => parseStackConfig(withoutMonitoring, 'dev')).toThrow(/^invalid stack config:\n {2}mailroute:monitoring: missing: required \(object\)$/);
    expect(() => parseStackConfig({ ...minimal, api: { isuer: 'https://login.example.com', allowedClientIds: ['crm'] } })).toThrow(
      /^invalid stack config:\n {2}mailroute:api.isuer: unknown key \(did you mean mailroute:api.issuer, which is missing\?\)$/,
    );
    // No known key near it: the keys the namespace takes.
    expect(() => parseStackConfig({ ...minimal, alerts: {} })).toThrow(/mailroute:alerts: unknown key: the namespace mailroute takes environment, accountId, region, /);
  });

  it('takes a Lambda as the retraining target', () => {
    const config = parseStackConfig({ ...minimal, retraining: { target: { kind: 'lambda', functionArn: 'arn:aws:lambda:eu-central-1:111111111111:function:retrain' } } });
    expect(config.retraining.target?.kind).toBe('lambda');
    expect(() => parseStackConfig({ ...minimal, retraining: { target: { kind: 'lambda', functionArn: 'retrain' } } })).toThrow(/retraining.target/);
  });

  it('refuses a retraining target that the schedule would take and every monthly run would fail on', () => {
    const target = (t: object) => () => parseStackConfig({ ...minimal, retraining: { target: t } });
    // No account in the ARN, no function name, a name with a dot: Scheduler stores them, Lambda refuses each run.
    for (const functionArn of ['arn:aws:lambda:eu-central-1:function:retrain', 'arn:aws:lambda:eu-central-1:111111111111:function:', 'arn:aws:lambda:eu-central-1:111111111111:function:re.train']) {
      expect(target({ kind: 'lambda', functionArn }), functionArn).toThrow(/mailroute:retraining.target.functionArn: a Lambda function ARN/);
    }
    expect(target({ kind: 'lambda', functionArn: 'arn:aws:lambda:eu-central-1:111111111111:function:retrain:live' })().retraining.target?.kind).toBe('lambda');
    for (const pipelineName of ['mailroute_retrain', '-retrain', 'retrain-', 'mailroute dev retrain']) {
      expect(target({ kind: 'sagemaker-pipeline', pipelineName }), pipelineName).toThrow(/mailroute:retraining.target.pipelineName: a SageMaker pipeline name/);
    }
    expect(target({ kind: 'sagemaker-pipeline', pipelineName: 'mailroute-dev-retrain' })().retraining.target).toEqual({ kind: 'sagemaker-pipeline', pipelineName: 'mailroute-dev-retrain' });
    // CreatePipeline and StartPipelineExecution take at most 256 characters, hyphens included.
    expect(target({ kind: 'sagemaker-pipeline', pipelineName: `a${'-'.repeat(255)}b` })).toThrow('mailroute:retraining.target.pipelineName: a SageMaker pipeline name has at most 256 characters');
    expect(target({ kind: 'sagemaker-pipeline', pipelineName: `a${'-'.repeat(254)}b` })().retraining.target).toMatchObject({ pipelineName: `a${'-'.repeat(254)}b` });
  });

  it('refuses a deploy role ARN that names no role Pulumi could assume', () => {
    const role = (deployRoleArn: string) => () => parseStackConfig({ ...minimal, deployRoleArn });
    // A trailing "/" leaves the name empty; an IAM role name has at most 64 characters.
    for (const arn of ['arn:aws:iam::111111111111:role/deploy/', 'arn:aws:iam::111111111111:role//deploy', `arn:aws:iam::111111111111:role/${'d'.repeat(65)}`]) {
      expect(role(arn), arn).toThrow(/mailroute:deployRoleArn: an IAM role ARN, arn:aws:iam::<account>:role\/\[<path>\/\]<name>/);
    }
    for (const arn of ['arn:aws:iam::111111111111:role/ci/pulumi/deploy', `arn:aws:iam::111111111111:role/${'d'.repeat(64)}`]) expect(role(arn)().deployRoleArn).toBe(arn);
  });
});

describe('parseStackConfig on alarm thresholds', () => {
  it('refuses a p99 latency alarm no SageMaker invocation could reach (its threshold in microseconds was Infinity past 1e305)', () => {
    const p99 = (p99LatencyMs: number) => () => parseStackConfig({ ...minimal, monitoring: { alarmEmail: 'ops@example.com', p99LatencyMs } });
    expect(p99(Number.MAX_VALUE)).toThrow('mailroute:monitoring.p99LatencyMs: at most 60000 (60 s, the longest a SageMaker real-time invocation runs)');
    expect(p99(60_001)).toThrow(/mailroute:monitoring.p99LatencyMs: at most 60000/);
    expect(p99(60_000)().monitoring.p99LatencyMs).toBe(60_000);
  });
});

describe('parseStackConfig on retraining folders', () => {
  it("refuses an exports folder too long for the schedule's description (Scheduler takes 512 characters)", () => {
    const dataPrefix = `data/${'x'.repeat(400)}/`;
    expect(() => parseStackConfig({ ...minimal, retraining: { dataPrefix } })).toThrow("mailroute:retraining.dataPrefix: at most 400 characters: the retraining schedule's description names the folder");
    expect(parseStackConfig({ ...minimal, retraining: { dataPrefix: `data/${'x'.repeat(394)}/` } }).retraining.dataPrefix).toHaveLength(400);
  });
});

describe('parseStackConfig on a key that fails its own check', () => {
  // Zod runs the checks across keys on such a value too; they must not add a second, wrong reason.
  const issues = (raw: object) => {
    try {
      parseStackConfig(raw);
    } catch (error) {
      return (error as Error).message.split('\n').slice(1);
    }
    throw new Error('parsed');
  };
  it('says once what is wrong with it, without an "undefined" or an empty value read as a reason', () => {
    expect(issues({ ...minimal, deployRoleArn: 'deploy' })).toEqual([expect.stringMatching(/^ {2}mailroute:deployRoleArn: an IAM role ARN/)]);
    expect(issues({ ...minimal, network: { cidr: '' } })).toEqual(['  mailroute:network.cidr: a CIDR block such as 10.40.0.0/16']);
    expect(issues({ ...minimal, retraining: { configPrefix: '' } })).toEqual([expect.stringMatching(/^ {2}mailroute:retraining.configPrefix: a folder under data\/ ending in/)]);
  });
});

describe('rawConfigFrom', () => {
  it('refuses a key named __proto__ rather than reading its object as the stack config', () => {
    const values: Record<string, string> = { environment: 'dev', ['__proto__']: '{"retraining":{"enabled":true}}' };
    const raw = rawConfigFrom((key) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined), ['__proto__']);
    expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
    expect(() => parseStackConfig({ ...minimal, ...raw })).toThrow(/mailroute: unknown key "__proto__": the namespace mailroute takes environment, accountId,/);
  });
  it('decodes objects and keeps scalars as strings', () => {
    const values: Record<string, string> = { accountId: '111111111111', serving: '{"maxInstances":3}', api: ' {"allowedClientIds":["a"]}' };
    const raw = rawConfigFrom((key) => values[key]);
    expect(raw).toEqual({ accountId: '111111111111', serving: { maxInstances: 3 }, api: { allowedClientIds: ['a'] } });
  });
  it('names the key whose value is no JSON (pulumi config set mailroute:serving \'{imageTag: 0.1.0}\')', () => {
    expect(() => rawConfigFrom((key) => (key === 'serving' ? '{imageTag: 0.1.0}' : undefined))).toThrow(/^invalid stack config:\n {2}mailroute:serving: not JSON .*--path mailroute:serving\./);
  });
});

// What `pulumi config set --path mailroute:<key>.<field> <value>` (the errors' own advice) leaves in the stack
// file: an integer as a number, anything else (0.65) as a string; the engine passes the object as JSON text.
describe('parseStackConfig on values set with pulumi config set --path', () => {
  const fromEngine = (values: Record<string, unknown>) => {
    const text = Object.fromEntries(Object.entries({ ...minimal, ...values }).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    return parseStackConfig(rawConfigFrom((key) => text[key]));
  };

  it('reads a number field given as plain decimal text', () => {
    const config = fromEngine({
      monitoring: { alarmEmail: 'ops@example.com', minLiveMacroF1: '0.65', p99LatencyMs: '450.5', logRetentionDays: '90' },
      api: { ...minimal.api, throttleRatePerSecond: '12.5' },
      training: { hoursPerMonth: '1.5' },
      serving: { imageTag: '0.1.0', maxInstances: '3' },
      network: { azCount: '3', cidr: '10.40.0.0/18' },
    });
    expect(config.monitoring).toMatchObject({ minLiveMacroF1: 0.65, p99LatencyMs: 450.5, logRetentionDays: 90 });
    expect(config.api.throttleRatePerSecond).toBe(12.5);
    expect(config.training.hoursPerMonth).toBe(1.5);
    expect(config.serving.maxInstances).toBe(3);
    expect(config.network.azCount).toBe(3);
  });

  it('reads a stricter live-quality floor per task, and refuses one under the floor of every task or two that name one alarm', () => {
    const monitoring = (byTask: unknown) => ({ ...minimal, monitoring: { alarmEmail: 'ops@example.com', minLiveMacroF1: 0.6, minLiveMacroF1ByTask: byTask } });
    expect(fromEngine(monitoring({ queue: '0.8', topic: 0.6 })).monitoring.minLiveMacroF1ByTask).toEqual({ queue: 0.8, topic: 0.6 });
    expect(parseStackConfig({ ...minimal, monitoring: { alarmEmail: 'ops@example.com' } }).monitoring.minLiveMacroF1ByTask).toEqual({});
    expect(() => parseStackConfig(monitoring({ topic: 0.5 }))).toThrow(/mailroute:monitoring\.minLiveMacroF1ByTask\.topic: 0\.5 is under minLiveMacroF1 \(0\.6\), which the worst-task alarm holds every task to/);
    expect(() => parseStackConfig(monitoring({ Queue: 0.8, queue: 0.7 }))).toThrow(/queue and Queue would name one alarm \(live-quality-queue\)/);
    expect(() => parseStackConfig(monitoring({ 'queue.v2': 0.8 }))).toThrow(/minLiveMacroF1ByTask\.queue\.v2: not a task name an alarm can carry: ASCII letters, digits and _/);
    expect(() => parseStackConfig(monitoring({ [`q${'u'.repeat(200)}`]: 0.8 }))).toThrow(/longer than 200 characters, which its alarm's name cannot hold/);
    expect(fromEngine(monitoring({ [`q${'u'.repeat(199)}`]: 0.8 })).monitoring.minLiveMacroF1ByTask).toHaveProperty(`q${'u'.repeat(199)}`);
  });

  it('refuses text that is no plain decimal number, and keeps each field’s own checks', () => {
    for (const value of ['', ' 0.65', '0.65 ', '+0.5', '.5', '1e-1', '0x1', 'NaN', 'Infinity', '0,65', '1_0']) {
      expect(() => parseStackConfig({ ...minimal, monitoring: { alarmEmail: 'ops@example.com', minLiveMacroF1: value } }), JSON.stringify(value)).toThrow(
        /^invalid stack config:\n {2}mailroute:monitoring.minLiveMacroF1: Invalid input: expected number, received string$/,
      );
    }
    expect(() => parseStackConfig({ ...minimal, monitoring: { alarmEmail: 'ops@example.com', minLiveMacroF1: '1.5' } })).toThrow(/mailroute:monitoring.minLiveMacroF1: Too big/);
    expect(() => parseStackConfig({ ...minimal, serving: { imageTag: '0.1.0', maxInstances: '2.5' } })).toThrow(/mailroute:serving.maxInstances: Invalid input: expected int, received number/);
    expect(() => parseStackConfig({ ...minimal, serving: { imageTag: '0.1.0', maxInstances: '9'.repeat(400) } })).toThrow(/mailroute:serving.maxInstances: /);
  });

  it('reads an all-digit image tag stored as a number as its text', () => {
    expect(fromEngine({ serving: { imageTag: 20261203 } }).serving.imageTag).toBe('20261203');
    expect(fromEngine({ serving: { imageTag: 0 } }).serving.imageTag).toBe('0');
  });

  it('refuses an image tag that reached it as a number other than a whole one, saying to quote it', () => {
    const tag = (imageTag: number) => () => parseStackConfig({ ...minimal, serving: { imageTag } });
    expect(tag(1.1)).toThrow(/^invalid stack config:\n {2}mailroute:serving.imageTag: a string, not the number 1.1: quote the tag in Pulumi.<stack>.yaml \(imageTag: "1.10"\)/);
    expect(tag(2 ** 53 + 2)).toThrow(/mailroute:serving.imageTag: a string, not the number 9007199254740994/);
    expect(tag(-1)).toThrow(/mailroute:serving.imageTag: a string, not the number -1/);
  });
});

describe('validateScheduleExpression', () => {
  it('accepts cron, rate and at expressions', () => {
    for (const ok of ['cron(0 3 1 * ? *)', 'cron(0 3 ? * MON *)', 'rate(1 day)', 'rate(30 days)', 'at(2027-01-01T03:00:00)']) {
      expect(validateScheduleExpression(ok)).toBeUndefined();
    }
  });
  it('rejects malformed ones with a reason', () => {
    expect(validateScheduleExpression('cron(0 3 1 * *)')).toMatch(/6 fields/);
    expect(validateScheduleExpression('cron(0 3 1 * MON *)')).toMatch(/exactly one/);
    expect(validateScheduleExpression('rate(1 days)')).toMatch(/use "1 day"/);
    expect(validateScheduleExpression('monthly')).toMatch(/not a schedule/);
  });
  it('checks each cron field against the values Scheduler takes', () => {
    for (const ok of ['cron(0/15 8-18 ? * MON-FRI *)', 'cron(30 2 L * ? *)', 'cron(0 3 ? JAN,JUL 6#1 *)', 'cron(0 3 15W * ? 2027-2030)', 'cron(0 3 ? * 6L *)', 'cron(*/5 * ? * * *)']) {
      expect(validateScheduleExpression(ok), ok).toBeUndefined();
    }
    expect(validateScheduleExpression('cron(60 3 1 * ? *)')).toBe('cron minutes "60": 60 is outside 0-59');
    expect(validateScheduleExpression('cron(0 24 1 * ? *)')).toMatch(/^cron hours "24": 24 is outside 0-23/);
    expect(validateScheduleExpression('cron(0 3 32 * ? *)')).toMatch(/day-of-month "32"/);
    expect(validateScheduleExpression('cron(0 3 0 * ? *)')).toMatch(/day-of-month "0": 0 is outside 1-31/);
    expect(validateScheduleExpression('cron(0 3 1 13 ? *)')).toMatch(/month "13"/);
    expect(validateScheduleExpression('cron(0 3 1 JAM ? *)')).toMatch(/month "JAM": "JAM" is not a value of this field \(1-12 or JAN-DEC\)/);
    expect(validateScheduleExpression('cron(0 3 ? * 0 *)')).toMatch(/day-of-week "0": 0 is outside 1-7/);
    expect(validateScheduleExpression('cron(0 3 ? * MON#6 *)')).toMatch(/day-of-week/);
    expect(validateScheduleExpression('cron(0 3 1 * ? 1969)')).toMatch(/year "1969"/);
    expect(validateScheduleExpression('cron(0/0 3 1 * ? *)')).toMatch(/minutes "0\/0": step/);
    expect(validateScheduleExpression('cron(0 ? 1 * ? *)')).toMatch(/hours/);
    expect(validateScheduleExpression('cron(0 3 1W * ? *)')).toBeUndefined();
    expect(validateScheduleExpression('cron(0 3 ? * 2W *)')).toMatch(/day-of-week "2W"/);
    // Scheduler's reference: with "#" the day-of-week field holds one expression; 3#1,6#3 is two and refused.
    expect(validateScheduleExpression('cron(0 3 ? * 3#1,6#3 *)')).toBe('cron day-of-week "3#1,6#3": "#" takes one expression in the field: a list such as 3#1,6#3 is refused');
    expect(validateScheduleExpression('cron(0 3 ? * MON,2#1 *)')).toMatch(/day-of-week "MON,2#1": "#" takes one expression/);
    // Each field is valid, but CreateSchedule takes at most 256 characters.
    const list = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from).join(',');
    const long = `cron(${list(60)} ${list(24)} ${list(31, 1)} * ? *)`;
    expect(validateScheduleExpression(long)).toBe('327 characters: Scheduler takes an expression of at most 256');
  });
  it('refuses an at() time that does not exist', () => {
    expect(validateScheduleExpression('at(2027-02-29T03:00:00)')).toMatch(/names no date and time/);
    expect(validateScheduleExpression('at(2027-13-01T03:00:00)')).toMatch(/names no date and time/);
    expect(validateScheduleExpression('at(2027-01-01T24:00:00)')).toMatch(/names no date and time/);
    expect(validateScheduleExpression('at(2028-02-29T23:59:59)')).toBeUndefined();
  });
  it('refuses an enabled schedule that would never run or would skip months, and takes it disabled', () => {
    const retraining = (schedule: string, enabled = true) => () => parseStackConfig({ ...minimal, retraining: { enabled, schedule } });
    expect(retraining('cron(0 3 30 2 ? *)')).toThrow('mailroute:retraining.schedule: cron day-of-month "30" does not occur in FEB: the schedule would never run; use L (the last day of each month), or a day from 1 to 28, which every month has (or set retraining.enabled: false)');
    expect(retraining('cron(0 3 31 * ? *)')).toThrow(/skip those months/);
    expect(retraining('at(2020-01-01T03:00:00)')).toThrow(/in Europe\/Berlin \(2020-01-01T02:00:00.000Z\) is past: the schedule would never run \(or set retraining.enabled: false\)/);
    expect(parseStackConfig({ ...minimal, retraining: { enabled: false, schedule: 'at(2020-01-01T03:00:00)' } }).retraining.schedule).toBe('at(2020-01-01T03:00:00)');
    expect(parseStackConfig({ ...minimal, retraining: { enabled: true, schedule: 'cron(0 3 L * ? *)' } }).retraining.schedule).toBe('cron(0 3 L * ? *)');
  });
  it('refuses a retraining time zone Scheduler does not know', () => {
    expect(() => parseStackConfig({ ...minimal, retraining: { timezone: 'Europe/Berlim' } })).toThrow('mailroute:retraining.timezone: not an IANA time zone (such as Europe/Berlin or UTC): Europe/Berlim');
    expect(() => parseStackConfig({ ...minimal, retraining: { timezone: 'CEST+1' } })).toThrow(/mailroute:retraining.timezone/);
    for (const timezone of ['UTC', 'Europe/Berlin', 'America/New_York']) expect(parseStackConfig({ ...minimal, retraining: { timezone } }).retraining.timezone).toBe(timezone);
  });
  it('refuses a retraining time zone not spelled as IANA spells it (Node takes any case, Scheduler the IANA name)', () => {
    const refused = (timezone: string) => () => parseStackConfig({ ...minimal, retraining: { timezone } });
    expect(refused('europe/berlin')).toThrow('mailroute:retraining.timezone: "europe/berlin" is not spelled as the IANA name: use "Europe/Berlin"');
    expect(refused('EUROPE/BERLIN')).toThrow('mailroute:retraining.timezone: "EUROPE/BERLIN" is not spelled as the IANA name: use "Europe/Berlin"');
    expect(refused('america/new_york')).toThrow('use "America/New_York"');
    expect(refused('utc')).toThrow('mailroute:retraining.timezone: "utc" is not spelled as the IANA name: use "UTC"');
    // An alias Intl resolves to another zone, typed in lower case: the zone it stands for is named.
    expect(refused('etc/utc')).toThrow(/"etc\/utc" is not spelled as the IANA name: use "(Etc\/)?UTC"/);
    // IANA names and aliases as IANA spells them are taken as they are (Intl resolves some to another name).
    for (const timezone of ['UTC', 'Etc/UTC', 'Europe/Berlin', 'America/New_York', 'US/Pacific', 'Asia/Kolkata', 'Etc/GMT-1', 'America/Port-au-Prince']) {
      expect(timezoneProblem(timezone)).toBeUndefined();
      expect(parseStackConfig({ ...minimal, retraining: { timezone } }).retraining.timezone).toBe(timezone);
    }
    // Every zone Node lists is taken as listed, and refused in lower case, naming it.
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      expect(timezoneProblem(zone)).toBeUndefined();
      if (zone.toLowerCase() !== zone) expect(timezoneProblem(zone.toLowerCase())).toBe(`"${zone.toLowerCase()}" is not spelled as the IANA name: use "${zone}"`);
    }
  });
  it('names mailroute:retraining.schedule when the stack config holds such an expression', () => {
    expect(() => parseStackConfig({ ...minimal, retraining: { schedule: 'cron(0 25 1 * ? *)' } })).toThrow('mailroute:retraining.schedule: cron hours "25": 25 is outside 0-23');
  });
});
