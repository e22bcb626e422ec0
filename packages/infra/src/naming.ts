import type { StackConfig } from './config.js';

export const SERVICE = 'mailroute';

/** `mailroute-dev-<part>`: the physical name prefix of everything a stack owns. */
export function prefix(config: Pick<StackConfig, 'environment'>): string {
  return `${SERVICE}-${config.environment}`;
}

/** A physical name within a service's length limit; too long is a programming error, caught in tests. */
export function physicalName(config: Pick<StackConfig, 'environment'>, part: string, maxLength = 63): string {
  const name = `${prefix(config)}-${part}`;
  if (name.length > maxLength) throw new RangeError(`${name} is longer than ${maxLength}`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new RangeError(`${name} has characters outside [a-z0-9-]`);
  return name;
}

/** The name of the stack's SageMaker endpoint. */
export function endpointName(config: Pick<StackConfig, 'environment'>): string {
  return physicalName(config, 'classifier');
}

/** The log groups SageMaker writes for this stack, both created by it (with retention and the stack's key). */
export function sagemakerLogGroupNames(config: Pick<StackConfig, 'environment'>): { trainingJobs: string; endpoint: string } {
  return { trainingJobs: '/aws/sagemaker/TrainingJobs', endpoint: `/aws/sagemaker/Endpoints/${endpointName(config)}` };
}

/** Tags on every resource: provider default tags and, where a resource takes them, explicit ones. */
export function standardTags(config: Pick<StackConfig, 'environment' | 'costCentre'>): Record<string, string> {
  return { environment: config.environment, service: SERVICE, 'cost-centre': config.costCentre, 'managed-by': 'pulumi' };
}

export const REQUIRED_TAG_KEYS = ['environment', 'service', 'cost-centre'] as const;
