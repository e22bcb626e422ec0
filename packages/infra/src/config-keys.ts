// A stack config's unknown and missing keys, said plainly: an unknown key with the known one it was likely
// meant to be ("did you mean"), and that known one, when missing, not reported again as a second error.
import { z } from 'zod';

/** Edit distance (insertions, deletions, substitutions, swaps of neighbours); infra does not depend on @mailroute/model's. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known key closest to `key` (case ignored) if it is near enough to be a typo: one edit per three letters, at least one. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  if (key.length > 100) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

type Path = readonly PropertyKey[];

/** `mailroute:serving.minInstances`, `mailroute` for the namespace itself. */
export function keyName(path: Path): string {
  return `mailroute${path.length > 0 ? `:${path.map(String).join('.')}` : ''}`;
}

function valueAt(raw: unknown, path: Path): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The object schema inside wrappers (optional, default, prefault, a transform's pipe), or a discriminated union's option for `value`. */
function unwrap(schema: z.ZodType, value: unknown): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  while (current !== undefined) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = (current.in instanceof z.ZodTransform ? current.out : current.in) as z.ZodType;
    } else if (current instanceof z.ZodDiscriminatedUnion) {
      const union: z.ZodDiscriminatedUnion = current;
      const discriminator: string = union._zod.def.discriminator;
      const tag = valueAt(value, [discriminator]);
      current = (union.options as z.ZodType[]).find((option) => option instanceof z.ZodObject && (option.shape as Record<string, z.ZodType | undefined>)[discriminator]?.safeParse(tag).success);
    } else {
      return current;
    }
  }
  return undefined;
}

/** The keys the object at `path` takes, or undefined where the schema there is no object it can tell. */
export function knownKeysAt(schema: z.ZodType, path: Path, raw: unknown): string[] | undefined {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; ; depth++) {
    current = current && unwrap(current, valueAt(raw, path.slice(0, depth)));
    if (!(current instanceof z.ZodObject)) return undefined;
    if (depth === path.length) return Object.keys(current.shape);
    current = (current.shape as Record<string, z.ZodType | undefined>)[String(path[depth])];
  }
}

/** For `parse(raw, { error })`: a key that is not set says "missing", not zod's "expected object, received undefined". */
export function missingKeyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input !== undefined) return undefined;
  if (issue.code === 'invalid_type') return `missing: required (${issue.expected})`;
  if (issue.code === 'invalid_value') return `missing: required (one of ${issue.values.map((v) => String(v)).join(', ')})`;
  return undefined;
}

const samePath = (a: Path, b: Path) => a.length === b.length && a.every((key, i) => key === b[i]);

/**
 * The error's lines, `mailroute:<key>: <message>`, in zod's order. An unknown key (zod's "Unrecognized key") becomes
 * `mailroute:monitorng: unknown key (did you mean mailroute:monitoring?)`, or names the keys its object takes when none
 * is near; the known key it was likely meant to be, when missing, is said there ("which is missing") instead of in a
 * line of its own.
 */
export function issueLines(issues: readonly z.core.$ZodIssue[], raw: unknown, schema: z.ZodType): string[] {
  const explained: Path[] = [];
  const unknownLines = new Map<z.core.$ZodIssue, string[]>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys' || !issue.message.startsWith('Unrecognized key')) continue;
    const known = knownKeysAt(schema, issue.path, raw);
    unknownLines.set(
      issue,
      issue.keys.map((key) => {
        const where = /^[A-Za-z]\w*$/.test(key) ? `${keyName([...issue.path, key])}: unknown key` : `${keyName(issue.path)}: unknown key ${JSON.stringify(key)}`;
        const guess = known && closestKey(key, known);
        if (guess === undefined) return known ? `${where}: ${issue.path.length > 0 ? keyName(issue.path) : 'the namespace mailroute'} takes ${known.join(', ')}` : where;
        const meant = [...issue.path, guess];
        const missing = valueAt(raw, meant) === undefined && issues.some((other) => other !== issue && samePath(other.path, meant));
        if (missing) explained.push(meant);
        return `${where} (did you mean ${keyName(meant)}${missing ? ', which is missing' : ''}?)`;
      }),
    );
  }
  return issues.flatMap((issue) => {
    const lines = unknownLines.get(issue);
    if (lines) return lines;
    if (explained.some((path) => samePath(path, issue.path))) return [];
    return [`${keyName(issue.path)}: ${issue.message}`];
  });
}
