#!/usr/bin/env node
// Runs the TypeScript CLI straight from source: no build step between `npm ci` and `npx mailroute`.
// The SageMaker container runs a bundle of `serve` with plain node instead (scripts/build.mjs).
import { register } from 'tsx/esm/api';

register();
// Nothing mailroute writes (the registry, its models, runs, outputs) is writable by every user of the machine, whatever
// the umask (000 in some containers and CI runners would let anyone swap the champion model); group access stays the
// umask's. process.umask() without an argument is deprecated: set, then set again with what it returned.
process.umask(process.umask(0o002) | 0o002);
const { flushed, main, streamErrorHandler } = await import('../src/main.ts');
// `mailroute ... | head` closes the pipe early: stop quietly. Another failure of stdout (a full disk) is said in words, exit code 1.
for (const stream of [process.stdout, process.stderr]) stream.on('error', streamErrorHandler(stream === process.stdout ? 'standard output' : 'standard error'));
process.exitCode = await main(process.argv.slice(2));
// The command is done. A Ctrl-C (or SIGTERM) from now on must not end it with 130 (143), saying that a command which
// finished (a model registered) was interrupted: it ends with its own code. Left to end by itself, the process would
// then close onnxruntime's and SQLite's threads with no signal handler left, where a Ctrl-C killed it with 130; so it
// ends here, once what it wrote has left (a pipe may be written asynchronously; a failure already said is not said again).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(process.exitCode));
await Promise.all([process.stdout, process.stderr].map(flushed));
process.exit(process.exitCode);
