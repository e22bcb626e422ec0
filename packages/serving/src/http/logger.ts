/** What the serving library logs through; it never calls console.* itself. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The keys of a log line itself: a field named so is written as field_<name>, never over them. */
const LINE_KEYS = new Set(['time', 'level', 'message']);

/**
 * What JSON.stringify leaves raw though a terminal or log viewer acts on it: DEL, the C1 controls (`\u009b` starts
 * an escape sequence as ESC [ does, `\u0085` breaks the line) and the line and paragraph separators. They can only
 * stand inside a JSON string, where `\uXXXX` reads back as the same character.
 */
const UNESCAPED_CONTROLS = /[\u007f-\u009f\u2028\u2029]/g;

/** One JSON log line (without its newline): time, level and message, then the fields; every control character escaped. */
export function logLine(level: string, message: string, fields?: Record<string, unknown>, time = new Date().toISOString()): string {
  const line: Record<string, unknown> = { time, level, message };
  if (fields) for (const [key, value] of Object.entries(fields)) line[LINE_KEYS.has(key) ? `field_${key}` : key] = value;
  return JSON.stringify(line).replace(UNESCAPED_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Milliseconds since the epoch; injected so tests can move time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** An error for a log line: its name and the start of its message, never more (a message may quote input). */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : 'unknown';
}
