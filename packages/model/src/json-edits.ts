// Test helpers of the property tests that damage a manifest field by field; production code never imports them.
import fc from 'fast-check';

/** A key or index on the way from a JSON value's root to one of its values. */
export type JsonPath = Array<string | number>;

/** Every path to a value of `value`, objects and arrays included (the root is `[]`). */
export function pathsOf(value: unknown, at: JsonPath = []): JsonPath[] {
  if (value === null || typeof value !== 'object') return [at];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [at, ...entries.flatMap(([key, v]) => pathsOf(v, [...at, key]))];
}

/** A copy of `root` with the value at `at` (not the root) deleted (`replacement` undefined) or replaced. */
export function withValue(root: unknown, at: JsonPath, replacement: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of at.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = at[at.length - 1];
  if (replacement === undefined && Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** Values a hand edit or an exporter puts where another belongs (`undefined`: the value deleted). */
export const oddJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, 0, -1, 1, 2, 0.5, 1e308, -0, '', 'queue', 'topic', 'probs', 'ids', 'weights', 'other', [], {}, ['payments'], ['a', 'b', 'c'], ['a', 'a'], true, 'x'.repeat(300)),
  fc.jsonValue({ maxDepth: 2 }),
);
