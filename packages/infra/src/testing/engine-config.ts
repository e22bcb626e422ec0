// Test-only: a committed stack file's config as the Pulumi engine passes it to the program.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { INFRA_ROOT } from './stack-files.js';

/**
 * Sets the program's config from `Pulumi.<stack>.yaml` (plus `extra` keys) as the engine would: every value
 * a string, objects as JSON text. Returns what it set.
 */
export function setEngineConfig(stack: 'dev' | 'prod', extra: Record<string, string> = {}): Record<string, string> {
  const file = parse(readFileSync(path.join(INFRA_ROOT, `Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, unknown> };
  const config: Record<string, string> = { ...extra };
  for (const [key, value] of Object.entries(file.config)) config[key] = typeof value === 'string' ? value : JSON.stringify(value);
  pulumi.runtime.setAllConfig(config);
  return config;
}
