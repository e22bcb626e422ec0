// Test helper run in a child process by local-registry.test.ts: registers artifacts, optionally dying
// half-way (SIGKILL, so no cleanup code runs) to prove a crash leaves nothing visible.
import { createLocalRegistry } from './local-registry.js';

const [home, mode, ...artifacts] = process.argv.slice(2);
const die = () => {
  process.kill(process.pid, 'SIGKILL');
};
const registry = createLocalRegistry({
  home,
  hooks: {
    afterCopyFile: mode === 'crash-copy' ? die : undefined,
    beforeIndexWrite: mode === 'crash-index' ? die : undefined,
  },
});
for (const dir of artifacts) await registry.register(dir);
process.stdout.write('done\n');
