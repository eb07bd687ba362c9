import { defineProject } from 'vitest/config';

// Tests are not timed; the timeout only guards against a hang on two shared cores.
export default defineProject({ test: { name: 'design', include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } });
