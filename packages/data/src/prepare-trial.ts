/**
 * prepareTrial: a Dataset and the roles of its columns → a checked PreparedTrial, as estimatr's pipeline cleans
 * data before the model matrix (estimatr::clean_model_data).
 *
 *   roles ──► columns exist (else: the columns that do, and the closest name)
 *         ──► numbers parsed strictly (text cells: row/column of the first bad one), finite
 *         ──► assignment → 0 (control) / 1 (treatment); received → 0/1
 *         ──► na.omit over the used columns (R's na.omit on the model frame), counted by arm
 *         ──► text covariates → 0/1 dummies, first sorted level dropped (R's model.matrix, treatment contrasts)
 *         ──► cluster / blocks / by → integer codes over sorted labels
 */
import { diagnostic, findColumn, type Column, type Dataset, type Diagnostic } from '@trialkit/core';
import { closestName } from './closest-name.js';
import { dataErrors } from './errors.js';
import { looksLikeOtherDecimal, parseNumberStrict } from './parse-number.js';
import type {
  ArmsSpec,
  ColumnRoles,
  DataFile,
  DecimalSeparator,
  Grouping,
  MissingSummary,
  NamedVector,
  PreparedTrial,
} from './types.js';

export interface PrepareTrialOptions {
  /** Decimal separator for numbers stored as text; default: the one the CSV was read with, else ".". */
  readonly decimal?: DecimalSeparator;
  /**
   * Text covariates to expand as factors even when most of their values look like numbers. Without this, a
   * text covariate most of whose distinct values are numbers is taken to be a numeric column with a typo.
   */
  readonly factors?: readonly string[];
}

type NumericRole = 'outcome' | 'received' | 'covariate';

/** The text a number is written as in labels (arms, groupings): 1 → "1", 0.5 → "0.5", -0 → "0". */
function numberLabel(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

function requireColumn(dataset: Dataset, role: string, name: string): Column {
  const column = findColumn(dataset, name);
  if (column !== undefined) return column;
  const existing = dataset.columns.map((c) => c.name);
  throw dataErrors.missingColumn(role, name, existing, closestName(name, existing));
}

function checkLength(column: Column, nRows: number): void {
  if (column.values.length !== nRows) throw dataErrors.lengthMismatch(column.name, nRows, column.values.length);
}

/** A column as numbers (NaN = missing), parsing text strictly; any non-finite value is an error. */
function numericValues(column: Column, role: NumericRole, decimal: DecimalSeparator): Float64Array {
  if (column.kind === 'number') {
    const values = column.values;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY) {
        throw dataErrors.notFinite(role, column.name, i + 1, value);
      }
    }
    return values;
  }
  const values = new Float64Array(column.values.length);
  column.values.forEach((text, i) => {
    if (text === null) {
      values[i] = Number.NaN;
      return;
    }
    const value = parseNumberStrict(text, decimal);
    if (value === undefined) {
      const hint = looksLikeOtherDecimal(text, decimal)
        ? decimal === '.'
          ? 'The value looks like a number with a decimal comma: read the file with the decimal separator "," (files with ";" delimiters usually use it), or correct the value.'
          : 'The value has a decimal point but the file was read with a decimal comma: correct the value, or read the file with decimal ".".'
        : undefined;
      throw dataErrors.notNumeric(role, column.name, i + 1, text, hint);
    }
    if (!Number.isFinite(value)) throw dataErrors.notFinite(role, column.name, i + 1, text);
    values[i] = value;
  });
  return values;
}

/**
 * A categorical column coded once: `codes[i]` indexes `labels` (distinct values in order of first appearance;
 * numbers written as numberLabel), −1 when missing. Numbers are keyed as numbers, so a million-row numeric
 * assignment or cluster column costs no string per row.
 */
interface CodedColumn {
  readonly name: string;
  readonly codes: Int32Array;
  readonly labels: readonly string[];
  /** First row (0-based) holding each label. */
  readonly firstRows: readonly number[];
  /** Rows holding each label. */
  readonly counts: readonly number[];
}

function codeColumn(column: Column): CodedColumn {
  const n = column.values.length;
  const codes = new Int32Array(n);
  const labels: string[] = [];
  const firstRows: number[] = [];
  const counts: number[] = [];
  if (column.kind === 'number') {
    const index = new Map<number, number>();
    const values = column.values;
    for (let i = 0; i < n; i++) {
      const value = values[i]!;
      if (Number.isNaN(value)) {
        codes[i] = -1;
        continue;
      }
      let code = index.get(value);
      if (code === undefined) {
        code = labels.length;
        index.set(value, code);
        labels.push(numberLabel(value));
        firstRows.push(i);
        counts.push(0);
      }
      counts[code]!++;
      codes[i] = code;
    }
  } else {
    const index = new Map<string, number>();
    column.values.forEach((value, i) => {
      if (value === null) {
        codes[i] = -1;
        return;
      }
      let code = index.get(value);
      if (code === undefined) {
        code = labels.length;
        index.set(value, code);
        labels.push(value);
        firstRows.push(i);
        counts.push(0);
      }
      counts[code]!++;
      codes[i] = code;
    });
  }
  return { name: column.name, codes, labels, firstRows, counts };
}

/** Sorted as R sorts factor levels: numerically when every label is a number, else by code units. */
function sortLabels(labels: Iterable<string>, decimal: DecimalSeparator): string[] {
  const list = [...labels];
  const numbers = list.map((l) => parseNumberStrict(l, decimal));
  if (numbers.every((n) => n !== undefined && !Number.isNaN(n))) {
    return list
      .map((label, i) => ({ label, number: numbers[i]! }))
      .sort((a, b) => a.number - b.number || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
      .map((x) => x.label);
  }
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A declared arm as the label it has in the column (numeric columns: "1.0" matches 1). */
function canonicalArm(column: Column, declared: string, decimal: DecimalSeparator): string {
  if (column.kind !== 'number') return declared;
  const value = parseNumberStrict(declared, decimal);
  return value === undefined || !Number.isFinite(value) ? declared : numberLabel(value);
}

function resolveArms(
  column: Column,
  coded: CodedColumn,
  arms: ArmsSpec | undefined,
  decimal: DecimalSeparator,
): { control: string; treatment: string } {
  const distinct = new Set(coded.labels);
  const present = sortLabels(distinct, decimal);
  const control = arms?.control === undefined ? undefined : canonicalArm(column, arms.control, decimal);
  const treatment = arms?.treatment === undefined ? undefined : canonicalArm(column, arms.treatment, decimal);
  if (control !== undefined && !distinct.has(control)) throw dataErrors.armNotPresent(column.name, 'control', control, present);
  if (treatment !== undefined && !distinct.has(treatment)) {
    throw dataErrors.armNotPresent(column.name, 'treatment', treatment, present);
  }
  if (control !== undefined && treatment !== undefined) {
    if (control === treatment) throw dataErrors.oneArm(column.name, [control]);
    return { control, treatment };
  }
  if (control !== undefined || treatment !== undefined) {
    const given = (control ?? treatment)!;
    const others = present.filter((label) => label !== given);
    if (others.length === 0) throw dataErrors.oneArm(column.name, present);
    if (others.length > 1) throw dataErrors.tooManyArms(column.name, present);
    return control !== undefined ? { control, treatment: others[0]! } : { control: others[0]!, treatment: given };
  }
  if (present.length < 2) throw dataErrors.oneArm(column.name, present);
  if (present.length > 2) throw dataErrors.tooManyArms(column.name, present);
  return { control: present[0]!, treatment: present[1]! };
}

/** Recode each row through a per-label table (NaN for missing rows). */
function recode(coded: CodedColumn, byLabel: readonly number[]): Float64Array {
  const out = new Float64Array(coded.codes.length);
  const codes = coded.codes;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    out[i] = code < 0 ? Number.NaN : byLabel[code]!;
  }
  return out;
}

/** Up to `max` 1-based rows holding label `code`. */
function rowsOf(coded: CodedColumn, code: number, max: number): number[] {
  const rows: number[] = [];
  for (let i = coded.firstRows[code]!; i < coded.codes.length && rows.length < max; i++) {
    if (coded.codes[i] === code) rows.push(i + 1);
  }
  return rows;
}

/** Assignment coded 0 (control), 1 (treatment), NaN (missing); any other value is an error listing them. */
function codeAssignment(coded: CodedColumn, control: string, treatment: string): Float64Array {
  const byLabel = coded.labels.map((label) => (label === control ? 0 : label === treatment ? 1 : -1));
  const unknown = coded.labels
    .map((label, code) => ({ label, code }))
    .filter(({ code }) => byLabel[code] === -1)
    .sort((a, b) => coded.firstRows[a.code]! - coded.firstRows[b.code]!)
    .map(({ label, code }) => ({ value: label, rows: rowsOf(coded, code, 3), count: coded.counts[code]! }));
  if (unknown.length > 0) throw dataErrors.unknownArm(coded.name, control, treatment, unknown);
  return recode(coded, byLabel);
}

/**
 * Treatment received as 0/1: either every value is 0 or 1, or every value is one of the two arm labels
 * (control → 0, treatment → 1). Otherwise the first value that fits neither is an error.
 */
function codeReceived(column: Column, control: string, treatment: string, decimal: DecimalSeparator): Float64Array {
  const coded = codeColumn(column);
  const asNumber = coded.labels.map((label) => parseNumberStrict(label, decimal));
  const binary = asNumber.every((value) => value === 0 || value === 1);
  const armLabels = coded.labels.every((label) => label === control || label === treatment);
  if (!binary && !armLabels) {
    // Report against the coding the column seems to use: arm labels if any non-0/1 value is one, else 0/1.
    const isBinary = (code: number): boolean => asNumber[code] === 0 || asNumber[code] === 1;
    const isArm = (code: number): boolean => coded.labels[code] === control || coded.labels[code] === treatment;
    const usesArms = coded.labels.some((_, code) => !isBinary(code) && isArm(code));
    let first = -1;
    coded.labels.forEach((_, code) => {
      const misfit = usesArms ? !isArm(code) : !isBinary(code);
      if (misfit && (first < 0 || coded.firstRows[code]! < coded.firstRows[first]!)) first = code;
    });
    throw dataErrors.receivedNotBinary(column.name, coded.firstRows[first]! + 1, coded.labels[first]!, control, treatment);
  }
  return recode(coded, binary ? asNumber.map((value) => value!) : coded.labels.map((label) => (label === treatment ? 1 : 0)));
}

/** Is a text covariate a factor (else: a numeric column that holds a typo)? */
function isFactor(column: Column, forced: ReadonlySet<string>, decimal: DecimalSeparator): boolean {
  if (column.kind === 'number') return false;
  if (forced.has(column.name)) return true;
  const distinct = new Set<string>();
  for (const value of column.values) if (value !== null) distinct.add(value);
  if (distinct.size === 0) return false;
  let numeric = 0;
  for (const value of distinct) if (parseNumberStrict(value, decimal) !== undefined) numeric++;
  return numeric * 2 <= distinct.size;
}

/** The labels present among the kept rows, sorted, and each kept row's index into them. */
function levelsAmongKept(coded: CodedColumn, kept: Uint32Array, decimal: DecimalSeparator): { labels: string[]; codes: Int32Array } {
  const present = new Uint8Array(coded.labels.length);
  for (const row of kept) present[coded.codes[row]!] = 1;
  const labels = sortLabels(
    coded.labels.filter((_, code) => present[code] === 1),
    decimal,
  );
  const position = new Map(labels.map((label, i) => [label, i]));
  const remap = coded.labels.map((label) => position.get(label) ?? -1);
  const codes = new Int32Array(kept.length);
  for (let i = 0; i < kept.length; i++) codes[i] = remap[coded.codes[kept[i]!]!]!;
  return { labels, codes };
}

function grouping(coded: CodedColumn, kept: Uint32Array, decimal: DecimalSeparator): Grouping {
  const { labels, codes } = levelsAmongKept(coded, kept, decimal);
  return { name: coded.name, codes, labels };
}

/**
 * The kept rows of a column. When no row was dropped the column itself is returned, not a copy (a million-row
 * trial would otherwise copy every used column): PreparedTrial vectors are read-only by contract.
 */
function pick(values: Float64Array, kept: Uint32Array): Float64Array {
  if (kept.length === values.length) return values;
  const out = new Float64Array(kept.length);
  for (let i = 0; i < kept.length; i++) out[i] = values[kept[i]!]!;
  return out;
}

/**
 * Repeated participant ids among the kept rows (usually a duplicated record from a merge): how many rows repeat
 * an earlier id, and the 0-based rows of the first repeat in file order. Numeric ids are counted by sorting a copy
 * (a million-entry map costs about a second); the first repeat is then found with a set scan.
 */
function findDuplicateIds(column: Column, kept: Uint32Array): { count: number; rows: [number, number] } | undefined {
  let count = 0;
  if (column.kind === 'number') {
    const sorted = new Float64Array(kept.length);
    for (let i = 0; i < kept.length; i++) sorted[i] = column.values[kept[i]!]!;
    sorted.sort(); // NaN (missing) sorts last
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) count++;
    if (count === 0) return undefined;
  }
  const firstSeen = new Map<number | string, number>();
  let rows: [number, number] | undefined;
  for (const row of kept) {
    const key = column.values[row]!;
    if (key === null || key === '' || (typeof key === 'number' && Number.isNaN(key))) continue;
    const earlier = firstSeen.get(key);
    if (earlier === undefined) firstSeen.set(key, row);
    else {
      rows ??= [earlier, row];
      if (column.kind === 'number') break; // count already known
      count++;
    }
  }
  return rows === undefined ? undefined : { count, rows };
}

function checkRoles(roles: ColumnRoles): void {
  const seen = new Map<string, string>();
  const claim = (column: string | undefined, role: string): void => {
    if (column === undefined) return;
    const earlier = seen.get(column);
    if (earlier !== undefined) throw dataErrors.roleConflict(column, [earlier, role]);
    seen.set(column, role);
  };
  claim(roles.outcome, 'outcome');
  claim(roles.assignment, 'assignment');
  claim(roles.received, 'received');
  for (const covariate of roles.covariates ?? []) claim(covariate, 'covariate');
}

export function prepareTrial(
  dataset: Dataset,
  roles: ColumnRoles,
  arms?: ArmsSpec,
  options: PrepareTrialOptions = {},
): PreparedTrial {
  const decimal = options.decimal ?? (dataset as Partial<DataFile>).dialect?.decimal ?? '.';
  const nRows = dataset.nRows;
  checkRoles(roles);

  // 1. Every named column exists (checked before any value, so a typo in a name is reported first).
  const outcomeColumn = requireColumn(dataset, 'outcome', roles.outcome);
  const assignmentColumn = requireColumn(dataset, 'assignment', roles.assignment);
  const receivedColumn = roles.received === undefined ? undefined : requireColumn(dataset, 'received', roles.received);
  const covariateColumns = (roles.covariates ?? []).map((name) => requireColumn(dataset, 'covariate', name));
  const clusterColumn = roles.cluster === undefined ? undefined : requireColumn(dataset, 'cluster', roles.cluster);
  const blocksColumn = roles.blocks === undefined ? undefined : requireColumn(dataset, 'blocks', roles.blocks);
  const byColumn = roles.by === undefined ? undefined : requireColumn(dataset, 'by', roles.by);
  const idColumn = roles.id === undefined ? undefined : requireColumn(dataset, 'id', roles.id);
  for (const column of [outcomeColumn, assignmentColumn, receivedColumn, ...covariateColumns, clusterColumn, blocksColumn, byColumn, idColumn]) {
    if (column !== undefined) checkLength(column, nRows);
  }
  if (nRows === 0) throw dataErrors.empty('The data has no rows');

  // 2. Values: numbers strict and finite, arms known, received 0/1.
  const outcome = numericValues(outcomeColumn, 'outcome', decimal);
  const assignmentCoded = codeColumn(assignmentColumn);
  const resolvedArms = resolveArms(assignmentColumn, assignmentCoded, arms, decimal);
  const assignment = codeAssignment(assignmentCoded, resolvedArms.control, resolvedArms.treatment);
  const received =
    receivedColumn === undefined ? undefined : codeReceived(receivedColumn, resolvedArms.control, resolvedArms.treatment, decimal);
  const forcedFactors = new Set(options.factors ?? []);
  const covariates = covariateColumns.map((column) =>
    isFactor(column, forcedFactors, decimal)
      ? { column, factor: codeColumn(column), numeric: undefined }
      : { column, factor: undefined, numeric: numericValues(column, 'covariate', decimal) },
  );
  const codeGroup = (column: Column | undefined): CodedColumn | undefined => (column === undefined ? undefined : codeColumn(column));
  const clusterCoded = codeGroup(clusterColumn);
  const blocksCoded = codeGroup(blocksColumn);
  const byCoded = codeGroup(byColumn);

  // 3. na.omit over the used columns.
  const dropped = new Uint8Array(nRows);
  const byColumnMissing: Record<string, number> = {};
  const markNumbers = (name: string, values: Float64Array): void => {
    let count = 0;
    for (let i = 0; i < nRows; i++) {
      if (Number.isNaN(values[i]!)) {
        dropped[i] = 1;
        count++;
      }
    }
    byColumnMissing[name] = (byColumnMissing[name] ?? 0) + count;
  };
  const markCoded = (coded: CodedColumn): void => {
    const name = coded.name;
    let count = 0;
    for (let i = 0; i < nRows; i++) {
      if (coded.codes[i]! < 0) {
        dropped[i] = 1;
        count++;
      }
    }
    byColumnMissing[name] = (byColumnMissing[name] ?? 0) + count;
  };
  markNumbers(outcomeColumn.name, outcome);
  markNumbers(assignmentColumn.name, assignment);
  if (receivedColumn !== undefined && received !== undefined) markNumbers(receivedColumn.name, received);
  for (const covariate of covariates) {
    if (covariate.numeric !== undefined) markNumbers(covariate.column.name, covariate.numeric);
    else markCoded(covariate.factor);
  }
  for (const coded of [clusterCoded, blocksCoded, byCoded]) {
    if (coded !== undefined && !(coded.name in byColumnMissing)) markCoded(coded);
  }

  let droppedControl = 0;
  let droppedTreatment = 0;
  let droppedUnknown = 0;
  let keptCount = 0;
  for (let i = 0; i < nRows; i++) {
    if (dropped[i] === 0) {
      keptCount++;
      continue;
    }
    const arm = assignment[i]!;
    if (arm === 0) droppedControl++;
    else if (arm === 1) droppedTreatment++;
    else droppedUnknown++;
  }
  const kept = new Uint32Array(keptCount);
  for (let i = 0, k = 0; i < nRows; i++) if (dropped[i] === 0) kept[k++] = i;
  const missing: MissingSummary = {
    total: nRows - keptCount,
    control: droppedControl,
    treatment: droppedTreatment,
    unknownArm: droppedUnknown,
    byColumn: byColumnMissing,
  };
  if (keptCount === 0) {
    throw dataErrors.empty(`Every one of the ${nRows} rows has a missing value in a column the analysis uses`);
  }
  const keptAssignment = pick(assignment, kept);
  const keptTreated = keptAssignment.reduce((sum, arm) => sum + arm, 0);
  if (keptTreated === 0 || keptTreated === keptCount) {
    throw dataErrors.oneArm(assignmentColumn.name, [keptTreated === 0 ? resolvedArms.control : resolvedArms.treatment]);
  }

  // 4. Design columns: numeric covariates as they are, factors as dummies over the levels among kept rows.
  const diagnostics: Diagnostic[] = [];
  if (missing.total > 0) {
    const columns = Object.entries(byColumnMissing)
      .filter(([, count]) => count > 0)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    diagnostics.push(
      diagnostic(
        'DATA_ROWS_DROPPED',
        'warning',
        `${missing.total} of ${nRows} rows were dropped for a missing value in a column the analysis uses ` +
          `(control ${droppedControl}, treatment ${droppedTreatment}${droppedUnknown > 0 ? `, arm missing ${droppedUnknown}` : ''}; ` +
          `missing cells: ${columns}), as R's na.omit does.`,
      ),
    );
  }
  const designColumns: NamedVector[] = [];
  for (const covariate of covariates) {
    if (covariate.numeric !== undefined) {
      designColumns.push({ name: covariate.column.name, values: pick(covariate.numeric, kept) });
      continue;
    }
    const { labels: levels, codes } = levelsAmongKept(covariate.factor, kept, decimal);
    if (levels.length < 2) {
      diagnostics.push(
        diagnostic(
          'DATA_CONSTANT_FACTOR',
          'warning',
          `The covariate ${covariate.column.name} has one level (${JSON.stringify(levels[0])}) among the rows used, so it adds no column.`,
        ),
      );
    }
    levels.slice(1).forEach((level, index) => {
      const values = new Float64Array(kept.length);
      for (let i = 0; i < kept.length; i++) values[i] = codes[i] === index + 1 ? 1 : 0;
      designColumns.push({ name: `${covariate.column.name}_${level}`, values });
    });
  }

  const sourceRows = new Uint32Array(kept.length);
  for (let i = 0; i < kept.length; i++) sourceRows[i] = kept[i]! + 1;
  const idOf = (column: Column, row: number): string => {
    if (column.kind === 'text') return column.values[row] ?? '';
    const value = column.values[row]!;
    return Number.isNaN(value) ? '' : numberLabel(value);
  };
  let ids: string[] | undefined;
  if (idColumn !== undefined) {
    ids = new Array<string>(kept.length);
    for (let i = 0; i < kept.length; i++) ids[i] = idOf(idColumn, kept[i]!);
    const duplicate = findDuplicateIds(idColumn, kept);
    if (duplicate !== undefined) {
      diagnostics.push(
        diagnostic(
          'DATA_DUPLICATE_ID',
          'warning',
          `${duplicate.count} row${duplicate.count === 1 ? '' : 's'} repeat an earlier ${idColumn.name}; the first is ` +
            `${JSON.stringify(idOf(idColumn, duplicate.rows[1]))} (rows ${duplicate.rows[0] + 1} and ${duplicate.rows[1] + 1}). ` +
            'Check for duplicated records.',
        ),
      );
    }
  }

  return {
    n: keptCount,
    roles,
    arms: resolvedArms,
    outcome: { name: outcomeColumn.name, values: pick(outcome, kept) },
    assignment: { name: assignmentColumn.name, values: keptAssignment },
    ...(receivedColumn !== undefined && received !== undefined
      ? { received: { name: receivedColumn.name, values: pick(received, kept) } }
      : {}),
    covariates: designColumns,
    ...(clusterCoded !== undefined ? { cluster: grouping(clusterCoded, kept, decimal) } : {}),
    ...(blocksCoded !== undefined ? { blocks: grouping(blocksCoded, kept, decimal) } : {}),
    ...(byCoded !== undefined ? { by: grouping(byCoded, kept, decimal) } : {}),
    ...(ids !== undefined ? { id: ids } : {}),
    sourceRows,
    missing,
    diagnostics,
  };
}
