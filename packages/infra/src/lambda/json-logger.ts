// One JSON line per log entry on stdout: Lambda ships it to the function's log group (JSON log format).
type Fields = Record<string, unknown>;

function write(level: 'INFO' | 'WARN' | 'ERROR', message: string, fields: Fields = {}): void {
  // A field named like the entry's own keys is kept as field_<name>, never written over them.
  const own = new Set(['level', 'message', 'time']);
  const rest = Object.fromEntries(Object.entries(fields).map(([k, v]) => [own.has(k) ? `field_${k}` : k, v]));
  process.stdout.write(`${JSON.stringify({ level, message, ...rest, time: new Date().toISOString() })}\n`);
}

export const jsonLogger = {
  info: (message: string, fields?: Fields) => write('INFO', message, fields),
  warn: (message: string, fields?: Fields) => write('WARN', message, fields),
  error: (message: string, fields?: Fields) => write('ERROR', message, fields),
};
