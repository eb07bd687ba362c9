/**
 * Methods, written from what was run: the estimators and variance types found on the estimates (not what a plan
 * hoped for), the confidence level, covariates, blocks, clusters, multiplicity and software (CONSORT 2025 item 21,
 * SAP guideline "Analysis" items).
 */
import { formatLevel, formatNumber } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { estimandName, type ReportContext, type Section } from './context.js';

const ESTIMATOR_TEXT: Readonly<Record<string, string>> = {
  difference_in_means: 'a difference in means (estimatr difference_in_means)',
  lm_robust: 'least squares with robust standard errors (estimatr lm_robust)',
  lm_lin: "Lin's (2013) covariate-adjusted estimator with interactions (estimatr lm_lin)",
  iv_robust: 'two-stage least squares with the random assignment as instrument (estimatr iv_robust)',
  wald_iv: 'the Wald instrumental-variable ratio (ITT effect divided by the first stage)',
  risk_ratio: 'a risk ratio',
  odds_ratio: 'an odds ratio',
  coxph: 'the hazard ratio of a Cox proportional-hazards model with Efron ties (R survival coxph)',
  rmst: 'the difference in restricted mean survival time (RMST) to the horizon',
  km_cumulative_incidence: 'the difference in cumulative incidence (1 − Kaplan–Meier) by the horizon',
};

const SE_TEXT: Readonly<Record<string, string>> = {
  classical: 'classical (homoskedastic)',
  HC0: 'heteroskedasticity-robust HC0',
  HC1: 'heteroskedasticity-robust HC1',
  HC2: 'heteroskedasticity-robust HC2',
  HC3: 'heteroskedasticity-robust HC3',
  CR0: 'cluster-robust CR0',
  CR2: 'cluster-robust CR2 (Bell–McCaffrey)',
  stata: 'cluster-robust with Stata’s small-sample correction',
  greenwood: 'Greenwood-type (Kaplan–Meier based)',
  robust: 'robust sandwich (Lin–Wei)',
  robust_cluster: 'cluster-robust sandwich (Lin–Wei)',
};

/** The Cox model's variance (@trialkit/survival seType), in words. */
const COX_SE_TEXT: Readonly<Record<string, string>> = {
  classical: 'model-based',
  robust: 'robust (sandwich)',
  robust_cluster: 'cluster-robust (sandwich, by cluster)',
};

const INTERVAL_TEXT: Readonly<Record<string, string>> = {
  bca: 'bias-corrected and accelerated (BCa) interval, with the acceleration from the jackknife',
  percentile: 'percentile interval',
  normal: 'normal interval (bias-corrected, bootstrap SE)',
  basic: 'basic interval',
};

function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

/**
 * Randomisation inference, from what was run: the outcomes whose ITT carries riPValue, each exact (every possible
 * assignment) or Monte Carlo (draws), the estimators' own description of the redraw and statistic, and the seed.
 */
function randomisationParagraph(context: ReportContext): string | undefined {
  const plan = context.input.methods?.randomisationInference;
  const withRi = context.input.estimates.filter((estimate) => typeof estimate['riPValue'] === 'number');
  if (withRi.length === 0) return undefined;
  const runs = withRi.map((estimate) => {
    const draws = typeof estimate['riDraws'] === 'number' ? estimate['riDraws'].toLocaleString('en-GB') : 'the';
    const how = estimate['riExact'] === true ? `exact, all ${draws} possible assignments` : `Monte Carlo, ${draws} random redraws`;
    return `“${context.outcomeLabel(estimate.outcome)}” (${how})`;
  });
  const descriptions = [...new Set(withRi.map((estimate) => estimate['riMethod']).filter((m): m is string => typeof m === 'string'))];
  const monteCarlo = withRi.some((estimate) => estimate['riExact'] !== true);
  return (
    `Randomisation p-values (column “Randomisation p”) test Fisher’s sharp null hypothesis that assignment had no effect on anyone’s outcome, by redrawing the assignment exactly as the design made it and recomputing the test statistic on the unchanged outcomes (@trialkit/estimators randomisationInference): ${listText(runs)}. ` +
    `${descriptions.join(' ')}` +
    (monteCarlo && plan !== undefined ? ` Redraws come from trialkit’s seeded generator with seed “${plan.seed}”${plan.draws !== undefined ? ` (${plan.draws.toLocaleString('en-GB')} draws asked for)` : ''}, so the p-values can be reproduced exactly.` : '') +
    ' The test needs no model and no large-sample approximation.'
  );
}

export function methodsParagraphs(context: ReportContext): string[] {
  const { input } = context;
  const methods = input.methods ?? {};
  const paragraphs: string[] = [];
  const byEstimand = new Map<string, Set<string>>();
  for (const estimate of input.estimates) {
    const set = byEstimand.get(estimate.estimand) ?? new Set<string>();
    set.add(ESTIMATOR_TEXT[estimate.estimator] ?? estimate.estimator);
    byEstimand.set(estimate.estimand, set);
  }
  if (byEstimand.size > 0) {
    const clauses = [...byEstimand].map(([estimand, estimators]) => `the ${estimandName(estimand)} by ${listText([...estimators])}`);
    paragraphs.push(`We estimated ${listText(clauses)}, comparing ${input.arms.treatment} with ${input.arms.control} as randomised.`);
  }
  const seTypes = [...new Set(input.estimates.map((estimate) => estimate.seType))];
  const levels = [...new Set(input.estimates.map((estimate) => estimate.level))];
  if (seTypes.length > 0) {
    const level = methods.confidenceLevel ?? levels[0];
    paragraphs.push(
      `Standard errors are ${listText(seTypes.map((type) => SE_TEXT[type] ?? type))}${
        level !== undefined ? `; confidence intervals are at the ${formatLevel(level)} level` : ''
      }, with degrees of freedom as reported in each results row.`,
    );
  }
  const design: string[] = [];
  if (methods.covariates !== undefined && methods.covariates.length > 0)
    design.push(`adjusted for the baseline covariates ${listText(methods.covariates.map((c) => `“${c}”`))}`);
  if (methods.blocks !== undefined) design.push(`accounted for the randomisation blocks in “${methods.blocks}”`);
  if (methods.cluster !== undefined) design.push(`treated “${methods.cluster}” as the cluster (unit of randomisation)`);
  if (design.length > 0) paragraphs.push(`The analysis ${listText(design)}.`);
  for (const summary of input.survival ?? []) {
    const label = context.outcomeLabel(summary.outcome);
    const horizon = `${summary.horizon}${summary.timeUnit !== undefined ? ` ${summary.timeUnit}` : ''}`;
    paragraphs.push(
      `For the time-to-event outcome “${label}” (event indicator “${summary.event}”; participants without the event are censored at their last follow-up), ` +
        `we estimated Kaplan–Meier curves per arm with Greenwood standard errors and log-transformed pointwise confidence intervals, ` +
        `and the median time to the event with its interval (R survival’s survfit and print.survfit); compared the arms with the log-rank test` +
        `${summary.strata !== undefined ? ` stratified by “${summary.strata}”` : ''} (survdiff); estimated the hazard ratio of assignment from a Cox model with Efron’s ties` +
        `${summary.strata !== undefined ? `, stratified by “${summary.strata}”` : ''} (coxph, Wald interval on the log scale); and the differences in restricted mean survival time ` +
        `to ${horizon} and in cumulative incidence (1 − Kaplan–Meier) by ${horizon}, with Greenwood-type variances and normal intervals — as R’s survival package computes them ` +
        `(@trialkit/survival, checked against survival 3.5-3). The hazard ratio is not adjusted for baseline covariates: a covariate-adjusted hazard ratio is a different (conditional) estimand, and the intention-to-treat comparison is of assignment alone. ` +
        `No complier (CACE) effect is estimated for time-to-event outcomes.`,
    );
  }
  if (methods.receivedColumn !== undefined)
    paragraphs.push(
      `Receipt of the programme was taken from “${methods.receivedColumn}”; the CACE assumes that assignment affects outcomes only through receipt (exclusion restriction) and that nobody takes the programme because they were assigned to control (monotonicity).`,
    );
  if (methods.contaminationGroupColumn !== undefined)
    paragraphs.push(`Contamination of the control arm is summarised by “${methods.contaminationGroupColumn}”.`);
  if (methods.subgroups !== undefined && methods.subgroups.length > 0) {
    const allTests = input.subgroupTests ?? [];
    const isCox = (item: (typeof allTests)[number]): boolean => item.model === 'coxph' || item.hazardTest !== undefined;
    const tests = allTests.filter((item) => !isCox(item));
    const hazardTests = allTests.filter(isCox);
    const seTypes = [...new Set(tests.flatMap((item) => (item.test !== undefined ? [item.test.seType] : [])))];
    const hazardSeTypes = [...new Set(hazardTests.flatMap((item) => (item.hazardTest !== undefined ? [item.hazardTest.seType] : [])))];
    const hazardStrata = hazardTests.find((item) => item.hazardTest?.strata !== undefined)?.hazardTest?.strata;
    const minimum = methods.minimumSubgroupArmSize;
    paragraphs.push(
      `Pre-specified subgroups: ${listText(methods.subgroups.map((s) => `“${s}”`))}. ` +
        (hazardTests.length > 0
          ? `For a time-to-event primary outcome we fitted one Cox model with assignment, the subgroup’s levels and their products, coxph(Surv(time, event) ~ assignment × factor(subgroup)${
              hazardStrata !== undefined ? ` + strata(${hazardStrata})` : ''
            }) with ${hazardTests.some((item) => item.hazardTest?.ties === 'breslow') ? 'Breslow’s' : 'Efron’s'} ties${
              hazardSeTypes.length > 0 ? ` and ${listText(hazardSeTypes.map((type) => COX_SE_TEXT[type] ?? type))} variance` : ''
            }; each level’s hazard ratio is exp(β_assignment + β_interaction) from that model, with its Wald interval, and the treatment × subgroup interaction test is the joint Wald χ² test on the Cox model that every interaction coefficient is zero, W = b′V⁻¹b referred to χ²(q) with q = levels − 1 (@trialkit/survival coxInteractionTest, checked against R’s survival::coxph). Levels with no event in one of the arms were left out of the model and the test. With two levels the ratio of the two hazard ratios is reported with its interval. `
          : '') +
        (tests.length > 0
          ? `For each subgroup and primary outcome we estimated the ITT within each level as for the whole sample, and tested whether the effect differs between levels by the treatment × subgroup interaction: a regression of the outcome on assignment, the subgroup’s levels and their products${
              methods.covariates !== undefined && methods.covariates.length > 0 ? ', adjusted for the same covariates' : ''
            }${methods.blocks !== undefined ? `, with fixed effects for the randomisation blocks in “${methods.blocks}” (so levels are compared within blocks)` : ''} (estimatr lm_robust${seTypes.length > 0 ? `, ${listText(seTypes.map((type) => SE_TEXT[type] ?? type))} standard errors` : ''}), with the joint robust Wald test that every interaction coefficient is zero, W = (Rb)′(RVR′)⁻¹(Rb), reported as F = W/q on q and the residual degrees of freedom (the number of clusters − 1 with clusters) as estimatr reports its Wald F, and referred to χ²(q) beside it (@trialkit/estimators subgroupAnalysis, checked against estimatr and clubSandwich). With two levels the interaction coefficient, the difference between the two ITTs, is reported with its interval. `
          : '') +
        (minimum !== undefined ? `Levels with fewer than ${minimum} participants in either arm were not estimated and were left out of the interaction test (listed under deviations). ` : '') +
        'Subgroup results are secondary: a difference between subgroups is judged by the interaction test, not by whether each subgroup’s interval excludes zero.',
    );
  }
  if (methods.multiplicity !== undefined) paragraphs.push(`Multiplicity across secondary outcomes: ${methods.multiplicity}.`);
  const attrition = input.attrition ?? [];
  if (attrition.length > 0) {
    const thresholds = methods.attrition;
    paragraphs.push(
      `Follow-up response (${listText(attrition.map((item) => `“${context.outcomeLabel(item.outcome)}”`))}): response rates by arm, their difference by a difference in means of the response indicator, Pearson’s χ² (no continuity correction) and Fisher’s exact test (as R’s chisq.test and fisher.test)` +
        `${thresholds !== undefined ? `; a difference in response rates above ${formatNumber(thresholds.differentialThreshold * 100, 1).replace(/\.0$/, '')} percentage points (or a significant one) and overall response below ${formatLevel(thresholds.lowResponseThreshold)} are flagged in the diagnostics` : ''}. ` +
        `Lee (2009) bounds on the ITT of those who would respond in either arm trim the arm that responded more by the excess share (with fractional weights at ties), with Proposition 3 standard errors and the Imbens–Manski (2004) confidence interval for the effect (@trialkit/estimators attritionAnalysis). They assume that assignment moves response in one direction only (monotonicity).`,
    );
  }
  const ratios = input.ratios ?? [];
  if (ratios.length > 0) {
    const first = ratios[0]!;
    paragraphs.push(
      `Ratios of effects (${listText(ratios.map((r) => `“${r.label}”`))}) are the ITT of the numerator divided by the ITT of the denominator (differences in means), with ${formatLevel(first.level)} bootstrap confidence intervals: ${first.reps.toLocaleString('en-GB')} replicates resampling ${first.resampledUnit === 'cluster' ? 'whole clusters' : 'participants'} with replacement within each arm${
        methods.blocks !== undefined ? ' and block' : ''
      } (so every replicate keeps the randomised arm sizes), both ITTs re-estimated on each replicate, seed “${first.seed}” (trialkit’s seeded generator); the interval reported is the ${INTERVAL_TEXT[first.interval] ?? first.interval}, with the percentile, normal and basic intervals alongside (as R’s boot.ci computes them; @trialkit/estimators bootstrapRatio, checked against R boot). When the denominator’s replicates reach zero the ratio is unbounded, and the report says so rather than print a meaningless interval.`,
    );
  }
  const randomisation = randomisationParagraph(context);
  if (randomisation !== undefined) paragraphs.push(randomisation);
  if (methods.missingData !== undefined) paragraphs.push(methods.missingData);
  const software = input.provenance?.software;
  if (software !== undefined && software.length > 0)
    paragraphs.push(`Software: ${listText(software.map((s) => `${s.name} ${s.version}`))}.`);
  return [...paragraphs, ...(methods.paragraphs ?? [])];
}

export function methodsSection(context: ReportContext): Section {
  const paragraphs = methodsParagraphs(context);
  const body: SafeHtml =
    paragraphs.length === 0 ? html`<p>No analysis was run.</p>` : html`${paragraphs.map((text) => html`<p>${text}</p>`)}`;
  return { id: 'methods', title: 'Methods', body };
}
