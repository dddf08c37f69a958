/**
 * constraint_violations.json of each monitor type read as drift features: the figures come from the descriptions
 * (as the AWS guide prints them, and as our own drift check writes them); checks that are not drift are counted,
 * and drift whose figures cannot be read is named, never given invented figures.
 */
import { constraintViolationsFileSchema, driftFromViolations, type MonitoringViolation } from '../../../shared/ingress/monitoring-violations';
import { DEFAULT_DRIFT_THRESHOLDS } from '../../../shared/judge/drift';
import { constraintViolations } from '../../../shared/judge/drift/violations';
import type { FeatureDrift } from '../../../shared/lifecycle/drift-triage';

describe('Function: driftFromViolations', () => {
  it.each<[string, MonitoringViolation, FeatureDrift]>([
    [
      'data quality, numerical (the guide\'s wording)',
      { feature_name: 'annual_income', constraint_check_type: 'baseline_drift_check', description: 'Numerical distance: 0.2711598746081505 exceeds numerical threshold: 0.1' },
      { feature: 'annual_income', method: 'linf', distance: 0.27116, threshold: 0.1 },
    ],
    [
      'data quality, categorical',
      { feature_name: 'housing', constraint_check_type: 'baseline_drift_check', description: 'Categorical distance: 0.35 exceeds categorical threshold: 0.2' },
      { feature: 'housing', method: 'linf', distance: 0.35, threshold: 0.2 },
    ],
    [
      'data quality, a zero threshold',
      { feature_name: 'review_body', constraint_check_type: 'baseline_drift_check', description: 'Numerical distance: 0.2711598746081505 exceeds\n    numerical threshold: 0' },
      { feature: 'review_body', method: 'linf', distance: 0.27116, threshold: 0 },
    ],
    [
      'our own drift check, which names its method',
      { feature_name: 'employment_years', constraint_check_type: 'baseline_drift_check', description: 'Baseline drift distance: 0.3125 exceeds threshold: 0.2 (linf_robust).' },
      { feature: 'employment_years', method: 'linf_robust', distance: 0.3125, threshold: 0.2 },
    ],
    [
      'bias drift of a difference metric (distance from parity 0)',
      { facet: 'Age', facet_value: '40', metric_name: 'DPPL', constraint_check_type: 'bias_drift_check', description: 'Value -0.0791244970125596 does not meet the constraint requirement' },
      { feature: 'bias:DPPL[Age=40]', method: 'bias-clarify-DPPL', distance: 0.0791245, threshold: 0 },
    ],
    [
      'bias drift of disparate impact (distance from parity 1), with the baseline value in the description',
      { facet: 'age_group', facet_value: 'under_25', metric_name: 'DI', constraint_check_type: 'bias_drift_check', description: 'Value 0.74 does not meet the constraint requirement of baseline value 0.91' },
      { feature: 'bias:DI[age_group=under_25]', method: 'bias-clarify-DI', distance: 0.26, threshold: 0.09 },
    ],
    [
      'bias drift with a numeric facet value',
      { facet: 'age', facet_value: 40, metric_name: 'CI', constraint_check_type: 'bias_drift_check', description: 'Value 0.0751544567666083 does not meet the constraint requirement' },
      { feature: 'bias:CI[age=40]', method: 'bias-clarify-CI', distance: 0.0751545, threshold: 0 },
    ],
    [
      'feature attribution drift (1 − nDCG against 1 − 0.9)',
      { label: 'label0', metric_name: 'shap', constraint_check_type: 'feature_attribution_drift_check', description: 'Feature attribution drift 0.7639720923277322 exceeds threshold 0.9' },
      { feature: 'attribution:shap[label0]', method: 'attribution-ndcg', distance: 0.236028, threshold: 0.1 },
    ],
  ])('maps %s', (_case, violation, expected) => {
    // Act
    const drift = driftFromViolations([violation]);

    // Assess
    expect(drift).toEqual({ features: [expected], unreadable: [], otherChecks: {} });
  });

  it('counts the checks that are not drift and keeps them out of the features', () => {
    // Prepare
    const violations: MonitoringViolation[] = [
      { feature_name: 'income', constraint_check_type: 'completeness_check', description: 'Data completeness 0.8 is below the baseline 0.99' },
      { feature_name: 'income', constraint_check_type: 'data_type_check', description: 'Data type mismatch' },
      { feature_name: 'age', constraint_check_type: 'completeness_check', description: 'Data completeness 0.9' },
      { metric_name: 'f1', constraint_check_type: 'LessThanThreshold', description: 'Metric f1 with 0.61 was LessThanThreshold 0.73' },
    ];

    // Act
    const drift = driftFromViolations(violations);

    // Assess
    expect(drift).toEqual({ features: [], unreadable: [], otherChecks: { completeness_check: 2, data_type_check: 1, LessThanThreshold: 1 } });
  });

  it.each<[string, MonitoringViolation]>([
    ['a drift check without figures', { feature_name: 'income', constraint_check_type: 'baseline_drift_check', description: 'Drift detected' }],
    ['a drift check without a feature name', { constraint_check_type: 'baseline_drift_check', description: 'Numerical distance: 0.3 exceeds numerical threshold: 0.1' }],
    ['a bias violation without a value', { facet: 'Age', metric_name: 'DI', constraint_check_type: 'bias_drift_check', description: 'does not meet the constraint requirement' }],
    ['an attribution violation without its threshold', { label: 'label0', constraint_check_type: 'feature_attribution_drift_check', description: 'Feature attribution drift 0.7' }],
  ])('names %s as unreadable instead of inventing figures', (_case, violation) => {
    // Act
    const drift = driftFromViolations([violation]);

    // Assess
    expect(drift.features).toEqual([]);
    expect(drift.unreadable).toEqual([`${violation.constraint_check_type}: ${violation.description}`]);
  });

  it('keeps one feature per name, the farthest, in first-seen order', () => {
    // Prepare
    const dq = (feature: string, distance: number): MonitoringViolation => ({
      feature_name: feature,
      constraint_check_type: 'baseline_drift_check',
      description: `Numerical distance: ${distance} exceeds numerical threshold: 0.1`,
    });

    // Act
    const drift = driftFromViolations([dq('income', 0.2), dq('age', 0.4), dq('income', 0.5), dq('income', 0.3)]);

    // Assess
    expect(drift.features.map((f) => [f.feature, f.distance])).toEqual([
      ['income', 0.5],
      ['age', 0.4],
    ]);
  });

  it('reads back exactly the figures our own drift check writes', () => {
    // Prepare: the writer's output for two drifted features and one that is only incomplete.
    const written = constraintViolations(
      [
        { feature: 'annual_income', method: 'linf_simple', distance: 0.4213, threshold: 0.2, drifted: true, counts: { window: 900, baseline: 1000 }, missingRate: { window: 0, baseline: 0 } },
        { feature: 'employment_years', method: 'linf_simple', distance: 0.25, threshold: 0.2, drifted: true, counts: { window: 900, baseline: 1000 }, missingRate: { window: 0, baseline: 0 } },
        { feature: 'age', method: 'linf_simple', distance: 0.01, threshold: 0.2, drifted: false, counts: { window: 900, baseline: 1000 }, missingRate: { window: 0.3, baseline: 0 } },
      ] as never,
      DEFAULT_DRIFT_THRESHOLDS,
    );

    // Act
    const drift = driftFromViolations(constraintViolationsFileSchema.parse(written).violations);

    // Assess
    expect(drift).toEqual({
      features: [
        { feature: 'annual_income', method: 'linf_simple', distance: 0.4213, threshold: 0.2 },
        { feature: 'employment_years', method: 'linf_simple', distance: 0.25, threshold: 0.2 },
      ],
      unreadable: [],
      otherChecks: { completeness_check: 1 },
    });
  });
});

describe('Contract: constraintViolationsFileSchema', () => {
  it.each([
    ['data quality (no version)', { violations: [{ feature_name: 'a', constraint_check_type: 'baseline_drift_check', description: 'x' }] }],
    ['Clarify (version "1.0")', { version: '1.0', violations: [{ facet: 'Age', facet_value: '40', metric_name: 'CI', constraint_check_type: 'bias_drift_check', description: 'x' }] }],
    ['an empty run', { violations: [] }],
  ])('accepts %s', (_case, file) => {
    expect(constraintViolationsFileSchema.safeParse(file).success).toBe(true);
  });

  it.each([
    ['no violations array', { version: '1.0' }],
    ['a violation without its check type', { violations: [{ feature_name: 'a', description: 'x' }] }],
    ['a statistics.json', { version: 0, dataset: { item_count: 10 }, features: [] }],
  ])('refuses %s', (_case, file) => {
    expect(constraintViolationsFileSchema.safeParse(file).success).toBe(false);
  });
});
