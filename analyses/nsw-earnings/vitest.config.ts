import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'analysis-nsw-earnings', include: ['test/**/*.test.ts'], testTimeout: 120_000 } });
