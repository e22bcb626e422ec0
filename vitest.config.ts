import { defineConfig } from 'vitest/config';

// One vitest run over every package (each also has its own config for `nx run <pkg>:test`) and the benchmark's helpers.
export default defineConfig({
  test: {
    projects: ['packages/*', 'bench'],
    watch: false,
  },
});
