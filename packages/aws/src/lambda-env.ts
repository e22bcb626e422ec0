import { z } from 'zod';
import { AdapterConfigError } from './errors.js';

/** A key prefix of the artifact bucket (`models/`, `data/`): ends with `/`, does not start with one. */
export const KeyPrefixSchema = z.string().min(2).endsWith('/', 'must end with "/"').refine((p) => !p.startsWith('/'), 'must not start with "/"');

/**
 * A Lambda's settings from its environment: each key of `names` read from the variable it names (a blank one as
 * unset), checked by `schema`; AWS_CONFIG_INVALID names the variable (`what environment invalid at MAILROUTE_...`).
 */
export function configFromEnv<S extends z.ZodType>(schema: S, names: Readonly<Record<string, string>>, env: Record<string, string | undefined>, what: string): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(names).map(([key, name]) => [key, env[name] || undefined])));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path[0];
    const variable = typeof key === 'string' && Object.hasOwn(names, key) ? names[key] : '(root)';
    throw new AdapterConfigError(`${what} environment invalid at ${variable}: ${issue?.message}`);
  }
  return parsed.data;
}
