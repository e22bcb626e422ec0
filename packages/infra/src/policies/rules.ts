import { hasInstanceStorage } from '@mailroute/aws/contracts';
import { PROD_MIN_LOG_RETENTION_DAYS } from '../config.js';
import { REQUIRED_TAG_KEYS } from '../naming.js';
import { S3_LOG_DELIVERY_PRINCIPAL } from '../storage-plan.js';
import { T, asList, first, ofType, policyStatements, refersTo, trainingSteps, type PolicyRule, type ResourceRecord, type Violation } from './graph.js';
import { allowedOnWildcard } from './wildcard-allow-list.js';

const v = (policy: string, r: ResourceRecord, message: string): Violation => ({ policy, resource: `${r.type}::${r.name}`, message });

/**
 * The log buckets: buckets some bucket's server access logging delivers to, and not logged themselves (a bucket
 * logging to itself is no log bucket). They may use SSE-S3 (encryptionAtRest) and need no logging of their own.
 */
function accessLogTargets(graph: readonly ResourceRecord[]): ResourceRecord[] {
  const loggings = ofType(graph, T.bucketLogging);
  return ofType(graph, T.bucket).filter((b) => loggings.some((l) => refersTo(l, 'targetBucket', b)) && !loggings.some((l) => refersTo(l, 'bucket', b)));
}

export const noPublicBuckets: PolicyRule = {
  name: 'no-public-buckets',
  description: 'Every bucket blocks all public access and no bucket policy allows an anonymous principal.',
  check(graph) {
    const out: Violation[] = [];
    const blocks = ofType(graph, T.bucketPab);
    for (const bucket of ofType(graph, T.bucket)) {
      const pab = blocks.find((b) => refersTo(b, 'bucket', bucket));
      const all = pab && ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'].every((k) => pab.inputs[k] === true);
      if (!all) out.push(v(this.name, bucket, 'no public access block with all four settings on'));
      if (bucket.inputs.acl && bucket.inputs.acl !== 'private') out.push(v(this.name, bucket, `ACL ${String(bucket.inputs.acl)}`));
    }
    for (const policy of ofType(graph, T.bucketPolicy)) {
      for (const s of policyStatements(policy.inputs.policy)) {
        const principal = s.Principal;
        const anonymous = principal === '*' || (principal && typeof principal === 'object' && asList((principal as { AWS?: unknown }).AWS).includes('*'));
        if (s.Effect === 'Allow' && anonymous) out.push(v(this.name, policy, 'allows Principal "*"'));
      }
    }
    return out;
  },
};

export const noPublicEndpoints: PolicyRule = {
  name: 'no-public-endpoints',
  description: 'API routes need an authorizer, Lambda invocations are scoped to a source, no function URL, no ingress from anywhere, no internet or NAT gateway.',
  check(graph) {
    const out: Violation[] = [];
    for (const route of ofType(graph, T.route)) {
      const type = route.inputs.authorizationType;
      if (!type || type === 'NONE' || !route.inputs.authorizerId) out.push(v(this.name, route, 'route without an authorizer'));
    }
    for (const p of ofType(graph, T.lambdaPermission)) {
      if (!p.inputs.sourceArn) out.push(v(this.name, p, `invoke permission for ${String(p.inputs.principal)} without sourceArn`));
      if (p.inputs.principal === '*') out.push(v(this.name, p, 'invoke permission for everyone'));
    }
    for (const url of ofType(graph, T.functionUrl)) out.push(v(this.name, url, 'Lambda function URL'));
    for (const sg of ofType(graph, T.securityGroup)) {
      for (const rule of asList(sg.inputs.ingress) as Record<string, unknown>[]) {
        const cidrs = [...asList(rule.cidrBlocks), ...asList(rule.ipv6CidrBlocks)];
        if (cidrs.includes('0.0.0.0/0') || cidrs.includes('::/0')) out.push(v(this.name, sg, 'ingress from anywhere'));
      }
    }
    for (const r of [...ofType(graph, T.internetGateway), ...ofType(graph, T.natGateway)]) out.push(v(this.name, r, 'internet path out of the VPC'));
    for (const subnet of ofType(graph, T.subnet)) {
      if (subnet.inputs.mapPublicIpOnLaunch === true) out.push(v(this.name, subnet, 'public subnet'));
    }
    return out;
  },
};

export const encryptionAtRest: PolicyRule = {
  name: 'encryption-at-rest',
  description: 'Buckets (but a log bucket of S3 server access logs: SSE-S3), tables, topics, queues, log groups, endpoint volumes, images, Lambda environments and training output use the stack CMK; keys rotate.',
  check(graph) {
    const out: Violation[] = [];
    const sse = ofType(graph, T.bucketSse);
    const logBuckets = accessLogTargets(graph);
    for (const bucket of ofType(graph, T.bucket)) {
      const config = sse.find((s) => refersTo(s, 'bucket', bucket));
      const rule = first(first(config?.inputs.rules)?.applyServerSideEncryptionByDefault);
      // The one exception: S3 server access logging takes default encryption on its target bucket only as SSE-S3, not
      // SSE-KMS (S3 User Guide, *Enabling Amazon S3 server access logging*), so a log bucket uses AES256.
      if (logBuckets.includes(bucket)) {
        if (rule?.sseAlgorithm !== 'AES256') out.push(v(this.name, bucket, 'log bucket without SSE-S3 default encryption (S3 server access logging takes no SSE-KMS default)'));
      } else if (rule?.sseAlgorithm !== 'aws:kms' || !rule.kmsMasterKeyId) out.push(v(this.name, bucket, 'no SSE-KMS default encryption'));
    }
    for (const t of ofType(graph, T.table)) {
      const s = first(t.inputs.serverSideEncryption);
      if (s?.enabled !== true || !s.kmsKeyArn) out.push(v(this.name, t, 'table not encrypted with the CMK'));
    }
    const need = (type: string, field: string, what: string) => {
      for (const r of ofType(graph, type)) if (!r.inputs[field]) out.push(v(this.name, r, `${what} without ${field}`));
    };
    need(T.topic, 'kmsMasterKeyId', 'topic');
    need(T.queue, 'kmsMasterKeyId', 'queue');
    need(T.logGroup, 'kmsKeyId', 'log group');
    // An endpoint on a type with local NVMe storage has it encrypted by SageMaker, which then refuses a key.
    for (const c of ofType(graph, T.endpointConfig)) {
      const types = (asList(c.inputs.productionVariants) as Record<string, unknown>[]).map((p) => String(p.instanceType ?? ''));
      const localStorage = types.length > 0 && types.every(hasInstanceStorage);
      if (!c.inputs.kmsKeyArn && !localStorage) out.push(v(this.name, c, 'endpoint config without kmsKeyArn'));
    }
    need(T.lambda, 'kmsKeyArn', 'function');
    for (const repo of ofType(graph, T.ecr)) {
      const enc = first(repo.inputs.encryptionConfigurations);
      if (enc?.encryptionType !== 'KMS' || !enc.kmsKey) out.push(v(this.name, repo, 'repository not KMS-encrypted'));
    }
    for (const key of ofType(graph, T.kmsKey)) if (key.inputs.enableKeyRotation !== true) out.push(v(this.name, key, 'key rotation off'));
    // A pipeline's training job writes the model with the CMK (its volume: see hasInstanceStorage in @mailroute/aws/contracts).
    for (const p of ofType(graph, T.pipeline)) {
      for (const step of trainingSteps(p)) if (!first(step.args.OutputDataConfig)?.KmsKeyId) out.push(v(this.name, p, `training step ${step.name} writes its output without KmsKeyId`));
    }
    return out;
  },
};

/** Policies of roles, buckets, queues and keys: no Allow of Action "*"; Resource "*" only for allow-listed actions. */
export const leastPrivilege: PolicyRule = {
  name: 'least-privilege',
  description: 'No Allow statement with Action "*"; Resource "*" only for the allow-listed actions; no broad AWS managed policies.',
  check(graph) {
    const out: Violation[] = [];
    const docs: [ResourceRecord, unknown, boolean][] = [
      ...ofType(graph, T.rolePolicy).map((r): [ResourceRecord, unknown, boolean] => [r, r.inputs.policy, false]),
      ...ofType(graph, T.bucketPolicy).map((r): [ResourceRecord, unknown, boolean] => [r, r.inputs.policy, false]),
      ...ofType(graph, T.kmsKey).map((r): [ResourceRecord, unknown, boolean] => [r, r.inputs.policy, true]),
    ];
    for (const role of ofType(graph, T.role)) {
      for (const inline of asList(role.inputs.inlinePolicies) as Record<string, unknown>[]) docs.push([role, inline.policy, false]);
    }
    for (const [record, policy, isKeyPolicy] of docs) {
      for (const s of policyStatements(policy)) {
        if (s.Effect !== 'Allow') continue;
        const actions = asList(s.Action).map(String);
        if (actions.includes('*')) out.push(v(this.name, record, `statement ${String(s.Sid ?? '')} allows Action "*"`));
        if (asList(s.Resource).includes('*') && !isKeyPolicy) {
          const bad = actions.filter((a) => !allowedOnWildcard(a));
          if (bad.length > 0) out.push(v(this.name, record, `Resource "*" for ${bad.join(', ')}`));
        }
      }
    }
    for (const attachment of ofType(graph, T.rolePolicyAttachment)) {
      const arn = String(attachment.inputs.policyArn ?? '');
      if (/AdministratorAccess|FullAccess|PowerUser/.test(arn)) out.push(v(this.name, attachment, `broad managed policy ${arn}`));
    }
    return out;
  },
};

export const computeInVpc: PolicyRule = {
  name: 'compute-in-vpc',
  description: 'Every Lambda function, SageMaker model and pipeline training job runs in the VPC’s private subnets.',
  check(graph) {
    const out: Violation[] = [];
    for (const fn of ofType(graph, T.lambda)) {
      const vpc = first(fn.inputs.vpcConfig);
      if (asList(vpc?.subnetIds).length === 0 || asList(vpc?.securityGroupIds).length === 0) out.push(v(this.name, fn, 'function outside the VPC'));
    }
    for (const model of ofType(graph, T.sagemakerModel)) {
      const vpc = first(model.inputs.vpcConfig);
      if (asList(vpc?.subnets).length === 0 || asList(vpc?.securityGroupIds).length === 0) out.push(v(this.name, model, 'model outside the VPC'));
    }
    for (const p of ofType(graph, T.pipeline)) {
      for (const step of trainingSteps(p)) {
        const vpc = first(step.args.VpcConfig);
        if (asList(vpc?.Subnets).length === 0 || asList(vpc?.SecurityGroupIds).length === 0) out.push(v(this.name, p, `training step ${step.name} outside the VPC`));
      }
    }
    return out;
  },
};

export const logRetention: PolicyRule = {
  name: 'log-retention',
  description: `Every log group has a retention (in prod at least ${PROD_MIN_LOG_RETENTION_DAYS} days); every function logs to one of them; API stages write access logs.`,
  check(graph, context) {
    const out: Violation[] = [];
    const groups = ofType(graph, T.logGroup);
    for (const g of groups) {
      const days = g.inputs.retentionInDays;
      if (typeof days !== 'number' || days <= 0) out.push(v(this.name, g, 'no retention'));
      else if (context.environment === 'prod' && days < PROD_MIN_LOG_RETENTION_DAYS) out.push(v(this.name, g, `retention ${days} days, under prod's ${PROD_MIN_LOG_RETENTION_DAYS}`));
    }
    const names = new Set(groups.map((g) => g.inputs.name));
    for (const fn of ofType(graph, T.lambda)) {
      const logGroup = first(fn.inputs.loggingConfig)?.logGroup;
      if (!logGroup || !names.has(logGroup)) out.push(v(this.name, fn, 'function does not log to a managed log group'));
    }
    for (const stage of ofType(graph, T.stage)) {
      if (!first(stage.inputs.accessLogSettings)?.destinationArn) out.push(v(this.name, stage, 'stage without access logs'));
    }
    return out;
  },
};

/** Whether a bucket policy statement lets S3's log delivery put objects, for a source bucket (aws:SourceArn) of `accountId`. */
function grantsLogDelivery(statement: Record<string, unknown>, accountId: string): boolean {
  const principal = statement.Principal;
  const services = principal && typeof principal === 'object' ? asList((principal as { Service?: unknown }).Service) : [];
  const conditions = Object.values((statement.Condition ?? {}) as Record<string, Record<string, unknown>>);
  const values = (key: string) => conditions.flatMap((c) => asList(c[key]));
  const accounts = values('aws:SourceAccount');
  return (
    statement.Effect === 'Allow' &&
    services.includes(S3_LOG_DELIVERY_PRINCIPAL) &&
    asList(statement.Action).includes('s3:PutObject') &&
    values('aws:SourceArn').length > 0 &&
    accounts.length > 0 &&
    accounts.every((a) => a === accountId)
  );
}

export const accessLogging: PolicyRule = {
  name: 'access-logging',
  description: `Every bucket but a log bucket has S3 server access logging, under a prefix, to a log bucket of the stack whose policy lets ${S3_LOG_DELIVERY_PRINCIPAL} put logs for a source bucket of the stack's account only.`,
  check(graph, context) {
    const out: Violation[] = [];
    const buckets = ofType(graph, T.bucket);
    const loggings = ofType(graph, T.bucketLogging);
    const policies = ofType(graph, T.bucketPolicy);
    const logBuckets = accessLogTargets(graph);
    for (const bucket of buckets) {
      if (logBuckets.includes(bucket)) continue;
      const logging = loggings.find((l) => refersTo(l, 'bucket', bucket));
      if (!logging) {
        out.push(v(this.name, bucket, 'no S3 server access logging: who read or wrote which object would go unrecorded'));
        continue;
      }
      const target = buckets.find((b) => b !== bucket && refersTo(logging, 'targetBucket', b));
      if (!target) {
        out.push(v(this.name, logging, 'logs to the bucket itself or to a bucket outside the stack'));
        continue;
      }
      if (!logging.inputs.targetPrefix) out.push(v(this.name, logging, 'no target prefix'));
      const statements = policies.filter((p) => refersTo(p, 'bucket', target)).flatMap((p) => policyStatements(p.inputs.policy));
      if (!statements.some((s) => grantsLogDelivery(s, context.accountId))) {
        out.push(v(this.name, target, `no bucket policy letting ${S3_LOG_DELIVERY_PRINCIPAL} put logs for a source bucket (aws:SourceArn) of account ${context.accountId} (aws:SourceAccount)`));
      }
    }
    return out;
  },
};

const DATA_STORES: readonly string[] = [T.bucket, T.table, T.kmsKey, T.ecr, T.modelPackageGroup];

/** Resources that hold a setting of a data store: a store retained without them would lose its access rules or encryption. */
const DATA_STORE_SETTINGS: readonly string[] = [
  T.bucketPab, T.bucketPolicy, T.bucketSse, T.bucketOwnership, T.bucketVersioning, T.bucketLifecycle, T.bucketLogging, T.kmsAlias, T.ecrLifecycle,
];

export const prodDataRetained: PolicyRule = {
  name: 'prod-data-retained',
  description:
    'In prod, buckets, tables, keys, repositories and the model package group, and the settings of each (public access block, bucket policy, encryption, ...), are protected and retained on delete; DynamoDB tables also have deletion protection on.',
  check(graph, context) {
    if (context.environment !== 'prod') return [];
    const kept = (r: ResourceRecord) => r.protect === true && r.retainOnDelete === true;
    // protect and retainOnDelete guard against Pulumi only: a DeleteTable from the console, the CLI or a script is
    // refused by DynamoDB's own deletion protection alone.
    const unprotectedTables = ofType(graph, T.table)
      .filter((r) => r.inputs.deletionProtectionEnabled !== true)
      .map((r) => v(this.name, r, 'table without deletion protection (deletionProtectionEnabled): a DeleteTable outside Pulumi would remove it and every item in it'));
    return unprotectedTables.concat(graph.flatMap((r) => {
      if (kept(r)) return [];
      if (DATA_STORES.includes(r.type)) return [v(this.name, r, 'data store neither protected nor retained on delete')];
      if (DATA_STORE_SETTINGS.includes(r.type)) return [v(this.name, r, 'setting of a data store not protected and retained with it')];
      return [];
    }));
  },
};

/**
 * Types that take no tags of their own (settings of another resource, or, like EventBridge Scheduler
 * schedules, an AWS type without tagging); all others must carry them.
 */
const UNTAGGED = /bucket(Versioning|ServerSideEncryptionConfiguration|PublicAccessBlock|Policy|LifecycleConfiguration|OwnershipControls|Logging)|rolePolicy|routeTableAssociation|lambda\/(permission|functionEventInvokeConfig)|apigatewayv2\/(route|integration|authorizer)|eventTarget|appautoscaling\/policy|topicSubscription|kms\/alias|ecr\/lifecyclePolicy|dashboard|queuePolicy|scheduler\/schedule:|^pulumi:|^mailroute:/;

export const tagsEverywhere: PolicyRule = {
  name: 'tags-everywhere',
  description: 'The provider sets default tags, and every taggable resource carries environment, service and cost-centre.',
  check(graph, context) {
    const out: Violation[] = [];
    const providers = ofType(graph, T.provider);
    if (providers.length === 0) out.push({ policy: this.name, resource: 'provider', message: 'no explicit aws provider' });
    for (const p of providers) {
      const tags = (first(p.inputs.defaultTags)?.tags ?? {}) as Record<string, string>;
      if (!REQUIRED_TAG_KEYS.every((k) => tags[k])) out.push(v(this.name, p, 'default tags incomplete'));
      if (tags.environment && tags.environment !== context.environment) out.push(v(this.name, p, `default tag environment=${tags.environment}`));
    }
    for (const r of graph) {
      if (UNTAGGED.test(r.type)) continue;
      const tags = (r.inputs.tags ?? {}) as Record<string, string>;
      const missing = REQUIRED_TAG_KEYS.filter((k) => !tags[k]);
      if (missing.length > 0) out.push(v(this.name, r, `missing tags ${missing.join(', ')}`));
    }
    return out;
  },
};

export const accountGuard: PolicyRule = {
  name: 'account-guard',
  description: 'Every aws provider is pinned to the stack’s account (allowedAccountIds) and assumes a role in it.',
  check(graph, context) {
    const out: Violation[] = [];
    for (const p of ofType(graph, T.provider)) {
      const allowed = asList(p.inputs.allowedAccountIds);
      if (allowed.length !== 1 || allowed[0] !== context.accountId) out.push(v(this.name, p, `allowedAccountIds ${JSON.stringify(allowed)}`));
      const roleArn = String(first(p.inputs.assumeRoles)?.roleArn ?? '');
      if (roleArn.split(':')[4] !== context.accountId) out.push(v(this.name, p, `assumes ${roleArn || 'no role'}`));
    }
    return out;
  },
};

export const ALL_RULES: readonly PolicyRule[] = [
  noPublicBuckets,
  noPublicEndpoints,
  encryptionAtRest,
  leastPrivilege,
  computeInVpc,
  logRetention,
  accessLogging,
  prodDataRetained,
  tagsEverywhere,
  accountGuard,
];

export function runPolicies(graph: readonly ResourceRecord[], context: Parameters<PolicyRule['check']>[1], rules = ALL_RULES): Violation[] {
  return rules.flatMap((rule) => rule.check(graph, context));
}
