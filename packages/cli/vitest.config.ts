import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    watch: false,
    // Each run's temporary files in one folder, removed at the end (see the file).
    globalSetup: ['../../vitest.tmp-setup.ts'],
  },
});
