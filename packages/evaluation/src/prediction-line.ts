import { didYouMean, EmailPredictionSchema, jsonErrorOffset, normalizeLabel } from '@mailroute/model';
import { z } from 'zod';
import { PredictionFileError } from './errors.js';

/**
 * A record of a prediction line (tasks, labels' scores, meta) without Object's prototype: a task or label named
 * `constructor` or `toString` is one like any other, and a line that lacks it has none (not Object's own).
 */
const nullPrototype = <T>(record: Record<string, T>): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, record);

/**
 * A label of a prediction line as every package reads one (`normalizeLabel`): in NFC, so a decomposed `Depotübertrag`
 * is the same label as the composed one, and trimmed, so a truth `"account_management "` a CRM export kept the blank
 * of is not a class of its own (training trims the cell). Empty is checked on the label as read, so that one of
 * variation selectors or blanks only (`"\uFE0F"`, `" "`) is refused, not read as `""`.
 */
const label = (message: string) => z.string().overwrite(normalizeLabel).min(1, message);

/** One task's prediction in a prediction line: the label, optionally with scores per label. */
export const LinePredictionSchema = z.strictObject({
  label: label('a label is not empty'),
  /** Probability per label (0 to 1, float rounding of 1e-6 allowed); used for top-k accuracy, calibration and the coverage curve. */
  scores: z
    .record(z.string().overwrite(normalizeLabel).min(1, 'a scored label is not empty'), z.number().min(0, 'a score is a probability from 0 to 1').max(1 + 1e-6, 'a score is a probability from 0 to 1'))
    .overwrite(nullPrototype)
    .optional(),
  /** Confidence of `label` (a probability, 0 to 1; float rounding of 1e-6 over 1 is allowed), when the scores are not given. */
  confidence: z.number().min(0, 'a confidence is a probability from 0 to 1').max(1 + 1e-6, 'a confidence is a probability from 0 to 1').optional(),
  abstained: z.boolean().optional(),
});
export type LinePrediction = z.infer<typeof LinePredictionSchema>;

/**
 * One line of a predictions JSONL file, written by `mailroute predict` and read by `evaluate` and
 * `compare`. A task missing from `truth` (or null there) is skipped for that line. Unknown keys are an
 * error: a misspelt `truth` would otherwise leave the line out of every metric without a word.
 */
export const PredictionLineSchema = z.strictObject({
  id: z.string().optional(),
  /** The model that made the prediction (`mailroute predict` writes it): evaluate and compare check it. */
  modelId: z.string().min(1).optional(),
  truth: z
    .record(z.string(), label('a truth label is not empty (null when unknown)').nullable())
    .overwrite(nullPrototype)
    .default(() => nullPrototype<string | null>({})),
  prediction: z.record(z.string(), LinePredictionSchema).overwrite(nullPrototype),
  meta: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .overwrite(nullPrototype)
    .optional(),
});
export type PredictionLine = z.infer<typeof PredictionLineSchema>;

/**
 * The meta key `mailroute predict` sets (to true) on a line whose email text the model was trained or validated
 * on (its artifact's seen-texts filter): figures measured on such lines flatter the model. Not a slice of the reports.
 */
export const SEEN_IN_TRAINING = 'seenInTraining';

/**
 * The meta key `mailroute predict` sets on a line of automated mail (an auto-reply, a bounce: `automatedKind` of
 * @mailroute/preprocess), to its kind: training leaves such rows out and serving routes them as `automated` whatever
 * the labels, so `evaluate` scores without them. Not a slice of the reports.
 */
export const AUTOMATED_MAIL = 'automated';
const AUTOMATED_KIND = EmailPredictionSchema.shape.automated.unwrap();

/** Whether predict marked the line as automated mail. Only a kind predict writes: meta is the caller's too, where `automated: false` says no. */
export function isAutomatedMail(line: PredictionLine): boolean {
  return AUTOMATED_KIND.safeParse(line.meta?.[AUTOMATED_MAIL]).success;
}

/**
 * Two sides' lines of one test set (a comparison's) but those of the emails either side marks as automated mail, so
 * that both are scored on the same emails: paired by id where every line has one, else by position. `left` counts
 * the emails left out. Sides of unequal length, or whose ids differ, are returned whole: not one test set.
 */
export function withoutAutomatedPairs(a: readonly PredictionLine[], b: readonly PredictionLine[]): { a: PredictionLine[]; b: PredictionLine[]; left: number } {
  // Sides that are not one test set are left as they are, for the comparison to refuse: no line of them hidden first.
  if (a.length !== b.length) return { a: [...a], b: [...b], left: 0 };
  if ([...a, ...b].every((l) => l.id !== undefined)) {
    const ids = new Set(b.map((l) => l.id));
    if (ids.size !== b.length || a.some((l) => !ids.has(l.id))) return { a: [...a], b: [...b], left: 0 };
    const automated = new Set([...a, ...b].filter(isAutomatedMail).map((l) => l.id));
    const kept = (lines: readonly PredictionLine[]) => lines.filter((l) => !automated.has(l.id));
    return { a: kept(a), b: kept(b), left: automated.size };
  }
  const out = a.map((line, i) => isAutomatedMail(line) || isAutomatedMail(b[i]));
  const kept = (lines: readonly PredictionLine[]) => lines.filter((_, i) => !out[i]);
  return { a: kept(a), b: kept(b), left: out.filter(Boolean).length };
}

/**
 * The lines but those of automated mail (`meta.automated`), and a warning saying how many were left out (undefined
 * when none was).
 */
export function withoutAutomatedMail(lines: readonly PredictionLine[]): { lines: PredictionLine[]; warning?: string } {
  const kept = lines.filter((l) => !isAutomatedMail(l));
  const left = lines.length - kept.length;
  if (left === 0) return { lines: kept };
  return {
    lines: kept,
    warning: `${left} of these ${lines.length} lines are automated mail (auto-replies, bounces: marked ${AUTOMATED_MAIL} when predicted) and are left out of the scores: training leaves such emails out, and serving routes them as automated whatever their labels`,
  };
}

/**
 * Whether `seen` of `total` emails repeating training texts is worth a warning: at least 3, and at least 1% of
 * them beyond the `byChance` a filter's false positives explain. Predicting and the reports of its lines share it.
 */
export function manySeenInTraining(seen: number, total: number, byChance = 0): boolean {
  return seen >= 3 && seen - byChance >= 0.01 * total;
}

/**
 * The warning for lines that carry `meta.seenInTraining` (as `mailroute predict` marks them), when there are at least
 * 3 and 1% of the lines, as predicting warns of them; undefined otherwise. For reports and gates made from
 * prediction files, which the model's own check never sees.
 */
export function seenInTrainingWarning(lines: readonly PredictionLine[]): string | undefined {
  const seen = lines.filter((l) => l.meta?.[SEEN_IN_TRAINING] === true).length;
  if (!manySeenInTraining(seen, lines.length)) return undefined;
  const ids = [...new Set(lines.map((l) => l.modelId).filter((id): id is string => id !== undefined))];
  const model = ids.length === 1 ? `model ${ids[0]}` : 'the model';
  const share = ((100 * seen) / lines.length).toFixed(seen === lines.length ? 0 : 1);
  return `${seen} of these ${lines.length} lines (${share}%) are of emails whose text ${model} was trained or validated on (marked ${SEEN_IN_TRAINING} when predicted): its metrics on them flatter it; evaluate on mail it has not seen`;
}

/** A misspelt key (`truht`, a task's `confidnce`) is named with the key probably meant. */
function issueMessage(issue: z.core.$ZodIssue): string {
  // A bad key of a record (a scored label) has its own message inside; the key is said as JSON, `""` included.
  if (issue.code === 'invalid_key') return `${issue.issues[0]?.message ?? issue.message}: ${JSON.stringify(String(issue.path[issue.path.length - 1]))}`;
  if (issue.code !== 'unrecognized_keys') return issue.message;
  const known = Object.keys(issue.path.length === 0 ? PredictionLineSchema.shape : LinePredictionSchema.shape);
  return issue.keys.map((k) => `unknown key "${k}"${didYouMean(k, known, '"')}`).join('; ');
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * Where a line holds the key `__proto__` (`truth.__proto__`), if anywhere: no JavaScript record can hold it, and
 * the schema would drop it without a word. A training config refuses it as a task name too (names start with a letter).
 */
function protoKeyAt(json: Record<string, unknown>): string | undefined {
  const has = (x: unknown) => isObject(x) && Object.hasOwn(x, '__proto__');
  if (has(json)) return '__proto__';
  for (const key of ['truth', 'prediction', 'meta']) if (has(json[key])) return `${key}.__proto__`;
  const prediction = json.prediction;
  if (isObject(prediction)) for (const [task, p] of Object.entries(prediction)) if (isObject(p) && has(p.scores)) return `prediction.${task}.scores.__proto__`;
  return undefined;
}

/**
 * Where a task's scores name one label twice, written differently (`Depotübertrag` composed and decomposed, `⚠️`
 * with and without its variation selector), if anywhere: read as labels are, one score would silently replace the other.
 */
function twiceScoredAt(json: Record<string, unknown>): { at: string; label: string } | undefined {
  if (!isObject(json.prediction)) return undefined;
  for (const [task, p] of Object.entries(json.prediction)) {
    if (!isObject(p) || !isObject(p.scores)) continue;
    const seen = new Set<string>();
    for (const key of Object.keys(p.scores)) {
      const label = normalizeLabel(key);
      if (seen.has(label)) return { at: `prediction.${task}.scores`, label };
      seen.add(label);
    }
  }
  return undefined;
}

/** `, column 31`: where the trimmed `line` stops being JSON, counted from 1 on the line as it is in the file (`raw`). */
function notJsonAt(raw: string, line: string): string {
  const offset = jsonErrorOffset(line);
  return offset === undefined ? '' : `, column ${raw.indexOf(line) + offset + 1}`;
}

/**
 * ` (Unexpected end of JSON input)`: the parser's reason, as the data reader gives it, without its position (the
 * column says where) and only when it quotes nothing of the line, whose text may be an email's.
 */
function notJsonWhy(cause: unknown): string {
  const message = (cause as Error).message.replace(/ at position \d+(?: \(line \d+ column \d+\))?/, '');
  return message.includes('"') || message.includes("'") || message.includes('\n') ? '' : ` (${message})`;
}

/** One JSONL line as a prediction line, undefined when blank; the error names `place` (`file:line`) and what is wrong. */
export function parsePredictionLine(raw: string, place: string): PredictionLine | undefined {
  const line = raw.trim();
  if (line === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (cause) {
    throw new PredictionFileError(`${place}${notJsonAt(raw, line)}: not JSON${notJsonWhy(cause)}`, { cause });
  }
  // An email or a cleaned line (`mailroute clean`'s output) given as predictions: say what the file is not.
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && !('prediction' in json)) {
    throw new PredictionFileError(
      `${place}: not a prediction line: it has no "prediction" (prediction lines are what mailroute predict writes, {"id", "truth", "prediction": {task: {"label", "scores"}}}); to evaluate emails, predict them first: mailroute evaluate --model <id> --data <file>`,
    );
  }
  const proto = isObject(json) ? protoKeyAt(json) : undefined;
  if (proto !== undefined) {
    throw new PredictionFileError(
      `${place}: "__proto__" at ${proto} cannot name a task, a label or a meta key (a training config refuses it as a task name too, as task names start with a letter): rename it`,
    );
  }
  const twice = isObject(json) ? twiceScoredAt(json) : undefined;
  if (twice !== undefined) {
    throw new PredictionFileError(
      `${place}: the scores name the label ${JSON.stringify(twice.label)} twice, written differently (labels are read in Unicode NFC, without variation selectors and without blanks around them, which makes them one) at ${twice.at}: give it one score`,
    );
  }
  const parsed = PredictionLineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // A bad key is named in the message, at its record: a path ending in an empty key would end in a dot.
    const path = issue.code === 'invalid_key' ? issue.path.slice(0, -1) : issue.path;
    const where = path.length > 0 ? ` at ${path.join('.')}` : '';
    throw new PredictionFileError(`${place}: ${issueMessage(issue)}${where}`);
  }
  return parsed.data;
}

/** The error for a file with no prediction line at all. */
export function noPredictionLines(source: string): PredictionFileError {
  return new PredictionFileError(`${source}: no prediction lines`);
}

/** Parses JSONL text into prediction lines; the error names the line number and what is wrong. */
export function parsePredictionLines(text: string, source = 'predictions'): PredictionLine[] {
  const lines: PredictionLine[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const line = parsePredictionLine(raw[i], `${source}:${i + 1}`);
    if (line) lines.push(line);
  }
  if (lines.length === 0) throw noPredictionLines(source);
  return lines;
}

/**
 * Serialises prediction lines as JSONL (one line each, newline-terminated), each checked against the schema
 * first unless `parsed`: lines that came out of `PredictionLineSchema` already (`mailroute predict` builds
 * them so, a file is read so) need no second check, which took four fifths of the time to write them.
 */
export function formatPredictionLines(lines: readonly PredictionLine[], { parsed = false }: { parsed?: boolean } = {}): string {
  return lines.map((l) => `${JSON.stringify(parsed ? l : PredictionLineSchema.parse(l))}\n`).join('');
}

/**
 * The lines as JSONL, `size` lines a chunk, each line built only when its chunk is: one string of them all
 * passes V8's limit of 2^29 - 24 characters at about 140,000 lines of a 77-label task. `parsed` as
 * `formatPredictionLines` takes it.
 */
export function* predictionLineChunks(lines: Iterable<PredictionLine>, size = 1000, options: { parsed?: boolean } = {}): Generator<string> {
  let batch: PredictionLine[] = [];
  for (const line of lines) {
    batch.push(line);
    if (batch.length >= size) {
      yield formatPredictionLines(batch, options);
      batch = [];
    }
  }
  if (batch.length > 0) yield formatPredictionLines(batch, options);
}

/** The model ids the lines name (none when they name none). */
export function modelIdsOf(lines: readonly PredictionLine[]): string[] {
  return [...new Set(lines.flatMap((l) => (l.modelId === undefined ? [] : [l.modelId])))];
}

/**
 * The tasks with a truth label in at least one line, in the order the predictions name them (the model's: a report
 * of live feedback, whose first confirmed case may carry a newer task only, still opens with the queue), then any
 * no line predicts, in first-seen order.
 */
export function tasksOf(lines: readonly PredictionLine[]): string[] {
  const tasks = new Set<string>();
  for (const l of lines) for (const [task, label] of Object.entries(l.truth)) if (label !== null) tasks.add(task);
  const order = predictedTasksOf(lines);
  const rank = (task: string) => {
    const at = order.indexOf(task);
    return at < 0 ? order.length : at;
  };
  // A stable sort: tasks no line predicts keep their first-seen order, after the others.
  return [...tasks].sort((a, b) => rank(a) - rank(b));
}

/** The tasks predicted in at least one line, in first-seen order. */
export function predictedTasksOf(lines: readonly PredictionLine[]): string[] {
  const tasks = new Set<string>();
  for (const l of lines) for (const task of Object.keys(l.prediction)) tasks.add(task);
  return [...tasks];
}

/** The ids more than one line carries, in first-seen order, each with the positions (0-based) of its lines. */
export function repeatedIds(ids: ReadonlyArray<string | undefined>): Map<string, number[]> {
  const at = new Map<string, number[]>();
  ids.forEach((id, i) => {
    if (id === undefined) return;
    const places = at.get(id);
    if (places) places.push(i);
    else at.set(id, [i]);
  });
  return new Map([...at].filter(([, places]) => places.length > 1));
}

/** Confidence of a line's prediction: its `confidence`, else the score of its label, else the top score. */
export function confidenceOf(p: LinePrediction): number | undefined {
  if (p.confidence !== undefined) return p.confidence;
  if (!p.scores) return undefined;
  const own = p.scores[p.label];
  if (own !== undefined) return own;
  const values = Object.values(p.scores);
  return values.length > 0 ? Math.max(...values) : undefined;
}
