/**
 * `trialkit init-trial`: create a live trial directory — secret seed (mode 0600), commitment.txt (SHA-256 of the
 * seed, to publish now), trial.json (the design) and an empty hash-chained log. See @trialkit/allocation live/trial.ts.
 */
import type { Command } from 'commander';
import { initTrial } from '@trialkit/allocation';
import { parseChoice, parseList, parseNumberOption, processOutput, toJson, type Output } from '../io.js';
import { parseFactors } from './allocate.js';

interface InitTrialOptions {
  dir: string;
  arms: string;
  scheme: string;
  strata?: string;
  factors?: string;
  blockSizes?: string;
  imbalance?: string;
  bestProbability?: string;
  seed?: string;
  json?: boolean;
}

/** `output` defaults to the process streams (tests pass their own to run the command in-process). */
export function register(program: Command, output: Output = processOutput): void {
  program
    .command('init-trial')
    .description('create a trial for live, concealed enrolment: secret seed, published commitment, empty log')
    .requiredOption('--dir <dir>', 'the trial directory to create (must not exist or be empty)')
    .requiredOption('--arms <arms>', 'arms with integer ratios, e.g. "control:1,ips:1"')
    .requiredOption('--scheme <scheme>', 'block (stratified permuted blocks) | minimisation | simple')
    .option('--strata <columns>', 'columns each enrolment gives with --stratum col=value (minimisation: the factors)')
    .option('--factors <factors>', 'minimisation factor weights, e.g. "region:2,route:1" (default weight 1)')
    .option('--block-sizes <sizes>', 'permuted block sizes, multiples of the ratio sum (default 2R,3R,4R)')
    .option('--imbalance <measure>', 'minimisation imbalance: range|variance', 'range')
    .option('--best-probability <p>', 'minimisation: probability of the preferred arm', '0.8')
    .option('--seed <seed>', 'use this seed instead of 256 random bits (for demos and tests only: it defeats concealment)')
    .option('--json', 'print the trial description as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ trialkit init-trial --dir trial --arms "control:1,ips:1" --scheme block --strata region,route
  $ trialkit init-trial --dir trial --arms "control:2,ips:1,ips_plus:1" --scheme minimisation --strata region,age_band --factors "region:2,age_band:1"
Publish the printed commitment (e.g. in the trial registration) before the first enrolment.`,
    )
    .action((options: InitTrialOptions) => {
      const factors = options.factors !== undefined ? parseFactors(options.factors) : undefined;
      const blockSizes =
        options.blockSizes !== undefined
          ? parseList(options.blockSizes).map((s) => parseNumberOption('--block-sizes', s, { integer: true, min: 1, description: 'a list of whole numbers, e.g. 4,6,8' }))
          : undefined;
      const info = initTrial({
        dir: options.dir,
        arms: options.arms,
        scheme: options.scheme,
        strata: parseList(options.strata),
        ...(factors !== undefined ? { factors } : {}),
        ...(blockSizes !== undefined ? { blockSizes } : {}),
        imbalance: parseChoice('--imbalance', options.imbalance ?? 'range', ['range', 'variance'] as const),
        bestProbability: parseNumberOption('--best-probability', options.bestProbability ?? '0.8', { min: 0, max: 1, description: 'a probability between 0 and 1' }),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
      });
      if (options.json === true) {
        output.stdout(toJson({ dir: info.dir, commitment: info.commitment, trial: info.config }));
        return;
      }
      output.stdout(
        `Created trial in ${info.dir} (${info.config.schemeVersion}, arms ${info.config.arms}${info.config.strata.length > 0 ? `, strata ${info.config.strata.join(', ')}` : ''}).\n` +
          `Commitment (SHA-256 of the secret seed; publish it now): ${info.commitment}\n` +
          `Keep ${info.dir}/seed.secret private and backed up; reveal it at unblinding with \`trialkit reveal --dir ${info.dir}\`.\n`,
      );
    });
}
