// Entry of a model thread (see thread-classifier.ts). Plain JavaScript that registers the TypeScript
// loader itself, so the thread starts the same under the CLI, tsx and vitest; the work is in model-thread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./model-thread.ts');
