/** Departures from the analysis plan (CONSORT 2025 item 10, SAP guideline): what the plan said and what was done. */
import { dataTable, html } from '../html.js';
import type { ReportContext, Section } from './context.js';

export function deviationsSection(context: ReportContext): Section {
  const deviations = context.input.deviations ?? [];
  const body =
    deviations.length === 0
      ? html`<p>The analysis ran as the plan specified; no departures were recorded.</p>`
      : dataTable({
          id: context.ids.next('deviations', 'table'),
          caption: `Departures from the analysis plan (${deviations.length})`,
          columns: [{ label: 'Plan field' }, { label: 'What happened' }, { label: 'What was done instead' }, { label: 'Code' }],
          rows: deviations.map((deviation) => [
            deviation.field ?? '(whole plan)',
            deviation.what,
            deviation.action ?? '\u2013',
            html`<code>${deviation.code}</code>`,
          ]),
        });
  return { id: 'deviations', title: 'Deviations from the analysis plan', body };
}
