#!/usr/bin/env node
// The trialkit command. The packages are TypeScript run directly (no build step): tsx's loader is registered here.
import { register } from 'tsx/esm/api';

register();
// A reader that stops early (`trialkit --help | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
