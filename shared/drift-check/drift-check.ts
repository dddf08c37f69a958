/**
 * Our own drift check (DESIGN §8), run on a schedule for every managed group: the Live version's captured inputs
 * of one window (the production endpoint's Data Capture files of that hour) against the training baseline stored
 * with the version, per feature, with the group policy's method and thresholds; and, from the same captured
 * requests and their scores, the bias re-check (DI and DPPL per protected facet value against the policy's gates). It writes the report (baseline and
 * current histograms) and Model Monitor's constraint_violations.json next to each other, and reports drift (see
 * drift-signal.ts) when any feature is past its threshold. Deterministic keys per window: a re-run rewrites the
 * same objects and re-reports the same finding, which the state, the ledger and the reconciler each take once.
 */
import { explainerSchema } from '../contracts/explainer';
import { BiasWindow, checkDrift, featureImportance, parseBaselineStatistics, WindowAccumulator, type BiasSpec, type DriftThresholds } from '../judge/drift';
import { predictedBiasFromCounts, type FacetCounts } from '../judge/fairness';
import { VARIANT_NAME } from '../lifecycle/decide';
import { endpointName } from '../lifecycle/names';
import { parsePolicy, type Policy } from '../lifecycle/policy';
import { eachGroup, failIfAny } from '../runtime/each-group';
import type { ModelInputSchema } from '../contracts/model-input';
import { reportDrift } from './drift-signal';
import type { DriftCheckDeps } from './ports';

export interface DriftWindow {
  start: string;
  end: string;
}

const HOUR_MS = 3_600_000;

/** The last whole hour before `now`: the window an hourly check reads (capture files are foldered by hour). */
export function previousHour(now: string): DriftWindow {
  const end = Math.floor(Date.parse(now) / HOUR_MS) * HOUR_MS;
  return { start: new Date(end - HOUR_MS).toISOString(), end: new Date(end).toISOString() };
}

/** `<captureUri>/<endpoint>/<variant>/yyyy/mm/dd/hh/`: where SageMaker writes the capture files of that hour. */
export function captureHourPrefix(captureUri: string, endpoint: string, hourStart: string): string {
  const [date, time] = hourStart.split('T') as [string, string];
  return `${captureUri.replace(/\/+$/, '')}/${endpoint}/${VARIANT_NAME}/${date.replaceAll('-', '/')}/${time.slice(0, 2)}/`;
}

export type GroupDriftOutcome =
  | { group: string; outcome: 'not-managed' | 'no-live-version' }
  | { group: string; outcome: 'no-baseline' | 'no-traffic' | 'too-few-rows' | 'version-changed'; version: number; rows?: number }
  | { group: string; outcome: 'no-drift' | 'drift'; version: number; rows: number; drifted: string[]; reportUri: string };

/** Scored rows a facet value needs in the window before its DI and DPPL are judged (fewer say nothing). */
export const MIN_BIAS_ROWS = 30;

type EventFeature = { feature: string; method: string; distance: number; threshold: number; drifted: boolean; importance?: number };

/**
 * The bias re-check: DI and DPPL of each facet value in the window against the policy's gates (the same band and
 * limit as at registration); the violations as features of the drift finding (methods `bias-di`, `bias-dppl`), so
 * they raise the same alerts as drift. Figures for every value go to the report.
 */
export function biasFindings(counts: Record<string, FacetCounts>, spec: BiasSpec, policy: Policy): { figures: ReturnType<typeof predictedBiasFromCounts>; violations: EventFeature[] } {
  const figures = predictedBiasFromCounts(counts, spec.values);
  const { min, max } = policy.gates.disparateImpact;
  const violations: EventFeature[] = [];
  for (const f of figures) {
    if (f.rows < MIN_BIAS_ROWS) continue;
    if (f.DI !== null && (f.DI < min || f.DI > max)) violations.push({ feature: `${spec.attribute}=${f.value} DI`, method: 'bias-di', distance: f.DI, threshold: f.DI < min ? min : max, drifted: true });
    if (f.DPPL !== null && Math.abs(f.DPPL) > policy.gates.maxAbsDppl) violations.push({ feature: `${spec.attribute}=${f.value} DPPL`, method: 'bias-dppl', distance: Math.abs(f.DPPL), threshold: policy.gates.maxAbsDppl, drifted: true });
  }
  return { figures, violations };
}

function thresholdsOf(policy: Policy): Partial<DriftThresholds> {
  return { comparisonMethod: policy.drift.method, comparisonThreshold: policy.drift.threshold, perFeature: policy.drift.featureThresholds };
}

/** Checks one group's Live version over `window`. */
export async function checkGroupDrift(deps: DriftCheckDeps, schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>, group: string, window: DriftWindow, bias?: BiasSpec): Promise<GroupDriftOutcome> {
  const overrides = await deps.state.policyOverrides(group);
  if (overrides === undefined) return { group, outcome: 'not-managed' };
  const policy = parsePolicy(overrides);
  const live = (await deps.state.load(group)).versions.find((v) => v.phase === 'Live');
  if (!live) return { group, outcome: 'no-live-version' };
  // A window that began before this version went live holds the previous version's traffic: not its to answer for.
  if (live.liveSince && Date.parse(window.start) < Date.parse(live.liveSince)) return { group, outcome: 'version-changed', version: live.version };
  const described = await deps.registry.describePackage(live.arn);
  if (!described.baselineStatisticsUri) return { group, outcome: 'no-baseline', version: live.version };
  const baseline = parseBaselineStatistics(await deps.documents.readJson(described.baselineStatisticsUri));
  const importance = described.explainerUri ? featureImportance(explainerSchema.parse(await deps.documents.readJson(described.explainerUri)), baseline) : {};

  const accumulator = new WindowAccumulator(baseline, schema);
  const biasWindow = bias ? new BiasWindow(bias, schema) : undefined;
  const endpoint = endpointName(group, 'production', policy);
  for (let hour = Date.parse(window.start); hour < Date.parse(window.end); hour += HOUR_MS) {
    for await (const line of deps.capture.lines(captureHourPrefix(deps.captureUri, endpoint, new Date(hour).toISOString()))) {
      accumulator.addCaptureLine(line);
      biasWindow?.addCaptureLine(line);
    }
  }
  const summary = accumulator.finish();
  if (summary.rows === 0) return { group, outcome: 'no-traffic', version: live.version };
  if (summary.rows < policy.drift.minRows) return { group, outcome: 'too-few-rows', version: live.version, rows: summary.rows };

  const check = checkDrift(baseline, summary, thresholdsOf(policy), importance);
  const folder = `${deps.reportsUri.replace(/\/+$/, '')}/${group}/v${live.version}/${window.end.replace(/[:.]/g, '-')}`;
  const reportUri = `${folder}/report.json`;
  const violationsUri = `${folder}/constraint_violations.json`;
  const biasCheck = biasWindow && bias ? biasFindings(biasWindow.finish(), bias, policy) : undefined;
  await deps.documents.writeJson(reportUri, {
    group,
    version: live.version,
    window: { ...window, ...check.report.window },
    thresholds: thresholdsOf(policy),
    features: check.report.features,
    ...(biasCheck && bias ? { bias: { attribute: bias.attribute, minRows: MIN_BIAS_ROWS, band: policy.gates.disparateImpact, maxAbsDppl: policy.gates.maxAbsDppl, figures: biasCheck.figures } } : {}),
  });
  await deps.documents.writeJson(violationsUri, check.violations);
  const judged = check.features.filter((f) => f.distance !== null);
  const violations = biasCheck?.violations ?? [];
  const drifted = [...judged.filter((f) => f.drifted).map((f) => f.feature), ...violations.map((v) => v.feature)];
  if (drifted.length > 0) {
    const features: EventFeature[] = [
      ...judged.map((f) => ({ feature: f.feature, method: f.method, distance: f.distance!, threshold: f.threshold, drifted: f.drifted, ...(f.importance !== null ? { importance: f.importance } : {}) })),
      ...violations,
    ];
    await reportDrift(deps, {
      group,
      records: summary.rows,
      features,
      violationsUri,
      signal: { version: live.version, source: 'drift-check', windowStart: window.start, windowEnd: window.end, features, reportUri },
    });
  }
  return { group, outcome: drifted.length > 0 ? 'drift' : 'no-drift', version: live.version, rows: summary.rows, drifted, reportUri };
}

/** Checks every managed group; one group's failure does not stop the others, and fails the run at the end. */
export async function runDriftCheck(deps: DriftCheckDeps, schema: Pick<ModelInputSchema, 'numeric' | 'categorical'>, window: DriftWindow, bias?: BiasSpec): Promise<GroupDriftOutcome[]> {
  const { outcomes, failures } = await eachGroup(await deps.state.listGroups(), (group) => checkGroupDrift(deps, schema, group, window, bias));
  failIfAny(failures, 'Drift check', 'checked');
  return outcomes;
}
