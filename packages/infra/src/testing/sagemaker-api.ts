// Test-only: SageMaker's request shapes, read from the AWS SDK's published type declarations (the SDK is
// generated from the service's API model), so a pipeline step's Arguments can be checked against the request
// SageMaker sends on: member names, required members, and the values of its enums.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { INFRA_ROOT } from './stack-files.js';

const MODELS = path.join(INFRA_ROOT, '../../node_modules/@aws-sdk/client-sagemaker/dist-types/models');

let declarations: string | undefined;
function sdkTypes(): string {
  declarations ??= readdirSync(MODELS)
    .filter((file) => file.endsWith('.d.ts'))
    .map((file) => readFileSync(path.join(MODELS, file), 'utf8'))
    .join('\n');
  return declarations;
}

export interface ApiMember {
  name: string;
  required: boolean;
  /** The first type name the member's type mentions (`Channel` of `Channel[] | undefined`). */
  typeName: string;
}

/** The members of an SDK structure (`export interface <name> { ... }`), or undefined when there is none. */
export function apiMembers(structure: string): ApiMember[] | undefined {
  const body = new RegExp(`export interface ${structure} \\{\\n([\\s\\S]*?)\\n\\}`).exec(sdkTypes())?.[1];
  if (body === undefined) return undefined;
  return [...body.matchAll(/^ {4}([A-Z][A-Za-z0-9]*)(\??): ([A-Za-z0-9]+)/gm)].map(([, name, optional, typeName]) => ({ name, required: optional === '', typeName }));
}

/** The values of an SDK enum (`export declare const <name>: { readonly A: "A"; ... }`), or undefined. */
export function apiEnum(name: string): string[] | undefined {
  const body = new RegExp(`export declare const ${name}: \\{\\n([\\s\\S]*?)\\n\\}`).exec(sdkTypes())?.[1];
  return body === undefined ? undefined : [...body.matchAll(/: "([^"]+)";/g)].map((m) => m[1]);
}

const isGet = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).join() === 'Get';

/**
 * Where `value` does not fit the SDK structure `structure`: unknown members, missing required ones (but those
 * in `omitted`, which the pipeline fills in), enum values the API does not take. A `{ Get }` stands for any value.
 */
export function shapeProblems(value: unknown, structure: string, at = structure, omitted: readonly string[] = []): string[] {
  const members = apiMembers(structure);
  if (members === undefined || isGet(value)) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not a ${structure}`];
  const given = value as Record<string, unknown>;
  const problems = members.filter((m) => m.required && !(m.name in given) && !omitted.includes(m.name)).map((m) => `${at}.${m.name}: required`);
  for (const [key, member] of Object.entries(given)) {
    const spec = members.find((m) => m.name === key);
    if (!spec) {
      problems.push(`${at}.${key}: not a member of ${structure}`);
      continue;
    }
    const values = apiEnum(spec.typeName);
    if (values && typeof member === 'string' && !values.includes(member)) problems.push(`${at}.${key}: ${member} is not one of ${values.join(', ')}`);
    const items = Array.isArray(member) ? member : [member];
    items.forEach((item, i) => problems.push(...shapeProblems(item, spec.typeName, Array.isArray(member) ? `${at}.${key}[${i}]` : `${at}.${key}`)));
  }
  return problems;
}
