// Entry of a model thread (see thread-classifier.ts). Plain JavaScript that registers the TypeScript
// loader itself, so the thread starts the same under the CLI, tsx and vitest; the work is in model-thread.ts.
// The container's bundle (packages/cli/scripts/build.mjs) builds this file with both inlined and
// register() a no-op.
import { register } from 'tsx/esm/api';

register();
await import('./model-thread.ts');
