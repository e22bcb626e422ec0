export { main, buildProgram } from './main.js';
export { createContext, type CliContext } from './context.js';
export { UsageError, formatError } from './errors.js';
