import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'analysis-ips-contamination', include: ['test/**/*.test.ts'], testTimeout: 120_000 } });
