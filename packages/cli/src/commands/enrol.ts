/**
 * `trialkit enrol`: allocate the next participant of a live trial (or return their original allocation). The line
 * is fsync'ed to the log before anything is printed.
 */
import type { Command } from 'commander';
import { allocationErrors, enrol } from '@trialkit/allocation';
import { formatDiagnostics, processOutput, toJson, type Output } from '../io.js';

interface EnrolOptions {
  dir: string;
  id: string;
  stratum: string[];
  json?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** ["region=north", "route=health"] → {region: "north", route: "health"} */
export function parseStrata(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw allocationErrors.badEnrolInput('--stratum', pair, `--stratum ${JSON.stringify(pair)} is not column=value`, 'Write e.g. --stratum region=north (repeat for each column).');
    const column = pair.slice(0, eq).trim();
    if (column in out) throw allocationErrors.badEnrolInput('--stratum', pair, `The column "${column}" is given twice`, 'Give each stratification column once.');
    out[column] = pair.slice(eq + 1).trim();
  }
  return out;
}

/** `output` defaults to the process streams (tests pass their own to run the command in-process). */
export function register(program: Command, output: Output = processOutput): void {
  program
    .command('enrol')
    .description('allocate the next participant of a live trial (re-enrolling an id returns its original allocation)')
    .requiredOption('--dir <dir>', 'the trial directory (from init-trial)')
    .requiredOption('--id <id>', 'participant id')
    .option('--stratum <column=value>', 'a stratification / minimisation value; repeat for each column', collect, [])
    .option('--json', 'print the allocation as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ trialkit enrol --dir trial --id P000123 --stratum region=north --stratum route=health
  $ trialkit enrol --dir trial --id P000124 --stratum region=south --stratum route=jobcentre --json`,
    )
    .action((options: EnrolOptions) => {
      const result = enrol({ dir: options.dir, id: options.id, inputs: parseStrata(options.stratum) });
      if (options.json === true) {
        output.stdout(toJson(result));
        return;
      }
      output.stdout(
        result.existing
          ? `${result.id} was already enrolled: ${result.arm} (allocation ${result.seq}, ${result.time}); nothing recorded.\n`
          : `${result.id} → ${result.arm} (allocation ${result.seq}; stratum ${result.stratum} #${result.stratumSeq}; receipt ${result.lineSha256.slice(0, 16)}…)\n`,
      );
      if (result.diagnostics.length > 0) output.stderr(formatDiagnostics(result.diagnostics));
    });
}
