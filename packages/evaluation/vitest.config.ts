import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'evaluation',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    watch: false,
    // Each run's temporary files in one folder, removed at the end; the fuzz variables checked (see the files).
    globalSetup: ['../../vitest.tmp-setup.ts', '../../vitest.fuzz-env.ts'],
  },
});
