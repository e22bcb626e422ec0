#!/usr/bin/env node
// Runs the TypeScript CLI straight from source: no build step between `npm ci` and `npx mailroute`.
// The SageMaker container runs a bundle of `serve` with plain node instead (scripts/build.mjs).
import { register } from 'tsx/esm/api';

// `mailroute ... | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
