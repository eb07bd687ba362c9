/** The allocation commands, for the test harness (main.ts registers the same functions). */
import type { Command } from 'commander';
import { register as allocate } from '../src/commands/allocate.js';

export const ALLOCATION_COMMANDS: ReadonlyArray<(program: Command) => void> = [allocate];
