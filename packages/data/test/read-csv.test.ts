import { describe, expect, it } from 'vitest';
import type { Column, Dataset } from '@trialkit/core';
import { isTrialkitError, type TrialkitError } from '@trialkit/core';
import { prepareTrial, readData } from '@trialkit/data';
import { tempDir } from './helpers.js';

const files = tempDir();

function column(data: Dataset, name: string): Column {
  const found = data.columns.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no column ${name}`);
  return found;
}

function numbers(data: Dataset, name: string): number[] {
  const c = column(data, name);
  if (c.kind !== 'number') throw new Error(`${name} is ${c.kind}`);
  return Array.from(c.values);
}

function texts(data: Dataset, name: string): (string | null)[] {
  const c = column(data, name);
  if (c.kind !== 'text') throw new Error(`${name} is ${c.kind}`);
  return [...c.values];
}

async function readError(path: string, options = {}): Promise<TrialkitError> {
  try {
    await readData(path, options);
  } catch (error) {
    if (isTrialkitError(error)) return error;
    throw error;
  }
  throw new Error('readData did not fail');
}

function prepareError(run: () => unknown): TrialkitError {
  try {
    run();
  } catch (error) {
    if (isTrialkitError(error)) return error;
    throw error;
  }
  throw new Error('prepareTrial did not fail');
}

describe('CSV dialect', () => {
  it('strips a UTF-8 BOM from the first column name', async () => {
    const data = await readData(files.write('bom.csv', '\uFEFFid,y\n1,2\n'));
    expect(data.columns.map((c) => c.name)).toEqual(['id', 'y']);
    expect(data.dialect?.bom).toBe(true);
  });

  it('reads CRLF line endings without a trailing \\r in the last column', async () => {
    const data = await readData(files.write('crlf.csv', 'id,arm\r\n1,control\r\n2,whp\r\n'));
    expect(texts(data, 'arm')).toEqual(['control', 'whp']);
  });

  it('reads quoted fields with commas, line breaks and doubled quotes', async () => {
    const data = await readData(
      files.write('quoted.csv', 'id,note,y\n1,"Leeds, West",1\n2,"two\nlines",2\n3,"she said ""yes""",3\n4,plain,4\n'),
    );
    expect(texts(data, 'note')).toEqual(['Leeds, West', 'two\nlines', 'she said "yes"', 'plain']);
    expect(numbers(data, 'y')).toEqual([1, 2, 3, 4]);
  });

  it('detects ";" from the header line and reads decimal commas', async () => {
    const data = await readData(files.write('semi.csv', 'id;arm;y\n1;control;1,5\n2;whp;2,25\n'));
    expect(data.dialect).toMatchObject({ delimiter: ';', decimal: ',' });
    expect(numbers(data, 'y')).toEqual([1.5, 2.25]);
    expect(texts(data, 'arm')).toEqual(['control', 'whp']);
  });

  it('keeps "." decimals in a ";" file', async () => {
    const data = await readData(files.write('semi-dot.csv', 'id;y\n1;1.5\n2;2.25\n'));
    expect(data.dialect).toMatchObject({ delimiter: ';', decimal: '.' });
    expect(numbers(data, 'y')).toEqual([1.5, 2.25]);
  });

  it('uses an explicit delimiter over detection', async () => {
    // The header has more commas than semicolons, but the file is ';'-delimited with commas inside names.
    const path = files.write('explicit.csv', 'a,b;c\n1;2\n');
    const data = await readData(path, { delimiter: ';' });
    expect(data.columns.map((c) => c.name)).toEqual(['a,b', 'c']);
  });

  it('reads a .tsv file as tab-delimited', async () => {
    const data = await readData(files.write('tabs.tsv', 'id\ty\n1\t2.5\n'));
    expect(numbers(data, 'y')).toEqual([2.5]);
  });

  it('refuses an empty file (and a BOM-only file) with DATA_EMPTY_FILE', async () => {
    expect((await readError(files.write('empty.csv', ''))).code).toBe('DATA_EMPTY_FILE');
    expect((await readError(files.write('bom-only.csv', '\uFEFF\n'))).code).toBe('DATA_EMPTY_FILE');
  });

  it('reads a header-only file as zero rows with the named columns', async () => {
    const data = await readData(files.write('header-only.csv', 'id,arm,y\r\n'));
    expect(data.nRows).toBe(0);
    expect(data.columns.map((c) => c.name)).toEqual(['id', 'arm', 'y']);
    const error = prepareError(() => prepareTrial(data, { outcome: 'y', assignment: 'arm' }));
    expect(error.code).toBe('DATA_EMPTY');
  });

  it('names the data row of a short or long ragged row (header excluded)', async () => {
    const short = await readError(files.write('short.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n'));
    expect(short).toMatchObject({ code: 'DATA_RAGGED_ROW', row: 2, value: 2 });
    const long = await readError(files.write('long.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n'));
    expect(long).toMatchObject({ code: 'DATA_RAGGED_ROW', row: 3, value: 4 });
    expect(long.message).toContain('row 3');
  });

  it('counts rows by record, not line, when a quoted field spans lines', async () => {
    const error = await readError(files.write('ragged-after-multiline.csv', 'a,b\n"x\ny\nz",1\n2,3\n4\n'));
    expect(error).toMatchObject({ code: 'DATA_RAGGED_ROW', row: 3 });
  });

  it('reports an unterminated quote with its row', async () => {
    const error = await readError(files.write('open-quote.csv', 'a,b\n1,2\n3,"oops\n5,6\n'));
    expect(error).toMatchObject({ code: 'DATA_UNTERMINATED_QUOTE', row: 2 });
  });

  it('refuses duplicate and empty column names', async () => {
    expect(await readError(files.write('dup.csv', 'id,y,y\n1,2,3\n'))).toMatchObject({
      code: 'DATA_DUPLICATE_COLUMN',
      column: 'y',
    });
    expect(await readError(files.write('empty-name.csv', 'id,,y\n1,2,3\n'))).toMatchObject({
      code: 'DATA_EMPTY_COLUMN_NAME',
      value: 2,
    });
    expect(await readError(files.write('trailing.csv', 'id,y,\n1,2,\n'))).toMatchObject({ code: 'DATA_EMPTY_COLUMN_NAME', value: 3 });
  });

  it('skips blank lines (as R and DuckDB do) so rows count records', async () => {
    const data = await readData(files.write('blank.csv', 'id,y\n1,10\n\n2,20\n'));
    expect(numbers(data, 'y')).toEqual([10, 20]);
  });

  it('says a Windows-1252/Latin-1 file is not UTF-8 (with the row), and reads it with encoding latin-1', async () => {
    const bytes = Buffer.concat([Buffer.from('id,office,y\n1,Leeds,1\n2,'), Buffer.from([0xa3]), Buffer.from(' office,2\n')]);
    const path = files.write('latin1.csv', bytes);
    expect(await readError(path)).toMatchObject({ code: 'DATA_NOT_UTF8', row: 2 });
    const data = await readData(path, { encoding: 'latin-1' });
    expect(texts(data, 'office')).toEqual(['Leeds', '£ office']);
  });

  it('skips empty lines before the header, and reads CR-only line endings and a missing final newline', async () => {
    expect(numbers(await readData(files.write('leading-blank.csv', '\n\nid,y\n1,2\n3,4\n')), 'y')).toEqual([2, 4]);
    expect(numbers(await readData(files.write('leading-blank-crlf.csv', '\r\n\r\nid,y\r\n1,2\r\n')), 'y')).toEqual([2]);
    expect(numbers(await readData(files.write('cr-only.csv', 'id,y\r1,2\r3,4\r')), 'y')).toEqual([2, 4]);
    expect(numbers(await readData(files.write('no-final-newline.csv', 'id,y\n1,2\n3,4')), 'y')).toEqual([2, 4]);
  });

  it('names the row where CRLF and LF line endings start to mix (DuckDB cannot read such files)', async () => {
    const error = await readError(files.write('mixed.csv', 'id,y\r\n1,2\r\n3,4\n5,6\r\n'));
    expect(error).toMatchObject({ code: 'DATA_MIXED_LINE_ENDINGS', row: 2 });
  });

  it('refuses an unknown extension with DATA_UNSUPPORTED_FORMAT', async () => {
    expect((await readError(files.write('data.xlsx', 'x'))).code).toBe('DATA_UNSUPPORTED_FORMAT');
  });

  it('reports a missing file with DATA_FILE_NOT_FOUND', async () => {
    expect((await readError(`${files.dir}/nope.csv`)).code).toBe('DATA_FILE_NOT_FOUND');
  });

  it('records the source path, format and SHA-256', async () => {
    const path = files.write('hash.csv', 'a\n1\n');
    const data = await readData(path);
    // sha256 of the bytes "a\n1\n" (printf 'a\n1\n' | sha256sum)
    expect(data.source).toEqual({
      path,
      format: 'csv',
      sha256: '309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc',
    });
  });
});

describe('options', () => {
  it('keeps textColumns as text even when they look numeric', async () => {
    const data = await readData(files.write('text-columns.csv', 'office,y\n12,1\n7,2\n'), { textColumns: ['office'] });
    expect(texts(data, 'office')).toEqual(['12', '7']);
  });

  it('refuses unsupported options with DATA_BAD_OPTION', async () => {
    const path = files.write('opts.csv', 'a\n1\n');
    for (const options of [{ delimiter: '|' }, { decimal: ';' }, { delimiter: ',', decimal: ',' }, { encoding: 'utf-16' }]) {
      expect(await readError(path, options)).toMatchObject({ code: 'DATA_BAD_OPTION' });
    }
  });
});

describe('missing markers', () => {
  it('reads empty cells and NA as missing by default, in numeric and text columns', async () => {
    const data = await readData(files.write('na.csv', 'id,arm,y\n1,control,NA\n2,,3\n3,NA,\n4,whp,5\n'));
    expect(numbers(data, 'y').map((v) => (Number.isNaN(v) ? null : v))).toEqual([null, 3, null, 5]);
    expect(texts(data, 'arm')).toEqual(['control', null, null, 'whp']);
  });

  it('uses the naValues option instead', async () => {
    const data = await readData(files.write('na-custom.csv', 'id,y\n1,-99\n2,.\n3,4\n4,NA\n'), { naValues: ['-99', '.'] });
    // "NA" is no longer a missing marker, so y is text; prepareTrial then refuses "NA" as not numeric.
    expect(texts(data, 'y')).toEqual([null, null, '4', 'NA']);
  });
});

describe('what DuckDB sniffs, and what we make of it', () => {
  const csv = [
    'id,flag,when,inf,infinity,big,comma,nan,hex,z',
    '007,true,2024-01-02,inf,Infinity,1e400,"1,5",nan,0x10,0',
    '010,false,2024-02-03,1,2,3,2,1,1,1',
  ].join('\n');

  it('keeps leading-zero ids, dates and booleans as text, exactly as written', async () => {
    const data = await readData(files.write('sniff.csv', `${csv}\n`));
    expect(texts(data, 'id')).toEqual(['007', '010']);
    expect(texts(data, 'when')).toEqual(['2024-01-02', '2024-02-03']);
    expect(texts(data, 'flag')).toEqual(['true', 'false']);
  });

  it('never turns inf, Infinity, 1e400 or nan into a silent value: prepareTrial says DATA_NOT_FINITE with the row', async () => {
    const data = await readData(files.write('sniff2.csv', `${csv}\n`));
    for (const outcome of ['inf', 'infinity', 'big', 'nan']) {
      const error = prepareError(() => prepareTrial(data, { outcome, assignment: 'z' }));
      expect(error).toMatchObject({ code: 'DATA_NOT_FINITE', row: 1, column: outcome });
    }
  });

  it('refuses "1,5" in a comma file and 0x10 as not numeric, with a decimal-comma hint for the first', async () => {
    const data = await readData(files.write('sniff3.csv', `${csv}\n`));
    const comma = prepareError(() => prepareTrial(data, { outcome: 'comma', assignment: 'z' }));
    expect(comma).toMatchObject({ code: 'DATA_NOT_NUMERIC', row: 1, column: 'comma', value: '1,5' });
    expect(comma.message).toContain('decimal comma');
    const hex = prepareError(() => prepareTrial(data, { outcome: 'hex', assignment: 'z' }));
    expect(hex).toMatchObject({ code: 'DATA_NOT_NUMERIC', row: 1, column: 'hex', value: '0x10' });
  });

  it('keeps long integer ids (2^53 or more) as exact text, so clusters are never merged by rounding', async () => {
    const data = await readData(files.write('long-ids.csv', 'cluster,z,y\n9007199254740993,0,1\n9007199254740992,1,2\n12,0,3\n12,1,4\n'));
    expect(texts(data, 'cluster')).toEqual(['9007199254740993', '9007199254740992', '12', '12']);
    const trial = prepareTrial(data, { outcome: 'y', assignment: 'z', cluster: 'cluster' });
    expect(trial.cluster?.labels).toEqual(['12', '9007199254740992', '9007199254740993']);
  });

  it('quotes the text of an infinite value in the error', async () => {
    const data = await readData(files.write('inf-text.csv', 'z,y\n0,1\n1,1e400\n'));
    expect(() => prepareTrial(data, { outcome: 'y', assignment: 'z' })).toThrow(
      expect.objectContaining({ code: 'DATA_NOT_FINITE', row: 2, value: '1e400' }),
    );
  });

  it('keeps a column as text when the typo is inside DuckDB’s sample, and prepareTrial names its row', async () => {
    const data = await readData(files.write('typo-early.csv', 'id,z,y\n1,0,1\n2,1,2x\n3,0,3\n'));
    expect(texts(data, 'y')).toEqual(['1', '2x', '3']);
    const error = prepareError(() => prepareTrial(data, { outcome: 'y', assignment: 'z' }));
    expect(error).toMatchObject({ code: 'DATA_NOT_NUMERIC', row: 2, column: 'y', value: '2x' });
  });
});

/** A CSV of `n` rows: id = row, z alternating, y = row × 0.5; `typoRow` (1-based) gets y = "4O". */
function bigCsv(n: number, typoRow?: number): string {
  const lines = ['id,z,y'];
  for (let row = 1; row <= n; row++) lines.push(`${row},${row % 2},${row === typoRow ? '4O' : row * 0.5}`);
  return `${lines.join('\n')}\n`;
}

describe('row numbers in large files (DuckDB scan order)', () => {
  it('keeps file order across chunks (> 2,048 rows) and row groups (> 122,880 rows)', async () => {
    const n = 300_000;
    const data = await readData(files.write('order.csv', bigCsv(n)));
    expect(data.nRows).toBe(n);
    const id = column(data, 'id');
    const y = column(data, 'y');
    if (id.kind !== 'number' || y.kind !== 'number') throw new Error('expected numbers');
    let outOfOrder = 0;
    for (let i = 0; i < n; i++) if (id.values[i] !== i + 1 || y.values[i] !== (i + 1) * 0.5) outOfOrder++;
    expect(outOfOrder).toBe(0);
  });

  it.each([1_001, 200_001])('catches a typo at row %i with the exact row', async (typoRow) => {
    const data = await readData(files.write(`typo-${typoRow}.csv`, bigCsv(250_000, typoRow)));
    const y = column(data, 'y');
    expect(y.kind).toBe('text');
    const error = prepareError(() => prepareTrial(data, { outcome: 'y', assignment: 'z', id: 'id' }));
    expect(error).toMatchObject({ code: 'DATA_NOT_NUMERIC', row: typoRow, column: 'y', value: '4O' });
  });

  it('keeps rows aligned when quoted fields with line breaks are spread through a large file', async () => {
    const n = 150_000;
    const lines = ['id,note,y'];
    for (let row = 1; row <= n; row++) lines.push(`${row},${row % 997 === 0 ? `"line ${row}\r\nnext, ""quoted"""` : 'plain'},${row}`);
    const data = await readData(files.write('multiline-large.csv', `${lines.join('\r\n')}\r\n`));
    expect(data.nRows).toBe(n);
    const id = numbers(data, 'id');
    const y = numbers(data, 'y');
    const note = texts(data, 'note');
    let misaligned = 0;
    for (let i = 0; i < n; i++) if (id[i] !== i + 1 || y[i] !== i + 1) misaligned++;
    expect(misaligned).toBe(0);
    expect(note[996]).toBe('line 997\r\nnext, "quoted"');
    expect(note[997]).toBe('plain');
  });

  it('names a ragged row far into a file', async () => {
    const lines = bigCsv(150_000).split('\n');
    lines[130_001] = '130001,1'; // data row 130,001 (line 0 is the header)
    const error = await readError(files.write('ragged-late.csv', lines.join('\n')));
    expect(error).toMatchObject({ code: 'DATA_RAGGED_ROW', row: 130_001 });
  });
});
