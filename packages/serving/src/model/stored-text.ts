import { prepareModelInput, type EmailClassifier, type EmailPrediction } from '@mailroute/model';
import { htmlToText, markupOf, namesFound, redactPii, senderNames, spacedAttachmentName, type Email, type RedactPattern } from '@mailroute/preprocess';

/**
 * What `--store-text` keeps of an email, computed where the model's input is (on a model thread for the batches that go
 * there, from the cleaning the model read: an email is never cleaned twice for it), so the request thread only stores it.
 */

/** How stored text is masked: the text, and the names to mask wherever they stand (the email's, `storedText`). */
export type MaskText = (text: string, knownNames?: readonly string[]) => string;

/**
 * An email's whole text as it came, where its names are looked for (`namesFound`): the subject and the body, or the
 * visible text of the markup cleaning reads (`markupOf`: the HTML for a blank body, or a body that is HTML), as
 * masking reads text: tags and entities such as `Gr&uuml;&szlig;e` would hide names from it.
 */
export function rawText(email: Email): string {
  const markup = markupOf(email);
  const body = markup !== undefined ? htmlToText(markup) : email.body;
  return [email.subject, body].filter((x) => x !== undefined).join('\n\n');
}

/** The names to mask in an email's stored text: found by their cues anywhere in it, and given by its From (`senderNames`). */
export function storedNames(email: Email): string[] {
  return [...new Set([...namesFound(rawText(email)), ...senderNames(email.from)])];
}

/** The text `--store-text` keeps of an email before masking, and the names to mask in it. */
export interface StoredParts {
  text: string;
  knownNames: string[];
}

/**
 * The text `--store-text` keeps, before masking: what the model read (`prepareModelInput`: the subject and the body
 * cleaned, quotes, signature and disclaimers gone, IBANs and numbers masked), so that a model retrained on it
 * (`mailroute feedback export`) reads what serving read; and the names to mask in it, found by their cues anywhere in
 * the email (a name signed in the signature that cleaning took out) and given by its From (`senderNames`).
 * This cleans the email: where the model's input was made already, its text is reused (`predictKeeping`).
 */
export function storedText(email: Email, modelText: (email: Email) => string = (e) => prepareModelInput(e).text): StoredParts {
  return { text: modelText(email), knownNames: storedNames(email) };
}

/** Every detector of `redactPii`, names and addresses included: stored text leaves the request. */
const STORED_TEXT_MASKING = { names: true };

/**
 * The masking of `maskPii` (`@mailroute/serving`'s, what `--store-text` masks with), here for the model threads, which
 * do not load the app: IBANs, cards, emails, phones, keyed numbers, names and addresses replaced; `knownNames` masked
 * wherever they stand; `patterns` (`--pii-patterns`) before every other detector. A test holds the two the same.
 */
export function maskStoredText(text: string, knownNames: readonly string[] = [], patterns: readonly RedactPattern[] = []): string {
  if (knownNames.length === 0 && patterns.length === 0) return redactPii(text, STORED_TEXT_MASKING).text;
  return redactPii(text, { ...STORED_TEXT_MASKING, knownNames: [...knownNames], patterns: [...patterns] }).text;
}

/** What `--store-text` keeps of an email's text: the text masked, and its attachment names masked (absent when it has none). */
export interface KeptText {
  text: string;
  attachmentNames?: string[];
}

/**
 * The stored text masked with the email's names, and its attachment names masked too. A file name can hold a customer's
 * name or IBAN (`Vollmacht_Erika_Muster.pdf`): masked as the text, by the same names, once its words are apart (masking
 * needs word boundaries, which `_` and `ErikaMuster` are not). Masked as written first, without the email's names (they
 * read best apart): setting the words apart breaks what is read only whole, an address's dots
 * (`erika.musterfrau@mail.example.pdf`) or an institution's pattern (`KD-12345678`). Blank names are left out.
 */
export function maskKept(email: Email, { text, knownNames }: StoredParts, mask: MaskText): KeptText {
  const kept: KeptText = { text: mask(text, knownNames) };
  const names = email.attachmentNames?.filter((name) => name.trim() !== '');
  if (names !== undefined && names.length > 0) kept.attachmentNames = names.map((name) => mask(spacedAttachmentName(name, (stem) => mask(stem)), knownNames));
  return kept;
}

/**
 * A masking a model thread can run itself (structured-cloneable): `maskStoredText` after these patterns. A masking
 * that is none of these (a caller's own function) runs on the request thread, on the parts a model thread sends back.
 */
export interface ThreadMasking {
  readonly patterns: readonly RedactPattern[];
}

/** The masking `--store-text` without `--pii-patterns` does (`maskPii`'s). */
export const BUILT_IN_MASKING: ThreadMasking = Object.freeze({ patterns: Object.freeze([]) as readonly RedactPattern[] });

/** The function of a thread masking. */
export function threadMask(masking: ThreadMasking): MaskText {
  return (text, knownNames) => maskStoredText(text, knownNames, masking.patterns);
}

/** A masking function that says which thread masking it is: a model thread masks with that instead. */
export type DescribedMasking = MaskText & { readonly threadMasking: ThreadMasking };

/** `maskStoredText` after `patterns` (`--pii-patterns`), as a function a model thread recognizes and runs itself. */
export function patternMasking(patterns: readonly RedactPattern[]): DescribedMasking {
  const masking: ThreadMasking = { patterns: [...patterns] };
  return Object.assign(threadMask(masking), { threadMasking: masking });
}

/** The thread masking a function says it is (`patternMasking`), or undefined. */
export function describedMasking(mask: MaskText): ThreadMasking | undefined {
  return (mask as Partial<DescribedMasking>).threadMasking;
}

/** Predictions, and what `--store-text` keeps of each email, in the same order. */
export interface PredictedKept {
  predictions: EmailPrediction[];
  kept: KeptText[];
}

/** A classifier that computes the kept text where it computes the model's input (serving's model threads). */
export interface KeepingClassifier extends EmailClassifier {
  predictKeeping(emails: readonly Email[], mask: MaskText): Promise<PredictedKept>;
}

/** A classifier that gives the text its model read with its predictions (`Classifier.predictReading`). */
interface ReadingClassifier extends EmailClassifier {
  predictReading(emails: readonly Email[]): Promise<{ predictions: EmailPrediction[]; texts: string[] }>;
}

/**
 * `classifier.predict`, and what `--store-text` keeps of each email masked with `mask`: by the classifier where it
 * computes it itself (a model thread, `KeepingClassifier`); else from the text it read, where it gives it
 * (`Classifier.predictReading`: no second cleaning); else (an endpoint, which reads every field) by cleaning here.
 */
export async function predictKeeping(classifier: EmailClassifier, emails: readonly Email[], mask: MaskText): Promise<PredictedKept> {
  const keeping = classifier as Partial<KeepingClassifier>;
  if (typeof keeping.predictKeeping === 'function') return keeping.predictKeeping(emails, mask);
  const reading = classifier as Partial<ReadingClassifier>;
  if (typeof reading.predictReading === 'function') {
    const { predictions, texts } = await reading.predictReading(emails);
    return { predictions, kept: emails.map((email, i) => maskKept(email, { text: texts[i], knownNames: storedNames(email) }, mask)) };
  }
  const predictions = await classifier.predict(emails);
  return { predictions, kept: emails.map((email) => maskKept(email, storedText(email, classifier.modelText), mask)) };
}
