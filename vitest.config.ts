import { defineConfig } from 'vitest/config';

// One vitest run over every package's own project (each package has a vitest.config.ts).
export default defineConfig({
  test: {
    projects: ['packages/*', 'datasets', 'analyses/*'],
  },
});
