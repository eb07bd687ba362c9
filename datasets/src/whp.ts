/**
 * A Work and Health Programme-style trial, simulated with known truth.
 *
 *   people (baseline covariates, office, month of randomisation)
 *     → principal stratum: always-taker (would be signposted to similar support whatever the arm: the contaminated
 *       controls), never-taker (would not start), complier — shares vary by office and rise over the months
 *     → random assignment by permuted blocks within office (@trialkit/allocation)
 *     → support received D = 1 for always-takers, 0 for never-takers, = assignment for compliers
 *     → potential outcomes with common random numbers, so each person's effect is known
 *
 * Calibration (shared/PROGRAMME-FIGURES.md): WHP starts/referrals ≈ 75% (we use take-up 60%, a choice within the
 * issue's "well below 100 %" for a voluntary offer with low referrals); control contamination in trials of this kind
 * 1–13% (median 13% in mental-health RCTs), here 15% on average, rising over the trial; UK ITT employment effects
 * +2 to +7 pp; a job-outcome base rate of about 12%; ~79% of participants disabled; 63% male; delivery cost ≈ £2,100
 * (the figure: PROGRAMME-FIGURES has no published WHP unit cost).
 *
 * Exclusion restriction holds by construction: assignment changes outcomes only through D, and only for compliers.
 * The complier effect on the job-outcome probability is additive (`complierEffect`), so the population CACE is that
 * number exactly and the population ITT is complierShare × complierEffect.
 *
 * Benefit exit and delivery cost (added later) are drawn from their own streams, createRng(`${seed}/benefit`) and
 * createRng(`${seed}/cost`), after everything else: every earlier column, the allocation and the earlier truth
 * values are exactly what they were before those columns existed. Benefit exit follows the job outcome
 * (outcomes.ts), so its complier effect is complierEffect × (P(exit | sustained job) − P(exit | no sustained job)).
 * Cost: `cost` is the programme's delivery cost (≈ £2,100 per starter, 0 for anyone who does not start the
 * programme, including every control); `similar_provision_cost` is the cost of the similar support a control was
 * signposted to. Assignment changes an always-taker's provider and so its cost: the exclusion restriction fails for
 * the cost columns, so only their ITT is causal (cost per additional job outcome = ITT(cost) / ITT(job outcome)).
 */
import { createRng, type Dataset, type Column, type Seed } from '@trialkit/core';
import { allocate, type AllocationList } from '@trialkit/allocation';
import { bernoulli, categorical, logistic, lognormalMean, standardNormal } from './random.js';
import {
  benefitExitComplierEffect,
  benefitExitProbability,
  costOf,
  daysToFirstJobComplierEffect,
  drawExtras,
  jobStartedComplierEffect,
} from './outcomes.js';

export interface WhpOptions {
  readonly n?: number;
  readonly seed?: Seed;
  readonly offices?: number;
  readonly months?: number;
  /** Mean share of always-takers (contaminated controls). */
  readonly contamination?: number;
  /** Range of office effects on contamination: offices spread evenly over ± this. */
  readonly contaminationOfficeSpread?: number;
  /** Rise in contamination per month of the trial (centred, so the mean stays `contamination`). */
  readonly contaminationMonthlyRise?: number;
  /** Share of never-takers (assigned but never start). Take-up = 1 − neverTakers. */
  readonly neverTakers?: number;
  /** Effect of the programme on the job-outcome probability among compliers (the true CACE). */
  readonly complierEffect?: number;
  /** Block sizes for the permuted-block allocation (within office). */
  readonly blockSizes?: readonly number[];
  /** Mean delivery cost of the programme per starter, £ (`cost`). */
  readonly deliveryCostPerStarter?: number;
  /** Mean cost of the similar provision a signposted control receives, £ (`similar_provision_cost`). */
  readonly similarProvisionCost?: number;
}

const DEFAULTS = {
  n: 10_000,
  seed: 'whp-demo-2026',
  offices: 12,
  months: 12,
  contamination: 0.15,
  contaminationOfficeSpread: 0.07,
  contaminationMonthlyRise: 0.012,
  neverTakers: 0.4,
  complierEffect: 0.08,
  blockSizes: [2, 4, 6],
  deliveryCostPerStarter: 2100,
  similarProvisionCost: 1300,
} as const;

// Baseline job-outcome model (logit scale), calibrated so that the control-arm rate is about 12%.
const BASELINE = {
  intercept: -1.8,
  agePer10Years: -0.15,
  disabled: -0.45,
  monthsOutOfWorkLog: -0.3,
  priorEarnings: 0.35,
  alwaysTaker: 0.3,
  neverTaker: -0.3,
} as const;

// Earnings over the 12 months (payroll, £): lognormal when in sustained work, a small lognormal for short jobs.
const EARNINGS = { sustainedMu: 9.3, sustainedSigma: 0.6, shortJobShare: 0.25, shortMu: 7.5, shortSigma: 0.8 } as const;
const FOLLOW_UP_DAYS = 365;
const SUSTAINED_DAYS = 91; // 13 weeks
const HEALTH_LEVELS = ['mental_health', 'musculoskeletal', 'other'] as const;

export interface WhpTruth {
  readonly description: string;
  readonly seed: string;
  readonly n: number;
  readonly arms: { readonly control: string; readonly treatment: string };
  /** Parameters of the data-generating process (population values). */
  readonly population: {
    readonly complierShare: number;
    readonly alwaysTakerShare: number;
    readonly neverTakerShare: number;
    readonly takeUp: number;
    readonly contamination: number;
    readonly cace: number;
    readonly itt: number;
    readonly earningsCace: number;
    readonly earningsItt: number;
    readonly deliveryCostPerStarter: number;
    /** Complier effect on days to first job (censored at 365: the restricted-mean difference, days) and its ITT. */
    readonly daysToFirstJobCace: number;
    readonly daysToFirstJobItt: number;
    /** Complier effect on starting any job within 365 days (`job_started`) and its ITT. */
    readonly jobStartedCace: number;
    readonly jobStartedItt: number;
    /** Mean cost of the similar provision signposted controls receive (£). */
    readonly similarProvisionCost: number;
    /** Complier effect on benefit exit within 12 months (additive on the probability). */
    readonly benefitExitCace: number;
    readonly benefitExitItt: number;
    /** ITT on `cost` (the programme's delivery cost): take-up × cost per starter. */
    readonly costItt: number;
    /** ITT on `similar_provision_cost`: −(contamination × similar-provision cost). */
    readonly similarProvisionCostItt: number;
    /** ITT on the cost of all support received (`cost` + `similar_provision_cost`). */
    readonly totalCostItt: number;
    /** Programme cost per additional job outcome: costItt / itt (£). */
    readonly costPerAdditionalJobOutcome: number;
    /** Net of the similar provision controls received: totalCostItt / itt (£). */
    readonly netCostPerAdditionalJobOutcome: number;
  };
  /** The same quantities in this sample, from each person's two potential outcomes. */
  readonly sample: {
    readonly complierShare: number;
    readonly alwaysTakerShare: number;
    readonly neverTakerShare: number;
    readonly cace: number;
    readonly itt: number;
    readonly controlJobRate: number;
    readonly benefitExitCace: number;
    readonly benefitExitItt: number;
    readonly costItt: number;
    readonly similarProvisionCostItt: number;
  };
  readonly contaminationByOffice: readonly { readonly office: string; readonly rate: number }[];
  readonly contaminationByMonth: readonly { readonly month: number; readonly rate: number }[];
}

export interface WhpTrial {
  readonly data: Dataset;
  readonly truth: WhpTruth;
  /** The allocation list the assignment came from (permuted blocks within office). */
  readonly allocation: AllocationList;
}

function officeLabel(index: number): string {
  return `office-${String(index + 1).padStart(2, '0')}`;
}

/** Always-taker share in office o (0-based) and month m (1-based). */
function alwaysTakerShare(
  o: number,
  m: number,
  opts: Pick<Required<WhpOptions>, 'offices' | 'months' | 'contamination' | 'contaminationOfficeSpread' | 'contaminationMonthlyRise'>,
): number {
  const officeEffect = opts.offices > 1 ? opts.contaminationOfficeSpread * (2 * o / (opts.offices - 1) - 1) : 0;
  const monthEffect = opts.contaminationMonthlyRise * (m - (opts.months + 1) / 2);
  return opts.contamination + officeEffect + monthEffect;
}

export function simulateWhp(options: WhpOptions = {}): WhpTrial {
  const opts = { ...DEFAULTS, ...options };
  const n = opts.n;
  const rng = createRng(opts.seed);

  // Check the options, then that the shares are valid in every office and month, before drawing anything: outside
  // these ranges the population truth would no longer describe the data (e.g. a complier effect ≥ 1 or < 0 cannot be
  // an additive effect on every complier's probability).
  const fail = (what: string): never => {
    throw new RangeError(`simulateWhp: ${what}`);
  };
  if (!Number.isInteger(opts.n) || opts.n < 2) fail(`n must be an integer ≥ 2, got ${opts.n}`);
  if (!Number.isInteger(opts.offices) || opts.offices < 1) fail(`offices must be an integer ≥ 1, got ${opts.offices}`);
  if (!Number.isInteger(opts.months) || opts.months < 1) fail(`months must be an integer ≥ 1, got ${opts.months}`);
  if (!(opts.complierEffect >= 0 && opts.complierEffect < 1)) fail(`complierEffect must be in [0, 1), got ${opts.complierEffect}`);
  if (!(opts.neverTakers >= 0 && opts.neverTakers < 1)) fail(`neverTakers must be in [0, 1), got ${opts.neverTakers}`);
  if (!(opts.contaminationOfficeSpread >= 0) || !Number.isFinite(opts.contaminationMonthlyRise)) {
    fail('contaminationOfficeSpread must be ≥ 0 and contaminationMonthlyRise finite');
  }
  for (const [name, v] of [['deliveryCostPerStarter', opts.deliveryCostPerStarter], ['similarProvisionCost', opts.similarProvisionCost]] as const) {
    if (!(v >= 0 && Number.isFinite(v))) fail(`${name} must be a finite amount ≥ 0, got ${v}`);
  }
  for (let o = 0; o < opts.offices; o++) {
    for (let m = 1; m <= opts.months; m++) {
      const a = alwaysTakerShare(o, m, opts);
      if (a < 0 || a + opts.neverTakers > 1) {
        throw new RangeError(`simulateWhp: always-taker share ${a} invalid in office ${o + 1}, month ${m}`);
      }
    }
  }

  const id: string[] = new Array(n);
  const office: string[] = new Array(n);
  const month = new Float64Array(n);
  const age = new Float64Array(n);
  const female = new Float64Array(n);
  const disabled = new Float64Array(n);
  const health: string[] = new Array(n);
  const monthsOut = new Float64Array(n);
  const priorEarnings = new Float64Array(n);
  const stratum = new Int8Array(n); // 0 complier, 1 always-taker, 2 never-taker
  const outcomeUniform = new Float64Array(n);
  const baseProb = new Float64Array(n);
  const earningsDraw = new Float64Array(n);
  const shortJob = new Uint8Array(n);
  const dayDraw = new Float64Array(n);

  for (let i = 0; i < n; i++) {
    id[i] = `P${String(i + 1).padStart(6, '0')}`;
    const o = rng.nextInt(opts.offices);
    office[i] = officeLabel(o);
    const m = 1 + rng.nextInt(opts.months);
    month[i] = m;
    age[i] = 18 + rng.nextInt(47);
    female[i] = bernoulli(rng, 0.37);
    disabled[i] = bernoulli(rng, 0.79);
    const h = categorical(rng, [0.45, 0.3, 0.25]);
    health[i] = disabled[i] === 1 ? (HEALTH_LEVELS[h] as string) : 'none';
    monthsOut[i] = Math.max(1, Math.floor(Math.exp(2.5 + 0.9 * standardNormal(rng))));
    const hasPrior = bernoulli(rng, 0.4);
    const priorDraw = Math.exp(8.5 + standardNormal(rng));
    priorEarnings[i] = hasPrior === 1 ? Math.round(priorDraw) : 0;

    const a = alwaysTakerShare(o, m, opts);
    const u = rng.nextDouble();
    stratum[i] = u < a ? 1 : u < a + opts.neverTakers ? 2 : 0;

    const eta =
      BASELINE.intercept +
      BASELINE.agePer10Years * ((age[i]! - 40) / 10) +
      BASELINE.disabled * disabled[i]! +
      BASELINE.monthsOutOfWorkLog * (Math.log(monthsOut[i]!) - 2.5) +
      BASELINE.priorEarnings * hasPrior +
      (stratum[i] === 1 ? BASELINE.alwaysTaker : stratum[i] === 2 ? BASELINE.neverTaker : 0);
    baseProb[i] = Math.min(logistic(eta), 1 - opts.complierEffect);
    outcomeUniform[i] = rng.nextDouble();
    earningsDraw[i] = standardNormal(rng);
    shortJob[i] = bernoulli(rng, EARNINGS.shortJobShare);
    dayDraw[i] = rng.nextDouble();
  }

  // Random assignment: permuted blocks of random size within office.
  const allocation = allocate({
    ids: id,
    arms: [
      { name: 'control', ratio: 1 },
      { name: 'whp', ratio: 1 },
    ],
    scheme: 'block',
    seed: `${String(opts.seed)}/allocation`,
    strata: office,
    blockSizes: opts.blockSizes,
    // Recorded in the list's metadata, so the list regenerates from the data file (verifyList, --allocation-dir).
    idColumn: 'id',
    strataColumns: ['office'],
  });
  const armById = new Map(allocation.rows.map((row) => [row.id, row.arm]));

  const assigned = new Float64Array(n);
  const started = new Float64Array(n);
  const job = new Float64Array(n);
  const earnings = new Float64Array(n);
  const daysToJob = new Float64Array(n);
  const jobEvent = new Float64Array(n);
  let sampleEffectCompliers = 0;
  let nCompliers = 0;
  let nAlways = 0;
  let controlJobs = 0;
  let nControl = 0;

  for (let i = 0; i < n; i++) {
    const z = armById.get(id[i] as string) === 'whp' ? 1 : 0;
    assigned[i] = z;
    const s = stratum[i];
    const d = s === 1 ? 1 : s === 2 ? 0 : z;
    started[i] = d;
    const p0 = baseProb[i] as number;
    const effect = s === 0 ? opts.complierEffect : 0;
    const u = outcomeUniform[i] as number;
    const y0 = u < p0 ? 1 : 0;
    const y1 = u < p0 + effect ? 1 : 0;
    const y = s === 0 && z === 1 ? y1 : y0;
    job[i] = y;
    if (s === 0) {
      sampleEffectCompliers += y1 - y0;
      nCompliers += 1;
    } else if (s === 1) {
      nAlways += 1;
    }
    if (z === 0) {
      nControl += 1;
      controlJobs += y;
    }
    const shortEarner = shortJob[i] === 1;
    if (y === 1) {
      earnings[i] = Math.round(Math.exp(EARNINGS.sustainedMu + EARNINGS.sustainedSigma * (earningsDraw[i] as number)));
      daysToJob[i] = 1 + Math.floor((dayDraw[i] as number) * (FOLLOW_UP_DAYS - SUSTAINED_DAYS));
      jobEvent[i] = 1;
    } else if (shortEarner) {
      earnings[i] = Math.round(Math.exp(EARNINGS.shortMu + EARNINGS.shortSigma * (earningsDraw[i] as number)));
      daysToJob[i] = 1 + Math.floor((dayDraw[i] as number) * FOLLOW_UP_DAYS);
      jobEvent[i] = 1;
    } else {
      earnings[i] = 0;
      daysToJob[i] = FOLLOW_UP_DAYS;
      jobEvent[i] = 0;
    }
  }

  // Benefit exit and cost, from their own streams (see the header): the columns above never change.
  const extras = drawExtras(createRng(`${String(opts.seed)}/benefit`), createRng(`${String(opts.seed)}/cost`), n);
  const benefitExit = new Float64Array(n);
  const cost = new Float64Array(n);
  const similarCost = new Float64Array(n);
  let sampleExitEffect = 0;
  let sampleCost1 = 0;
  let sampleSimilar0 = 0;
  for (let i = 0; i < n; i++) {
    const s = stratum[i];
    const u = outcomeUniform[i] as number;
    const p0 = baseProb[i] as number;
    const short = shortJob[i] === 1;
    const ub = extras.benefitUniform[i] as number;
    const exit0 = ub < benefitExitProbability(u < p0, short) ? 1 : 0;
    const exit1 = ub < benefitExitProbability(u < p0 + (s === 0 ? opts.complierEffect : 0), short) ? 1 : 0;
    benefitExit[i] = s === 0 && assigned[i] === 1 ? exit1 : exit0;
    if (s === 0) sampleExitEffect += exit1 - exit0;
    const programmeCost = costOf(opts.deliveryCostPerStarter, extras.costNormal[i] as number);
    const otherCost = costOf(opts.similarProvisionCost, extras.costNormal[i] as number);
    // Potential costs: under the offer compliers and always-takers start the programme; without it always-takers
    // are signposted to similar provision.
    if (s !== 2) sampleCost1 += programmeCost;
    if (s === 1) sampleSimilar0 += otherCost;
    const starts = started[i] === 1;
    cost[i] = starts && assigned[i] === 1 ? programmeCost : 0;
    similarCost[i] = starts && assigned[i] === 0 ? otherCost : 0;
  }

  const numeric = (name: string, values: Float64Array): Column => ({ kind: 'number', name, values });
  const text = (name: string, values: string[]): Column => ({ kind: 'text', name, values });
  const data: Dataset = {
    nRows: n,
    columns: [
      text('id', id),
      text('office', office),
      numeric('month', month),
      numeric('age', age),
      numeric('female', female),
      numeric('disabled', disabled),
      text('health', health),
      numeric('months_out_of_work', monthsOut),
      numeric('prior_earnings', priorEarnings),
      text('arm', Array.from(assigned, (z) => (z === 1 ? 'whp' : 'control'))),
      numeric('assigned', assigned),
      numeric('started', started),
      numeric('job_outcome', job),
      numeric('earnings', earnings),
      numeric('days_to_first_job', daysToJob),
      numeric('job_started', jobEvent),
      numeric('benefit_exit', benefitExit),
      numeric('cost', cost),
      numeric('similar_provision_cost', similarCost),
    ],
  };

  const complierShare = 1 - opts.contamination - opts.neverTakers;
  const meanSustained = lognormalMean(EARNINGS.sustainedMu, EARNINGS.sustainedSigma);
  const meanShort = EARNINGS.shortJobShare * lognormalMean(EARNINGS.shortMu, EARNINGS.shortSigma);
  const earningsCace = opts.complierEffect * (meanSustained - meanShort);
  const itt = complierShare * opts.complierEffect;
  const benefitExitCace = benefitExitComplierEffect(opts.complierEffect, EARNINGS.shortJobShare);
  const takeUp = 1 - opts.neverTakers;
  const costItt = takeUp * opts.deliveryCostPerStarter;
  const similarProvisionCostItt = -opts.contamination * opts.similarProvisionCost;
  const daysToFirstJobCace = daysToFirstJobComplierEffect(opts.complierEffect, EARNINGS.shortJobShare, FOLLOW_UP_DAYS, SUSTAINED_DAYS);
  const jobStartedCace = jobStartedComplierEffect(opts.complierEffect, EARNINGS.shortJobShare);
  const offices = Array.from({ length: opts.offices }, (_, o) => ({
    office: officeLabel(o),
    rate: mean(Array.from({ length: opts.months }, (_, k) => alwaysTakerShare(o, k + 1, opts))),
  }));
  const months = Array.from({ length: opts.months }, (_, k) => ({
    month: k + 1,
    rate: mean(Array.from({ length: opts.offices }, (_, o) => alwaysTakerShare(o, k + 1, opts))),
  }));

  return {
    data,
    allocation,
    truth: {
      description:
        'Work and Health Programme-style trial simulated by @trialkit/datasets simulateWhp; population values are ' +
        'parameters of the data-generating process, sample values come from each person\'s two potential outcomes.',
      seed: String(opts.seed),
      n,
      arms: { control: 'control', treatment: 'whp' },
      population: {
        complierShare,
        alwaysTakerShare: opts.contamination,
        neverTakerShare: opts.neverTakers,
        takeUp,
        contamination: opts.contamination,
        cace: opts.complierEffect,
        itt,
        earningsCace,
        earningsItt: complierShare * earningsCace,
        deliveryCostPerStarter: opts.deliveryCostPerStarter,
        daysToFirstJobCace,
        daysToFirstJobItt: complierShare * daysToFirstJobCace,
        jobStartedCace,
        jobStartedItt: complierShare * jobStartedCace,
        similarProvisionCost: opts.similarProvisionCost,
        benefitExitCace,
        benefitExitItt: complierShare * benefitExitCace,
        costItt,
        similarProvisionCostItt,
        totalCostItt: costItt + similarProvisionCostItt,
        costPerAdditionalJobOutcome: costItt / itt,
        netCostPerAdditionalJobOutcome: (costItt + similarProvisionCostItt) / itt,
      },
      sample: {
        complierShare: nCompliers / n,
        alwaysTakerShare: nAlways / n,
        neverTakerShare: (n - nCompliers - nAlways) / n,
        cace: nCompliers > 0 ? sampleEffectCompliers / nCompliers : Number.NaN,
        itt: sampleEffectCompliers / n,
        controlJobRate: controlJobs / nControl,
        benefitExitCace: nCompliers > 0 ? sampleExitEffect / nCompliers : Number.NaN,
        benefitExitItt: sampleExitEffect / n,
        costItt: sampleCost1 / n,
        similarProvisionCostItt: -sampleSimilar0 / n,
      },
      contaminationByOffice: offices,
      contaminationByMonth: months,
    },
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
