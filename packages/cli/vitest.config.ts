import { defineProject } from 'vitest/config';

// CLI tests spawn the real binary (tsx loader + DuckDB start-up): allow more than the default 5 s per test.
export default defineProject({ test: { name: 'cli', include: ['test/**/*.test.ts'], testTimeout: 60_000 } });
