/**
 * The staging smoke test, judged: the shell invokes the endpoint with the sample applications and hands the raw
 * responses here. Checks: every call answered, the response has one score per application, every score is a
 * number in the policy's range, and the slowest call is within the latency limit.
 */
import type { SmokeTestLimits } from './actions';
import type { SmokeTestResult } from './model';

export interface SmokeResponse {
  /** Applications sent in this call. */
  sent: number;
  latencyMs: number;
  /** The response body as text, or the error message when the call failed. */
  body: string;
  failed: boolean;
}

/** Scores from a CSV or JSON-lines body: numbers separated by newlines or commas (XGBoost's text/csv output). */
export function parseScores(body: string): number[] {
  const cells = body.split(/[\n,]/).map((c) => c.trim()).filter((c) => c.length > 0);
  return cells.map((c) => (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(c) ? Number(c) : Number.NaN));
}

export function judgeSmokeTest(responses: SmokeResponse[], limits: SmokeTestLimits, endpointConfigName: string, now: string): SmokeTestResult {
  const failedCalls = responses.filter((r) => r.failed);
  const shapes = responses.filter((r) => !r.failed).map((r) => ({ r, scores: parseScores(r.body) }));
  const wrongCount = shapes.filter(({ r, scores }) => scores.length !== r.sent);
  const scores = shapes.flatMap((s) => s.scores);
  const outOfRange = scores.filter((s) => !(s >= limits.minScore && s <= limits.maxScore));
  const slowest = Math.max(0, ...responses.map((r) => r.latencyMs));
  const checks = [
    {
      name: 'invocations',
      passed: responses.length > 0 && failedCalls.length === 0,
      message: responses.length === 0 ? 'No sample was sent' : failedCalls.length === 0 ? `${responses.length} call(s) answered` : `${failedCalls.length} call(s) failed: ${failedCalls[0]!.body}`,
    },
    {
      name: 'response-schema',
      passed: shapes.length > 0 && wrongCount.length === 0,
      message: wrongCount.length === 0 ? 'One score per application' : `${wrongCount.length} response(s) without one score per application`,
    },
    {
      name: 'score-range',
      passed: scores.length > 0 && outOfRange.length === 0,
      message: outOfRange.length === 0 ? `${scores.length} score(s) in [${limits.minScore}, ${limits.maxScore}]` : `${outOfRange.length} score(s) outside [${limits.minScore}, ${limits.maxScore}], e.g. ${outOfRange[0]}`,
    },
    {
      name: 'latency',
      passed: slowest <= limits.maxLatencyMs,
      message: `Slowest call ${Math.round(slowest)} ms (limit ${limits.maxLatencyMs} ms)`,
    },
  ];
  return { endpointConfigName, passed: checks.every((c) => c.passed), checks, at: now };
}

/** Records a smoke-test outcome on its version (the next decide reads it). */
export function withSmokeTest<T extends { versions: { version: number; smokeTest?: SmokeTestResult }[] }>(status: T, version: number, result: SmokeTestResult): T {
  return { ...status, versions: status.versions.map((v) => (v.version === version ? { ...v, smokeTest: result } : v)) };
}
