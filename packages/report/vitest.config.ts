import { defineProject } from 'vitest/config';

// Rendering and the browser tests share the machine with every other package's suite: give them room. These are
// not timed tests (speed is in bench/), only a guard against a hung browser.
export default defineProject({ test: { name: 'report', include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } });
