/**
 * Report bench: a simulated trial of 10,000 and 100,000 participants (test/fixtures/simulate.ts), plan as in the
 * tests. Times buildReport (estimates for 2 outcomes × ITT/first stage/CACE, 2 subgroups, the time-to-event outcome's
 * survival analysis, flow, balance, compliance by office and month, distributions) and renderReport (charts to SVG),
 * and the HTML size.
 * Targets (issue 6): 100,000 participants render in < 5 s and the HTML stays < 2 MB.
 * R column (when Rscript exists): read.csv + the same estimatr calls (difference_in_means and iv_robust for both
 * outcomes) and survival's survfit, survdiff, coxph (Efron) and print(survfit, rmean = 365) on days to first job, on
 * the same file — the statistical core of the report; R has no equivalent of the rendering step.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readData } from '@trialkit/data';
import { buildReport, parsePlan, renderReport } from '../src/index.js';
import { SAMPLE_PLAN, writeSimulatedCsv } from '../test/fixtures/simulate.js';

function hasR(): boolean {
  try {
    execFileSync('Rscript', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function timeR(csv: string, folder: string): number | undefined {
  const script = join(folder, 'bench.R');
  const code = `suppressMessages({library(estimatr); library(survival)})
d <- read.csv("${csv}")
t0 <- Sys.time()
d <- read.csv("${csv}")
for (y in c("job13", "earnings")) {
  f <- as.formula(paste(y, "~ assigned"))
  invisible(difference_in_means(f, data = d))
  invisible(difference_in_means(as.formula("started ~ assigned"), data = d[!is.na(d[[y]]), ]))
  invisible(iv_robust(as.formula(paste(y, "~ started | assigned")), data = d))
}
fit <- survfit(Surv(days_to_first_job, job_started) ~ assigned, data = d)
invisible(summary(fit, times = c(0, 90, 180, 270, 365), extend = TRUE))
invisible(capture.output(print(fit, rmean = 365)))
invisible(survdiff(Surv(days_to_first_job, job_started) ~ assigned, data = d))
invisible(coxph(Surv(days_to_first_job, job_started) ~ assigned, data = d, ties = "efron"))
cat(as.numeric(difftime(Sys.time(), t0, units = "secs")))
`;
  const result = spawnSync('Rscript', ['-e', code], { encoding: 'utf8' });
  void script;
  const seconds = Number(result.stdout.trim());
  return Number.isFinite(seconds) ? seconds : undefined;
}

const folder = await mkdtemp(join(tmpdir(), 'trialkit-report-bench-'));
const withR = hasR();
const timing: string[] = ['| case | trialkit (s) | R (s) | ratio |', '|---|---|---|---|'];
const sizes: string[] = ['| participants | HTML size (KB) | charts |', '|---|---|---|'];
const plan = parsePlan(SAMPLE_PLAN);
// Warm-up (module loading, vega-lite's first compile) so that the figures are steady-state.
{
  const csv = join(folder, 'warm.csv');
  await writeSimulatedCsv(csv, 2000, 'warm-up');
  await renderReport(await buildReport(plan, await readData(csv)));
}
for (const n of [10_000, 100_000]) {
  const csv = join(folder, `trial-${n}.csv`);
  await writeSimulatedCsv(csv, n, `bench-${n}`);
  const t0 = performance.now();
  const data = await readData(csv);
  const t1 = performance.now();
  const input = await buildReport(plan, data, { provenance: { generatedAt: '2026-11-24T00:00:00Z' } });
  const t2 = performance.now();
  const html = await renderReport(input);
  const t3 = performance.now();
  await writeFile(join(folder, `report-${n}.html`), html);
  const build = (t2 - t1) / 1000;
  const render = (t3 - t2) / 1000;
  const total = (t3 - t0) / 1000;
  const r = withR ? timeR(csv, folder) : undefined;
  const fmt = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(2));
  timing.push(`| ${n.toLocaleString('en-GB')}: read data | ${fmt((t1 - t0) / 1000)} | — | — |`);
  timing.push(`| ${n.toLocaleString('en-GB')}: buildReport (estimates, survival, flow, balance, compliance, distributions) | ${fmt(build)} | ${fmt(r)} | ${r === undefined ? '—' : (build / r).toFixed(2)} |`);
  timing.push(`| ${n.toLocaleString('en-GB')}: renderReport (HTML + SVG charts) | ${fmt(render)} | — | — |`);
  timing.push(`| ${n.toLocaleString('en-GB')}: total, file to HTML | ${fmt(total)} | — | — |`);
  sizes.push(`| ${n.toLocaleString('en-GB')} | ${(Buffer.byteLength(html) / 1024).toFixed(0)} | ${(html.match(/<svg/g) ?? []).length} |`);
}
// Issue 7's plan fields at 100,000 (the same data): randomisation inference (10,000 draws per binary/continuous
// outcome, and the CACE's randomisation set on the same draws), a 4-level subgroup beside "female" (interaction tests),
// attrition for both outcomes, a bootstrap ratio with 2,000 replicates. buildReport only, each field on its own.
{
  const n = 100_000;
  const data = await readData(join(folder, `trial-${n}.csv`));
  const extras: [string, Record<string, unknown>][] = [
    ['randomisationInference 10,000 draws', { randomisationInference: { draws: 10_000, seed: 'bench' } }],
    ['subgroups female + office (interaction tests)', { subgroups: ['female', 'office'] }],
    ['attrition (2 outcomes, Lee bounds)', { attrition: { outcomes: ['job13', 'earnings'] } }],
    ['bootstrap ratio, 2,000 replicates', { bootstrap: { reps: 2000, seed: 'bench', ratios: [{ numerator: 'earnings', denominator: 'job13' }] } }],
  ];
  const base = performance.now();
  await buildReport(plan, data);
  const baseline = (performance.now() - base) / 1000;
  timing.push(`| ${n.toLocaleString('en-GB')}: buildReport, plan as above (baseline for the rows below) | ${baseline.toFixed(2)} | — | — |`);
  for (const [label, fields] of extras) {
    const t0 = performance.now();
    await buildReport(parsePlan({ ...SAMPLE_PLAN, ...fields }), data);
    timing.push(`| ${n.toLocaleString('en-GB')}: buildReport + ${label} | ${((performance.now() - t0) / 1000).toFixed(2)} | — | — |`);
  }
}
await rm(folder, { recursive: true, force: true });
console.log(timing.join('\n'));
console.log('');
console.log(sizes.join('\n'));
if (!withR) console.log('\n(R columns empty: Rscript not found.)');
