import { createHash } from 'node:crypto';
import { prepareModelInput, type ModelInput } from '@mailroute/model';
import { automatedKind, readsText, type TextReadParams } from '@mailroute/preprocess';
import { dedupeKeyText, dedupeText, uncomposedDedupeText, type DatasetRow } from '../data/dataset.js';
import { LoopTurns } from '../loop-turns.js';
import type { OnProgress } from './evaluate-split.js';

/**
 * How a split groups duplicates. `clean-text`: by the text the model reads (cleaned and masked, then
 * lower-cased and whitespace-folded), so two emails that differ only in a customer number, a signature or
 * a quoted reply stay on one side; rows with no text left are not split at all. `raw`: by the export's
 * own subject, body and HTML (models trained before mailroute grouped by the clean text).
 */
export type SplitKey = 'clean-text' | 'raw';

/** Rows cleaned once, with their model input and the key their split groups them by. */
export interface ModelRows {
  rows: DatasetRow[];
  inputs: ModelInput[];
  keys: string[];
  /**
   * Rows left out: no text the model reads after cleaning (markup, a quoted reply or a signature only; or
   * only emoji, punctuation, zero-width characters), by the rule serving flags `noText` with (`readsText`).
   */
  noText: number;
  /** Where the first of them are (`file:line`), at most 5. */
  noTextAt: string[];
  /**
   * Rows left out as automated (an auto-reply, a bounce: `automatedKind` by their subject and sender), which serving
   * routes as such whatever the model says: what an agent filed them under would only teach the model noise.
   */
  automated: number;
  /** Where the first of them are (`file:line`), at most 5. */
  automatedAt: string[];
  /** Each kept row's place in `rows` (and `inputs`, `keys`). */
  at: Map<DatasetRow, number>;
}

/**
 * Cleans every row once (the one way training and serving turn an email into model input); `featurizer`:
 * the model's featurizer params, which decide whether a row has text the model reads.
 */
export function prepareModelRows(all: readonly DatasetRow[], featurizer: TextReadParams, onProgress?: OnProgress): ModelRows {
  const out = emptyModelRows();
  const step = Math.max(1, Math.floor(all.length / 20));
  for (let i = 0; i < all.length; i++) {
    cleanRow(out, all[i], featurizer);
    if ((i + 1) % step === 0 || i + 1 === all.length) onProgress?.(i + 1, all.length, 'clean');
  }
  return out;
}

/**
 * `prepareModelRows` for a long run: the event loop gets a turn every few tens of milliseconds of cleaning, so a
 * Ctrl-C is heard while 200,000 rows are cleaned (a minute), and `signal` is checked then (rejects with its reason).
 */
export async function prepareModelRowsStoppably(all: readonly DatasetRow[], featurizer: TextReadParams, onProgress?: OnProgress, signal?: AbortSignal): Promise<ModelRows> {
  const out = emptyModelRows();
  const turns = new LoopTurns(all.length, { signal, onProgress, label: 'clean', always: true });
  for (let i = 0; i < all.length; i++) {
    cleanRow(out, all[i], featurizer);
    if (turns.due(i + 1)) await turns.turn();
  }
  return out;
}

/**
 * Each row's model input (a big test file's, or the rows an evaluation looks up in a model's seen-texts filter) for a
 * long run: the event loop gets a turn every few tens of milliseconds, so a Ctrl-C is heard, and `signal` is checked
 * then; progress (`label`, default `clean-test`) only once it takes a while.
 */
export async function prepareInputsStoppably(rows: readonly DatasetRow[], onProgress?: OnProgress, signal?: AbortSignal, label = 'clean-test'): Promise<ModelInput[]> {
  const out: ModelInput[] = new Array(rows.length);
  const turns = new LoopTurns(rows.length, { signal, onProgress, label });
  for (let i = 0; i < rows.length; i++) {
    out[i] = prepareModelInput(rows[i].email);
    if (turns.due(i + 1)) await turns.turn();
  }
  return out;
}

function emptyModelRows(): ModelRows {
  return { rows: [], inputs: [], keys: [], noText: 0, noTextAt: [], automated: 0, automatedAt: [], at: new Map() };
}

function cleanRow(out: ModelRows, row: DatasetRow, featurizer: TextReadParams): void {
  // Automated rows are left out before cleaning; the others when no text the model reads is left.
  const input = automatedKind(row.email) === undefined ? prepareModelInput(row.email) : undefined;
  if (input === undefined) {
    out.automated += 1;
    if (out.automatedAt.length < 5) out.automatedAt.push(`${row.file}:${row.line}`);
  } else if (!readsText(input.text, featurizer)) {
    out.noText += 1;
    if (out.noTextAt.length < 5) out.noTextAt.push(`${row.file}:${row.line}`);
  } else {
    out.at.set(row, out.rows.length);
    out.rows.push(row);
    out.inputs.push(input);
    out.keys.push(dedupeKeyText(input.text));
  }
}

/** The model inputs of some of the rows (each row is found by identity). */
export function inputsOf(prepared: ModelRows, rows: readonly DatasetRow[]): ModelInput[] {
  return rows.map((row) => {
    const i = prepared.at.get(row);
    if (i === undefined) throw new Error(`row ${row.id} was not prepared`);
    return prepared.inputs[i];
  });
}

/**
 * A fingerprint of the held-out rows (their ids and text, in order): `predict --split test` checks that
 * splitting the data again finds the same rows (a change to cleaning could move rows between sides).
 * Ids made from the file's name are left out, so a renamed file finds its rows again; `named` keeps them,
 * as models trained before `training.dataHashOf: 'rows'` recorded the fingerprint. The text is each row's dedupe
 * text, made again from its email (rows keep only its digest), as models' manifests recorded it; `uncomposed`: as
 * models trained before the dedupe text composed decomposed letters made it (`uncomposedDedupeText`).
 */
export function rowsFingerprint(rows: readonly DatasetRow[], options: { named?: boolean; uncomposed?: boolean } = {}): string {
  const hash = createHash('sha256');
  for (const row of rows) {
    const text = (options.uncomposed ? uncomposedDedupeText(row.email) : undefined) ?? dedupeText(row.email);
    hash.update(`${row.placeId && !options.named ? '' : row.id}\u0000${text}\u0000`);
  }
  return hash.digest('hex');
}
