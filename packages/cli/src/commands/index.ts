/**
 * Every command the CLI offers, in the order `trialkit --help` lists them.
 *
 * Commands are loaded on demand: `trialkit estimate …` imports only the estimate command (and so DuckDB and the
 * estimators), never vega or the allocation log code. `trialkit --help` imports none of them and lists the
 * summaries below, which repeat each command's own description.
 */
import type { Command } from 'commander';
import type { Output } from '../io.js';

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /** Commands that print take the output to write to (tests capture it); others use the process's. */
  readonly load: () => Promise<{ register: (program: Command, output?: Output) => void }>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'estimate',
    summary: 'estimate the ITT, and with --received the first stage and the CACE (2SLS), matching R estimatr',
    load: () => import('./estimate.js'),
  },
  {
    name: 'survival',
    summary: 'time to event by arm: Kaplan–Meier, log-rank, Cox hazard ratio, RMST — matching R survival',
    load: () => import('./survival.js'),
  },
  {
    name: 'power',
    summary: 'power, sample size or minimum detectable effect for a trial, with take-up, contamination and clustering',
    load: () => import('./power.js'),
  },
  {
    name: 'allocate',
    summary: 'generate a reproducible allocation list (and list.meta.json) for a file of participants',
    load: () => import('./allocate.js'),
  },
  {
    name: 'init-trial',
    summary: 'create a trial for live, concealed enrolment: secret seed, published commitment, empty log',
    load: () => import('./init-trial.js'),
  },
  {
    name: 'enrol',
    summary: 'allocate the next participant of a live trial (re-enrolling an id returns its original allocation)',
    load: () => import('./enrol.js'),
  },
  {
    name: 'reveal',
    summary: 'publish the seed at unblinding; enrolment closes and anyone can then verify every allocation',
    load: () => import('./reveal.js'),
  },
  {
    name: 'verify',
    summary:
      'verify a live trial (hash chain, commitment, every allocation regenerated) or an allocation list, and an analysis dataset',
    load: () => import('./verify.js'),
  },
  {
    name: 'report',
    summary: 'write a self-contained, accessible HTML trial report from an analysis plan and the data',
    load: () => import('./report.js'),
  },
];
