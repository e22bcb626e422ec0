#!/usr/bin/env node
// Runs the TypeScript CLI straight from source: no build step between `npm ci` and `npx mailroute`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
