/** Provenance: file hashes, allocation verification, software versions, date (CONSORT 2025 items 2–4). */
import { html, definitionList, type SafeHtml } from '../html.js';
import type { ReportContext, Section } from './context.js';

function hash(value: string | undefined): string | SafeHtml {
  return value === undefined ? 'not recorded' : html`<code class="hash">${value}</code>`;
}

export function provenanceSection(context: ReportContext): Section {
  const provenance = context.input.provenance ?? {};
  const verification = provenance.allocationVerification;
  const verificationText =
    verification === undefined
      ? 'not checked'
      : `${verification.status === 'verified' ? 'verified' : verification.status === 'failed' ? 'FAILED' : 'not checked'}${
          verification.detail !== undefined ? `: ${verification.detail}` : ''
        }`;
  const items: [string, string | SafeHtml][] = [];
  if (provenance.dataFile !== undefined) items.push(['Data file', html`<code>${provenance.dataFile}</code>`]);
  items.push(['Data SHA-256', hash(provenance.dataSha256)]);
  if (provenance.planFile !== undefined) items.push(['Analysis plan file', html`<code>${provenance.planFile}</code>`]);
  items.push(['Analysis plan SHA-256', hash(provenance.planSha256)]);
  items.push(['Allocation log SHA-256', hash(provenance.allocationLogSha256)]);
  items.push(['Allocation verification', verificationText]);
  items.push(['Software', (provenance.software ?? []).map((s) => `${s.name} ${s.version}`).join(', ') || 'not recorded']);
  if (provenance.command !== undefined) items.push(['Command', html`<code>${provenance.command}</code>`]);
  items.push(['Analysis run', provenance.generatedAt ?? 'not recorded']);
  return { id: 'provenance', title: 'Provenance', body: definitionList(items) };
}
