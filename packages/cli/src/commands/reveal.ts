/** `trialkit reveal`: publish a live trial's seed at unblinding (a reveal record in the log and seed.revealed). */
import type { Command } from 'commander';
import { reveal } from '@trialkit/allocation';
import { processOutput, toJson, type Output } from '../io.js';

/** `output` defaults to the process streams (tests pass their own to run the command in-process). */
export function register(program: Command, output: Output = processOutput): void {
  program
    .command('reveal')
    .description('publish the seed at unblinding; enrolment closes and anyone can then verify every allocation')
    .requiredOption('--dir <dir>', 'the trial directory')
    .option('--json', 'print {seed, commitment} as JSON')
    .addHelpText('after', `\nExample:\n  $ trialkit reveal --dir trial && trialkit verify --dir trial --data outcomes.csv --id id --assignment arm`)
    .action((options: { dir: string; json?: boolean }) => {
      const result = reveal({ dir: options.dir });
      if (options.json === true) output.stdout(toJson(result));
      else output.stdout(`Seed: ${result.seed}\nCommitment: ${result.commitment} (SHA-256 of the seed)\nWritten to ${options.dir}/seed.revealed; enrolment is closed.\n`);
    });
}
