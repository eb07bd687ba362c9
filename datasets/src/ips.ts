/**
 * An Individual Placement and Support (IPS) health-led trial, simulated with known truth.
 *
 *   GP practices (per sub-region: size weight, random effect on the job outcome, home Jobcentre office, referral mix)
 *     → people: sub-region, GP practice, work-coach office, referral route, baseline covariates
 *     → principal stratum: always-taker (signposted by a work coach to IPS-like support whatever the arm: the
 *       contaminated controls; share set by the office), never-taker (share set by the referral route), complier
 *     → random assignment 1:1 (@trialkit/allocation): permuted blocks within sub-region × referral route, or with
 *       `clustered: true` whole GP practices within sub-region × the practice's referral route
 *     → support received D = 1 for always-takers, 0 for never-takers, = assignment for compliers
 *     → potential outcomes with common random numbers (job outcome, earnings, days to first job, benefit exit,
 *       delivery cost), so each person's effect is known
 *
 * Calibration (shared/PROGRAMME-FIGURES.md, §1 and §4): the Health-led Employment Trials randomised people 1:1 in two
 * sub-regions, West Midlands (WMCA, 3,675 of 9,785 randomised = 38%) and Sheffield City Region (SCR); the target
 * was about 11,300. Primary outcome: in work 13+ weeks within 12 months. WMCA's ITT was +4 pp; SCR's out-of-work
 * effect was not significant. Here the complier effect is +6 pp in WMCA and +3 pp in SCR, which with a complier share
 * of 0.626 gives ITTs of +3.8 pp and +1.9 pp. Around 1 in 5 were in work at 12 months: a control job-outcome rate
 * near 20%. Take-up and contamination were not published: never-takers 22% (health route) / 34% (employment
 * route), inside the no-show range of the benchmarks (up to 46%); contamination 10% on average, offices spread from
 * 3% to 17% (the 1–13% observed in trials, median 13% in mental-health RCTs). Delivery cost: WMCA's funding of up to
 * £8.4m over about 1,838 people offered IPS is ≈ £4,600 each — derived arithmetic, not a published unit cost — used
 * here as the cost per starter; IPS-like support that a signposted control receives is assumed to cost £2,800.
 *
 * Exclusion restriction for the job outcome, earnings, days to first job and benefit exit holds by construction:
 * assignment changes them only through D, and only for compliers; the complier effect on the job-outcome
 * probability is additive (τ by sub-region), so the population CACE and ITT are exact sums over the design (no Monte
 * Carlo in the truth). It does not hold for the cost columns (an always-taker's provider, so cost, changes with
 * assignment): for cost only the ITT is causal.
 *
 * The GP-practice random effect (logit scale, SD `practiceSd`) is in the data whatever the design; with
 * `clustered: true` it makes the outcomes of a randomised unit correlated (latent-scale ICC σ²/(σ² + π²/3)), so
 * the analysis must use cluster-robust (CR2) variances. People's offices also cluster by practice (most people
 * use their practice's home office), so contamination is correlated within practices too.
 */
import { createRng, type Column, type Dataset, type Seed } from '@trialkit/core';
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

export const IPS_SUBREGIONS = ['wmca', 'scr'] as const;
export type IpsSubregion = (typeof IPS_SUBREGIONS)[number];
export const IPS_ROUTES = ['health', 'employment'] as const;
export type IpsRoute = (typeof IPS_ROUTES)[number];

type PerSubregion<T> = { readonly wmca: T; readonly scr: T };
type PerRoute<T> = { readonly health: T; readonly employment: T };

export interface IpsOptions {
  readonly n?: number;
  readonly seed?: Seed;
  /** Randomise whole GP practices (within sub-region × practice referral route) instead of people. */
  readonly clustered?: boolean;
  /** Share of participants in WMCA (the rest in SCR). */
  readonly wmcaShare?: number;
  /** GP practices per sub-region. */
  readonly practices?: PerSubregion<number>;
  /** Jobcentre (work-coach) offices per sub-region. */
  readonly offices?: PerSubregion<number>;
  /** Share of a practice's participants who use its home office (the rest: any office in the sub-region). */
  readonly homeOfficeShare?: number;
  /** Mean always-taker share (controls signposted to IPS-like support), averaged over each sub-region's offices. */
  readonly contamination?: number;
  /** Offices' contamination spread evenly over ± this within each sub-region. */
  readonly contaminationOfficeSpread?: number;
  /** Never-taker share by referral route. */
  readonly neverTakers?: PerRoute<number>;
  /** Complier effect on the job-outcome probability, by sub-region. */
  readonly complierEffect?: PerSubregion<number>;
  /** SD of the GP-practice random effect on the logit of the job-outcome probability. */
  readonly practiceSd?: number;
  /** SD of log practice size weights (unequal cluster sizes). */
  readonly practiceSizeSd?: number;
  /** Health-route share of referrals in health-led practices (every other one: gp-001, gp-003, …) and the others. */
  readonly healthRouteShare?: { readonly healthLed: number; readonly other: number };
  /** Block sizes for the individually randomised design (permuted blocks within stratum). */
  readonly blockSizes?: readonly number[];
  /** Mean delivery cost of IPS per starter, £ (`cost`). */
  readonly deliveryCostPerStarter?: number;
  /** Mean cost of the IPS-like support a signposted control receives, £ (`similar_provision_cost`). */
  readonly similarProvisionCost?: number;
}

interface Settings {
  readonly n: number;
  readonly seed: Seed;
  readonly clustered: boolean;
  readonly wmcaShare: number;
  readonly practices: PerSubregion<number>;
  readonly offices: PerSubregion<number>;
  readonly homeOfficeShare: number;
  readonly contamination: number;
  readonly contaminationOfficeSpread: number;
  readonly neverTakers: PerRoute<number>;
  readonly complierEffect: PerSubregion<number>;
  readonly practiceSd: number;
  readonly practiceSizeSd: number;
  readonly healthRouteShare: { readonly healthLed: number; readonly other: number };
  readonly blockSizes: readonly number[];
  readonly deliveryCostPerStarter: number;
  readonly similarProvisionCost: number;
}

/** The defaults (the documented `ips` data set). */
export const IPS_DEFAULTS: Settings = {
  n: 11_300,
  seed: 'ips-demo-2026',
  clustered: false,
  wmcaShare: 0.38,
  practices: { wmca: 48, scr: 72 },
  offices: { wmca: 6, scr: 8 },
  homeOfficeShare: 0.8,
  contamination: 0.1,
  contaminationOfficeSpread: 0.07,
  neverTakers: { health: 0.22, employment: 0.34 },
  complierEffect: { wmca: 0.06, scr: 0.03 },
  practiceSd: 0.35,
  practiceSizeSd: 0.6,
  healthRouteShare: { healthLed: 0.8, other: 0.3 },
  blockSizes: [2, 4, 6],
  deliveryCostPerStarter: 4600,
  similarProvisionCost: 2800,
};

// Baseline job-outcome model (logit scale), calibrated so that the control-arm rate is about 20%.
const BASELINE = {
  intercept: -1.6,
  agePer10Years: -0.15,
  female: 0,
  mentalHealth: -0.2,
  otherCondition: -0.1,
  monthsOutOfWorkLog: -0.3,
  priorEarnings: 0.35,
  employmentRoute: 0.15,
  scr: 0.1,
  alwaysTaker: 0.3,
  neverTaker: -0.3,
} as const;

// Earnings over the 12 months (payroll, £), as in simulateWhp.
const EARNINGS = { sustainedMu: 9.3, sustainedSigma: 0.6, shortJobShare: 0.25, shortMu: 7.5, shortSigma: 0.8 } as const;
const FOLLOW_UP_DAYS = 365;
const SUSTAINED_DAYS = 91; // 13 weeks
const HEALTH_LEVELS = ['mental_health', 'musculoskeletal', 'other'] as const;
const HEALTH_SHARES = [0.5, 0.3, 0.2] as const;

export interface IpsSubregionTruth {
  readonly subregion: IpsSubregion;
  /** Population share of participants. */
  readonly share: number;
  readonly complierShare: number;
  readonly contamination: number;
  readonly takeUp: number;
  readonly cace: number;
  readonly itt: number;
}

export interface IpsTruth {
  readonly description: string;
  readonly seed: string;
  readonly n: number;
  readonly clustered: boolean;
  readonly design: {
    /** Allocation scheme: `block` (people, permuted blocks within stratum) or `cluster` (whole GP practices). */
    readonly scheme: 'block' | 'cluster';
    /** The columns the `stratum` column combines. */
    readonly strata: readonly [string, string];
    /** Column to cluster the variance on (`gp_practice` when clustered), or null. */
    readonly cluster: string | null;
    readonly practices: number;
    readonly offices: number;
  };
  readonly arms: { readonly control: string; readonly treatment: string };
  /** Parameters of the data-generating process (population values; exact, not simulated). */
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
    readonly benefitExitCace: number;
    readonly benefitExitItt: number;
    /** Complier effect on days to first job (censored at 365: the restricted-mean difference, days) and its ITT. */
    readonly daysToFirstJobCace: number;
    readonly daysToFirstJobItt: number;
    /** Complier effect on starting any job within 365 days (`job_started`) and its ITT. */
    readonly jobStartedCace: number;
    readonly jobStartedItt: number;
    readonly deliveryCostPerStarter: number;
    readonly similarProvisionCost: number;
    /** ITT on `cost` (IPS delivery cost): take-up × cost per starter. */
    readonly costItt: number;
    /** ITT on `similar_provision_cost`: −(contamination × similar-provision cost). */
    readonly similarProvisionCostItt: number;
    readonly totalCostItt: number;
    /** costItt / itt (£ per additional job outcome). */
    readonly costPerAdditionalJobOutcome: number;
    /** totalCostItt / itt. */
    readonly netCostPerAdditionalJobOutcome: number;
    /** SD of the GP-practice effect on the logit scale, and the latent-scale ICC σ²/(σ² + π²/3). */
    readonly practiceSd: number;
    readonly latentIcc: number;
  };
  readonly bySubregion: readonly IpsSubregionTruth[];
  readonly neverTakersByRoute: readonly { readonly route: IpsRoute; readonly share: number; readonly neverTakerShare: number }[];
  readonly contaminationByOffice: readonly { readonly office: string; readonly subregion: IpsSubregion; readonly rate: number }[];
  /** The same quantities in this sample, from each person's two potential outcomes. */
  readonly sample: {
    readonly complierShare: number;
    readonly alwaysTakerShare: number;
    readonly neverTakerShare: number;
    readonly cace: number;
    readonly itt: number;
    readonly earningsCace: number;
    readonly earningsItt: number;
    readonly benefitExitCace: number;
    readonly benefitExitItt: number;
    readonly daysToFirstJobCace: number;
    readonly daysToFirstJobItt: number;
    readonly costItt: number;
    readonly similarProvisionCostItt: number;
    readonly controlJobRate: number;
    /** GP practices with at least one participant, and their mean size. */
    readonly practices: number;
    readonly meanPracticeSize: number;
    /** One-way ANOVA ICC of the job outcome by GP practice, control arm. */
    readonly controlIcc: number;
  };
}

export interface IpsTrial {
  readonly data: Dataset;
  readonly truth: IpsTruth;
  /** The allocation list the assignment came from. */
  readonly allocation: AllocationList;
}

interface Practice {
  readonly label: string;
  readonly subregion: number;
  readonly homeOffice: number; // global office index
  readonly healthShare: number;
  readonly route: IpsRoute;
}

interface Office {
  readonly label: string;
  readonly subregion: number;
  readonly rate: number;
}

function pad(i: number, width: number): string {
  return String(i).padStart(width, '0');
}

/** The fixed design: practices (label, sub-region, home office, referral mix) and offices (contamination). */
function layout(opts: Settings): { practices: Practice[]; offices: Office[]; officesOf: number[][]; practicesOf: number[][] } {
  const offices: Office[] = [];
  const officesOf: number[][] = [];
  const practices: Practice[] = [];
  const practicesOf: number[][] = [];
  IPS_SUBREGIONS.forEach((name, r) => {
    const k = opts.offices[name];
    const own: number[] = [];
    for (let j = 0; j < k; j++) {
      const spread = k > 1 ? opts.contaminationOfficeSpread * ((2 * j) / (k - 1) - 1) : 0;
      own.push(offices.length);
      offices.push({ label: `office-${pad(offices.length + 1, 2)}`, subregion: r, rate: opts.contamination + spread });
    }
    officesOf.push(own);
  });
  IPS_SUBREGIONS.forEach((name, r) => {
    const own: number[] = [];
    const local = officesOf[r] as number[];
    for (let j = 0; j < opts.practices[name]; j++) {
      const healthLed = j % 2 === 0;
      own.push(practices.length);
      practices.push({
        label: `gp-${pad(practices.length + 1, 3)}`,
        subregion: r,
        homeOffice: local[j % local.length] as number,
        healthShare: healthLed ? opts.healthRouteShare.healthLed : opts.healthRouteShare.other,
        route: healthLed ? 'health' : 'employment',
      });
    }
    practicesOf.push(own);
  });
  return { practices, offices, officesOf, practicesOf };
}

function checkOptions(opts: Settings): void {
  const fail = (what: string): never => {
    throw new RangeError(`simulateIps: ${what}`);
  };
  if (!Number.isInteger(opts.n) || opts.n < 2) fail(`n must be an integer ≥ 2, got ${opts.n}`);
  if (!(opts.wmcaShare > 0 && opts.wmcaShare < 1)) fail(`wmcaShare must be in (0, 1), got ${opts.wmcaShare}`);
  for (const r of IPS_SUBREGIONS) {
    if (!Number.isInteger(opts.practices[r]) || opts.practices[r] < 2) fail(`practices.${r} must be an integer ≥ 2`);
    if (!Number.isInteger(opts.offices[r]) || opts.offices[r] < 1) fail(`offices.${r} must be an integer ≥ 1`);
    const tau = opts.complierEffect[r];
    if (!(tau >= 0 && tau < 1)) fail(`complierEffect.${r} must be in [0, 1), got ${tau}`);
  }
  for (const k of IPS_ROUTES) {
    const nt = opts.neverTakers[k];
    if (!(nt >= 0 && nt < 1)) fail(`neverTakers.${k} must be in [0, 1), got ${nt}`);
    const lowest = opts.contamination - opts.contaminationOfficeSpread;
    const highest = opts.contamination + opts.contaminationOfficeSpread;
    if (lowest < 0 || highest + nt > 1) {
      fail(`always-taker shares ${lowest}–${highest} with never-takers ${nt} (${k} route) leave no valid complier share`);
    }
  }
  for (const [name, v] of [['homeOfficeShare', opts.homeOfficeShare], ['healthRouteShare.healthLed', opts.healthRouteShare.healthLed], ['healthRouteShare.other', opts.healthRouteShare.other]] as const) {
    if (!(v >= 0 && v <= 1)) fail(`${name} must be in [0, 1], got ${v}`);
  }
  if (!(opts.practiceSd >= 0) || !(opts.practiceSizeSd >= 0)) fail('practiceSd and practiceSizeSd must be ≥ 0');
  for (const [name, v] of [['deliveryCostPerStarter', opts.deliveryCostPerStarter], ['similarProvisionCost', opts.similarProvisionCost]] as const) {
    if (!(v >= 0 && Number.isFinite(v))) fail(`${name} must be a finite amount ≥ 0, got ${v}`);
  }
}

export function simulateIps(options: IpsOptions = {}): IpsTrial {
  const opts: Settings = { ...IPS_DEFAULTS, ...options };
  checkOptions(opts);
  const n = opts.n;
  const seedText = String(opts.seed);
  const rng = createRng(opts.seed);
  const { practices, offices, officesOf, practicesOf } = layout(opts);

  // Practice size weights and random effects (drawn per seed: each trial samples its practices).
  const weight = new Float64Array(practices.length);
  const practiceEffect = new Float64Array(practices.length);
  for (let p = 0; p < practices.length; p++) {
    weight[p] = Math.exp(opts.practiceSizeSd * standardNormal(rng));
    practiceEffect[p] = opts.practiceSd * standardNormal(rng);
  }
  const cumulative = practicesOf.map((own) => {
    const total = own.reduce((s, p) => s + (weight[p] as number), 0);
    let running = 0;
    return own.map((p) => (running += (weight[p] as number) / total));
  });

  const id: string[] = new Array(n);
  const subregion: string[] = new Array(n);
  const route: string[] = new Array(n);
  const practice: string[] = new Array(n);
  const practiceRoute: string[] = new Array(n);
  const office: string[] = new Array(n);
  const stratumLabel: string[] = new Array(n);
  const practiceIndex = new Int32Array(n);
  const subregionIndex = new Int8Array(n);
  const age = new Float64Array(n);
  const female = new Float64Array(n);
  const health: string[] = new Array(n);
  const monthsOut = new Float64Array(n);
  const priorEarnings = new Float64Array(n);
  const stratum = new Int8Array(n); // 0 complier, 1 always-taker, 2 never-taker
  const outcomeUniform = new Float64Array(n);
  const baseProb = new Float64Array(n);
  const earningsDraw = new Float64Array(n);
  const shortJob = new Uint8Array(n);
  const dayDraw = new Float64Array(n);
  const maxEffect = Math.max(opts.complierEffect.wmca, opts.complierEffect.scr);

  for (let i = 0; i < n; i++) {
    id[i] = `P${pad(i + 1, 6)}`;
    const r = rng.nextDouble() < opts.wmcaShare ? 0 : 1;
    subregionIndex[i] = r;
    subregion[i] = IPS_SUBREGIONS[r] as string;
    const u = rng.nextDouble();
    const cum = cumulative[r] as number[];
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u < (cum[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    const p = (practicesOf[r] as number[])[lo] as number;
    const gp = practices[p] as Practice;
    practiceIndex[i] = p;
    practice[i] = gp.label;
    practiceRoute[i] = gp.route;
    const atHome = rng.nextDouble() < opts.homeOfficeShare;
    const local = officesOf[r] as number[];
    const elsewhere = local[rng.nextInt(local.length)] as number;
    const o = atHome ? gp.homeOffice : elsewhere;
    office[i] = (offices[o] as Office).label;
    const k = rng.nextDouble() < gp.healthShare ? 0 : 1;
    route[i] = IPS_ROUTES[k] as string;
    stratumLabel[i] = `${subregion[i]}|${opts.clustered ? gp.route : route[i]}`;

    age[i] = 18 + rng.nextInt(47);
    female[i] = bernoulli(rng, 0.45);
    const h = categorical(rng, HEALTH_SHARES);
    health[i] = HEALTH_LEVELS[h] as string;
    monthsOut[i] = Math.max(1, Math.floor(Math.exp(2.3 + 1.0 * standardNormal(rng))));
    const hasPrior = bernoulli(rng, 0.5);
    const priorDraw = Math.exp(8.7 + standardNormal(rng));
    priorEarnings[i] = hasPrior === 1 ? Math.round(priorDraw) : 0;

    const a = (offices[o] as Office).rate;
    const nt = opts.neverTakers[IPS_ROUTES[k] as IpsRoute];
    const v = rng.nextDouble();
    stratum[i] = v < a ? 1 : v < a + nt ? 2 : 0;

    const eta =
      BASELINE.intercept +
      BASELINE.agePer10Years * ((age[i]! - 40) / 10) +
      BASELINE.female * female[i]! +
      (h === 0 ? BASELINE.mentalHealth : h === 2 ? BASELINE.otherCondition : 0) +
      BASELINE.monthsOutOfWorkLog * (Math.log(monthsOut[i]!) - 2.3) +
      BASELINE.priorEarnings * hasPrior +
      (k === 1 ? BASELINE.employmentRoute : 0) +
      (r === 1 ? BASELINE.scr : 0) +
      (practiceEffect[p] as number) +
      (stratum[i] === 1 ? BASELINE.alwaysTaker : stratum[i] === 2 ? BASELINE.neverTaker : 0);
    baseProb[i] = Math.min(logistic(eta), 1 - maxEffect);
    outcomeUniform[i] = rng.nextDouble();
    earningsDraw[i] = standardNormal(rng);
    shortJob[i] = bernoulli(rng, EARNINGS.shortJobShare);
    dayDraw[i] = rng.nextDouble();
  }

  // Random assignment 1:1: permuted blocks within sub-region × referral route, or whole GP practices within
  // sub-region × practice referral route.
  const arms = [
    { name: 'control', ratio: 1 },
    { name: 'ips', ratio: 1 },
  ];
  // Recorded in the list's metadata, so the list regenerates from the data file (verifyList, --allocation-dir).
  const columns = { idColumn: 'id', strataColumns: ['stratum'] };
  const allocation = opts.clustered
    ? allocate({ ids: id, arms, scheme: 'cluster', seed: `${seedText}/allocation`, strata: stratumLabel, clusters: practice, ...columns, clusterColumn: 'gp_practice' })
    : allocate({ ids: id, arms, scheme: 'block', seed: `${seedText}/allocation`, strata: stratumLabel, blockSizes: opts.blockSizes, ...columns });
  const armById = new Map(allocation.rows.map((row) => [row.id, row.arm]));

  const extras = drawExtras(createRng(`${seedText}/benefit`), createRng(`${seedText}/cost`), n);
  const assigned = new Float64Array(n);
  const started = new Float64Array(n);
  const job = new Float64Array(n);
  const earnings = new Float64Array(n);
  const daysToJob = new Float64Array(n);
  const jobEvent = new Float64Array(n);
  const benefitExit = new Float64Array(n);
  const cost = new Float64Array(n);
  const similarCost = new Float64Array(n);
  const tally = { compliers: 0, always: 0, jobEffect: 0, earningsEffect: 0, exitEffect: 0, daysEffect: 0, cost1: 0, similar0: 0, controlJobs: 0, controls: 0 };

  const daysFor = (i: number, y: number): number =>
    y === 1
      ? 1 + Math.floor((dayDraw[i] as number) * (FOLLOW_UP_DAYS - SUSTAINED_DAYS))
      : shortJob[i] === 1
        ? 1 + Math.floor((dayDraw[i] as number) * FOLLOW_UP_DAYS)
        : FOLLOW_UP_DAYS;
  const earningsFor = (i: number, y: number): number => {
    if (y === 1) return Math.round(Math.exp(EARNINGS.sustainedMu + EARNINGS.sustainedSigma * (earningsDraw[i] as number)));
    if (shortJob[i] === 1) return Math.round(Math.exp(EARNINGS.shortMu + EARNINGS.shortSigma * (earningsDraw[i] as number)));
    return 0;
  };

  for (let i = 0; i < n; i++) {
    const z = armById.get(id[i] as string) === 'ips' ? 1 : 0;
    assigned[i] = z;
    const s = stratum[i];
    const d = s === 1 ? 1 : s === 2 ? 0 : z;
    started[i] = d;
    const effect = s === 0 ? opts.complierEffect[IPS_SUBREGIONS[subregionIndex[i] as number] as IpsSubregion] : 0;
    const p0 = baseProb[i] as number;
    const u = outcomeUniform[i] as number;
    const y0 = u < p0 ? 1 : 0;
    const y1 = u < p0 + effect ? 1 : 0;
    const y = s === 0 && z === 1 ? y1 : y0;
    job[i] = y;
    const short = shortJob[i] === 1;
    const ub = extras.benefitUniform[i] as number;
    const exit0 = ub < benefitExitProbability(y0 === 1, short) ? 1 : 0;
    const exit1 = ub < benefitExitProbability(y1 === 1, short) ? 1 : 0;
    benefitExit[i] = s === 0 && z === 1 ? exit1 : exit0;
    earnings[i] = earningsFor(i, y);
    daysToJob[i] = daysFor(i, y);
    jobEvent[i] = y === 1 || short ? 1 : 0;
    const programmeCost = costOf(opts.deliveryCostPerStarter, extras.costNormal[i] as number);
    const otherCost = costOf(opts.similarProvisionCost, extras.costNormal[i] as number);
    cost[i] = d === 1 && z === 1 ? programmeCost : 0;
    similarCost[i] = d === 1 && z === 0 ? otherCost : 0;

    if (s === 0) {
      tally.compliers += 1;
      tally.jobEffect += y1 - y0;
      tally.earningsEffect += earningsFor(i, y1) - earningsFor(i, y0);
      tally.exitEffect += exit1 - exit0;
      tally.daysEffect += daysFor(i, y1) - daysFor(i, y0);
    } else if (s === 1) {
      tally.always += 1;
      tally.similar0 += otherCost;
    }
    if (s !== 2) tally.cost1 += programmeCost;
    if (z === 0) {
      tally.controls += 1;
      tally.controlJobs += y;
    }
  }

  const numeric = (name: string, values: Float64Array): Column => ({ kind: 'number', name, values });
  const text = (name: string, values: string[]): Column => ({ kind: 'text', name, values });
  const data: Dataset = {
    nRows: n,
    columns: [
      text('id', id),
      text('subregion', subregion),
      text('referral_route', route),
      text('gp_practice', practice),
      text('practice_route', practiceRoute),
      text('office', office),
      text('stratum', stratumLabel),
      numeric('age', age),
      numeric('female', female),
      text('health', health),
      numeric('months_out_of_work', monthsOut),
      numeric('prior_earnings', priorEarnings),
      text('arm', Array.from(assigned, (z) => (z === 1 ? 'ips' : 'control'))),
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

  const population = populationTruth(opts, practices, offices, practicesOf);
  const used = new Set(practiceIndex);
  return {
    data,
    allocation,
    truth: {
      description:
        'IPS health-led trial simulated by @trialkit/datasets simulateIps; population values are exact functions of ' +
        "the data-generating process, sample values come from each person's two potential outcomes.",
      seed: seedText,
      n,
      clustered: opts.clustered,
      design: {
        scheme: opts.clustered ? 'cluster' : 'block',
        strata: ['subregion', opts.clustered ? 'practice_route' : 'referral_route'],
        cluster: opts.clustered ? 'gp_practice' : null,
        practices: practices.length,
        offices: offices.length,
      },
      arms: { control: 'control', treatment: 'ips' },
      population: population.overall,
      bySubregion: population.bySubregion,
      neverTakersByRoute: population.byRoute,
      contaminationByOffice: offices.map((o) => ({ office: o.label, subregion: IPS_SUBREGIONS[o.subregion] as IpsSubregion, rate: o.rate })),
      sample: {
        complierShare: tally.compliers / n,
        alwaysTakerShare: tally.always / n,
        neverTakerShare: (n - tally.compliers - tally.always) / n,
        cace: tally.compliers > 0 ? tally.jobEffect / tally.compliers : Number.NaN,
        itt: tally.jobEffect / n,
        earningsCace: tally.compliers > 0 ? tally.earningsEffect / tally.compliers : Number.NaN,
        earningsItt: tally.earningsEffect / n,
        benefitExitCace: tally.compliers > 0 ? tally.exitEffect / tally.compliers : Number.NaN,
        benefitExitItt: tally.exitEffect / n,
        daysToFirstJobCace: tally.compliers > 0 ? tally.daysEffect / tally.compliers : Number.NaN,
        daysToFirstJobItt: tally.daysEffect / n,
        costItt: tally.cost1 / n,
        similarProvisionCostItt: -tally.similar0 / n,
        controlJobRate: tally.controls > 0 ? tally.controlJobs / tally.controls : Number.NaN,
        practices: used.size,
        meanPracticeSize: n / used.size,
        controlIcc: anovaIcc(job, practiceIndex, assigned, practices.length),
      },
    },
  };
}

/**
 * Exact population values. A person's sub-region is r with probability π_r; within r every practice is equally
 * likely in expectation (its size weight is exchangeable), so P(office o, route k | r) =
 * (1/P_r) Σ_p [h·1(home_p = o) + (1 − h)/O_r] · P(k | p), with h the home-office share. Compliers in (o, k) are
 * 1 − a_o − nt_k of people; their effect is τ_r.
 */
function populationTruth(opts: Settings, practices: Practice[], offices: Office[], practicesOf: number[][]) {
  const bySubregion: IpsSubregionTruth[] = [];
  const routeShare = [0, 0];
  let complier = 0;
  let always = 0;
  let never = 0;
  let itt = 0;
  IPS_SUBREGIONS.forEach((name, r) => {
    const pi = r === 0 ? opts.wmcaShare : 1 - opts.wmcaShare;
    const own = practicesOf[r] as number[];
    const local = offices.map((o, j) => ({ o, j })).filter(({ o }) => o.subregion === r);
    let c = 0;
    let a = 0;
    let nt = 0;
    for (const p of own) {
      const gp = practices[p] as Practice;
      for (const { o, j } of local) {
        const pOffice = (opts.homeOfficeShare * (gp.homeOffice === j ? 1 : 0) + (1 - opts.homeOfficeShare) / local.length) / own.length;
        IPS_ROUTES.forEach((route, k) => {
          const pRoute = k === 0 ? gp.healthShare : 1 - gp.healthShare;
          const w = pOffice * pRoute;
          const ntk = opts.neverTakers[route];
          c += w * (1 - o.rate - ntk);
          a += w * o.rate;
          nt += w * ntk;
          routeShare[k] = (routeShare[k] as number) + pi * w;
        });
      }
    }
    const tau = opts.complierEffect[name];
    bySubregion.push({ subregion: name, share: pi, complierShare: c, contamination: a, takeUp: c + a, cace: tau, itt: c * tau });
    complier += pi * c;
    always += pi * a;
    never += pi * nt;
    itt += pi * c * tau;
  });
  const cace = itt / complier;
  const earningsPerJob =
    lognormalMean(EARNINGS.sustainedMu, EARNINGS.sustainedSigma) - EARNINGS.shortJobShare * lognormalMean(EARNINGS.shortMu, EARNINGS.shortSigma);
  const benefitExitCace = benefitExitComplierEffect(cace, EARNINGS.shortJobShare);
  const daysToFirstJobCace = daysToFirstJobComplierEffect(cace, EARNINGS.shortJobShare, FOLLOW_UP_DAYS, SUSTAINED_DAYS);
  const jobStartedCace = jobStartedComplierEffect(cace, EARNINGS.shortJobShare);
  const takeUp = complier + always;
  const costItt = takeUp * opts.deliveryCostPerStarter;
  const similarProvisionCostItt = -always * opts.similarProvisionCost;
  const variance = opts.practiceSd * opts.practiceSd;
  return {
    overall: {
      complierShare: complier,
      alwaysTakerShare: always,
      neverTakerShare: never,
      takeUp,
      contamination: always,
      cace,
      itt,
      earningsCace: cace * earningsPerJob,
      earningsItt: itt * earningsPerJob,
      benefitExitCace,
      benefitExitItt: complier * benefitExitCace,
      daysToFirstJobCace,
      daysToFirstJobItt: complier * daysToFirstJobCace,
      jobStartedCace,
      jobStartedItt: complier * jobStartedCace,
      deliveryCostPerStarter: opts.deliveryCostPerStarter,
      similarProvisionCost: opts.similarProvisionCost,
      costItt,
      similarProvisionCostItt,
      totalCostItt: costItt + similarProvisionCostItt,
      costPerAdditionalJobOutcome: costItt / itt,
      netCostPerAdditionalJobOutcome: (costItt + similarProvisionCostItt) / itt,
      practiceSd: opts.practiceSd,
      latentIcc: variance / (variance + (Math.PI * Math.PI) / 3),
    },
    bySubregion,
    byRoute: IPS_ROUTES.map((route, k) => ({ route, share: routeShare[k] as number, neverTakerShare: opts.neverTakers[route] })),
  };
}

/** One-way ANOVA estimator of the ICC of y by group, among rows with assigned = 0 (NaN with < 2 groups). */
function anovaIcc(y: Float64Array, group: Int32Array, assigned: Float64Array, groups: number): number {
  const count = new Float64Array(groups);
  const sum = new Float64Array(groups);
  let total = 0;
  let grand = 0;
  for (let i = 0; i < y.length; i++) {
    if (assigned[i] !== 0) continue;
    const g = group[i] as number;
    count[g] = (count[g] as number) + 1;
    sum[g] = (sum[g] as number) + (y[i] as number);
    total += 1;
    grand += y[i] as number;
  }
  const overall = grand / total;
  let j = 0;
  let ssb = 0;
  let sumSquaredSizes = 0;
  for (let g = 0; g < groups; g++) {
    const m = count[g] as number;
    if (m === 0) continue;
    j += 1;
    ssb += m * ((sum[g] as number) / m - overall) ** 2;
    sumSquaredSizes += m * m;
  }
  let ssw = 0;
  for (let i = 0; i < y.length; i++) {
    if (assigned[i] !== 0) continue;
    const g = group[i] as number;
    ssw += ((y[i] as number) - (sum[g] as number) / (count[g] as number)) ** 2;
  }
  if (j < 2 || total - j < 1) return Number.NaN;
  const msb = ssb / (j - 1);
  const msw = ssw / (total - j);
  const m0 = (total - sumSquaredSizes / total) / (j - 1);
  return (msb - msw) / (msb + (m0 - 1) * msw);
}
