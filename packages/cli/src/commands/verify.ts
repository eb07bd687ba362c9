/**
 * `trialkit verify`: check a live trial's log (hash chain, head, commitment), regenerate every allocation from the
 * seed, and compare an analysis dataset's assignment with the log. Exit 0 when everything checks, 3 when
 * verification finds a problem (listed), 2 for bad input.
 */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { allocationErrors, columnsOfMeta, readParticipants, verifyList, verifyTrial, type AllocationMeta, type ListVerification, type VerifyReport } from '@trialkit/allocation';
import { companionPath } from './allocate.js';
import { readData } from '@trialkit/data';
import { dataErrors, closestName } from '@trialkit/data';
import { formatTable, processOutput, toJson, type Output } from '../io.js';

export const EXIT_VERIFY_FAILED = 3;

interface VerifyOptions {
  dir?: string;
  list?: string;
  participants?: string;
  seed?: string;
  data?: string;
  id: string;
  assignment?: string;
  json?: boolean;
}

/** `output` defaults to the process streams (tests pass their own to run the command in-process). */
export function register(program: Command, output: Output = processOutput): void {
  program
    .command('verify')
    .description('verify a live trial (hash chain, commitment, every allocation regenerated) or an allocation list, and an analysis dataset')
    .option('--dir <dir>', 'the live trial directory')
    .option('--list <file>', 'instead of --dir: an allocation list (its list.meta.json beside it) to regenerate and compare')
    .option('--participants <file>', 'with --list: the participant file the list was made from')
    .option('--seed <seed>', 'with --list: the seed, when the metadata holds only its commitment')
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
  $ trialkit verify --list list.csv --participants people.csv --data outcomes.csv --id id --assignment arm
Exit codes: 0 verified, 3 verification found problems (listed), 2 bad input.`,
    )
    .action(async (options: VerifyOptions) => {
      if ((options.dir === undefined) === (options.list === undefined)) {
        throw allocationErrors.badOption('--dir', options.dir ?? null, 'Give either --dir (a live trial) or --list (an allocation list)', 'For example: trialkit verify --dir trial, or trialkit verify --list list.csv --participants people.csv.');
      }
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
      if (options.list !== undefined) {
        if (options.participants === undefined) {
          throw allocationErrors.badOption('--participants', null, 'Verifying a list needs the participant file it was made from', 'Add --participants <file>.');
        }
        const metaPath = companionPath(options.list, '.meta.json');
        let meta: AllocationMeta;
        let listCsv: string;
        try {
          listCsv = await readFile(options.list, 'utf8');
          meta = JSON.parse(await readFile(metaPath, 'utf8')) as AllocationMeta;
        } catch (cause) {
          throw allocationErrors.badOption('--list', options.list, `Cannot read the list or its metadata ${metaPath}: ${cause instanceof Error ? cause.message : String(cause)}`, 'Give the list written by trialkit allocate, with its .meta.json beside it.');
        }
        const participants = await readParticipants(options.participants, columnsOfMeta(meta));
        const result = verifyList({ listCsv, meta, participants, ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(data !== undefined ? { data } : {}) });
        if (options.json === true) output.stdout(toJson(result));
        else output.stdout(formatListReport(options.list, result));
        process.exitCode = result.ok ? 0 : EXIT_VERIFY_FAILED;
        return;
      }
      const report = verifyTrial({ dir: options.dir as string, ...(data !== undefined ? { data } : {}) });
      if (options.json === true) output.stdout(toJson(report));
      else output.stdout(formatReport(report));
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

export function formatListReport(file: string, result: ListVerification): string {
  const lines = [`List ${file}: ${result.rows} rows, ${result.schemeVersion}`];
  for (const p of result.problems) lines.push(`problem [${p.code}]: ${p.message}`);
  for (const m of result.mismatches.slice(0, 50)) lines.push(`  row ${m.row}: ${m.id} is ${m.listed} in the list but the seed gives ${m.regenerated}`);
  if (result.data !== undefined) {
    const d = result.data;
    lines.push(`Dataset: ${d.compared} ids compared; ${d.mismatches.length} mismatched, ${d.missing.length} missing from the data, ${d.extra.length} not in the list.`);
    for (const m of d.mismatches) lines.push(`  mismatch: ${m.id} (row ${m.row}) is ${m.data ?? 'missing'} in the data but ${m.listed} in the list`);
    for (const id of d.missing) lines.push(`  missing: ${id} is in the list but not in the data`);
    for (const e of d.extra) lines.push(`  extra: ${e.id === '' ? '(empty id)' : e.id} (row ${e.row}) is in the data but not in the list`);
  }
  lines.push(result.ok ? 'Verified: the list regenerates exactly from its seed and inputs.' : 'Verification FAILED.');
  return `${lines.join('\n')}\n`;
}
