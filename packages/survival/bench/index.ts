/**
 * Speed of @trialkit/survival against R's survival on the same simulated data (integer days, so many ties):
 * Kaplan–Meier by arm (survfit), log-rank (survdiff), Cox with Efron ties (coxph), and the whole
 * survivalAnalysis. Each timing is the best of three runs of the computation alone (data already in memory).
 * Prints `| case | trialkit (s) | R (s) | ratio |`; R columns when Rscript exists.
 *
 *   npm run bench -w @trialkit/survival
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRng } from '@trialkit/core';
import { coxph, kaplanMeier, logRank, survivalAnalysis } from '../src/index.js';

interface Simulated { time: Float64Array; event: Float64Array; arm: Float64Array }

/** N people, half to each arm; time to job ~ exponential (mean 300 days, hazard ratio 1.3), censored uniformly
 * between 30 and 730 days; times rounded up to whole days. */
function simulate(n: number, seed: number): Simulated {
  const rng = createRng(seed);
  const time = new Float64Array(n);
  const event = new Float64Array(n);
  const arm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    arm[i] = rng.nextDouble() < 0.5 ? 0 : 1;
    const rate = (1 / 300) * (arm[i] === 1 ? 1.3 : 1);
    const job = -Math.log(1 - rng.nextDouble()) / rate;
    const censor = 30 + 700 * rng.nextDouble();
    time[i] = Math.ceil(Math.min(job, censor));
    event[i] = job <= censor ? 1 : 0;
  }
  return { time, event, arm };
}

function best(run: () => unknown, repeats = 3): number {
  let fastest = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, (performance.now() - start) / 1000);
  }
  return fastest;
}

function hasRscript(): boolean {
  try {
    execFileSync('Rscript', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const R_SCRIPT = `
suppressPackageStartupMessages(library(survival))
d <- read.csv(commandArgs(TRUE)[1])
best <- function(expr) { e <- substitute(expr); min(sapply(1:3, function(i) system.time(eval(e))[["elapsed"]])) }
km <- best(survfit(Surv(time, event) ~ arm, data = d))
lr <- best(survdiff(Surv(time, event) ~ arm, data = d))
cx <- best(coxph(Surv(time, event) ~ arm, data = d, ties = "efron"))
all <- best({ f <- survfit(Surv(time, event) ~ arm, data = d); survdiff(Surv(time, event) ~ arm, data = d);
  coxph(Surv(time, event) ~ arm, data = d); summary(f, rmean = 365); summary(f, times = c(90, 180, 365)) })
cat(km, lr, cx, all, "\\n")
`;

const withR = hasRscript();
const dir = mkdtempSync(join(tmpdir(), 'trialkit-survival-bench-'));
const rows: string[] = [];
try {
  for (const n of [1e5, 1e6]) {
    const data = simulate(n, 20261124 + n);
    const armIndex = [0, 1].map((a) => Array.from(data.arm.keys()).filter((i) => data.arm[i] === a));
    const armData = armIndex.map((idx) => ({
      time: Float64Array.from(idx, (i) => data.time[i]!),
      event: Float64Array.from(idx, (i) => data.event[i]!),
    }));
    const ours = {
      km: best(() => armData.map((a) => kaplanMeier(a.time, a.event))),
      lr: best(() => logRank(data.time, data.event, data.arm)),
      cx: best(() => coxph(data.time, data.event, [data.arm])),
      all: best(() => survivalAnalysis({ time: data.time, event: data.event, assignment: data.arm }, { time: 'time', event: 'event', assignment: 'arm', horizon: 365,
        times: [90, 180, 365] })),
    };
    let theirs: number[] | undefined;
    if (withR) {
      const csv = join(dir, `sim-${n}.csv`);
      const lines = ['time,event,arm'];
      for (let i = 0; i < n; i++) lines.push(`${data.time[i]},${data.event[i]},${data.arm[i]}`);
      writeFileSync(csv, `${lines.join('\n')}\n`);
      const script = join(dir, 'bench.R');
      writeFileSync(script, R_SCRIPT);
      theirs = execFileSync('Rscript', [script, csv], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    }
    const label = n === 1e5 ? 'N = 1e5' : 'N = 1e6';
    const cases: [string, number, number | undefined][] = [
      [`Kaplan–Meier by arm (survfit), ${label}`, ours.km, theirs?.[0]],
      [`log-rank (survdiff), ${label}`, ours.lr, theirs?.[1]],
      [`Cox, Efron ties (coxph), ${label}`, ours.cx, theirs?.[2]],
      [`survivalAnalysis: KM + log-rank + Cox + RMST + risk table, ${label}`, ours.all, theirs?.[3]],
    ];
    for (const [name, t, r] of cases) {
      rows.push(r === undefined
        ? `| ${name} | ${t.toFixed(3)} | — | — |`
        : `| ${name} | ${t.toFixed(3)} | ${r.toFixed(3)} | ${(t / r).toFixed(2)} |`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(['| case | trialkit (s) | R (s) | ratio |', '|---|---|---|---|', ...rows].join('\n') + '\n');
