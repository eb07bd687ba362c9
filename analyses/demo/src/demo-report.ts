/** The demo's report: the estimates, the CONSORT flow and the contamination picture, laid out by @trialkit/report. */
import { findColumn, TRIALKIT_VERSION, type Dataset } from '@trialkit/core';
import type { EstimateResult } from '@trialkit/estimators';
import type { WhpTruth } from '@trialkit/datasets';
import { writeReport, type FlowCounts, type ComplianceSummary, type RateWithInterval } from '@trialkit/report';

export interface DemoReportInput {
  readonly path: string;
  readonly data: Dataset;
  readonly result: EstimateResult;
  readonly truth: WhpTruth;
  readonly dataSha256: string;
  readonly generatedAt: string;
}

function numbers(data: Dataset, name: string): Float64Array {
  const column = findColumn(data, name);
  if (column?.kind !== 'number') throw new Error(`demo: column ${name} is not numeric`);
  return column.values;
}

/** CONSORT counts from the data: allocated, received, contaminated, analysed per arm. */
function flowFromData(data: Dataset): FlowCounts {
  const assigned = numbers(data, 'assigned');
  const started = numbers(data, 'started');
  const outcome = numbers(data, 'job_outcome');
  const arm = (z: number) => {
    let allocated = 0;
    let received = 0;
    let analysed = 0;
    for (let i = 0; i < data.nRows; i++) {
      if (assigned[i] !== z) continue;
      allocated += 1;
      received += started[i] === 1 ? 1 : 0;
      analysed += Number.isNaN(outcome[i]) ? 0 : 1;
    }
    return { allocated, received, analysed };
  };
  const control = arm(0);
  const treatment = arm(1);
  return {
    randomised: control.allocated + treatment.allocated,
    treatment: {
      allocated: treatment.allocated,
      received: treatment.received,
      notReceived: treatment.allocated - treatment.received,
      notReceivedReasons: [{ reason: 'did not start the voluntary programme', n: treatment.allocated - treatment.received }],
      lostToFollowUp: treatment.allocated - treatment.analysed,
      analysed: treatment.analysed,
    },
    control: {
      allocated: control.allocated,
      contaminated: control.received,
      lostToFollowUp: control.allocated - control.analysed,
      analysed: control.analysed,
    },
  };
}

function complianceSummary(result: EstimateResult): ComplianceSummary | undefined {
  const compliance = result.compliance;
  if (compliance === null) return undefined;
  const rate = (group: string, arm: string, n: number, p: { estimate: number; confLow: number; confHigh: number }): RateWithInterval => ({
    group,
    arm,
    n,
    count: Math.round(p.estimate * n),
    rate: p.estimate,
    confLow: p.confLow,
    confHigh: p.confHigh,
  });
  const takeUp = [
    rate('Programme arm', 'whp', compliance.nTreatment, compliance.takeUp),
    rate('Control arm', 'control', compliance.nControl, compliance.contamination),
  ];
  const contaminationByGroup = (compliance.byGroup?.groups ?? [])
    .filter((g) => g.contamination !== null)
    .map((g) => rate(g.label, 'control', g.nControl, g.contamination as { estimate: number; confLow: number; confHigh: number }));
  return {
    takeUp,
    contaminationByGroup,
    groupLabel: 'Jobcentre office',
    complierShare: compliance.shares.compliers,
  };
}

export async function buildDemoReport(input: DemoReportInput): Promise<void> {
  const compliance = complianceSummary(input.result);
  await writeReport(input.path, {
    title: 'Work and Health Programme-style trial: demonstration report',
    subtitle:
      `Simulated data (seed "${input.truth.seed}"): ${input.truth.n.toLocaleString('en-GB')} people, true complier ` +
      `effect +${(100 * input.truth.population.cace).toFixed(1)} percentage points on the job outcome`,
    arms: { control: 'Business as usual', treatment: 'Work and Health Programme' },
    outcomes: [
      { name: 'job_outcome', label: 'In work 13+ weeks within 12 months', type: 'binary', primary: true },
    ],
    estimates: input.result.estimates,
    ...(compliance !== undefined ? { compliance } : {}),
    flow: flowFromData(input.data),
    diagnostics: input.result.diagnostics,
    methods: { confidenceLevel: 0.95, receivedColumn: 'started', contaminationGroupColumn: 'office' },
    provenance: {
      dataFile: 'datasets/generated/whp-demo.csv',
      dataSha256: input.dataSha256,
      software: [{ name: 'trialkit', version: TRIALKIT_VERSION }, { name: 'Node.js', version: process.versions.node }],
      generatedAt: input.generatedAt,
      command: 'npm run demo',
    },
  });
}
