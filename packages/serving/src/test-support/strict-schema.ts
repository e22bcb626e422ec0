/** A JSON Schema of the OpenAPI document, as far as the checks below read it. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
}

function fitsType(value: unknown, type: string, schema: JsonSchema, at: string): string[] {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at} is not a string`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at} is not an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at} is not a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at} is not a boolean`];
    case 'null':
      return value === null ? [] : [`${at} is not null`];
    case 'array':
      if (!Array.isArray(value)) return [`${at} is not an array`];
      return schema.items ? value.flatMap((item, i) => strictMismatches(item, schema.items as JsonSchema, `${at}[${i}]`)) : [];
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? objectMismatches(value as Record<string, unknown>, schema, at) : [`${at} is not an object`];
    default:
      return [`${at}: type ${type} is not checked here`];
  }
}

/** An object against its schema, as if it had `additionalProperties: false` wherever it lists properties. */
function objectMismatches(value: Record<string, unknown>, schema: JsonSchema, at: string): string[] {
  const out = (schema.required ?? []).filter((name) => !(name in value)).map((name) => `${at} lacks ${name}`);
  for (const [name, member] of Object.entries(value)) {
    const property = schema.properties?.[name];
    const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    if (property) out.push(...strictMismatches(member, property, `${at}.${name}`));
    else if (extra) out.push(...strictMismatches(member, extra, `${at}.${name}`));
    else if (schema.properties !== undefined || schema.additionalProperties === false) out.push(`${at}.${name} is not in the schema`);
  }
  return out;
}

/**
 * What in `value` its schema does not allow, read strictly: an object's member its schema does not list is one
 * (as with `additionalProperties: false` added to every schema that lists properties). Empty when it fits.
 */
export function strictMismatches(value: unknown, schema: JsonSchema, at = 'body'): string[] {
  if (schema.enum && !schema.enum.includes(value)) return [`${at} ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`];
  if (schema.anyOf) {
    const each = schema.anyOf.map((option) => strictMismatches(value, option, at));
    return each.some((m) => m.length === 0) ? [] : each.flat();
  }
  if (schema.type === undefined) return [];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const each = types.map((type) => fitsType(value, type, schema, at));
  return each.some((m) => m.length === 0) ? [] : each.flat();
}
