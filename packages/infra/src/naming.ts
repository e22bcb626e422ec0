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

/** Tags on every resource: provider default tags and, where a resource takes them, explicit ones. */
export function standardTags(config: Pick<StackConfig, 'environment' | 'costCentre'>): Record<string, string> {
  return { environment: config.environment, service: SERVICE, 'cost-centre': config.costCentre, 'managed-by': 'pulumi' };
}

export const REQUIRED_TAG_KEYS = ['environment', 'service', 'cost-centre'] as const;
