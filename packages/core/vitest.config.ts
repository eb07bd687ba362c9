import { defineProject } from 'vitest/config';

// Tests are not timed (speed is measured in bench/); the timeout only guards against a hang, and is generous because
// the whole suite shares two cores.
export default defineProject({ test: { name: 'core', include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } });
