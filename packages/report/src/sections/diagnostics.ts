/** Diagnostics raised by any estimator or by data preparation, de-duplicated, warnings first. */
import type { Diagnostic } from '@trialkit/core';
import { html } from '../html.js';
import { subgroupOf, type ReportContext, type Section } from './context.js';

interface Located {
  readonly diagnostic: Diagnostic;
  readonly where: string[];
}

export function collectDiagnostics(context: ReportContext): Located[] {
  const byKey = new Map<string, Located>();
  const add = (diagnostic: Diagnostic, where: string): void => {
    const key = `${diagnostic.code}\u0000${diagnostic.severity}\u0000${diagnostic.message}`;
    const found = byKey.get(key);
    if (found === undefined) byKey.set(key, { diagnostic, where: where === '' ? [] : [where] });
    else if (where !== '' && !found.where.includes(where)) found.where.push(where);
  };
  for (const diagnostic of context.input.diagnostics ?? []) add(diagnostic, '');
  for (const estimate of context.input.estimates) {
    const subgroup = subgroupOf(estimate);
    const where = `${context.outcomeLabel(estimate.outcome)}, ${estimate.estimand}${subgroup !== undefined ? ` (${subgroup})` : ''}`;
    for (const diagnostic of estimate.diagnostics) add(diagnostic, where);
  }
  return [...byKey.values()].sort((a, b) =>
    a.diagnostic.severity === b.diagnostic.severity ? 0 : a.diagnostic.severity === 'warning' ? -1 : 1,
  );
}

export function diagnosticsSection(context: ReportContext): Section {
  const diagnostics = collectDiagnostics(context);
  const body =
    diagnostics.length === 0
      ? html`<p>No estimator or data check raised a diagnostic.</p>`
      : html`<ul class="diagnostics">${diagnostics.map(
          ({ diagnostic, where }) =>
            html`<li class="diagnostic diagnostic-${diagnostic.severity === 'warning' ? 'warning' : 'info'}"><strong class="severity">${
              diagnostic.severity === 'warning' ? 'Warning' : 'Note'
            }</strong> <code>${diagnostic.code}</code>: ${diagnostic.message}${
              where.length > 0 ? html` <span class="muted">(${where.join('; ')})</span>` : html``
            }</li>`,
        )}</ul>`;
  return { id: 'diagnostics', title: 'Diagnostics', body };
}
