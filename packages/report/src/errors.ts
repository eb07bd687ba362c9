/** Error codes and messages of @trialkit/report (one place, as vega-lite keeps log/message.ts). */
import { TrialkitError, formatValue, internalError } from '@trialkit/core';

export const ReportErrorCode = {
  chartNeedsNetwork: 'REPORT_CHART_NEEDS_NETWORK',
  chartSpecInvalid: 'REPORT_CHART_SPEC_INVALID',
  badChartId: 'REPORT_BAD_CHART_ID',
  badInput: 'REPORT_BAD_INPUT',
  writeFailed: 'REPORT_WRITE_FAILED',
  planNotJson: 'REPORT_PLAN_NOT_JSON',
  planMissingField: 'REPORT_PLAN_MISSING_FIELD',
  planWrongType: 'REPORT_PLAN_WRONG_TYPE',
  planBadValue: 'REPORT_PLAN_BAD_VALUE',
  planUnknownField: 'REPORT_PLAN_UNKNOWN_FIELD',
  planUnknownColumn: 'REPORT_PLAN_UNKNOWN_COLUMN',
  planDuplicate: 'REPORT_PLAN_DUPLICATE',
  planUnreadable: 'REPORT_PLAN_UNREADABLE',
} as const;

export const reportErrors = {
  chartNeedsNetwork(uri: string): TrialkitError {
    return internalError(
      ReportErrorCode.chartNeedsNetwork,
      `A chart spec asked to load ${formatValue(uri)}; report charts must carry their data inline`,
    );
  },
  chartSpecInvalid(title: string, cause: unknown): TrialkitError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return internalError(ReportErrorCode.chartSpecInvalid, `The chart "${title}" has an invalid Vega-Lite spec: ${reason}`);
  },
  badChartId(id: string): TrialkitError {
    return internalError(ReportErrorCode.badChartId, `Chart id ${formatValue(id)} is not a valid XML id`);
  },
  badInput(argument: string, value: unknown, what: string, hint: string): TrialkitError {
    return new TrialkitError({ code: ReportErrorCode.badInput, argument, value, what, hint });
  },
  writeFailed(path: string, cause: unknown): TrialkitError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new TrialkitError({
      code: ReportErrorCode.writeFailed,
      argument: '--out',
      value: path,
      what: `Could not write the report: ${reason}`,
      hint: 'Check that the folder exists and is writable; no partial file was left behind.',
      cause,
    });
  },
};
