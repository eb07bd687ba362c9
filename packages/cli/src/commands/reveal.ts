/** `trialkit reveal`: publish a live trial's seed at unblinding (a reveal record in the log and seed.revealed). */
import type { Command } from 'commander';
import { reveal } from '@trialkit/allocation';
import { processOutput, toJson } from '../io.js';

export function register(program: Command): void {
  program
    .command('reveal')
    .description('publish the seed at unblinding; enrolment closes and anyone can then verify every allocation')
    .requiredOption('--dir <dir>', 'the trial directory')
    .option('--json', 'print {seed, commitment} as JSON')
    .addHelpText('after', `\nExample:\n  $ trialkit reveal --dir trial && trialkit verify --dir trial --data outcomes.csv --id id --assignment arm`)
    .action((options: { dir: string; json?: boolean }) => {
      const result = reveal({ dir: options.dir });
      if (options.json === true) processOutput.stdout(toJson(result));
      else processOutput.stdout(`Seed: ${result.seed}\nCommitment: ${result.commitment} (SHA-256 of the seed)\nWritten to ${options.dir}/seed.revealed; enrolment is closed.\n`);
    });
}
