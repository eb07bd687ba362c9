/**
 * `trialkit report`: turn an analysis plan and the trial data into the self-contained HTML report.
 *
 *   --plan plan.json ──readPlan (field-precise errors)──┐
 *   --data F ──readData──────────────────────────────────┼─► buildReport (@trialkit/report: estimate() per the plan,
 *   [--allocation-dir D] ──verifyTrial + SHA-256 of log ─┘   deviations) ──► renderReport ──► --out, atomically
 *
 * Every input is checked before anything is written: a bad plan, a missing column or unreadable data exits 2 and
 * leaves no file. The provenance (hashes, verification, versions, date, command) goes into the report.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { TRIALKIT_VERSION, sha256File, sha256Hex, type Dataset } from '@trialkit/core';
import { readData } from '@trialkit/data';
import { verifyTrial } from '@trialkit/allocation';
import { buildReport, readPlan, renderReport, type AllocationVerification, type AnalysisPlan } from '@trialkit/report';
import { processOutput, toJson, writeFileAtomic, type Output } from '../io.js';

interface ReportOptions {
  plan: string;
  data: string;
  out: string;
  allocationDir?: string;
  strictColumns?: boolean;
  date?: string;
  json?: boolean;
}

function columnLabels(data: Dataset, name: string | undefined): (string | null)[] | undefined {
  if (name === undefined) return undefined;
  const column = data.columns.find((c) => c.name === name);
  if (column === undefined) return undefined;
  if (column.kind === 'number') return Array.from(column.values, (v) => (Number.isNaN(v) ? null : Object.is(v, -0) ? '0' : String(v)));
  return [...column.values];
}

/** Check the allocation log and, when the plan names an id column, that the data's assignments match it. */
function verifyAllocation(dir: string, plan: AnalysisPlan, data: Dataset, dataFile: string): AllocationVerification {
  const ids = columnLabels(data, plan.id);
  const assignments = columnLabels(data, plan.assignment);
  try {
    const report = verifyTrial({
      dir,
      ...(ids !== undefined && assignments !== undefined
        ? { data: { ids, assignments, idColumn: plan.id!, assignmentColumn: plan.assignment, file: dataFile } }
        : {}),
    });
    const counts = Object.entries(report.countsByArm)
      .map(([arm, n]) => `${arm} ${n}`)
      .join(', ');
    const problems = report.problems.map((problem) => problem.message).slice(0, 5);
    return {
      status: report.ok ? 'verified' : 'failed',
      detail: report.ok
        ? `${report.allocations} allocations (${counts}) by ${report.scheme}; hash chain, commitment and regenerated sequence checked${report.checks.data === true ? '; the data’s assignments match the log' : ''}`
        : `${problems.join('; ')}${report.problems.length > 5 ? '; …' : ''}`,
    };
  } catch (error) {
    return { status: 'failed', detail: error instanceof Error ? error.message : String(error) };
  }
}

export async function runReport(options: ReportOptions, argv: readonly string[] = process.argv, output: Output = processOutput): Promise<void> {
  const { plan, text: planText } = await readPlan(options.plan);
  const data = await readData(options.data);
  const allocationLog = options.allocationDir !== undefined ? join(options.allocationDir, 'log.jsonl') : undefined;
  const allocationVerification =
    options.allocationDir !== undefined ? verifyAllocation(options.allocationDir, plan, data, options.data) : undefined;
  const input = await buildReport(plan, data, {
    ...(options.strictColumns === true ? { strictColumns: true } : {}),
    ...(allocationVerification !== undefined ? { allocationVerification } : {}),
    provenance: {
      dataFile: options.data,
      dataSha256: data.source?.sha256 ?? (await sha256File(options.data)),
      planFile: options.plan,
      planSha256: sha256Hex(planText),
      ...(allocationLog !== undefined && existsSync(allocationLog) ? { allocationLogSha256: await sha256File(allocationLog) } : {}),
      software: [
        { name: 'trialkit', version: TRIALKIT_VERSION },
        { name: 'Node.js', version: process.versions.node },
      ],
      generatedAt: options.date ?? new Date().toISOString(),
      command: ['trialkit', ...argv.slice(2)].join(' '),
    },
  });
  const html = await renderReport(input);
  await writeFileAtomic(options.out, html);
  const summary = {
    out: options.out,
    bytes: Buffer.byteLength(html),
    estimates: input.estimates.length,
    deviations: input.deviations ?? [],
    allocationVerification: allocationVerification ?? null,
  };
  if (options.json === true) {
    output.stdout(toJson(summary));
    return;
  }
  const lines = [
    `Wrote ${options.out} (${(summary.bytes / 1024).toFixed(0)} KB): ${summary.estimates} estimates for ${plan.outcomes.length} outcome${plan.outcomes.length === 1 ? '' : 's'}.`,
    ...(summary.deviations.length > 0
      ? [`${summary.deviations.length} deviation${summary.deviations.length === 1 ? '' : 's'} from the plan (listed in the report):`, ...summary.deviations.map((d) => `  - ${d.field ?? 'plan'}: ${d.what}`)]
      : ['The analysis ran as the plan specified.']),
    ...(allocationVerification !== undefined ? [`Allocation: ${allocationVerification.status}${allocationVerification.detail !== undefined ? ` (${allocationVerification.detail})` : ''}.`] : []),
  ];
  output.stdout(`${lines.join('\n')}\n`);
}

export function register(program: Command): void {
  program
    .command('report')
    .description('write a self-contained, accessible HTML trial report from an analysis plan and the data')
    .requiredOption('--plan <file>', 'analysis plan (plan.json): outcomes, estimands, covariates, subgroups, …')
    .requiredOption('--data <file>', 'data file: .csv, .parquet or .json')
    .requiredOption('--out <file>', 'the HTML report to write (written atomically; nothing is written on error)')
    .option('--allocation-dir <dir>', 'trial folder of `trialkit init-trial`: verify the allocation log and record its hash')
    .option('--strict-columns', 'a column the plan names but the data lack is an error, not a recorded deviation')
    .option('--date <iso>', 'analysis date to record (default: now); fix it for byte-identical reports')
    .option('--json', 'print {out, bytes, estimates, deviations, allocationVerification} as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ trialkit report --plan plan.json --data trial.csv --out report.html
  $ trialkit report --plan plan.json --data trial.parquet --out reports/whp.html --allocation-dir trial`,
    )
    .action(async (options: ReportOptions) => {
      await runReport(options);
    });
}
