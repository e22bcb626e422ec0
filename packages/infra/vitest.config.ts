import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'infra',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    watch: false,
  },
});
