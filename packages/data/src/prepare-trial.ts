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

/** Each row's label (text as written; numbers as numberLabel), null when missing. */
function labelsOf(column: Column): (string | null)[] {
  if (column.kind === 'text') return [...column.values];
  return Array.from(column.values, (v) => (Number.isNaN(v) ? null : numberLabel(v)));
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
  labels: readonly (string | null)[],
  arms: ArmsSpec | undefined,
  decimal: DecimalSeparator,
): { control: string; treatment: string } {
  const distinct = new Set<string>();
  for (const label of labels) if (label !== null) distinct.add(label);
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

/** Assignment coded 0 (control), 1 (treatment), NaN (missing); any other value is an error listing them. */
function codeAssignment(column: Column, labels: readonly (string | null)[], control: string, treatment: string): Float64Array {
  const codes = new Float64Array(labels.length);
  const unknown = new Map<string, { value: string; rows: number[]; count: number }>();
  labels.forEach((label, i) => {
    if (label === null) codes[i] = Number.NaN;
    else if (label === control) codes[i] = 0;
    else if (label === treatment) codes[i] = 1;
    else {
      const entry = unknown.get(label) ?? { value: label, rows: [], count: 0 };
      entry.count++;
      if (entry.rows.length < 3) entry.rows.push(i + 1);
      unknown.set(label, entry);
    }
  });
  if (unknown.size > 0) throw dataErrors.unknownArm(column.name, control, treatment, [...unknown.values()]);
  return codes;
}

/**
 * Treatment received as 0/1: either every value is 0 or 1, or every value is one of the two arm labels
 * (control → 0, treatment → 1). Otherwise the first value that fits neither is an error.
 */
function codeReceived(column: Column, control: string, treatment: string, decimal: DecimalSeparator): Float64Array {
  const labels = labelsOf(column);
  const codes = new Float64Array(labels.length);
  let firstNotBinary = -1;
  let firstNotArm = -1;
  labels.forEach((label, i) => {
    if (label === null) return;
    const value = parseNumberStrict(label, decimal);
    if (firstNotBinary < 0 && value !== 0 && value !== 1) firstNotBinary = i;
    if (firstNotArm < 0 && label !== control && label !== treatment) firstNotArm = i;
  });
  if (firstNotBinary >= 0 && firstNotArm >= 0) {
    throw dataErrors.receivedNotBinary(column.name, firstNotBinary + 1, labels[firstNotBinary]!, control, treatment);
  }
  const byArm = firstNotBinary >= 0;
  labels.forEach((label, i) => {
    if (label === null) codes[i] = Number.NaN;
    else if (byArm) codes[i] = label === treatment ? 1 : 0;
    else codes[i] = parseNumberStrict(label, decimal)!;
  });
  return codes;
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

function grouping(name: string, labels: readonly (string | null)[], kept: Uint32Array, decimal: DecimalSeparator): Grouping {
  const present = new Set<string>();
  for (const row of kept) present.add(labels[row]!);
  const sorted = sortLabels(present, decimal);
  const index = new Map(sorted.map((label, i) => [label, i]));
  const codes = new Int32Array(kept.length);
  kept.forEach((row, i) => {
    codes[i] = index.get(labels[row]!)!;
  });
  return { name, codes, labels: sorted };
}

function pick(values: Float64Array, kept: Uint32Array): Float64Array {
  const out = new Float64Array(kept.length);
  for (let i = 0; i < kept.length; i++) out[i] = values[kept[i]!]!;
  return out;
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
  const assignmentLabels = labelsOf(assignmentColumn);
  const resolvedArms = resolveArms(assignmentColumn, assignmentLabels, arms, decimal);
  const assignment = codeAssignment(assignmentColumn, assignmentLabels, resolvedArms.control, resolvedArms.treatment);
  const received =
    receivedColumn === undefined ? undefined : codeReceived(receivedColumn, resolvedArms.control, resolvedArms.treatment, decimal);
  const forcedFactors = new Set(options.factors ?? []);
  const covariates = covariateColumns.map((column) =>
    isFactor(column, forcedFactors, decimal)
      ? { column, factor: labelsOf(column), numeric: undefined }
      : { column, factor: undefined, numeric: numericValues(column, 'covariate', decimal) },
  );
  const groupLabels = (column: Column | undefined): (string | null)[] | undefined =>
    column === undefined ? undefined : labelsOf(column);
  const clusterLabels = groupLabels(clusterColumn);
  const blocksLabels = groupLabels(blocksColumn);
  const byLabels = groupLabels(byColumn);

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
  const markLabels = (name: string, labels: readonly (string | null)[]): void => {
    let count = 0;
    for (let i = 0; i < nRows; i++) {
      if (labels[i] === null) {
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
    else markLabels(covariate.column.name, covariate.factor);
  }
  for (const [column, labels] of [
    [clusterColumn, clusterLabels],
    [blocksColumn, blocksLabels],
    [byColumn, byLabels],
  ] as const) {
    if (column !== undefined && labels !== undefined && !(column.name in byColumnMissing)) markLabels(column.name, labels);
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
    const labels = covariate.factor;
    const present = new Set<string>();
    for (const row of kept) present.add(labels[row]!);
    const levels = sortLabels(present, decimal);
    if (levels.length < 2) {
      diagnostics.push(
        diagnostic(
          'DATA_CONSTANT_FACTOR',
          'warning',
          `The covariate ${covariate.column.name} has one level (${JSON.stringify(levels[0])}) among the rows used, so it adds no column.`,
        ),
      );
    }
    for (const level of levels.slice(1)) {
      const values = new Float64Array(kept.length);
      kept.forEach((row, i) => {
        values[i] = labels[row] === level ? 1 : 0;
      });
      designColumns.push({ name: `${covariate.column.name}_${level}`, values });
    }
  }

  const sourceRows = new Uint32Array(kept.length);
  kept.forEach((row, i) => {
    sourceRows[i] = row + 1;
  });
  const idLabels = idColumn === undefined ? undefined : labelsOf(idColumn);

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
    ...(clusterColumn !== undefined && clusterLabels !== undefined ? { cluster: grouping(clusterColumn.name, clusterLabels, kept, decimal) } : {}),
    ...(blocksColumn !== undefined && blocksLabels !== undefined ? { blocks: grouping(blocksColumn.name, blocksLabels, kept, decimal) } : {}),
    ...(byColumn !== undefined && byLabels !== undefined ? { by: grouping(byColumn.name, byLabels, kept, decimal) } : {}),
    ...(idLabels !== undefined ? { id: Array.from(kept, (row) => idLabels[row] ?? '') } : {}),
    sourceRows,
    missing,
    diagnostics,
  };
}
