/** Every command the CLI offers, in the order `trialkit --help` lists them. */
import type { Command } from 'commander';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [];
