/** A wrong flag or argument combination: printed in one line, exit code 2. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One line for a person: the error's code (when it has one) and message, never a stack trace. */
export function formatError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const prefix = typeof code === 'string' && code !== 'USAGE' ? `[${code}] ` : '';
    return `${prefix}${error.message.split('\n')[0]}`;
  }
  return String(error);
}
