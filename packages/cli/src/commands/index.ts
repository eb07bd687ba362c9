/** Every command the CLI offers, in the order `trialkit --help` lists them. */
import type { Command } from 'commander';
import { register as allocate } from './allocate.js';
import { register as estimate } from './estimate.js';
import { register as report } from './report.js';
import { register as survival } from './survival.js';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  estimate,
  (program) => survival(program),
  allocate,
  report,
];
