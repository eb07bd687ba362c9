import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'survival', include: ['test/**/*.test.ts'] } });
