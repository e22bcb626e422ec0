/** Helpers that make config errors point at the mistake: where JSON breaks, what a misspelt key meant. */
import { closestKey, didYouMean, followAliases, jsonErrorOffset, jsonErrorPlace } from '@mailroute/model';
import { readLabel } from './taxonomy.js';

/** Where JSON breaks: one parser for config files, data lines, manifests and request bodies (in @mailroute/model). */
export { jsonErrorOffset, jsonErrorPlace };

/**
 * A config path as messages write it (`tasks.0.aliases.old`), a key that is not a plain name in JSON's quotes
 * (`tasks.0.aliases." a"`, `tasks.0.aliases."v1.2"`): a label's spaces and dots would read as the path's own.
 */
export function configPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'string' && !/^[\p{L}\p{M}\p{N}_$-]+$/u.test(p) ? JSON.stringify(p) : String(p))).join('.');
}

/** A level of a config other than the one with the unknown key: where it is (`in each entry of tasks[]`) and its keys. */
export interface KeyLevel {
  where: string;
  keys: readonly string[];
}

/**
 * `unknown key "taks" (did you mean "tasks"?)`, for each key: a close key of the same level (`known`), never one
 * of another level. A key of another level (`elsewhere`) put at the wrong one says where it belongs instead:
 * `unknown key "minCount" (it belongs in each entry of tasks[])`.
 */
export function unknownKeyMessage(keys: readonly string[], known: readonly string[], elsewhere: readonly KeyLevel[] = []): string {
  return keys
    .map((key) => {
      const belongs = elsewhere.filter((level) => level.keys.includes(key)).map((level) => level.where);
      if (belongs.length > 0) return `unknown key "${key}" (it belongs ${belongs.join(' or ')})`;
      // A key of another kind of the same level (`on`, of a stratified split, in a time split) suggests nothing.
      return `unknown key "${key}"${didYouMean(key, known.filter((k) => k !== key), '"')}`;
    })
    .join(', ');
}

/** What a required key holds, said when it is missing. */
const REQUIRED_KEYS: Readonly<Record<string, string>> = {
  columns: 'which columns hold subject, body, html, id, bank, receivedAt and from: e.g. {"subject": "Betreff", "body": "Text"}',
  tasks: 'the label dimensions to learn, each {"name", "column", "labels", "aliases", ...}',
  'split.kind': '"stratified" or "time"',
  'routing.queueTask': 'the task whose label names the queue',
};

/** `columns is required (which columns hold ...)`: a missing key and, for the config's own keys, what it holds. */
export function requiredKeyMessage(where: string): string {
  const generic = where.replace(/\.\d+(?=\.|$)/g, '');
  const what = REQUIRED_KEYS[where] ?? REQUIRED_KEYS[generic];
  return `${where} is required${what === undefined ? '' : ` (${what})`}`;
}

/** By the path of a key that picks its object's form (zod's discriminator): what its value is, and what each kind does. */
const KINDS: Readonly<Record<string, { what: string; kinds: Readonly<Record<string, string>> }>> = {
  'split.kind': { what: 'a split kind', kinds: { stratified: "by a task's labels, with a seed", time: 'the newest mail as the test set' } },
};

/**
 * `split.kind: "random" is not a split kind: "stratified" (...) or "time" (...)`, a close kind guessed (`"Time"`): for a
 * kind the schema does not have, instead of zod's `Invalid discriminator value`. Undefined for a key without one.
 */
export function unknownKindMessage(where: string, value: unknown): string | undefined {
  const known = KINDS[where];
  if (known === undefined) return undefined;
  const names = Object.keys(known.kinds);
  const guess = typeof value === 'string' ? didYouMean(value, names, '"') : '';
  const kinds = names.map((name) => `"${name}" (${known.kinds[name]})`).join(' or ');
  return `${where}: ${JSON.stringify(value) ?? String(value)} is not ${known.what}${guess}: ${kinds}`;
}

/** The one name that starts with `value` (an abbreviation: `prio` for `priority`), case ignored. */
function onlyStartingWith(value: string, names: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  const starting = lower.length >= 2 ? names.filter((n) => n.toLowerCase().startsWith(lower)) : [];
  return starting.length === 1 ? starting[0] : undefined;
}

/**
 * A whole number written with decimals (`1.0`), as spreadsheets and pandas write a number column that has blanks,
 * whose plain form (`1`) is one of the names.
 */
function wholeNumber(value: string, names: readonly string[]): string | undefined {
  const whole = /^(-?\d+)\.0+$/.exec(value.trim())?.[1];
  return whole !== undefined && names.includes(whole) ? whole : undefined;
}

/**
 * The name `value` probably means: a close one (a typo, another case), the only one it abbreviates, or mistypes the
 * start of (`closestKey`'s `prefixes`: `transfer_not_recieved` for `transfer_not_received_by_recipient`), or `1` for `1.0`.
 */
export function closestName(value: string, names: readonly string[]): string | undefined {
  return wholeNumber(value, names) ?? closestKey(value, names, { prefixes: true }) ?? onlyStartingWith(value, names);
}

/** At most this many names are listed in a hint; more are counted. */
const LISTED_NAMES = 12;

/**
 * `(did you mean "low"? labels: low, normal, high)`: the close name if there is one, then the names when
 * few (else how many), so a typo or a wrong case is fixed without opening the config. `what`: `labels`, `tasks`.
 */
export function choicesHint(value: string, names: readonly string[], what: string): string {
  const guess = closestName(value, names);
  return `(${guess === undefined ? '' : `did you mean "${guess}"? `}${namesList(names, what)})`;
}

/** `labels: low, normal, high`, or `40 labels` when there are more than LISTED_NAMES. */
function namesList(names: readonly string[], what: string): string {
  return names.length <= LISTED_NAMES ? `${what}: ${names.join(', ')}` : `${names.length} ${what}`;
}

/**
 * `choicesHint` for a data label outside a task's taxonomy, whose guess may also be one of the task's alias old names
 * (`did you mean "festgeld", an old name of "zinsprodukte"?`) or retired labels (`did you mean the retired
 * "paper_statements"?`), a wrong case or a typo of either; a label of the taxonomy wins a tie. The list is the labels'.
 */
export function labelChoicesHint(value: string, task: { labels?: readonly string[]; aliases: Readonly<Record<string, string>>; retired: readonly string[] }): string {
  const labels = task.labels ?? [];
  const oldNames = Object.keys(task.aliases);
  const guess = closestName(value, [...labels, ...oldNames, ...task.retired]);
  if (guess === undefined || labels.includes(guess)) return choicesHint(value, labels, 'labels');
  const list = namesList(labels, 'labels');
  if (Object.hasOwn(task.aliases, guess)) {
    const target = followAliases(task.aliases, guess);
    const retired = !target.loop && task.retired.includes(target.label) ? 'the retired ' : '';
    return `(did you mean "${guess}", an old name of ${retired}"${target.label}"? ${list})`;
  }
  return `(did you mean the retired "${guess}"? ${list})`;
}

const PROTO = '__proto__';

/** Where a string value names a task or a label: a task's name, an entry of its labels or retired, an alias's target. */
const NAME_VALUE = /^tasks\.\d+\.(name|labels\.\d+|retired\.\d+|aliases\..+)$/;

/**
 * `tasks.0.aliases.__proto__: ...` for each place a config holds `__proto__`: as a key at any depth (an alias
 * from it, a key of model or columns), or as a task or label name. No JavaScript record can hold it, so zod
 * dropped such an alias without a word, and as a label it would become one of the trainer's record keys.
 * Prediction lines refuse it alike.
 */
export function protoKeyMessages(config: unknown): string[] {
  const out: string[] = [];
  // A label is read trimmed, in NFC and without emoji variation selectors: `" __proto__"` is `__proto__` too.
  const named = (raw: string) => (raw === PROTO ? `"${PROTO}"` : `${JSON.stringify(raw)} reads as "${PROTO}", which`);
  const walk = (value: unknown, path: readonly string[]): void => {
    if (typeof value === 'string') {
      if (NAME_VALUE.test(path.join('.')) && readLabel(value) === PROTO) out.push(`${configPath(path)}: ${named(value)} cannot name a task or a label (no JavaScript record can hold it): rename it`);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const aliases = path.length === 3 && path[0] === 'tasks' && path[2] === 'aliases';
    // Object.keys lists the own key JSON.parse makes of "__proto__" (an object literal would set the prototype instead).
    for (const key of Object.keys(value)) {
      const at = [...path, key];
      if (key === PROTO || (aliases && readLabel(key) === PROTO)) {
        out.push(`${configPath(at)}: ${named(key)} cannot ${aliases ? 'name a label' : 'be a key'} (no JavaScript record can hold it: it would be dropped without a word): rename it`);
      }
      walk((value as Record<string, unknown>)[key], at);
    }
  };
  walk(config, []);
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Aliases whose old names are one label as labels are read (trimmed, NFC, no emoji variation selectors): `"⚠️"`
 * beside `"⚠"`, or `"Ü"` composed beside decomposed. The parsed record keeps the last of them only, so the others
 * would be dropped without a word.
 */
export function repeatedAliasMessages(config: unknown): string[] {
  const tasks = isRecord(config) && Array.isArray(config.tasks) ? config.tasks : [];
  return tasks.flatMap((task: unknown, t) => {
    if (!isRecord(task) || !isRecord(task.aliases)) return [];
    const byName = new Map<string, string[]>();
    for (const key of Object.keys(task.aliases)) {
      const name = readLabel(key);
      byName.set(name, [...(byName.get(name) ?? []), key]);
    }
    return [...byName]
      .filter(([, keys]) => keys.length > 1)
      .map(([name, keys]) => `tasks.${t}.aliases: ${keys.map((k) => JSON.stringify(k)).join(', ')} are one old name, "${name}" (they differ only in spaces around them, Unicode form or emoji variation selectors): keep one alias for it`);
  });
}
