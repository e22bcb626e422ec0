// Test-only: the committed stack files, without loading Pulumi.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseStackConfig, type StackConfig } from '../config.js';

export const INFRA_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The committed `Pulumi.<stack>.yaml`'s `mailroute:` keys, without the namespace, before parsing. */
export function rawStackConfigFile(stack: 'dev' | 'prod'): Record<string, unknown> {
  const file = parse(readFileSync(path.join(INFRA_ROOT, `Pulumi.${stack}.yaml`), 'utf8')) as { config: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(file.config)
      .filter(([key]) => key.startsWith('mailroute:'))
      .map(([key, value]) => [key.slice('mailroute:'.length), value]),
  );
}

/** The committed `Pulumi.<stack>.yaml`, parsed exactly as the program parses its config. */
export function loadStackConfigFile(stack: 'dev' | 'prod'): StackConfig {
  return parseStackConfig(rawStackConfigFile(stack), stack);
}
