/**
 * `trialkit allocate`: an allocation list (id, stratum, sequence, arm) and list.meta.json from a participant file,
 * per-stratum sequence tables (--per-stratum), and design diagnostics by simulation (--simulate).
 *
 *   participants file ──readParticipants (@trialkit/allocation via @trialkit/data)──► allocate(request)
 *     ──► list.csv + list.meta.json (written atomically, only after every check has passed)
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  SCHEME_NAMES,
  allocate,
  allocationErrors,
  metaToJson,
  readParticipants,
  sequenceListToCsv,
  sequenceLists,
  simulateDesign,
  type AllocationRequest,
  type SchemeName,
} from '@trialkit/allocation';
import {
  formatDiagnostics,
  formatNumber,
  formatTable,
  parseChoice,
  parseList,
  parseNumberOption,
  processOutput,
  toJson,
  writeFileAtomic,
  type Output,
} from '../io.js';

interface AllocateOptions {
  participants: string;
  arms: string;
  scheme: string;
  id: string;
  strata?: string;
  cluster?: string;
  blockSizes?: string;
  factors?: string;
  imbalance?: string;
  bestProbability?: string;
  covariates?: string;
  candidates?: string;
  bestShare?: string;
  acceptance?: string;
  threshold?: string;
  seed?: string;
  concealSeed?: boolean;
  perStratum?: string;
  expectedRecruitment?: string;
  simulate?: string;
  out: string;
  json?: boolean;
}

/** list.csv → list.meta.json (and list.seed, list.simulation.csv) beside it. */
export function companionPath(out: string, suffix: string): string {
  const extension = extname(out);
  const stem = extension === '' ? basename(out) : basename(out, extension);
  return join(dirname(out), `${stem}${suffix}`);
}

/** "age:2,sex" → [{name: age, weight: 2}, {name: sex, weight: 1}] */
export function parseFactors(text: string): { name: string; weight: number }[] {
  return parseList(text).map((part) => {
    const colon = part.lastIndexOf(':');
    if (colon < 0) return { name: part, weight: 1 };
    const weight = parseNumberOption('--factors', part.slice(colon + 1), { min: 0, exclusive: true, description: 'a positive weight, e.g. age:2' });
    return { name: part.slice(0, colon), weight };
  });
}

function parseBlockSizes(text: string): number[] {
  return parseList(text).map((s) => parseNumberOption('--block-sizes', s, { integer: true, min: 1, description: 'a list of whole numbers, e.g. 4,6,8' }));
}

/** `output` defaults to the process streams (tests pass their own to run the command in-process). */
export function register(program: Command, output: Output = processOutput): void {
  program
    .command('allocate')
    .description('generate a reproducible allocation list (and list.meta.json) for a file of participants')
    .requiredOption('--participants <file>', 'participant file: .csv, .parquet or .json, one row per person')
    .requiredOption('--arms <arms>', 'arms with integer ratios, e.g. "control:1,treatment:1" or "control:2,ips:1,ips_plus:1"')
    .requiredOption('--scheme <scheme>', SCHEME_NAMES.join('|'))
    .requiredOption('--out <file>', 'the list to write (CSV); list.meta.json is written beside it')
    .option('--id <column>', 'participant id column', 'id')
    .option('--strata <columns>', 'stratification columns, comma-separated (minimisation: the factors)')
    .option('--cluster <column>', 'cluster column (cluster and constrained schemes)')
    .option('--block-sizes <sizes>', 'permuted block sizes, multiples of the ratio sum (default 2R,3R,4R: 4,6,8 for 1:1)')
    .option('--factors <factors>', 'minimisation factors with weights, e.g. "age_band:2,sex:1" (default: --strata, weight 1)')
    .option('--imbalance <measure>', 'minimisation imbalance: range|variance', 'range')
    .option('--best-probability <p>', 'minimisation: probability of the preferred arm', '0.8')
    .option('--covariates <columns>', 'numeric covariates to balance (constrained, rerandomisation)')
    .option('--candidates <n>', 'constrained: allocations to sample when there are too many to enumerate', '10000')
    .option('--best-share <q>', 'constrained: draw from this share of best-balanced candidates', '0.1')
    .option('--acceptance <p>', 'rerandomisation: acceptance probability that sets the χ² threshold', '0.1')
    .option('--threshold <a>', 'rerandomisation: Mahalanobis threshold (overrides --acceptance)')
    .option('--seed <seed>', 'seed: a whole number or text (default: 128 random bits, recorded in the metadata)')
    .option('--conceal-seed', 'record only SHA-256 of the seed in list.meta.json; the seed goes to list.seed (mode 0600)')
    .option('--per-stratum <n>', 'write per-stratum sequence tables of n rows (block scheme) instead of a list of people')
    .option('--expected-recruitment <n>', 'with --per-stratum: expected total recruitment, for the run-out warning (default: the number of participants)')
    .option('--simulate <n>', 'also redraw the design n times and report each unit’s realised probabilities (list.simulation.csv)')
    .option('--json', 'print the metadata (and simulation summary) as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ trialkit allocate --participants people.csv --arms "control:1,whp:1" --scheme block --strata office --seed 2026 --out list.csv
  $ trialkit allocate --participants people.csv --arms "control:2,ips:1,ips_plus:1" --scheme minimisation --factors "region:2,age_band,sex" --seed 7 --out list.csv
  $ trialkit allocate --participants offices.csv --id office --cluster office --covariates size,baseline_rate --arms "control:1,whp:1" --scheme constrained --seed 11 --out offices.csv
  $ trialkit allocate --participants people.csv --arms "control:1,whp:1" --scheme block --strata office --per-stratum 400 --seed 2026 --out tables.csv`,
    )
    .action(async (options: AllocateOptions) => {
      const scheme = parseChoice('--scheme', options.scheme, SCHEME_NAMES) as SchemeName;
      const strata = parseList(options.strata);
      const factors = options.factors !== undefined ? parseFactors(options.factors) : undefined;
      const covariates = parseList(options.covariates);
      const seed = options.seed ?? randomBytes(16).toString('hex');
      const participants = await readParticipants(options.participants, {
        id: options.id,
        ...(strata.length > 0 ? { strata } : {}),
        ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
        ...(factors !== undefined ? { factors } : {}),
        ...(covariates.length > 0 ? { covariates } : {}),
      });
      const blockSizes = options.blockSizes !== undefined ? parseBlockSizes(options.blockSizes) : undefined;
      const seedPath = companionPath(options.out, '.seed');
      const metaPath = companionPath(options.out, '.meta.json');

      if (options.perStratum !== undefined) {
        if (scheme !== 'block') {
          throw allocationErrors.badOption('--per-stratum', options.perStratum, 'Per-stratum sequence tables are made by permuted blocks', 'Use --scheme block with --per-stratum.');
        }
        const perStratum = parseNumberOption('--per-stratum', options.perStratum, { integer: true, min: 1, description: 'a whole number of rows per stratum' });
        const expected =
          options.expectedRecruitment !== undefined
            ? parseNumberOption('--expected-recruitment', options.expectedRecruitment, { integer: true, min: 1, description: 'a whole number of participants' })
            : participants.n;
        const labels = participants.strata ?? participants.ids.map(() => 'all');
        const shares: Record<string, number> = {};
        for (const label of labels) shares[label] = (shares[label] ?? 0) + 1 / labels.length;
        const lists = sequenceLists({
          arms: options.arms,
          seed,
          strata: labels,
          perStratum,
          ...(blockSizes !== undefined ? { blockSizes } : {}),
          expectedRecruitment: expected,
          stratumShares: shares,
          ...(strata.length > 0 ? { strataColumns: strata } : {}),
          ...(options.concealSeed === true ? { concealSeed: true } : {}),
        });
        await writeOutputs(options, [
          [options.out, sequenceListToCsv(lists.rows)],
          [metaPath, metaToJson(lists.meta)],
          ...(options.concealSeed === true ? ([[seedPath, `${seed}\n`]] as [string, string][]) : []),
        ]);
        if (options.json === true) output.stdout(toJson(lists.meta));
        else {
          output.stdout(`Wrote ${lists.rows.length} rows (${perStratum} per stratum) to ${options.out} and ${metaPath}.\n`);
          output.stdout(formatDiagnostics(lists.diagnostics));
        }
        return;
      }

      const request: AllocationRequest = {
        ids: participants.ids,
        arms: options.arms,
        scheme,
        seed,
        idColumn: participants.idColumn,
        ...(participants.strata !== undefined ? { strata: participants.strata, strataColumns: strata } : {}),
        ...(participants.clusters !== undefined ? { clusters: participants.clusters, clusterColumn: participants.clusterColumn ?? '' } : {}),
        ...(blockSizes !== undefined ? { blockSizes } : {}),
        ...(participants.factors !== undefined ? { factors: participants.factors } : {}),
        ...(participants.covariates !== undefined ? { covariates: participants.covariates } : {}),
        imbalance: parseChoice('--imbalance', options.imbalance ?? 'range', ['range', 'variance'] as const),
        bestProbability: parseNumberOption('--best-probability', options.bestProbability ?? '0.8', { min: 0, max: 1, description: 'a probability between 0 and 1' }),
        candidates: parseNumberOption('--candidates', options.candidates ?? '10000', { integer: true, min: 1, description: 'a whole number' }),
        bestShare: parseNumberOption('--best-share', options.bestShare ?? '0.1', { min: 0, max: 1, exclusive: true, description: 'a share between 0 and 1, e.g. 0.1' }),
        acceptance: parseNumberOption('--acceptance', options.acceptance ?? '0.1', { min: 0, max: 1, exclusive: true, description: 'a probability between 0 and 1' }),
        ...(options.threshold !== undefined ? { threshold: parseNumberOption('--threshold', options.threshold, { min: 0, exclusive: true, description: 'a positive number' }) } : {}),
        ...(options.concealSeed === true ? { concealSeed: true } : {}),
        ...(participants.fileSha256 !== undefined ? { inputFileSha256: participants.fileSha256 } : {}),
      };
      const list = allocate(request);
      const simulation =
        options.simulate !== undefined
          ? simulateDesign(request, parseNumberOption('--simulate', options.simulate, { integer: true, min: 10, description: 'a whole number of simulated designs, e.g. 10000' }))
          : undefined;
      const files: [string, string][] = [
        [options.out, list.csv.toString('utf8')],
        [metaPath, metaToJson(simulation === undefined ? list.meta : { ...list.meta, simulation: simulationSummary(simulation) })],
      ];
      if (options.concealSeed === true) files.push([seedPath, `${seed}\n`]);
      if (simulation !== undefined) files.push([companionPath(options.out, '.simulation.csv'), simulationCsv(participants.ids, simulation)]);
      await writeOutputs(options, files);
      if (options.json === true) {
        output.stdout(toJson(simulation === undefined ? list.meta : { ...list.meta, simulation: simulationSummary(simulation) }));
        return;
      }
      output.stdout(formatCounts(list.meta.countsByStratum, list.meta.counts));
      output.stdout(
        `\n${list.meta.n} participants allocated by ${list.meta.schemeVersion}; list ${options.out} (SHA-256 ${list.meta.listSha256.slice(0, 16)}…), metadata ${metaPath}.\n`,
      );
      if (options.seed === undefined && options.concealSeed !== true) output.stdout(`Seed (generated): ${seed}\n`);
      if (simulation !== undefined) {
        output.stdout(`\nDesign simulation (${simulation.replicates} redraws): realised probability per unit\n`);
        output.stdout(
          formatTable(
            ['arm', 'target', 'min', 'max', 'max deviation'],
            Object.entries(simulation.perArm).map(([arm, s]) => [arm, formatNumber(s.target), formatNumber(s.min), formatNumber(s.max), formatNumber(s.maxDeviation)]),
          ),
        );
      }
      output.stdout(formatDiagnostics([...list.meta.diagnostics, ...(simulation?.diagnostics ?? [])]));
    });
}

/** Write every file atomically; if one fails, remove those already written so no partial output remains. */
async function writeOutputs(_options: AllocateOptions, files: readonly [string, string][]): Promise<void> {
  const written: string[] = [];
  // The secret seed file first: it is never overwritten, so if it exists nothing else is touched.
  const ordered = [...files.filter(([path]) => path.endsWith('.seed')), ...files.filter(([path]) => !path.endsWith('.seed'))];
  try {
    for (const [path, content] of ordered) {
      if (path.endsWith('.seed')) await writeSecret(path, content);
      else await writeFileAtomic(path, content);
      written.push(path);
    }
  } catch (error) {
    for (const path of written) await rm(path, { force: true });
    throw error;
  }
}

async function writeSecret(path: string, content: string): Promise<void> {
  const { open } = await import('node:fs/promises');
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw allocationErrors.badOption('--conceal-seed', path, `The seed file ${path} already exists and is never overwritten`, 'Move it somewhere safe or choose another --out.');
    }
    throw error;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function simulationSummary(simulation: ReturnType<typeof simulateDesign>): Record<string, unknown> {
  return { replicates: simulation.replicates, perArm: simulation.perArm, flaggedTotal: simulation.flaggedTotal, flagged: simulation.flagged, diagnostics: simulation.diagnostics };
}

function simulationCsv(ids: readonly string[], simulation: ReturnType<typeof simulateDesign>): string {
  const lines = [`id,${simulation.arms.map((a) => `p_${a}`).join(',')}\n`];
  simulation.probabilities.forEach((p, i) => {
    const id = ids[i] as string;
    lines.push(`${/[",\r\n]/.test(id) ? `"${id.replace(/"/g, '""')}"` : id},${p.map((v) => String(v)).join(',')}\n`);
  });
  return lines.join('');
}

function formatCounts(byStratum: Readonly<Record<string, Readonly<Record<string, number>>>>, totals: Readonly<Record<string, number>>): string {
  const arms = Object.keys(totals);
  const rows = Object.entries(byStratum).map(([stratum, counts]) => [stratum, ...arms.map((a) => String(counts[a] ?? 0))]);
  rows.push(['total', ...arms.map((a) => String(totals[a] ?? 0))]);
  return formatTable(['stratum', ...arms], rows);
}
