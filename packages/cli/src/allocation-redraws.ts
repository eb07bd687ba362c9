/**
 * `trialkit estimate --ri N --seed S --allocation-dir D`: redraw the assignment by the trial's own allocation
 * scheme (the list in D made by `trialkit allocate`), so randomisation inference follows the design exactly —
 * permuted blocks of random size, minimisation, constrained or re-randomisation, not only "k of n per block".
 *
 *   D/<list>.meta.json + D/<list>.csv (+ D/<list>.seed when the seed was concealed)
 *     ──participants from the analysis data (the columns the metadata names)──► verifyList: the list regenerates
 *       byte for byte from its metadata, seed and these participants, and the data's assignment matches it
 *     ──► redraw r = the same request with seed HMAC-SHA256(S, "ri:" + r) (allocation's deriveHex), arms mapped to
 *         the analysis's 0/1 by the observed data
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Column, Dataset, Seed } from '@trialkit/core';
import { TrialkitError } from '@trialkit/core';
import { assignArms, columnsOfMeta, participantsFromDataset, requestFromMeta, schemeRedraw, verifyList, type AllocationMeta } from '@trialkit/allocation';
import type { RedrawOptions } from '@trialkit/estimators';

export interface AllocationRedrawInput {
  readonly dir: string;
  readonly data: Dataset;
  /** The analysis's assignment column and its two values (control first), as prepareTrial resolves them. */
  readonly assignment: string;
  /** --control / --treatment, when given (else the sorted order prepareTrial uses). */
  readonly control?: string;
  readonly treatment?: string;
  readonly draws: number;
  readonly seed: Seed;
  readonly onProgress?: (done: number, total: number) => void;
}

function problem(what: string, hint: string, extra: { file?: string; argument?: string } = {}): TrialkitError {
  return new TrialkitError({ code: 'CLI_ALLOCATION_DIR', argument: '--allocation-dir', what, hint, ...extra });
}

/**
 * The list and its metadata: in directory `dir`, the one *.meta.json there and its companion CSV; or, when `dir` is
 * the list file itself (X.csv), X.meta.json beside it (for a folder holding several lists).
 */
function findList(dir: string): { listPath: string; metaPath: string; seedPath: string } {
  if (existsSync(dir) && statSync(dir).isFile()) {
    const stem = basename(dir, extname(dir));
    const metaPath = join(dirname(dir), `${stem}.meta.json`);
    if (!existsSync(metaPath)) throw problem(`The list ${dir} has no metadata ${metaPath} beside it`, 'Keep the .meta.json that trialkit allocate wrote beside its list.', { file: metaPath });
    return { listPath: dir, metaPath, seedPath: join(dirname(dir), `${stem}.seed`) };
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw problem(`The allocation directory ${dir} does not exist or is not a directory`, 'Give the directory that holds the list and its .meta.json written by trialkit allocate.');
  }
  if (existsSync(join(dir, 'trial.json')) && existsSync(join(dir, 'log.jsonl'))) {
    throw problem(
      `${dir} is a live enrolment trial (trial.json, log.jsonl); redrawing a live trial's sequential allocation is not supported`,
      'Use --ri without --allocation-dir (the design from --blocks/--cluster), or an allocation list made by trialkit allocate.',
    );
  }
  const metas = readdirSync(dir).filter((f) => f.endsWith('.meta.json'));
  if (metas.length !== 1) {
    throw problem(
      metas.length === 0 ? `No allocation list metadata (*.meta.json) in ${dir}` : `${metas.length} allocation lists in ${dir} (${metas.join(', ')}); which one was used is ambiguous`,
      'Give a directory with exactly one list and its .meta.json (as trialkit allocate --out DIR/list.csv writes them), or the list file itself.',
    );
  }
  const stem = basename(metas[0]!, '.meta.json');
  const listPath = join(dir, `${stem}.csv`);
  if (!existsSync(listPath)) throw problem(`The list ${listPath} named by ${metas[0]} is missing`, 'Put the list CSV beside its metadata.', { file: listPath });
  return { listPath, metaPath: join(dir, metas[0]!), seedPath: join(dir, `${stem}.seed`) };
}

function textOf(column: Column, row: number): string | null {
  if (column.kind === 'number') {
    const v = column.values[row]!;
    return Number.isNaN(v) ? null : String(v);
  }
  return column.values[row] ?? null;
}

export function allocationRedraws(input: AllocationRedrawInput): RedrawOptions & { readonly scheme: string } {
  const { listPath, metaPath, seedPath } = findList(input.dir);
  let meta: AllocationMeta;
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8')) as AllocationMeta;
  } catch (error) {
    throw problem(`${metaPath} is not valid JSON (${(error as Error).message})`, 'Use the .meta.json that trialkit allocate wrote, unedited.', { file: metaPath });
  }
  const listSeed: string | undefined = meta.seed ?? (existsSync(seedPath) ? readFileSync(seedPath, 'utf8').trim() : undefined);
  if (listSeed === undefined) {
    throw problem(`The list's seed was concealed and ${seedPath} is not there, so its scheme cannot be re-run`, 'Put the list.seed file (kept by the trial manager) beside the list.', { file: seedPath });
  }
  // The analysis data is not the participant file, so its file hash is not compared; the allocation inputs (ids,
  // strata, clusters, factors, covariates) are, through the metadata's inputSha256.
  const { fileSha256: _fileHash, ...participants } = participantsFromDataset(input.data, columnsOfMeta(meta));
  const assignmentColumn = input.data.columns.find((c) => c.name === input.assignment);
  if (assignmentColumn === undefined) throw problem(`The assignment column "${input.assignment}" is not in the data`, 'Check --assignment.');
  const verification = verifyList({ listCsv: readFileSync(listPath, 'utf8'), meta, participants, seed: listSeed });
  if (!verification.ok) {
    throw problem(
      `The allocation list in ${input.dir} does not regenerate from its metadata for these participants: ${verification.problems.map((p) => p.message).join('; ')}`,
      'Randomisation inference by the trial\'s scheme needs the list, its metadata and the analysis data to agree; run trialkit verify --list for details.',
    );
  }
  // The arm of the list for each data row, and the analysis value it corresponds to (learned from the data).
  const request = requestFromMeta(meta, participants, listSeed);
  const observed = assignArms(request);
  const armNames = observed.arms.map((a) => a.name);
  if (armNames.length !== 2) throw problem(`The list has ${armNames.length} arms; randomisation inference compares two`, 'Make a two-arm list, or analyse two arms at a time.');
  const valueOfArm: (string | undefined)[] = [undefined, undefined];
  for (let row = 0; row < input.data.nRows; row++) {
    const value = textOf(assignmentColumn, row);
    if (value === null) continue;
    const arm = observed.result.armIndex[row]!;
    if (valueOfArm[arm] === undefined) valueOfArm[arm] = value;
    else if (valueOfArm[arm] !== value) {
      throw new TrialkitError({
        code: 'CLI_ALLOCATION_DATA_MISMATCH',
        argument: '--allocation-dir',
        row: row + 1,
        column: input.assignment,
        value,
        what: `Row ${row + 1} (${participants.ids[row]}) is "${value}" in ${input.assignment} but the list allocated it to ${armNames[arm]}, whose other rows are "${valueOfArm[arm]}"`,
        hint: 'The analysis data must carry the assignment the list made; check the list and the data (trialkit verify --list … --data …).',
      });
    }
  }
  if (valueOfArm[0] === undefined || valueOfArm[1] === undefined || valueOfArm[0] === valueOfArm[1]) {
    throw problem(`The data's ${input.assignment} does not tell the list's two arms apart (${armNames.join(', ')})`, 'Check --assignment names the column holding the allocated arm.');
  }
  // Which list arm is the analysis's treatment: prepareTrial's default (sorted values, control first) or as given.
  const treatmentArm =
    input.treatment !== undefined
      ? valueOfArm[1] === input.treatment ? 1 : 0
      : input.control !== undefined
        ? valueOfArm[0] === input.control ? 1 : 0
        : compareValues(valueOfArm[0], valueOfArm[1]) < 0 ? 1 : 0;
  return {
    draws: input.draws,
    sourceRows: input.data.nRows,
    scheme: meta.schemeVersion,
    mechanism: `${meta.schemeVersion} re-run on the ${participants.n.toLocaleString('en-GB')} participants with seed HMAC-SHA256(seed, "ri:" + r) for redraw r`,
    redraw: schemeRedraw(request, armNames[treatmentArm]!, input.seed),
    ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }),
  };
}

/** prepareTrial's default arm order: numeric when both values are numbers, else text order. */
function compareValues(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
