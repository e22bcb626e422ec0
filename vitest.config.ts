import { defineConfig } from 'vitest/config';

// One vitest run over every package; each package also has its own config for `nx run <pkg>:test`.
export default defineConfig({
  test: {
    projects: ['packages/*'],
    watch: false,
  },
});
