import type { Email } from '@mailroute/preprocess';
import { z } from 'zod';
import { prepareModelInput } from './model-input.js';

/**
 * The email fields a training config maps to columns, besides the text: the body and the HTML are one text to
 * the model (the HTML read when the body is blank), so a config that named either reads an email's text in
 * whichever it comes; leaving the HTML out for a model trained on bodies made every HTML-only email no text.
 */
// `from` is no input: the model never reads the sender (masking stored text does, `senderNames`).
const INPUT_FIELDS = ['subject', 'bank', 'attachmentNames'] as const;
type InputField = (typeof INPUT_FIELDS)[number];

const StoredColumnsSchema = z.object({ columns: z.record(z.string(), z.string().optional()) }).loose();

/**
 * The input fields besides the text that the model's training config read (a column named for each), or undefined
 * when the manifest holds no config (a model made otherwise): then every field is read. Training knew only these: a field it
 * never saw, sent to the server (a `bank` the export had no column for), would add a meta token the model
 * never learnt, and answer otherwise than `predict` on the same emails.
 */
export function fieldsRead(manifest: { trainingConfig?: unknown }): ReadonlySet<InputField> | undefined {
  const stored = StoredColumnsSchema.safeParse(manifest.trainingConfig);
  if (!stored.success) return undefined;
  return new Set(INPUT_FIELDS.filter((field) => stored.data.columns[field] !== undefined));
}

/** The email as the model reads it: the input fields its config did not read left out (a copy only when one is there). */
export function asRead(email: Email, read: ReadonlySet<InputField> | undefined): Email {
  if (read === undefined || INPUT_FIELDS.every((field) => read.has(field) || email[field] === undefined)) return email;
  const copy: Email = { ...email };
  for (const field of INPUT_FIELDS) if (!read.has(field)) delete copy[field];
  return copy;
}

/** The text a model of `manifest` reads of an email (`EmailClassifier.modelText`): `prepareModelInput` of the fields its config read. */
export function modelTextReader(manifest: { trainingConfig?: unknown }): (email: Email) => string {
  const read = fieldsRead(manifest);
  return (email) => prepareModelInput(asRead(email, read)).text;
}
