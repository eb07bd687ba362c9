/**
 * The HTML shell: one file, inline CSS, no scripts, no external resources. A Content-Security-Policy with
 * `default-src 'none'` makes that a guarantee the browser enforces: even if a user string escaped escaping, no
 * script would run and nothing would be fetched.
 */
import { CHART_FONT } from './font-metrics.js';
import { html, trusted, type SafeHtml } from './html.js';
import type { Section } from './sections/context.js';

const STYLE = `
:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
html { font-family: ${CHART_FONT}; font-size: 100%; line-height: 1.5; color: #0B0C0C; background: #FFFFFF; }
body { margin: 0; }
.page { max-width: 64rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.5rem 0 0.5rem; }
h2 { font-size: 1.5rem; line-height: 1.25; margin: 2.5rem 0 0.75rem; padding-top: 0.75rem; border-top: 2px solid #0B0C0C; }
h3 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
p, li, dd { max-width: 44rem; }
a { color: #1D70B8; text-underline-offset: 0.15em; }
a:visited { color: #4C2C92; }
a:focus-visible, summary:focus-visible, .table-wrap:focus-visible { outline: 3px solid #0B0C0C; outline-offset: 2px; background: #FFDD00; color: #0B0C0C; }
.skip-link { position: absolute; left: -9999px; top: 0; padding: 0.5rem 1rem; background: #FFDD00; color: #0B0C0C; }
.skip-link:focus { left: 0.5rem; }
.subtitle { font-size: 1.15rem; color: #505A5F; margin: 0 0 1rem; }
.muted { color: #505A5F; }
.tag { display: inline-block; font-size: 0.8rem; font-weight: normal; padding: 0 0.4rem; border: 1px solid #505A5F; border-radius: 3px; vertical-align: middle; }
.visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important; padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important; border: 0 !important; white-space: nowrap !important; }
nav.contents ol { columns: 2 16rem; padding-left: 1.5rem; }
nav.contents li { margin: 0.15rem 0; }
dl.facts { display: grid; grid-template-columns: minmax(10rem, max-content) 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0; }
dl.facts > div { display: contents; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: "Liberation Mono", "Courier New", monospace; font-size: 0.92em; }
code.hash { overflow-wrap: anywhere; }
.table-wrap { position: relative; overflow-x: auto; margin: 0.75rem 0; max-width: 100%; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; min-width: 20rem; }
caption { text-align: left; font-weight: bold; padding: 0 0 0.4rem; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.75rem 0.35rem 0; border-bottom: 1px solid #B1B4B6; }
thead th { border-bottom: 2px solid #0B0C0C; }
th.num, td.num { text-align: right; white-space: nowrap; }
tbody th { font-weight: normal; }
.table-notes p { font-size: 0.9rem; color: #505A5F; margin: 0.2rem 0; }
figure.chart { margin: 1.25rem 0; }
figure.chart figcaption { margin-bottom: 0.5rem; }
.figure-title { display: block; font-weight: bold; }
.figure-description { display: block; color: #0B0C0C; max-width: 44rem; }
.chart-svg { max-width: 100%; overflow-x: auto; }
.chart-svg svg { display: block; max-width: 100%; height: auto; }
details.chart-data { margin-top: 0.5rem; }
summary { cursor: pointer; color: #1D70B8; text-decoration: underline; min-height: 24px; padding: 0.15rem 0; }
.summary-item { border-left: 5px solid #12436D; padding: 0.1rem 0 0.1rem 1rem; margin: 1rem 0; }
.summary-item h3 { margin-top: 0.25rem; }
ul.diagnostics { padding-left: 1.25rem; }
.diagnostic-warning .severity { color: #801650; }
.flow { display: grid; gap: 0.5rem; }
.flow ol, .flow ul { list-style: none; margin: 0; padding: 0; }
.flow-stage { display: grid; grid-template-columns: 8rem 1fr; gap: 0.5rem; align-items: start; }
.flow-stage-name { font-weight: bold; padding-top: 0.5rem; }
.flow-row { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0.75rem; }
.flow-box { border: 2px solid #12436D; padding: 0.5rem 0.75rem; background: #FFFFFF; }
.flow-box.side { border-style: dashed; border-color: #505A5F; }
.flow-box .n { font-weight: bold; font-variant-numeric: tabular-nums; }
.flow-box ul { font-size: 0.9rem; color: #505A5F; margin-top: 0.25rem; }
.flow-arrow { grid-column: 1 / -1; text-align: center; color: #505A5F; line-height: 1; font-size: 1.25rem; }
.flow-check { font-size: 0.95rem; }
footer { margin-top: 3rem; border-top: 1px solid #B1B4B6; padding-top: 0.75rem; color: #505A5F; font-size: 0.9rem; }
@media (max-width: 40rem) {
  h1 { font-size: 1.6rem; }
  .page { padding: 0.75rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: 0.4rem; }
  .flow-stage { grid-template-columns: 1fr; }
}
@media print {
  @page { margin: 15mm; }
  html { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  .skip-link, nav.contents, details.chart-data > summary { display: none; }
  details.chart-data > *:not(summary) { display: block; }
  details.chart-data::details-content { content-visibility: visible; display: block; }
  h2 { break-before: auto; break-after: avoid; }
  h3 { break-after: avoid; }
  figure, table, .flow, .summary-item { break-inside: avoid; }
  a { color: #0B0C0C; }
  .table-wrap { overflow: visible; }
}
`;

const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export interface DocumentParts {
  readonly language: string;
  readonly title: string;
  readonly header: SafeHtml;
  readonly sections: readonly Section[];
  readonly footer: SafeHtml;
}

export function renderDocument(parts: DocumentParts): string {
  const contents = html`<nav class="contents" aria-labelledby="contents-heading"><h2 id="contents-heading">Contents</h2><ol>${parts.sections.map(
    (section) => html`<li><a href="#${section.id}">${section.title}</a></li>`,
  )}</ol></nav>`;
  const body = parts.sections.map(
    (section) =>
      html`<section id="${section.id}" aria-labelledby="${section.id}-heading"><h2 id="${section.id}-heading">${section.title}</h2>${section.body}</section>`,
  );
  const document = html`<!DOCTYPE html>
<html lang="${parts.language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${trusted(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="trialkit">
<title>${parts.title}</title>
<style>${trusted(STYLE)}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to the report</a>
<div class="page">
<header>${parts.header}</header>
${contents}
<main id="main">
${body}
</main>
<footer>${parts.footer}</footer>
</div>
</body>
</html>
`;
  return document.markup;
}
