/**
 * Run an allocation command (allocate, init-trial, enrol, reveal, verify) inside the test process: a commander
 * program with only the five commands registered on a captured output, and trialkit's error handling (io.ts
 * reportFailure → exit 2). `verify` reports failure through process.exitCode (3); it is read and restored here so
 * the test process's own exit code is untouched. End-to-end behaviour of the real binary (exit codes, stderr, no
 * file written) is covered by the few spawned runs in the allocation-*.test.ts files (run-cli.ts).
 */
import { Command, CommanderError } from 'commander';
import { register as allocate } from '../src/commands/allocate.js';
import { register as enrol } from '../src/commands/enrol.js';
import { register as initTrial } from '../src/commands/init-trial.js';
import { register as reveal } from '../src/commands/reveal.js';
import { register as verify } from '../src/commands/verify.js';
import { reportFailure, type Output } from '../src/io.js';

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runAllocationCommand(args: readonly string[]): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const output: Output = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const program = new Command().name('trialkit').exitOverride();
  for (const register of [allocate, initTrial, enrol, reveal, verify]) register(program, output);
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({ writeOut: output.stdout, writeErr: output.stderr, outputError: () => undefined });
  }
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'trialkit', ...args]);
    return { code: typeof process.exitCode === 'number' ? process.exitCode : 0, stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? 0 : 2, stdout, stderr: stderr + error.message };
    return { code: reportFailure(error, output), stdout, stderr };
  } finally {
    process.exitCode = saved;
  }
}
