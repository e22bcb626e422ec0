// One JSON line per log entry on stdout (serving's `logLine`): Lambda ships it to the function's log group.
import { logLine } from '@mailroute/aws';

type Fields = Record<string, unknown>;

const write = (level: 'INFO' | 'WARN' | 'ERROR', message: string, fields?: Fields) => void process.stdout.write(`${logLine(level, message, fields)}\n`);

export const jsonLogger = {
  info: (message: string, fields?: Fields) => write('INFO', message, fields),
  warn: (message: string, fields?: Fields) => write('WARN', message, fields),
  error: (message: string, fields?: Fields) => write('ERROR', message, fields),
};
