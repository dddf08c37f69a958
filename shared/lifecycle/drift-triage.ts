/**
 * Triage of drift signals on a model group's Live version: which features drifted, how far, how much the model
 * relies on them, and whether the drift has lasted. The rule, in one place:
 * - a feature counts as drifted in a window when its distance is above its threshold (policy `drift`);
 * - it is persistent when it drifted in each of the last `persistenceWindows` consecutive windows;
 * - persistent drift on a feature with at least `minImportanceToRetrain` of the model's importance retrains (unless
 *   the policy says alert only); persistent drift on minor features alerts; anything else is ignored for now.
 * Both drift sources (our own check and Model Monitor) give the same signal, so both are triaged alike.
 */
import type { Policy } from './policy';

/** One feature of a drift signal, as the check measured it. */
export interface FeatureDrift {
  feature: string;
  method: string;
  distance: number;
  /** The threshold the check used; the policy's threshold decides. */
  threshold: number;
  /** Share of the model's global importance (mean |SHAP| / sum), when known. */
  importance?: number;
}

/** One window's finding for one version. */
export interface DriftSignal {
  version: number;
  source: 'drift-check' | 'model-monitor';
  windowStart: string;
  windowEnd: string;
  features: FeatureDrift[];
  reportUri?: string;
}

export interface TriagedFeature {
  feature: string;
  method: string;
  distance: number;
  threshold: number;
  importance?: number;
  /** Drifted in each of the last `persistenceWindows` consecutive windows. */
  persistent: boolean;
  important: boolean;
}

export interface DriftTriage {
  verdict: 'retrain' | 'alert' | 'ignore';
  reason: string;
  /** The features over their threshold in the latest window, most important first. */
  drifted: TriagedFeature[];
  /** The latest signal triaged. */
  signal: DriftSignal;
}

/** Windows are consecutive when one starts where (or before) the previous ended, within a minute's slack. */
const SLACK_MS = 60_000;

function thresholdOf(policy: Policy['drift'], feature: string): number {
  return policy.featureThresholds[feature] ?? policy.threshold;
}

/**
 * Bias re-check findings and feature-attribution drift travel with drift (the same alerts) but are not input drift
 * measured on the policy's scale: retraining does not follow from them.
 */
const isBiasFinding = (f: FeatureDrift) => /^(bias|attribution)-/.test(f.method);

/**
 * One signal per window: findings of the same window from two checks (ours and Model Monitor's) or delivered twice
 * are merged, each feature at the largest distance reported for it.
 */
function mergedByWindow(signals: DriftSignal[]): Map<number, DriftSignal> {
  const byWindow = new Map<number, DriftSignal>();
  for (const signal of signals) {
    const key = Date.parse(signal.windowEnd);
    const earlier = byWindow.get(key);
    if (!earlier) {
      byWindow.set(key, signal);
      continue;
    }
    const features = new Map(earlier.features.map((f) => [f.feature, f]));
    for (const f of signal.features) if ((features.get(f.feature)?.distance ?? -Infinity) < f.distance) features.set(f.feature, f);
    byWindow.set(key, { ...earlier, features: [...features.values()], reportUri: earlier.reportUri ?? signal.reportUri });
  }
  return byWindow;
}

function driftedIn(signal: DriftSignal, policy: Policy['drift']): Map<string, FeatureDrift> {
  return new Map(signal.features.filter((f) => !isBiasFinding(f) && f.distance > thresholdOf(policy, f.feature)).map((f) => [f.feature, f]));
}

/** The run of consecutive windows ending with the latest, newest first. */
function consecutiveRun(signals: DriftSignal[]): DriftSignal[] {
  const run = [signals[0]!];
  for (const earlier of signals.slice(1)) {
    const later = run[run.length - 1]!;
    if (Date.parse(later.windowStart) - Date.parse(earlier.windowEnd) > SLACK_MS) break;
    run.push(earlier);
  }
  return run;
}

const pct = (x: number | undefined) => (x === undefined ? 'importance unknown' : `${(x * 100).toFixed(0)}% of importance`);

/**
 * Triages the signals of one version (any order, duplicates of a window allowed); undefined when there are none.
 * Features whose importance is unknown are treated as important: drift on a feature nobody can weigh is not waved
 * away.
 */
export function triageDrift(signals: DriftSignal[], policy: Policy['drift']): DriftTriage | undefined {
  const ordered = [...mergedByWindow(signals).values()].sort((a, b) => Date.parse(b.windowEnd) - Date.parse(a.windowEnd));
  const latest = ordered[0];
  if (!latest) return undefined;
  const run = consecutiveRun(ordered).slice(0, policy.persistenceWindows);
  const enough = run.length >= policy.persistenceWindows;
  const perWindow = run.map((s) => driftedIn(s, policy));
  const drifted: TriagedFeature[] = [...perWindow[0]!.values()]
    .map((f) => ({
      feature: f.feature,
      method: f.method,
      distance: f.distance,
      threshold: thresholdOf(policy, f.feature),
      ...(f.importance !== undefined ? { importance: f.importance } : {}),
      persistent: enough && perWindow.every((w) => w.has(f.feature)),
      important: f.importance === undefined || f.importance >= policy.minImportanceToRetrain,
    }))
    .sort((a, b) => (b.importance ?? 1) - (a.importance ?? 1) || b.distance - a.distance);
  const describe = (fs: TriagedFeature[]) => fs.map((f) => `${f.feature} ${f.distance.toFixed(2)} > ${f.threshold} (${pct(f.importance)})`).join(', ');
  const persistent = drifted.filter((f) => f.persistent);
  const important = persistent.filter((f) => f.important);
  if (drifted.length === 0) return { verdict: 'ignore', reason: 'no feature above its drift threshold', drifted, signal: latest };
  if (persistent.length === 0) {
    return { verdict: 'ignore', reason: `drift on ${describe(drifted)} not yet in ${policy.persistenceWindows} consecutive windows`, drifted, signal: latest };
  }
  if (important.length === 0) {
    return { verdict: 'alert', reason: `persistent drift on minor features only: ${describe(persistent)} (retraining needs ${pct(policy.minImportanceToRetrain)})`, drifted, signal: latest };
  }
  if (policy.action === 'alert') return { verdict: 'alert', reason: `persistent drift on ${describe(important)}; the policy says alert only`, drifted, signal: latest };
  return { verdict: 'retrain', reason: `persistent drift in ${policy.persistenceWindows} consecutive windows on ${describe(important)}`, drifted, signal: latest };
}
