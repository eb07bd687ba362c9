/**
 * The `trialkit` command: thin wrappers over the packages.
 *
 *   argv ──commander──► command action ──► @trialkit/{data, allocation, estimators, survival, report}
 *        ──► stdout (readable table, or --json per DESIGN.md) / files written atomically
 *   failure ──► stderr "trialkit: error [CODE]: what (where). What to do." ──► exit 2 (bad input) / 1 (internal)
 */
import { Command, CommanderError } from 'commander';
import { TRIALKIT_VERSION } from '@trialkit/core';
import { cliErrors } from './errors.js';
import { EXIT_BAD_INPUT, EXIT_OK, processOutput, reportFailure, type Output } from './io.js';
import { COMMANDS } from './commands/index.js';

const OVERVIEW_EXAMPLES = `
Examples:
  $ trialkit estimate --data trial.csv --outcome job_outcome --assignment assigned --received started
  $ trialkit estimate --data trial.parquet --outcome earnings --assignment assigned --covariates age,disabled --cluster office --json
  $ trialkit estimate --data trial.csv --outcome job_outcome --assignment arm --blocks office --ri 10000 --seed 2026 --subgroups disabled
  $ trialkit survival --data trial.csv --time days_to_first_job --event job_started --assignment assigned
  $ trialkit power --outcome binary --p0 0.12 --effect 0.08 --take-up 0.6 --contamination 0.15
  $ trialkit allocate --participants people.csv --arms "control:1,whp:1" --scheme block --strata office --seed 2026 --out list.csv
  $ trialkit init-trial --dir trial --arms "control:1,ips:1" --scheme minimisation --strata region,route
  $ trialkit enrol --dir trial --id P000123 --stratum region=north --stratum route=health
  $ trialkit verify --dir trial --data outcomes.csv --id id --assignment arm
  $ trialkit report --plan plan.json --data trial.csv --out report.html

Run \`trialkit <command> --help\` for a command's options and an example.
Exit codes: 0 success, 2 bad input (the message says what and where), 1 internal failure.`;

/** The command a command line asks for (`trialkit help estimate` asks for estimate), if any. */
function requestedCommand(argv: readonly string[]): string | undefined {
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * The program with the requested command fully registered (its module loaded) and every other command present
 * only by name and summary, so that `--help` lists them all without loading any.
 */
export async function buildProgram(argv: readonly string[], output: Output = processOutput): Promise<Command> {
  const program = new Command();
  program
    .name('trialkit')
    .description(
      'Allocation, estimation and reporting for randomised controlled trials of employment and health programmes.',
    )
    .version(TRIALKIT_VERSION, '-V, --version', 'print the trialkit version')
    .showHelpAfterError(false)
    .addHelpText('after', OVERVIEW_EXAMPLES)
    .configureOutput({
      writeOut: (text) => output.stdout(text),
      writeErr: (text) => output.stderr(text),
      // Commander's own parse errors are reported by main() in trialkit's format.
      outputError: () => undefined,
    })
    .exitOverride();
  const requested = requestedCommand(argv);
  for (const entry of COMMANDS) {
    if (entry.name === requested) (await entry.load()).register(program, output);
    else program.command(entry.name).description(entry.summary);
  }
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => output.stdout(text),
      writeErr: (text) => output.stderr(text),
      outputError: () => undefined,
    });
  }
  return program;
}

/** Run the command line; resolves to the process exit code. */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  if (argv.length <= 2) {
    const program = await buildProgram(argv, output);
    output.stdout(program.helpInformation());
    output.stdout(`${OVERVIEW_EXAMPLES.trimStart()}\n`);
    return EXIT_OK;
  }
  try {
    const program = await buildProgram(argv, output);
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT_OK; // --help, --version
      reportFailure(cliErrors.usage(error.message), output);
      return EXIT_BAD_INPUT;
    }
    return reportFailure(error, output);
  }
}
