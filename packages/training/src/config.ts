import { readFile } from 'node:fs/promises';
import { MAX_SEED } from '@mailroute/evaluation';
import { DEFAULT_MAX_TEXT_CHARS, followAliases } from '@mailroute/model';
import { isTimeZone } from '@mailroute/preprocess';
import { z } from 'zod';
import { readProblem, TrainingConfigError } from './errors.js';
import { choicesHint, closestName, configPath, jsonErrorPlace, protoKeyMessages, repeatedAliasMessages, requiredKeyMessage, unknownKeyMessage, unknownKindMessage, type KeyLevel } from './config-errors.js';
import { NgramBagParamsSchema, precisionTarget, type NgramBagParams } from './ngram-bag/params.js';
import { OTHER_LABEL, readLabel } from './taxonomy.js';
import { decodeUtf8, isUtf16 } from './utf8.js';
import { delimiterMessage } from './delimiter-names.js';

/**
 * A task name: ASCII letters, digits and `_`, starting with a letter (it names metrics, report files and Prometheus
 * labels). A refused name is quoted, with the name it could be: `Priorität` as `Prioritaet`, `queue.v2` as `queue_v2`.
 */
const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: (issue) => taskNameMessage(issue.input) });

const TRANSLITERATED: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss' };

function taskNameMessage(input: unknown): string {
  const rule = 'ASCII letters (a-z, A-Z), digits and _ only, starting with a letter';
  if (typeof input !== 'string') return rule;
  const ascii = input
    .replace(/[äöüÄÖÜß]/g, (c) => TRANSLITERATED[c])
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const suggestion = ascii === '' ? '' : /^[A-Za-z]/.test(ascii) ? ascii : `t_${ascii}`;
  const shown = input.length > 60 ? `${input.slice(0, 60)}…` : input;
  return `"${shown}": ${rule}${suggestion === '' ? '' : ` (such as "${suggestion}")`}`;
}

/**
 * A `rare` that is neither action: what each does, and, for a label (`"Sonstiges"`: a CRM's own catch-all), that the
 * catch-all is always `other`, so that label is aliased into it.
 */
function rareMessage(input: unknown): string {
  const actions = `expected "${OTHER_LABEL}" (labels under minCount merge into the catch-all label "${OTHER_LABEL}", whose mail goes to manual triage) or "drop" (they are masked)`;
  if (typeof input !== 'string' || input.trim() === '') return actions;
  const shown = input.length > 60 ? `${input.slice(0, 60)}…` : input;
  const guess = closestName(input, [OTHER_LABEL, 'drop']);
  if (guess !== undefined) return `${JSON.stringify(shown)}: did you mean "${guess}"? ${actions}`;
  return `${JSON.stringify(shown)}: ${actions}. The catch-all label is always "${OTHER_LABEL}": if ${JSON.stringify(shown)} is your CRM's own catch-all label, alias it into "${OTHER_LABEL}" to send its mail to manual triage ("aliases": { ${JSON.stringify(shown)}: "${OTHER_LABEL}" })`;
}

/**
 * A label of the taxonomy, read as the data's labels are (`readLabel`: NFC, no emoji variation selectors, then
 * trimmed; a decomposed `ü` is the same label):
 * an alias to "payments " would otherwise train a second class beside the data's "payments", and an alias from
 * "pay " or a retired "legacy " would match no cell.
 */
const label = z.string().overwrite(readLabel);

/** A label that names a class: not blank once read, as a blank cell is a row without a label. */
const className = label.min(1, 'a label cannot be blank (a blank cell is a row without a label)');

/**
 * A column (CSV header, JSONL key), in NFC and trimmed as the data's column names are read (macOS exports write them
 * decomposed; a header copied with its trailing blank names the column without it).
 */
const column = z.string().overwrite((value) => value.normalize('NFC').trim());

/** One label dimension: where its label sits and how its taxonomy changed over time. */
export const TaskConfigSchema = z.strictObject({
  name,
  /** The column (CSV header or JSONL key) holding the label; defaults to the task name. */
  column: column.min(1).optional(),
  /** The allowed labels today. A label outside it (after aliases) is a bad row. Absent: any label is allowed. */
  labels: z.array(className).min(1).optional(),
  /** Renames and merges: `{ "old name": "new name" }`; chains are followed. */
  aliases: z.record(label, className).default({}),
  /** Labels no longer used: such rows keep training the other tasks, with this task's label masked. */
  retired: z.array(label).default([]),
  /** Labels with fewer examples than this are merged into `other` or dropped (masked), per `rare`. */
  minCount: z.number().int().min(1).default(1),
  rare: z.enum(['other', 'drop'], { error: (issue) => rareMessage(issue.input) }).default('other'),
  /**
   * The precision this task's abstention threshold aims for on the validation split, when it differs from the run's
   * (the top-level `targetPrecision`, or `model.targetPrecision`): e.g. 0.95 for the task that routes mail, while a
   * task whose abstention is only flagged keeps 0.9. Absent: the run's.
   */
  targetPrecision: precisionTarget.optional(),
});
export type TaskConfig = z.infer<typeof TaskConfigSchema>;

export const ColumnsSchema = z
  .strictObject({
    id: column.optional(),
    subject: column.optional(),
    body: column.optional(),
    html: column.optional(),
    bank: column.optional(),
    receivedAt: column.optional(),
    from: column.optional(),
    /** Attachment file names, separated by `;`, `|` or line breaks (JSONL: also an array of strings): the model reads their words. */
    attachmentNames: column.optional(),
  })
  .refine((c) => c.subject !== undefined || c.body !== undefined || c.html !== undefined, {
    message: 'at least one of subject, body, html must name a column',
  });
export type Columns = z.infer<typeof ColumnsSchema>;

const share = z.number().min(0).max(0.9);

export const SplitConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('stratified'),
    /** The task whose labels keep their proportions in every part. */
    on: name,
    testShare: share.default(0.2),
    validShare: share.default(0.1),
    seed: z.number().int().default(0),
  }),
  z.strictObject({
    /** The newest `testShare` of mail is the test set, the next newest `validShare` the validation set. */
    kind: z.literal('time'),
    testShare: share.default(0.2),
    validShare: share.default(0.1),
    /** Accepted (a config switched from stratified still loads) but unused: the order by time leaves nothing to chance. */
    seed: z.number().int().default(0),
  }),
]);
export type SplitConfig = z.infer<typeof SplitConfigSchema>;

/** The split of a config that names none: stratified on its first task with the usual shares. */
function defaultSplit(task: string): SplitConfig {
  return { kind: 'stratified', on: task, testShare: 0.2, validShare: 0.1, seed: 0 };
}

/**
 * Per kind of automated mail (`automatedKind`), the CRM queue it is routed to instead of manual triage (`auto_reply`:
 * out-of-office replies and receipts, which a CRM may close; `delivery_failure`: bounces, to check an address).
 */
const queueName = z.string().trim().min(1, { error: 'a queue name, not empty' }).max(200);
const AutomatedQueuesSchema = z.strictObject({ auto_reply: queueName.optional(), delivery_failure: queueName.optional() });

/**
 * The task that routes mail, and optionally `abstainTasks`: the tasks whose abstention sends an email to manual
 * triage (the queue task among them; without it, only the queue task's does), and `automatedQueues`; written into
 * the manifest.
 */
const RoutingSchema = z.strictObject({ queueTask: name, abstainTasks: z.array(name).min(1).optional(), automatedQueues: AutomatedQueuesSchema.optional() });

const TrainingConfigFields = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  /** Default: by each file's name, `.jsonl` or `.ndjson` read as JSONL, any other as CSV. */
  format: z.enum(['csv', 'jsonl']).optional(),
  /** Character encoding of the export files (default UTF-8; a file that is not valid UTF-8 is refused). */
  encoding: z.enum(['utf-8', 'windows-1252']).optional(),
  /** CSV field delimiter. */
  delimiter: z.string().length(1, { error: (issue) => delimiterMessage(issue.input) }).default(','),
  /** Some exports hold the two characters `\n` instead of a newline; turn them into newlines. */
  literalNewlines: z.boolean().default(false),
  columns: ColumnsSchema,
  tasks: z.array(TaskConfigSchema).min(1),
  /** Default: stratified on the first task, 20% test, 10% validation, seed 0. */
  split: SplitConfigSchema.optional(),
  /** Model family and its parameters, passed to the trainer (which validates them). */
  family: z.literal('ngram-bag').default('ngram-bag'),
  model: z.record(z.string(), z.unknown()).default({}),
  routing: RoutingSchema.optional(),
  /**
   * Precision each task's abstention threshold aims for on the validation split (`model.targetPrecision` wins), unless
   * the task gives its own (`tasks[].targetPrecision`).
   */
  targetPrecision: precisionTarget.default(0.9),
  /** A bad row fails the load (listing the first errors) or is reported and skipped. */
  onBadRow: z.enum(['fail', 'skip']).default('fail'),
  /**
   * `day-first`: received times written as a German or British export writes them (`04.12.2026 14:03`, `4.12.26`,
   * `04/12/2026`) are read day first; without it such a date is a bad row, as `03.11.2025` could be either.
   */
  dateOrder: z.enum(['day-first']).optional(),
  /**
   * The IANA time zone (`Europe/Berlin`) of received times written without one (`2026-12-04 14:03`, a date alone);
   * default UTC. In it, a local time a change of daylight saving time repeats is read as its first occurrence and one it
   * skips is moved forward by the gap, as serving reads them (a CRM export cannot write offsets); the load says how many.
   */
  timeZone: z.string().refine(isTimeZone, { error: (issue) => `not a time zone this runtime knows: ${JSON.stringify(issue.input)} (an IANA name such as "Europe/Berlin" or "UTC")` }).optional(),
});

/** The trainer's parameters as a config may give them: unknown keys refused. */
const StrictModelParams = NgramBagParamsSchema.strict();

/**
 * The keys of each level of a config, by the path of its object without indices (`tasks` for `tasks.0`): the
 * candidates for "did you mean" at that level, and where a key of another level put at the wrong one belongs.
 */
const KEY_LEVELS: ReadonlyMap<string, KeyLevel> = new Map([
  ['', { where: 'at the top level', keys: Object.keys(TrainingConfigFields.shape) }],
  ['tasks', { where: 'in each entry of tasks[]', keys: Object.keys(TaskConfigSchema.shape) }],
  ['columns', { where: 'in columns', keys: Object.keys(ColumnsSchema.shape) }],
  ['split', { where: 'in split', keys: [...new Set(SplitConfigSchema.options.flatMap((o) => Object.keys(o.shape)))] }],
  ['routing', { where: 'in routing', keys: Object.keys(RoutingSchema.shape) }],
  ['routing.automatedQueues', { where: 'in routing.automatedQueues', keys: Object.keys(AutomatedQueuesSchema.shape) }],
  ['model', { where: 'in model', keys: Object.keys(NgramBagParamsSchema.shape) }],
]);

/** `unknown key "minCount" (it belongs in each entry of tasks[])` or `(did you mean ...?)`, for the object at `path`. */
function unknownKeysAt(path: readonly PropertyKey[], keys: readonly string[]): string {
  const level = path.filter((p) => typeof p === 'string').join('.');
  const elsewhere = [...KEY_LEVELS].filter(([at]) => at !== level).map(([, l]) => l);
  return unknownKeyMessage(keys, KEY_LEVELS.get(level)?.keys ?? [], elsewhere);
}

/**
 * What the field schemas cannot see: references between fields, taxonomies, the trainer's parameters. It
 * also runs on the fields of a config that parse when others do not (`LenientConfigFields`), so a field it
 * needs may be absent: the checks that need it are left out.
 * `stored`: the config of a model already trained, read back to read data as it did (rules added since are not applied).
 */
const checkConfig = (stored: boolean) => (cfg: Partial<z.output<typeof TrainingConfigFields>>, ctx: z.RefinementCtx): void => {
  const names = cfg.tasks?.map((t) => t.name);
  const dup = names?.find((n, i) => names.indexOf(n) !== i);
  if (dup) ctx.addIssue({ code: 'custom', path: ['tasks'], message: `task "${dup}" appears twice` });
  if (names && cfg.split?.kind === 'stratified' && !names.includes(cfg.split.on)) {
    // The path already names split.on: the message gives the value, the close task and the tasks.
    ctx.addIssue({ code: 'custom', path: ['split', 'on'], message: `"${cfg.split.on}" is not a task ${choicesHint(cfg.split.on, names, 'tasks')}` });
  }
  if (cfg.split?.kind === 'time' && cfg.columns && cfg.columns.receivedAt === undefined) {
    ctx.addIssue({ code: 'custom', path: ['columns', 'receivedAt'], message: 'a time split needs columns.receivedAt' });
  }
  if (names && cfg.routing && !names.includes(cfg.routing.queueTask)) {
    ctx.addIssue({ code: 'custom', path: ['routing', 'queueTask'], message: `"${cfg.routing.queueTask}" is not a task ${choicesHint(cfg.routing.queueTask, names, 'tasks')}` });
  }
  for (const [i, task] of (cfg.routing?.abstainTasks ?? []).entries()) {
    if (names && !names.includes(task)) ctx.addIssue({ code: 'custom', path: ['routing', 'abstainTasks', i], message: `"${task}" is not a task ${choicesHint(task, names, 'tasks')}` });
  }
  // The list replaces the default (the queue task alone): without the queue task, its own abstention would route.
  if (cfg.routing?.abstainTasks && !cfg.routing.abstainTasks.includes(cfg.routing.queueTask)) {
    ctx.addIssue({ code: 'custom', path: ['routing', 'abstainTasks'], message: `must name the queue task "${cfg.routing.queueTask}" too: its own abstention sends an email to manual triage` });
  }
  // Checked here, not after all the data is read and cleaned: training refuses an empty validation split.
  if (cfg.split?.validShare === 0 && !stored) {
    ctx.addIssue({ code: 'custom', path: ['split', 'validShare'], message: '0 leaves no validation split, which early stopping, calibration and the abstention thresholds need: leave it out (0.1) or give a share above 0' });
  }
  if (cfg.split && cfg.split.testShare + cfg.split.validShare >= 0.95) {
    ctx.addIssue({ code: 'custom', path: ['split'], message: 'testShare + validShare leaves too little to train on' });
  }
  cfg.tasks?.forEach((task, i) => checkTaxonomy(task, ['tasks', i], ctx, stored));
  if (!stored) {
    checkSeed(cfg.split?.seed, ['split', 'seed'], ctx);
    checkSeed(cfg.model?.seed, ['model', 'seed'], ctx);
  }
  // The trainer's parameters are checked here too, so a typo fails before any data is read.
  const params = cfg.model === undefined ? undefined : StrictModelParams.safeParse(cfg.model);
  if (params?.success === false) for (const issue of params.error.issues) ctx.addIssue({ ...issue, path: ['model', ...issue.path] } as z.core.$ZodRawIssue);
  if (params?.success && !stored) checkTextRead(params.data, ctx);
};

/** Above this, the server cuts each text field (its limit `maxTextChars`, by default) before the model reads it. */
const SERVED_TEXT_CHARS = DEFAULT_MAX_TEXT_CHARS;

/**
 * What the model reads of the text, as the schema alone cannot say: a char n-gram range that makes none (`[5, 3]`,
 * `[0, 5]` trained as `[0, 0]` did, the manifest saying otherwise), no text at all (every row left out, the split
 * then refused with a message that names neither), and more characters than the server passes on.
 */
function checkTextRead(model: NgramBagParams, ctx: z.RefinementCtx): void {
  const [min, max] = model.charNgrams;
  if (!(min === 0 && max === 0) && !(min >= 1 && min <= max)) {
    ctx.addIssue({ code: 'custom', path: ['model', 'charNgrams'], message: `[${min}, ${max}] makes no char n-grams: give [min, max] with 1 <= min <= max (e.g. [3, 5]), or [0, 0] for none` });
  } else if (max === 0 && model.wordNgrams === 0) {
    ctx.addIssue({ code: 'custom', path: ['model'], message: 'the model would read no text: wordNgrams is 0 and charNgrams [0, 0]; give word n-grams (wordNgrams 1 to 4), char n-grams, or both' });
  }
  if (model.maxChars > SERVED_TEXT_CHARS) {
    ctx.addIssue({ code: 'custom', path: ['model', 'maxChars'], message: `${model.maxChars} is more than the server reads of a text field (${SERVED_TEXT_CHARS} characters, then cut): trained so, the model would answer otherwise served than in training and predict; at most ${SERVED_TEXT_CHARS}` });
  }
}

/**
 * A seed outside 0 to 2^32 - 1 is refused: the generators keep its low 32 bits, so 4294967296 split and
 * trained exactly as 0 did (and -1 as 4294967295), and a seed search over such values would compare a split
 * with itself. A stored config is read as it was trained.
 */
function checkSeed(seed: unknown, path: string[], ctx: z.RefinementCtx): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || (seed >= 0 && seed <= MAX_SEED)) return;
  ctx.addIssue({ code: 'custom', path, message: `a seed is a whole number from 0 to ${MAX_SEED}, got ${seed} (the generators keep 32 bits: it would act as ${seed >>> 0})` });
}

/**
 * The fields checkConfig reads, each absent when it does not parse (the full schema has said why), so it can
 * still check the others: zod runs a refinement only on an object whose fields all parse, and a config with
 * no `columns` hid a misnamed split task and the model's parameters until columns was added. Tasks are read
 * without their unknown keys (already reported), to keep their names for split.on and routing.
 */
const LenientConfigFields = z.object({
  columns: TrainingConfigFields.shape.columns.optional().catch(undefined),
  tasks: z.array(z.object(TaskConfigSchema.shape)).min(1).optional().catch(undefined),
  split: TrainingConfigFields.shape.split.catch(undefined),
  model: TrainingConfigFields.shape.model.optional().catch(undefined),
  routing: TrainingConfigFields.shape.routing.catch(undefined),
});

const withDefaultSplit = <T extends z.output<typeof TrainingConfigFields>>(cfg: T) => ({ ...cfg, split: cfg.split ?? defaultSplit(cfg.tasks[0].name) });
export const TrainingConfigSchema = TrainingConfigFields.superRefine(checkConfig(false)).transform(withDefaultSplit);
const StoredTrainingConfigSchema = TrainingConfigFields.superRefine(checkConfig(true)).transform(withDefaultSplit);
const lenientChecks = { false: LenientConfigFields.superRefine(checkConfig(false)), true: LenientConfigFields.superRefine(checkConfig(true)) };
export type TrainingConfig = z.infer<typeof TrainingConfigSchema>;
export type TrainingConfigInput = z.input<typeof TrainingConfigSchema>;

/**
 * A taxonomy that contradicts itself: repeated labels, aliases that loop, lead outside the labels or rename
 * a label that is listed. Every problem is reported, so one edit of the config can fix them all.
 */
function checkTaxonomy(task: TaskConfig, at: (string | number)[], ctx: z.RefinementCtx, stored: boolean): void {
  const labels = task.labels;
  for (const dup of new Set(labels?.filter((l, i) => labels.indexOf(l) !== i))) {
    ctx.addIssue({ code: 'custom', path: [...at, 'labels'], message: `label "${dup}" appears twice` });
  }
  for (const old of task.retired) {
    if (labels?.includes(old)) ctx.addIssue({ code: 'custom', path: [...at, 'retired'], message: `"${old}" is both retired and in labels: a model cannot learn a label its rows are masked for` });
    // Rare labels merge into `other` after the retired are masked: the model would learn it from them alone, and
    // served feedback of `other` (or of a merged label) would be ignored as retired.
    if (old === OTHER_LABEL && task.rare === 'other' && task.minCount > 1 && !stored) {
      const message = `"${OTHER_LABEL}" is retired, but labels on fewer than minCount (${task.minCount}) rows merge into it (rare "other"): a model would learn "${OTHER_LABEL}" from those rows while its own are masked; set "rare": "drop", or take "${OTHER_LABEL}" out of retired`;
      ctx.addIssue({ code: 'custom', path: [...at, 'retired'], message });
    }
    if (Object.hasOwn(task.aliases, old)) ctx.addIssue({ code: 'custom', path: [...at, 'retired'], message: `"${old}" is both retired and an alias (of "${task.aliases[old]}"): say which it is` });
  }
  // A loop is reported once, from the first of its aliases, not again from each alias on it.
  const looped = new Set<string>();
  for (const from of Object.keys(task.aliases)) {
    // A blank cell is read as no label before any alias: `{"": "unknown"}` would leave those rows masked without a word.
    if (from === '' && !stored) {
      ctx.addIssue({ code: 'custom', path: [...at, 'aliases'], message: `an alias from a blank label (to "${task.aliases[from]}") does nothing: a blank cell is a row without a label, masked in this task; remove it, or fill the cells in the export` });
      continue;
    }
    if (looped.has(from)) continue;
    const { label, chain, loop } = followAliases(task.aliases, from);
    if (loop) {
      for (const l of chain) looped.add(l);
      ctx.addIssue({ code: 'custom', path: [...at, 'aliases', from], message: `aliases loop: ${chain.join(' -> ')}` });
      continue;
    }
    // A rule newer than some trained models: their own configs still read their data.
    if (labels?.includes(from) && !stored) {
      const message = `"${from}" is both in labels and an alias (of "${task.aliases[from]}"): its rows become "${label}", so the label "${from}" can never occur (remove it from labels or from aliases)`;
      ctx.addIssue({ code: 'custom', path: [...at, 'aliases', from], message });
    }
    if (labels && !labels.includes(label) && !task.retired.includes(label)) {
      ctx.addIssue({ code: 'custom', path: [...at, 'aliases', from], message: `alias "${from}" leads to "${label}", which is not in the task's labels ${choicesHint(label, [...new Set(labels)], 'labels')}` });
    }
  }
}

/** How a file is read: the config's format, else by its name (`.jsonl` / `.ndjson`: JSONL, else CSV). */
export function formatOf(config: Pick<TrainingConfig, 'format'>, file: string): 'csv' | 'jsonl' {
  return config.format ?? (/\.(jsonl|ndjson)$/i.test(file) ? 'jsonl' : 'csv');
}

/** The column of a task's label. */
export function taskColumn(task: TaskConfig): string {
  return task.column ?? task.name;
}

/** The value a union's discriminator has (`"random"` of `{"kind": "random"}`, undefined when missing), for an issue of a discriminated union on an object. */
function discriminatorOf(issue: z.core.$ZodIssueInvalidUnion): { value: unknown } | undefined {
  const key = 'discriminator' in issue ? issue.discriminator : undefined;
  const input = issue.input;
  return typeof key === 'string' && typeof input === 'object' && input !== null ? { value: (input as Record<string, unknown>)[key] } : undefined;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  // A misspelt required key also shows as a missing one; the unknown key says more, so it comes first.
  const ordered = [...issues.filter((i) => i.code === 'unrecognized_keys'), ...issues.filter((i) => i.code !== 'unrecognized_keys')];
  return ordered
    .map((i) => {
      const where = i.path.length > 0 ? configPath(i.path) : '(root)';
      if (i.code === 'unrecognized_keys') return `${where}: ${unknownKeysAt(i.path, i.keys)}`;
      // Parsed with reportInput: a missing key is an invalid_type issue whose input is undefined.
      if (i.code === 'invalid_type' && i.path.length > 0 && i.input === undefined) return requiredKeyMessage(where);
      // A union's missing discriminator (`split` without `kind`) is reported at that key, with its parent as input.
      const kind = i.code === 'invalid_union' ? discriminatorOf(i) : undefined;
      if (kind !== undefined && kind.value === undefined) return requiredKeyMessage(where);
      // A kind the union lacks (`"random"`): what each kind does, not zod's `Invalid discriminator value`.
      if (kind !== undefined) return unknownKindMessage(where, kind.value) ?? `${where}: ${i.message}`;
      return `${where}: ${i.message}`;
    })
    .join('; ');
}

export function parseTrainingConfig(value: unknown, source = 'training config', options: { stored?: boolean } = {}): TrainingConfig {
  const stored = options.stored === true;
  const result = (stored ? StoredTrainingConfigSchema : TrainingConfigSchema).safeParse(value, { reportInput: true });
  // `__proto__` as a key or a name, and an alias old name given twice in two forms: refused, not dropped. A stored
  // config is read as it was trained (without them).
  const dropped = stored ? [] : [...protoKeyMessages(value), ...repeatedAliasMessages(value)];
  if (result.success && dropped.length === 0) return result.data;
  // Every problem in one message: the checks between fields, on the fields that parse, join the field errors.
  const issues = result.success ? [] : result.error.issues;
  const seen = new Set(issues.map(issueKey));
  const checked = lenientChecks[`${stored}`].safeParse(value, { reportInput: true });
  const more = checked.success ? [] : checked.error.issues.filter((i) => !seen.has(issueKey(i)));
  const described = issues.length + more.length > 0 ? [describeIssues([...issues, ...more])] : [];
  throw new TrainingConfigError(`${source}: ${[...dropped, ...described].join('; ')}`);
}

function issueKey(issue: z.core.$ZodIssue): string {
  return `${issue.path.join('.')}\u0000${issue.code}\u0000${issue.message}`;
}

/**
 * The config's text. A file that is not UTF-8 (Notepad's "ANSI", i.e. Windows-1252) is refused, naming the
 * line: read leniently, an umlaut in a label or alias would turn into U+FFFD, and the export's "Überweisung"
 * would then be refused as a label the config does not know, though the config seems to name it.
 */
function configText(file: string, bytes: Buffer): string {
  if (isUtf16(bytes)) throw new TrainingConfigError(`${file}: UTF-16 text (it starts with a UTF-16 byte-order mark, as PowerShell's > and Notepad's "Unicode" write it): save it as UTF-8`);
  const utf8 = decodeUtf8(bytes);
  if ('text' in utf8) return utf8.text;
  throw new TrainingConfigError(`${file}:${utf8.badLine}: not UTF-8 (saved as ANSI or Windows-1252?): save it as UTF-8`);
}

export async function loadTrainingConfig(file: string): Promise<TrainingConfig> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new TrainingConfigError(`${file}: cannot read (${readProblem(cause)})`, { cause });
  }
  // Without the byte-order mark some Windows editors write: JSON.parse refuses it.
  const text = configText(file, bytes).replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    // One line: V8 quotes the text around the error, newlines and all (`..."columns": oops}\n" is not valid JSON`).
    throw new TrainingConfigError(`${file}${jsonErrorPlace(text)}: not JSON (${(cause as Error).message.replace(/\r?\n|\r/g, '\\n')})`, { cause });
  }
  return parseTrainingConfig(json, file);
}

/** JSON Schema of the training config (for editors and the future Python/SageMaker trainer). */
export function trainingConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(TrainingConfigSchema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, unknown> };
  // `model` is a free record to zod (the family's trainer owns it); for editors, the ngram-bag parameters.
  const model = z.toJSONSchema(StrictModelParams, { io: 'input' }) as Record<string, unknown>;
  delete model.$schema;
  schema.properties.model = { ...model, description: 'Parameters of the ngram-bag trainer; every one has a default.' };
  return schema;
}
