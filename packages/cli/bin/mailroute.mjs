#!/usr/bin/env node
// Runs the TypeScript CLI straight from source: no build step between `npm ci` and `npx mailroute`.
// The SageMaker container runs a bundle of `serve` with plain node instead (scripts/build.mjs).
import { register } from 'tsx/esm/api';

register();
const { main, streamErrorHandler } = await import('../src/main.ts');
// `mailroute ... | head` closes the pipe early: stop quietly. Another failure of stdout (a full disk) is said in words, exit code 1.
for (const stream of [process.stdout, process.stderr]) stream.on('error', streamErrorHandler(stream === process.stdout ? 'standard output' : 'standard error'));
process.exitCode = await main(process.argv.slice(2));
// The command is done; the process stays up a moment while onnxruntime and the SQLite threads close. A Ctrl-C then
// would kill it with 130, saying that a command which finished (a model registered) was interrupted: end with its code.
process.on('SIGINT', () => process.exit(process.exitCode));
