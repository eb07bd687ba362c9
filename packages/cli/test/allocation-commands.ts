/** The allocation commands, for the test harness (main.ts registers the same functions). */
import type { Command } from 'commander';
import { register as allocate } from '../src/commands/allocate.js';
import { register as enrol } from '../src/commands/enrol.js';
import { register as initTrial } from '../src/commands/init-trial.js';
import { register as reveal } from '../src/commands/reveal.js';
import { register as verify } from '../src/commands/verify.js';

export const ALLOCATION_COMMANDS: ReadonlyArray<(program: Command) => void> = [allocate, initTrial, enrol, reveal, verify];
