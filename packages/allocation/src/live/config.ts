/** trial.json: the declared design of a live trial (written once by initTrial, bound into the log's hash chain). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocationErrors } from '../errors.js';

export const CONFIG_FILE = 'trial.json';
export const SEED_FILE = 'seed.secret';
export const COMMITMENT_FILE = 'commitment.txt';
export const REVEALED_FILE = 'seed.revealed';

export type LiveScheme = 'simple' | 'block' | 'minimisation';

export interface TrialConfig {
  readonly format: 'trialkit-trial@1';
  readonly scheme: LiveScheme;
  readonly schemeVersion: string;
  readonly arms: string;
  /** Columns each enrolment must give (`--stratum col=value`), in order; their values joined by "|" are the stratum. */
  readonly strata: readonly string[];
  readonly blockSizes?: readonly number[];
  readonly factors?: readonly { readonly name: string; readonly weight: number }[];
  readonly imbalance?: 'range' | 'variance';
  readonly bestProbability?: number;
  readonly commitment: string;
  readonly created: string;
  readonly trialkitVersion: string;
}

export function readConfig(dir: string): { config: TrialConfig; text: string } {
  let text: string;
  try {
    text = readFileSync(join(dir, CONFIG_FILE), 'utf8');
  } catch {
    throw allocationErrors.trialNotFound(dir, `There is no trial in ${dir} (no ${CONFIG_FILE})`);
  }
  let config: TrialConfig;
  try {
    config = JSON.parse(text) as TrialConfig;
  } catch {
    throw allocationErrors.logCorrupt(join(dir, CONFIG_FILE), undefined, `${CONFIG_FILE} is not valid JSON`);
  }
  if (config?.format !== 'trialkit-trial@1' || !['simple', 'block', 'minimisation'].includes(config.scheme)) {
    throw allocationErrors.logCorrupt(join(dir, CONFIG_FILE), undefined, `${CONFIG_FILE} is not a trialkit trial description`);
  }
  return { config, text };
}
