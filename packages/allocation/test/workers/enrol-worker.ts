/**
 * A child process that enrols participants into a trial, for the concurrency and kill -9 tests.
 * argv: dir prefix count [strataColumn]. Prints "READY" once loaded, then "OK <id> <arm> <seq>" after each
 * enrolment has returned (i.e. after it was fsync'ed and would have been reported to a user).
 */
// The live module only (not the package index, which loads the data readers and duckdb: ~2 s per process).
import { enrol } from '../../src/live/trial.js';

const [dir, prefix, countText, column] = process.argv.slice(2) as [string, string, string, string | undefined];
const count = Number(countText);
const offices = ['north', 'south', 'east', 'west'];
process.stdout.write('READY\n');
for (let i = 0; i < count; i++) {
  const id = `${prefix}-${i}`;
  const inputs = column !== undefined ? { [column]: offices[(i + prefix.length) % offices.length] as string } : {};
  const result = enrol({ dir, id, inputs });
  process.stdout.write(`OK ${result.id} ${result.arm} ${result.seq}\n`);
}
