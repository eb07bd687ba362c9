/**
 * `trialkit verify`: check a live trial's log (hash chain, head, commitment), regenerate every allocation from the
 * seed, and compare an analysis dataset's assignment with the log. Exit 0 when everything checks, 3 when
 * verification finds a problem (listed), 2 for bad input.
 */
import type { Command } from 'commander';
import { verifyTrial, type VerifyReport } from '@trialkit/allocation';
import { readData } from '@trialkit/data';
import { dataErrors, closestName } from '@trialkit/data';
import { formatTable, processOutput, toJson } from '../io.js';

export const EXIT_VERIFY_FAILED = 3;

interface VerifyOptions {
  dir: string;
  data?: string;
  id: string;
  assignment?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('verify a live trial: hash chain, commitment, every allocation regenerated, and an analysis dataset')
    .requiredOption('--dir <dir>', 'the trial directory')
    .option('--data <file>', 'analysis dataset to compare (.csv, .parquet, .json)')
    .option('--id <column>', 'id column of --data', 'id')
    .option('--assignment <column>', 'assignment column of --data (arm names as in the trial)')
    .option('--json', 'print the full report as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ trialkit verify --dir trial
  $ trialkit verify --dir trial --data outcomes.csv --id person_id --assignment arm --json
Exit codes: 0 verified, 3 verification found problems (listed), 2 bad input.`,
    )
    .action(async (options: VerifyOptions) => {
      let data: Parameters<typeof verifyTrial>[0]['data'];
      if (options.data !== undefined) {
        const assignment = options.assignment ?? 'assignment';
        const file = await readData(options.data, { textColumns: [options.id, assignment] });
        const names = file.columns.map((c) => c.name);
        const column = (name: string, role: string): (string | null)[] => {
          const found = file.columns.find((c) => c.name === name);
          if (found === undefined) throw dataErrors.missingColumn(role, name, names, closestName(name, names));
          return found.kind === 'text' ? [...found.values] : Array.from(found.values, (v) => (Number.isNaN(v) ? null : String(v)));
        };
        data = { ids: column(options.id, 'id'), assignments: column(assignment, 'assignment'), idColumn: options.id, assignmentColumn: assignment, file: options.data };
      }
      const report = verifyTrial({ dir: options.dir, ...(data !== undefined ? { data } : {}) });
      if (options.json === true) processOutput.stdout(toJson(report));
      else processOutput.stdout(formatReport(report));
      process.exitCode = report.ok ? 0 : EXIT_VERIFY_FAILED;
    });
}

function mark(value: boolean | null): string {
  return value === null ? 'not checked' : value ? 'ok' : 'FAILED';
}

export function formatReport(report: VerifyReport): string {
  const lines: string[] = [];
  lines.push(`Trial ${report.dir}: ${report.allocations} allocations (${Object.entries(report.countsByArm).map(([a, n]) => `${a} ${n}`).join(', ')}), ${report.schemeVersion}`);
  lines.push(
    formatTable(
      ['check', 'result'],
      [
        ['hash chain', mark(report.checks.chain)],
        ['log head', mark(report.checks.head)],
        ['seed matches commitment', mark(report.checks.commitment)],
        [`allocations regenerated from the seed${report.seedSource !== null ? ` (${report.seedSource})` : ''}`, mark(report.checks.regenerated)],
        ['analysis dataset matches the log', mark(report.checks.data)],
      ],
    ).trimEnd(),
  );
  for (const p of report.problems) lines.push(`problem [${p.code}]: ${p.message}`);
  for (const n of report.notes) lines.push(`note [${n.code}]: ${n.message}`);
  if (report.data !== undefined) {
    const d = report.data;
    lines.push(`Dataset: ${d.compared} ids compared; ${d.mismatches.length} mismatched, ${d.missing.length} missing from the data, ${d.extra.length} not in the log, ${d.duplicates.length} duplicated.`);
    for (const m of d.mismatches) lines.push(`  mismatch: ${m.id} (row ${m.row}) is ${m.data ?? 'missing'} in the data but ${m.logged} in the log`);
    for (const id of d.missing) lines.push(`  missing: ${id} was allocated but is not in the data`);
    for (const e of d.extra) lines.push(`  extra: ${e.id === '' ? '(empty id)' : e.id} (row ${e.row}) is in the data but was never allocated`);
    for (const e of d.duplicates) lines.push(`  duplicate: ${e.id} appears again in row ${e.row}`);
  }
  lines.push(report.ok ? 'Verified.' : 'Verification FAILED.');
  return `${lines.join('\n')}\n`;
}
