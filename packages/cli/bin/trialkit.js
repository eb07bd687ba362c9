#!/usr/bin/env node
// The trialkit command. The packages are TypeScript run directly (no build step): tsx's loader is registered here.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
