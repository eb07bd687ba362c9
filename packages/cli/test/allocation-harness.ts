/**
 * Runs the allocation commands (allocate, init-trial, enrol, reveal, verify) as the real binary will once they are
 * registered in main.ts: a commander program with trialkit's error handling (io.ts reportFailure → exit 2 / 1).
 * Spawned by the allocation-*.test.ts files as `node --import tsx allocation-harness.ts <args>`.
 */
import { Command, CommanderError } from 'commander';
import { processOutput, reportFailure } from '../src/io.js';
import { ALLOCATION_COMMANDS } from './allocation-commands.js';

const program = new Command().name('trialkit').exitOverride();
for (const register of ALLOCATION_COMMANDS) register(program);
for (const command of program.commands) command.exitOverride();
try {
  await program.parseAsync(process.argv);
  if (typeof process.exitCode !== 'number') process.exitCode = 0;
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else process.exitCode = reportFailure(error, processOutput);
}
