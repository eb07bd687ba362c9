/**
 * Speed of the estimators at N = 1e5 and 1e6 rows, 10 covariates, 5,000 clusters (issue 4, "Fast"):
 *
 *   data: seeded (createRng), columns written once as raw little-endian float64 files in os.tmpdir()
 *   trialkit: differenceInMeans, lmRobust HC2, ivRobust HC2 (without and with the first-stage F), lmRobust CR2
 *             (5,000 clusters) — median of 3 after 3 warm-up runs (one run at 1e6), peak RSS of this process (process.resourceUsage().maxRSS)
 *   R (when Rscript with estimatr exists): the same calls on the same columns (readBin), timing only the
 *             estimatr call with system.time, in the same run
 *   times are CPU seconds (user + system) of the call; TRIALKIT_BENCH_WALL=1 for wall-clock
 *
 * Prints `| case | trialkit (s) | R (s) | ratio |` (ratio = trialkit / R).
 *
 *   npm run bench -w @trialkit/estimators
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRng } from '@trialkit/core';
import { differenceInMeans, ivRobust, lmRobust } from '../src/index.js';

const SEED = 20261124;
const N_COVARIATES = 10;
const N_CLUSTERS = 5000;
const SIZES = [100_000, 1_000_000];

interface BenchData {
  n: number;
  y: Float64Array;
  z: Float64Array;
  d: Float64Array;
  cluster: Int32Array;
  covariates: Float64Array[];
}

/** y = 1 + 0.5·d + Σ 0.1·x_j + cluster effect + noise; assignment by cluster; two-sided noncompliance. */
function generate(n: number): BenchData {
  const rng = createRng(SEED);
  const normal = (): number => {
    const u = 1 - rng.nextDouble();
    const v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const clusterEffect = Float64Array.from({ length: N_CLUSTERS }, () => 0.3 * normal());
  const clusterArm = Float64Array.from({ length: N_CLUSTERS }, () => (rng.nextDouble() < 0.5 ? 1 : 0));
  const covariates = Array.from({ length: N_COVARIATES }, () => new Float64Array(n));
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  const d = new Float64Array(n);
  const cluster = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = rng.nextInt(N_CLUSTERS);
    cluster[i] = g;
    z[i] = clusterArm[g]!;
    d[i] = rng.nextDouble() < (z[i] === 1 ? 0.7 : 0.15) ? 1 : 0;
    let mean = 1 + 0.5 * d[i]! + clusterEffect[g]!;
    for (let j = 0; j < N_COVARIATES; j++) {
      const x = normal();
      covariates[j]![i] = x;
      mean += 0.1 * x;
    }
    y[i] = mean + normal();
  }
  return { n, y, z, d, cluster, covariates };
}

function writeBinary(data: BenchData, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, values: Float64Array): void => writeFileSync(join(dir, `${name}.bin`), Buffer.from(values.buffer, values.byteOffset, values.byteLength));
  write('y', data.y);
  write('z', data.z);
  write('d', data.d);
  write('cluster', Float64Array.from(data.cluster));
  data.covariates.forEach((x, j) => write(`x${j + 1}`, x));
}

/**
 * CPU seconds (user + system) of a call, median over repeats. CPU time rather than wall time because this
 * 2-core machine is shared: other processes inflate wall times of both trialkit and R by up to 3× (R is timed the
 * same way: user.self + sys.self of system.time). Set TRIALKIT_BENCH_WALL=1 for wall-clock times.
 */
function time(run: () => unknown, repeats: number): number {
  const wall = process.env['TRIALKIT_BENCH_WALL'] !== undefined;
  // Warm-up: V8 needs a few calls to reach its optimised code for the kernels; JIT tiering is not what is measured.
  if (repeats > 1) for (let w = 0; w < 3; w++) run();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    run();
    const used = process.cpuUsage(cpu);
    times.push(wall ? (performance.now() - start) / 1000 : (used.user + used.system) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const R_SCRIPT = `
suppressPackageStartupMessages(library(estimatr))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; n <- as.integer(args[2]); k <- as.integer(args[3])
rd <- function(name) readBin(file.path(dir, paste0(name, ".bin")), "double", n)
d <- data.frame(y = rd("y"), z = rd("z"), d = rd("d"), cluster = rd("cluster"))
for (j in seq_len(k)) d[[paste0("x", j)]] <- rd(paste0("x", j))
covs <- paste0("x", seq_len(k), collapse = " + ")
f_lm <- as.formula(paste("y ~ z +", covs))
f_iv <- as.formula(paste("y ~ d +", covs, "| z +", covs))
wall <- nzchar(Sys.getenv("TRIALKIT_BENCH_WALL"))
t <- function(expr) { st <- system.time(expr); unname(if (wall) st["elapsed"] else st["user.self"] + st["sys.self"]) }
out <- c(
  dim = t(difference_in_means(y ~ z, data = d)),
  hc2 = t(lm_robust(f_lm, data = d, se_type = "HC2")),
  iv = t(iv_robust(f_iv, data = d, se_type = "HC2")),
  ivF = t(iv_robust(f_iv, data = d, se_type = "HC2", diagnostics = TRUE)),
  cr2 = t(lm_robust(f_lm, data = d, clusters = cluster, se_type = "CR2"))
)
cat(paste(names(out), out, sep = "=", collapse = "\\n"), "\\n")
`;

function hasEstimatr(): boolean {
  const check = spawnSync('Rscript', ['-e', 'quit(status = if (requireNamespace("estimatr", quietly = TRUE)) 0 else 1)']);
  return check.status === 0;
}

function runR(dir: string, n: number): Record<string, number> {
  const scriptPath = join(dir, 'bench.R');
  writeFileSync(scriptPath, R_SCRIPT);
  const output = execFileSync('Rscript', [scriptPath, dir, String(n), String(N_COVARIATES)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const result: Record<string, number> = {};
  for (const line of output.trim().split('\n')) {
    const [key, value] = line.trim().split('=');
    if (key !== undefined && value !== undefined) result[key] = Number(value);
  }
  return result;
}

function main(): void {
  const withR = process.env['TRIALKIT_BENCH_NO_R'] === undefined && hasEstimatr();
  const unit = process.env['TRIALKIT_BENCH_WALL'] === undefined ? 'CPU seconds (user + system)' : 'wall-clock seconds';
  const rows: string[] = [`Times: ${unit}; ratio = trialkit / R.`, '', '| case | trialkit (s) | R (s) | ratio |', '|---|---|---|---|'];
  for (const n of SIZES) {
    const data = generate(n);
    const columns = [{ name: 'z', values: data.z }, ...data.covariates.map((values, j) => ({ name: `x${j + 1}`, values }))];
    const exogenous = data.covariates.map((values, j) => ({ name: `x${j + 1}`, values }));
    const cluster = { name: 'cluster', codes: data.cluster, labels: Array.from({ length: N_CLUSTERS }, (_, g) => String(g)) };
    const repeats = n >= 1_000_000 ? 1 : 3;
    const ours: Record<string, number> = {
      dim: time(() => differenceInMeans({ outcome: data.y, assignment: data.z }), 3),
      hc2: time(() => lmRobust({ outcome: data.y, columns, seType: 'HC2' }), repeats),
      iv: time(() => ivRobust({ outcome: data.y, endogenous: [{ name: 'd', values: data.d }], instruments: [{ name: 'z', values: data.z }], exogenous, seType: 'HC2', diagnostics: false }), repeats),
      ivF: time(() => ivRobust({ outcome: data.y, endogenous: [{ name: 'd', values: data.d }], instruments: [{ name: 'z', values: data.z }], exogenous, seType: 'HC2' }), repeats),
      cr2: time(() => lmRobust({ outcome: data.y, columns, seType: 'CR2', cluster }), repeats),
    };
    let theirs: Record<string, number> = {};
    if (withR) {
      const dir = join(tmpdir(), `trialkit-estimators-bench-${n}`);
      if (!existsSync(join(dir, 'y.bin'))) writeBinary(data, dir);
      theirs = runR(dir, n);
    }
    const label: Record<string, string> = {
      dim: 'difference in means',
      hc2: 'lm_robust HC2, 10 covariates',
      iv: 'iv_robust HC2, 10 covariates',
      ivF: 'iv_robust HC2 + first-stage F (diagnostics = TRUE)',
      cr2: `lm_robust CR2, ${N_CLUSTERS} clusters`,
    };
    for (const key of ['dim', 'hc2', 'iv', 'ivF', 'cr2']) {
      const r = theirs[key];
      const ratio = r === undefined ? '' : (ours[key]! / r).toFixed(3);
      rows.push(`| N = ${n.toExponential(0)}: ${label[key]} | ${ours[key]!.toFixed(3)} | ${r === undefined ? '' : r.toFixed(3)} | ${ratio} |`);
    }
  }
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  rows.push(`| peak RSS of the trialkit process (all cases, incl. data) | ${peakMiB.toFixed(0)} MiB | | |`);
  process.stdout.write(`${rows.join('\n')}\n`);
}

main();
