/**
 * The gates a version must pass before any deployment: quality (AUC, KS), fairness (disparate impact in the
 * four-fifths band and |DPPL| on every protected facet, from Clarify's post-training bias report), explainability
 * (a global SHAP report) and lineage completeness. Every result carries the figure and the threshold it was held
 * against, so the rejection reason and the audit record say exactly why.
 */
import type { ClarifyBias } from '../contracts/reports';
import type { GateReport, GateResult, PackageObservation } from './model';
import type { Policy } from './policy';

const fmt = (n: number): string => String(Math.round(n * 10000) / 10000);

function atLeast(gate: string, label: string, value: number | null | undefined, min: number): GateResult {
  if (value === undefined || value === null || Number.isNaN(value)) {
    return { gate, passed: false, message: `${label} is missing from the evaluation report`, threshold: `>= ${min}` };
  }
  const passed = value >= min;
  return {
    gate,
    passed,
    observed: value,
    threshold: `>= ${min}`,
    message: passed ? `${label} ${fmt(value)} meets the minimum ${min}` : `${label} ${fmt(value)} is below the minimum ${min}`,
  };
}

function qualityGates(pkg: PackageObservation, policy: Policy): GateResult[] {
  const metrics = pkg.reports.evaluation?.binary_classification_metrics;
  if (!metrics) return [{ gate: 'evaluation-report', passed: false, message: 'No evaluation report is registered with the version' }];
  return [atLeast('auc', 'AUC', metrics.auc.value, policy.gates.minAuc), atLeast('ks', 'KS', metrics.ks?.value, policy.gates.minKs)];
}

function metricOf(metrics: { name: string; value: number | null }[], name: string): number | null {
  const value = metrics.find((m) => m.name === name)?.value;
  return value === undefined || value === null || !Number.isFinite(value) ? null : value;
}

function facetGates(bias: ClarifyBias, policy: Policy): GateResult[] {
  const { min, max } = policy.gates.disparateImpact;
  const maxDppl = policy.gates.maxAbsDppl;
  const facets = policy.gates.protectedFacets.length > 0 ? policy.gates.protectedFacets : Object.keys(bias.facets);
  if (facets.length === 0) return [{ gate: 'bias-report', passed: false, message: 'The bias report holds no facet' }];
  return facets.flatMap((facet): GateResult[] => {
    const groups = bias.facets[facet];
    if (!groups || groups.length === 0) {
      return [{ gate: 'bias-report', passed: false, message: `Protected facet ${facet} is missing from the bias report` }];
    }
    return groups.flatMap((g): GateResult[] => {
      const where = `${facet}=${g.value_or_threshold}`;
      const di = metricOf(g.metrics, 'DI');
      const dppl = metricOf(g.metrics, 'DPPL');
      return [
        di === null
          ? { gate: 'disparate-impact', passed: false, message: `DI for ${where} is missing or not finite`, threshold: `[${min}, ${max}]` }
          : {
              gate: 'disparate-impact',
              passed: di >= min && di <= max,
              observed: di,
              threshold: `[${min}, ${max}]`,
              message: `DI for ${where} is ${fmt(di)}, ${di >= min && di <= max ? 'inside' : 'outside'} [${min}, ${max}]`,
            },
        dppl === null
          ? { gate: 'dppl', passed: false, message: `DPPL for ${where} is missing or not finite`, threshold: `|DPPL| <= ${maxDppl}` }
          : {
              gate: 'dppl',
              passed: Math.abs(dppl) <= maxDppl,
              observed: dppl,
              threshold: `|DPPL| <= ${maxDppl}`,
              message: `DPPL for ${where} is ${fmt(dppl)}, ${Math.abs(dppl) <= maxDppl ? 'within' : 'beyond'} ±${maxDppl}`,
            },
      ];
    });
  });
}

function fairnessGates(pkg: PackageObservation, policy: Policy): GateResult[] {
  const bias = pkg.reports.bias?.post_training_bias_metrics;
  if (!bias) return [{ gate: 'bias-report', passed: false, message: 'No post-training bias report is registered with the version' }];
  return facetGates(bias, policy);
}

function explainabilityGate(pkg: PackageObservation): GateResult {
  const labels = Object.values(pkg.reports.explainability?.explanations?.kernel_shap ?? {});
  const features = labels.reduce((n, l) => n + Object.keys(l.global_shap_values).length, 0);
  return features > 0
    ? { gate: 'explainability', passed: true, observed: features, message: `Global SHAP values for ${features} feature(s)` }
    : { gate: 'explainability', passed: false, message: 'No global SHAP values are registered with the version' };
}

function lineageGate(pkg: PackageObservation): GateResult {
  const { trainingDataUri, trainingDataHash, commitId, hyperparameters } = pkg.lineage;
  const missing = [
    trainingDataUri?.startsWith('s3://') ? null : 'training data URI',
    trainingDataHash ? null : 'training data hash',
    commitId ? null : 'code commit',
    Object.keys(hyperparameters).length > 0 ? null : 'hyperparameters',
  ].filter((m): m is string => m !== null);
  return missing.length === 0
    ? { gate: 'lineage', passed: true, message: `Trained on ${trainingDataUri} (${trainingDataHash}) at commit ${commitId}` }
    : { gate: 'lineage', passed: false, message: `Lineage incomplete: missing ${missing.join(', ')}` };
}

/** Holds a version's registered reports and lineage against the policy. */
export function evaluateGates(pkg: PackageObservation, policy: Policy, now: string): GateReport {
  const results = [
    ...qualityGates(pkg, policy),
    ...fairnessGates(pkg, policy),
    ...(policy.gates.requireExplainability ? [explainabilityGate(pkg)] : []),
    ...(policy.gates.requireLineage ? [lineageGate(pkg)] : []),
  ];
  return { passed: results.every((r) => r.passed), results, evaluatedAt: now };
}

/** The failed results as reasons, one line each. */
export function gateFailures(report: GateReport): string[] {
  return report.results.filter((r) => !r.passed).map((r) => r.message);
}

/** Short labels of the numeric gates, for one-line summaries. */
const GATE_LABELS: Record<string, string> = { auc: 'AUC', ks: 'KS', 'disparate-impact': 'DI', dppl: 'DPPL' };

/** `>= 0.85` → `≥ 0.85`, `[0.8, 1.25]` → `in [0.8, 1.25]`, anything else in parentheses. */
function thresholdText(threshold: string): string {
  if (threshold.startsWith('>= ')) return `≥ ${threshold.slice(3)}`;
  if (threshold.startsWith('[')) return `in ${threshold}`;
  return `(${threshold})`;
}

/**
 * The recorded gate results in one line, one part per gate (facets folded into a range), e.g.
 * `AUC 0.874 ≥ 0.85; KS 0.41 ≥ 0.2; DI 0.91–1.06 in [0.8, 1.25]; DPPL -0.02–0.03 (|DPPL| <= 0.1); …`.
 */
export function gateSummary(report: GateReport): string {
  const byGate = new Map<string, GateResult[]>();
  for (const r of report.results) byGate.set(r.gate, [...(byGate.get(r.gate) ?? []), r]);
  return [...byGate]
    .map(([gate, results]) => {
      const label = GATE_LABELS[gate] ?? gate;
      const failed = results.some((r) => !r.passed) ? ' (FAILED)' : '';
      const observed = results.map((r) => r.observed).filter((o): o is number => typeof o === 'number');
      const threshold = results[0]!.threshold;
      if (observed.length !== results.length || !threshold) return `${label}: ${results.map((r) => r.message).join(', ')}${failed}`;
      const [min, max] = [Math.min(...observed), Math.max(...observed)];
      const range = min === max ? fmt(min) : `${fmt(min)}–${fmt(max)}`;
      return `${label} ${range} ${thresholdText(threshold)}${failed}`;
    })
    .join('; ');
}

/** One facet value's bias metrics as Clarify reported them: every metric present, not only the gated DI and DPPL. */
export interface BiasFigures {
  stage: 'pre-training' | 'post-training';
  facet: string;
  value: string;
  /** By metric name (CI, DPL, DI, DPPL, …); null where Clarify wrote null (metric undefined for the data). */
  metrics: Record<string, number | null>;
}

/** The figures the gates held a version against, for the audit record: thresholds, bias metrics and global SHAP. */
export interface GateFigures {
  thresholds: { minAuc: number; minKs: number; disparateImpact: { min: number; max: number }; maxAbsDppl: number };
  bias: BiasFigures[];
  /** Global SHAP values by label, then by feature (as the explainability report holds them). */
  shap: Record<string, Record<string, number>>;
}

function biasFigures(stage: BiasFigures['stage'], bias: ClarifyBias | undefined): BiasFigures[] {
  return Object.entries(bias?.facets ?? {}).flatMap(([facet, groups]) =>
    groups.map((g) => ({ stage, facet, value: g.value_or_threshold, metrics: Object.fromEntries(g.metrics.map((m) => [m.name, m.value])) })),
  );
}

/** The thresholds of the policy and every bias and SHAP figure of the registered reports (empty where absent). */
export function gateFigures(pkg: PackageObservation, policy: Policy): GateFigures {
  const { minAuc, minKs, disparateImpact, maxAbsDppl } = policy.gates;
  const shap = Object.fromEntries(Object.entries(pkg.reports.explainability?.explanations?.kernel_shap ?? {}).map(([label, l]) => [label, l.global_shap_values]));
  return {
    thresholds: { minAuc, minKs, disparateImpact: { min: disparateImpact.min, max: disparateImpact.max }, maxAbsDppl },
    bias: [...biasFigures('pre-training', pkg.reports.bias?.pre_training_bias_metrics), ...biasFigures('post-training', pkg.reports.bias?.post_training_bias_metrics)],
    shap,
  };
}
