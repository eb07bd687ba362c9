import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportErrorCode, renderReport, writeReport, type ReportInput } from '../src/index.js';
import { PAYLOADS, hostileInput, sampleInput } from './fixtures/sample-input.js';

describe('renderReport', () => {
  it('produces one self-contained document: no scripts, no external references, a CSP that forbids both', async () => {
    const document = await renderReport(sampleInput());
    expect(document.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(document).toContain('<html lang="en-GB">');
    expect(document).not.toMatch(/<script/i);
    expect(document).not.toMatch(/<link\b/i);
    expect(document).not.toMatch(/\b(?:src|href)="(?!#)/i); // only in-page fragment links
    expect(document).not.toMatch(/@import|url\((?!#)/i);
    expect(document).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    expect(await renderReport(sampleInput())).toBe(await renderReport(sampleInput()));
  });

  it('writes the summary sentence from the ITT estimate, in percentage points for a binary outcome', async () => {
    const document = await renderReport(sampleInput());
    // 0.031 ± 1.96 × 0.0097 → 1.2 to 5.0 points.
    expect(document).toContain(
      'Assignment to Work and Health Programme raised the rate of “In work 13+ weeks within 12 months” by 3.1 percentage points (95% CI 1.2 to 5.0; p = 0.001).',
    );
  });

  it('shows every estimate in the results table with its SE type and N', async () => {
    const document = await renderReport(sampleInput());
    expect(document).toContain('Estimates for In work 13+ weeks within 12 months');
    expect(document.match(/<td>HC2<\/td>/g)?.length).toBe(sampleInput().estimates.length);
    expect(document).toContain('<figure class="chart"');
    expect(document).toMatch(/<svg[^>]*role="img"/);
  });

  it('escapes every injected payload: none appears as markup', async () => {
    const document = await renderReport(hostileInput());
    // A quote alone is harmless in text (the report has no script context); every payload with markup must be escaped.
    for (const payload of PAYLOADS.filter((p) => p.includes('<'))) expect(document).not.toContain(payload);
    expect(document).not.toMatch(/<script/i);
    expect(document).not.toMatch(/<img/i);
    expect(document).not.toMatch(/<svg[^>]*onload/i);
    // No event-handler attribute in any real tag (quoted attribute values blanked first: they are escaped text).
    expect(document.replace(/"[^"]*"/g, '""')).not.toMatch(/<[^>]*\son\w+=/i);
    expect(document).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
  });

  it('rejects input without a title or arm labels', async () => {
    const noTitle = { ...sampleInput(), title: ' ' } as ReportInput;
    await expect(renderReport(noTitle)).rejects.toMatchObject({ code: ReportErrorCode.badInput, argument: 'title' });
    const noArms = { ...sampleInput(), arms: undefined } as unknown as ReportInput;
    await expect(renderReport(noArms)).rejects.toMatchObject({ code: ReportErrorCode.badInput, argument: 'arms' });
  });
});

describe('writeReport', () => {
  it('writes the file and leaves no temporary file behind', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'trialkit-report-'));
    const path = join(folder, 'report.html');
    await writeReport(path, sampleInput());
    expect(await readFile(path, 'utf8')).toBe(await renderReport(sampleInput()));
    expect(await readdir(folder)).toEqual(['report.html']);
  });

  it('fails with REPORT_WRITE_FAILED into a missing folder, and writes nothing', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'trialkit-report-'));
    await expect(writeReport(join(folder, 'missing', 'report.html'), sampleInput())).rejects.toMatchObject({
      code: ReportErrorCode.writeFailed,
    });
    expect(await readdir(folder)).toEqual([]);
  });

  it('writes nothing when the input is bad', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'trialkit-report-'));
    await expect(writeReport(join(folder, 'report.html'), { ...sampleInput(), title: '' })).rejects.toMatchObject({
      code: ReportErrorCode.badInput,
    });
    expect(await readdir(folder)).toEqual([]);
  });
});
