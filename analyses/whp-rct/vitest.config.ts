import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'analysis-whp-rct', include: ['test/**/*.test.ts'], testTimeout: 120_000 } });
