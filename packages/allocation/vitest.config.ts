import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'allocation', include: ['test/**/*.test.ts'] } });
