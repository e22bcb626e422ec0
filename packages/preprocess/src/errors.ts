/** An input larger than the configured limit: refused before any work, so cleaning stays bounded. */
export class InputTooLargeError extends Error {
  readonly code = 'PREPROCESS_INPUT_TOO_LARGE';
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`input is ${size} characters, over the limit of ${limit}`);
    this.name = 'InputTooLargeError';
  }
}

/**
 * An email that is not one: not an object, or a text field (`subject`, `body`, `html`) that is not a string. A
 * library caller's mistake, said by the field, where it would otherwise be a TypeError from deep in the cleaning.
 */
export class CleanInputError extends TypeError {
  readonly code = 'PREPROCESS_INPUT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'CleanInputError';
  }
}

/** A raw RFC 822 message that the MIME parser could not read. */
export class EmlParseError extends Error {
  readonly code = 'PREPROCESS_EML_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmlParseError';
  }
}

/** Options that do not fit their schema (a bad redaction pattern, an unknown scope). */
export class CleanOptionsError extends Error {
  readonly code = 'PREPROCESS_OPTIONS_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CleanOptionsError';
  }
}
