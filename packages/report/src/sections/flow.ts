/**
 * The CONSORT flow (CONSORT 2025 item 22; the 2025 diagram's boxes, "for primary outcome" in the analysed box) as
 * accessible HTML: an ordered list of stages, each a row of boxes, readable in order by a screen reader and
 * reflowing on a phone. Arrows are decoration (aria-hidden). Under the diagram, the arithmetic is checked: arms add
 * up to the randomised total, and the analysed numbers equal the primary outcome's N in the results table.
 */
import { formatInteger, formatNumber } from '../format.js';
import { EMPTY, html, type SafeHtml } from '../html.js';
import type { FlowArm, FlowCounts, ReasonCount } from '../types.js';
import { isRatioEstimate, subgroupOf, type ReportContext, type Section } from './context.js';

function reasons(list: readonly ReasonCount[] | undefined): SafeHtml {
  if (list === undefined || list.length === 0) return EMPTY;
  return html`<ul>${list.map((item) => html`<li>${item.reason} (n = ${formatInteger(item.n)})</li>`)}</ul>`;
}

function box(label: string, n: number | undefined, detail: SafeHtml = EMPTY, side = false): SafeHtml {
  return html`<li class="flow-box${side ? ' side' : ''}"><span class="flow-label">${label}</span> <span class="n">(n = ${formatInteger(n)})</span>${detail}</li>`;
}

const ARROW = html`<div class="flow-arrow" aria-hidden="true">\u2193</div>`;

function armBoxes(arm: FlowArm, armLabel: string, isTreatment: boolean, stage: 'allocation' | 'follow-up' | 'analysis'): SafeHtml {
  if (stage === 'allocation') {
    const items: SafeHtml[] = [];
    if (isTreatment) {
      if (arm.received !== undefined) items.push(html`<li>Received the programme (n = ${formatInteger(arm.received)})</li>`);
      if (arm.notReceived !== undefined)
        items.push(html`<li>Did not receive it (n = ${formatInteger(arm.notReceived)})${reasons(arm.notReceivedReasons)}</li>`);
    } else {
      const contaminated = arm.contaminated ?? arm.received;
      if (contaminated !== undefined)
        items.push(html`<li>Received the programme or similar support (contaminated) (n = ${formatInteger(contaminated)})</li>`);
      if (arm.notReceived !== undefined) items.push(html`<li>Did not receive it (n = ${formatInteger(arm.notReceived)})</li>`);
    }
    if (arm.clusters !== undefined) items.push(html`<li>Clusters (n = ${formatInteger(arm.clusters)})</li>`);
    return box(`Allocated to ${armLabel}`, arm.allocated, items.length > 0 ? html`<ul>${items}</ul>` : EMPTY);
  }
  if (stage === 'follow-up') {
    const items: SafeHtml[] = [html`<li>Lost to follow-up for the primary outcome (n = ${formatInteger(arm.lostToFollowUp ?? 0)})${reasons(arm.lostReasons)}</li>`];
    if (arm.discontinued !== undefined) items.push(html`<li>Discontinued the intervention (n = ${formatInteger(arm.discontinued)})</li>`);
    return html`<li class="flow-box"><span class="flow-label">${armLabel}</span><ul>${items}</ul></li>`;
  }
  return box(
    `Analysed for the primary outcome, ${armLabel}`,
    arm.analysed,
    arm.excludedFromAnalysis !== undefined && arm.excludedFromAnalysis > 0
      ? html`<ul><li>Excluded from analysis (n = ${formatInteger(arm.excludedFromAnalysis)})${reasons(arm.excludedReasons)}</li></ul>`
      : EMPTY,
  );
}

export interface FlowCheck {
  readonly ok: boolean;
  readonly message: string;
}

/** The flow's arithmetic, and agreement with the primary outcome's N in the results (REPORT-GUIDE anchor 1). */
export function flowChecks(context: ReportContext, flow: FlowCounts): FlowCheck[] {
  const checks: FlowCheck[] = [];
  const allocated = flow.control.allocated + flow.treatment.allocated;
  checks.push({
    ok: allocated === flow.randomised,
    message: `Allocated to the two arms: ${formatInteger(flow.control.allocated)} + ${formatInteger(flow.treatment.allocated)} = ${formatInteger(allocated)}; randomised: ${formatInteger(flow.randomised)}.`,
  });
  if (flow.assessed !== undefined && flow.excluded !== undefined) {
    checks.push({
      ok: flow.assessed - flow.excluded === flow.randomised,
      message: `Assessed ${formatInteger(flow.assessed)} − excluded ${formatInteger(flow.excluded)} = ${formatInteger(flow.assessed - flow.excluded)}; randomised: ${formatInteger(flow.randomised)}.`,
    });
  }
  for (const [label, arm] of [
    [context.input.arms.control, flow.control],
    [context.input.arms.treatment, flow.treatment],
  ] as const) {
    const expected = arm.allocated - (arm.lostToFollowUp ?? 0) - (arm.excludedFromAnalysis ?? 0);
    checks.push({
      ok: expected === arm.analysed,
      message: `${label}: allocated ${formatInteger(arm.allocated)} − lost ${formatInteger(arm.lostToFollowUp ?? 0)} − excluded ${formatInteger(arm.excludedFromAnalysis ?? 0)} = ${formatInteger(expected)}; analysed: ${formatInteger(arm.analysed)}.`,
    });
  }
  const primary = context.primaryOutcomeNames()[0];
  const itt = primary === undefined ? undefined : context.mainEstimatesFor(primary).find((e) => e.estimand === 'ITT' && subgroupOf(e) === undefined && !isRatioEstimate(e));
  if (itt !== undefined) {
    const analysed = flow.control.analysed + flow.treatment.analysed;
    checks.push({
      ok: analysed === itt.nObs,
      message: `Analysed in the flow: ${formatInteger(analysed)}; N of the primary outcome's ITT estimate: ${formatInteger(itt.nObs)}.`,
    });
  }
  return checks;
}

export function flowSection(context: ReportContext): Section | undefined {
  const flow = context.input.flow;
  if (flow === undefined) return undefined;
  const { control, treatment } = context.input.arms;
  const enrolment: SafeHtml[] = [];
  if (flow.assessed !== undefined) enrolment.push(box('Assessed for eligibility', flow.assessed));
  if (flow.excluded !== undefined) enrolment.push(box('Excluded', flow.excluded, reasons(flow.excludedReasons), true));
  enrolment.push(box('Randomised', flow.randomised));
  const stage = (name: string, boxes: readonly SafeHtml[], last = false): SafeHtml =>
    html`<li class="flow-stage"><h3 class="flow-stage-name">${name}</h3><ul class="flow-row">${boxes}</ul>${last ? EMPTY : ARROW}</li>`;
  const checks = flowChecks(context, flow);
  const failed = checks.filter((check) => !check.ok);
  const icc = flow.icc;
  const clusterNote =
    flow.control.clusters !== undefined || icc !== undefined
      ? html`<p>Clusters randomised: ${formatInteger(flow.treatment.clusters)} to ${treatment}, ${formatInteger(flow.control.clusters)} to ${control}.${
          icc !== undefined ? ` Intraclass correlation of ${context.outcomeLabel(icc.outcome)}: ${formatNumber(icc.value, 3)} (${icc.basis}).` : ''
        }</p>`
      : EMPTY;
  const body = html`<ol class="flow" aria-label="Participant flow, CONSORT diagram">${stage('Enrolment', enrolment)}${stage('Allocation', [
    armBoxes(flow.treatment, treatment, true, 'allocation'),
    armBoxes(flow.control, control, false, 'allocation'),
  ])}${stage('Follow-up', [armBoxes(flow.treatment, treatment, true, 'follow-up'), armBoxes(flow.control, control, false, 'follow-up')])}${stage(
    'Analysis',
    [armBoxes(flow.treatment, treatment, true, 'analysis'), armBoxes(flow.control, control, false, 'analysis')],
    true,
  )}</ol>${clusterNote}<div class="flow-check"><p><strong>${
    failed.length === 0 ? 'The flow adds up.' : `${failed.length} check${failed.length === 1 ? '' : 's'} of the flow failed.`
  }</strong></p><ul>${checks.map(
    (check) => html`<li>${check.ok ? 'Consistent' : 'INCONSISTENT'}: ${check.message}</li>`,
  )}</ul></div>`;
  return { id: 'flow', title: 'Participant flow', body };
}
