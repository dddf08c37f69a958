import type { GateResult, PackageObservation } from '../../../shared/lifecycle/model';
import { evaluateGates, gateFailures, gateSummary } from '../../../shared/lifecycle/gates';
import { DEFAULT_POLICY, type Policy, parsePolicy } from '../../../shared/lifecycle/policy';
import { NOW, aBiasReport, aPackage, aShapReport, anEvaluationReport } from '../../support/lifecycle-fixtures';

type GateCase = [name: string, pkg: PackageObservation, expected: Partial<GateResult>[]];

/** The results of one gate (in report order). */
const resultsOf = (pkg: PackageObservation, gate: string, policy: Policy = DEFAULT_POLICY): GateResult[] =>
  evaluateGates(pkg, policy, NOW).results.filter((r) => r.gate === gate);

const withBias = (facets: Parameters<typeof aBiasReport>[0]): PackageObservation => aPackage(3, { reports: { bias: aBiasReport(facets) } });

describe('Function: evaluateGates', () => {
  it('passes every gate for a package with complete reports, AUC 0.88 and KS 0.41', () => {
    const report = evaluateGates(aPackage(3), DEFAULT_POLICY, NOW);

    expect(report.passed).toBe(true);
    expect(report.evaluatedAt).toBe(NOW);
    expect(report.results.map((r) => r.gate)).toEqual(['auc', 'ks', 'disparate-impact', 'dppl', 'disparate-impact', 'dppl', 'explainability', 'lineage']);
  });

  describe('quality gates (AUC, KS)', () => {
    it.each<[string, PackageObservation, string, Partial<GateResult>]>([
      ['passes AUC 0.88 against the minimum 0.85', aPackage(3), 'auc', { passed: true, observed: 0.88, threshold: '>= 0.85', message: 'AUC 0.88 meets the minimum 0.85' }],
      ['passes AUC exactly at the minimum', aPackage(3, { reports: { evaluation: anEvaluationReport(0.85, 0.41) } }), 'auc', { passed: true, message: 'AUC 0.85 meets the minimum 0.85' }],
      ['fails AUC 0.8412345, rounded in the message', aPackage(3, { reports: { evaluation: anEvaluationReport(0.8412345, 0.41) } }), 'auc', { passed: false, observed: 0.8412345, threshold: '>= 0.85', message: 'AUC 0.8412 is below the minimum 0.85' }],
      ['fails a null AUC as missing', aPackage(3, { reports: { evaluation: anEvaluationReport(null, 0.41) } }), 'auc', { passed: false, threshold: '>= 0.85', message: 'AUC is missing from the evaluation report' }],
      ['fails a NaN AUC as missing', aPackage(3, { reports: { evaluation: anEvaluationReport(Number.NaN, 0.41) } }), 'auc', { passed: false, message: 'AUC is missing from the evaluation report' }],
      ['fails KS 0.15 against the minimum 0.2', aPackage(3, { reports: { evaluation: anEvaluationReport(0.88, 0.15) } }), 'ks', { passed: false, observed: 0.15, threshold: '>= 0.2', message: 'KS 0.15 is below the minimum 0.2' }],
      ['fails an absent KS as missing', aPackage(3, { reports: { evaluation: anEvaluationReport(0.88) } }), 'ks', { passed: false, message: 'KS is missing from the evaluation report' }],
      ['fails a package without an evaluation report', aPackage(3, { reports: { evaluation: undefined } }), 'evaluation-report', { passed: false, message: 'No evaluation report is registered with the version' }],
    ])('%s', (_, pkg, gate, expected) => {
      const [result, ...others] = resultsOf(pkg, gate);

      expect(others).toEqual([]);
      expect(result).toMatchObject(expected);
      if (expected.passed === false && expected.observed === undefined) expect(result).not.toHaveProperty('observed');
    });
  });

  describe('fairness gates (DI, DPPL per protected facet)', () => {
    it.each<GateCase>([
      ['passes DI inside the four-fifths band', withBias({ age_group: [['under_25', 0.93, 0.03]] }), [{ gate: 'disparate-impact', passed: true, observed: 0.93, threshold: '[0.8, 1.25]', message: 'DI for age_group=under_25 is 0.93, inside [0.8, 1.25]' }]],
      ['passes DI exactly at both band edges', withBias({ age_group: [['under_25', 0.8, 0], ['over_60', 1.25, 0]] }), [{ passed: true }, { passed: true }]],
      ['fails DI below the band', withBias({ age_group: [['under_25', 0.78, 0.03]] }), [{ passed: false, observed: 0.78, message: 'DI for age_group=under_25 is 0.78, outside [0.8, 1.25]' }]],
      ['fails DI above the band', withBias({ age_group: [['over_60', 1.31, 0.03]] }), [{ passed: false, message: 'DI for age_group=over_60 is 1.31, outside [0.8, 1.25]' }]],
      ['fails a null DI as missing', withBias({ age_group: [['under_25', null, 0.03]] }), [{ passed: false, threshold: '[0.8, 1.25]', message: 'DI for age_group=under_25 is missing or not finite' }]],
      ['fails an infinite DI as not finite', withBias({ age_group: [['under_25', Number.POSITIVE_INFINITY, 0.03]] }), [{ passed: false, message: 'DI for age_group=under_25 is missing or not finite' }]],
    ])('%s', (_, pkg, expected) => {
      expect(resultsOf(pkg, 'disparate-impact')).toEqual(expected.map((e) => expect.objectContaining(e)));
    });

    it.each<GateCase>([
      ['passes |DPPL| within the limit', withBias({ age_group: [['over_60', 1.05, -0.02]] }), [{ passed: true, observed: -0.02, threshold: '|DPPL| <= 0.1', message: 'DPPL for age_group=over_60 is -0.02, within ±0.1' }]],
      ['fails a positive DPPL beyond the limit', withBias({ age_group: [['under_25', 0.93, 0.14]] }), [{ passed: false, observed: 0.14, message: 'DPPL for age_group=under_25 is 0.14, beyond ±0.1' }]],
      ['fails a negative DPPL beyond the limit', withBias({ age_group: [['under_25', 0.93, -0.12]] }), [{ passed: false, message: 'DPPL for age_group=under_25 is -0.12, beyond ±0.1' }]],
      ['fails a null DPPL as missing', withBias({ age_group: [['under_25', 0.93, null]] }), [{ passed: false, threshold: '|DPPL| <= 0.1', message: 'DPPL for age_group=under_25 is missing or not finite' }]],
    ])('%s', (_, pkg, expected) => {
      expect(resultsOf(pkg, 'dppl')).toEqual(expected.map((e) => expect.objectContaining(e)));
    });

    it('fails DI and DPPL as missing when the facet group lists neither metric', () => {
      const bias = { post_training_bias_metrics: { facets: { age_group: [{ value_or_threshold: 'under_25', metrics: [{ name: 'AD', value: 0.01 }] }] } } };

      const report = evaluateGates(aPackage(3, { reports: { bias } }), DEFAULT_POLICY, NOW);

      expect(gateFailures(report)).toEqual(['DI for age_group=under_25 is missing or not finite', 'DPPL for age_group=under_25 is missing or not finite']);
    });

    it.each<[string, PackageObservation, Policy, string]>([
      ['no bias report is registered', aPackage(3, { reports: { bias: undefined } }), DEFAULT_POLICY, 'No post-training bias report is registered with the version'],
      ['the Clarify analysis has only pre-training metrics', aPackage(3, { reports: { bias: { pre_training_bias_metrics: { facets: {} } } } }), DEFAULT_POLICY, 'No post-training bias report is registered with the version'],
      ['the bias report holds no facet', withBias({}), DEFAULT_POLICY, 'The bias report holds no facet'],
      ['a protected facet is missing from the report', aPackage(3), parsePolicy({ gates: { protectedFacets: ['age_group', 'gender'] } }), 'Protected facet gender is missing from the bias report'],
      ['a protected facet has no group in the report', withBias({ age_group: [['under_25', 0.93, 0.03]], gender: [] }), parsePolicy({ gates: { protectedFacets: ['gender'] } }), 'Protected facet gender is missing from the bias report'],
    ])('fails the bias-report gate when %s', (_, pkg, policy, message) => {
      expect(resultsOf(pkg, 'bias-report', policy)).toEqual([{ gate: 'bias-report', passed: false, message }]);
      expect(evaluateGates(pkg, policy, NOW).passed).toBe(false);
    });

    it('checks only the protected facets when the policy names them', () => {
      const pkg = withBias({ age_group: [['under_25', 0.93, 0.03]], postcode_region: [['north', 0.61, 0.2]] });

      const report = evaluateGates(pkg, parsePolicy({ gates: { protectedFacets: ['age_group'] } }), NOW);

      expect(report.passed).toBe(true);
      expect(report.results.some((r) => r.message.includes('postcode_region'))).toBe(false);
    });

    it('checks every facet of the report when no facet is named', () => {
      const pkg = withBias({ age_group: [['under_25', 0.93, 0.03]], postcode_region: [['north', 0.61, 0.02]] });

      expect(gateFailures(evaluateGates(pkg, DEFAULT_POLICY, NOW))).toEqual(['DI for postcode_region=north is 0.61, outside [0.8, 1.25]']);
    });

    it('holds DI and DPPL against an overridden band and limit', () => {
      const policy = parsePolicy({ gates: { disparateImpact: { min: 0.9, max: 1.1 }, maxAbsDppl: 0.02 } });

      expect(gateFailures(evaluateGates(aPackage(3), policy, NOW))).toEqual(['DPPL for age_group=under_25 is 0.03, beyond ±0.02']);
    });
  });

  describe('explainability and lineage gates', () => {
    it.each<GateCase>([
      ['passes with global SHAP values, counting the features', aPackage(3), [{ passed: true, observed: 4, message: 'Global SHAP values for 4 feature(s)' }]],
      ['fails without an explainability report', aPackage(3, { reports: { explainability: undefined } }), [{ passed: false, message: 'No global SHAP values are registered with the version' }]],
      ['fails a report whose SHAP block is empty', aPackage(3, { reports: { explainability: aShapReport({}) } }), [{ passed: false }]],
      ['fails a Clarify analysis without explanations', aPackage(3, { reports: { explainability: { version: '1.0' } } }), [{ passed: false }]],
    ])('%s', (_, pkg, expected) => {
      expect(resultsOf(pkg, 'explainability')).toEqual(expected.map((e) => expect.objectContaining(e)));
    });

    it.each<GateCase>([
      [
        'passes complete lineage, naming data, hash and commit',
        aPackage(3),
        [{ passed: true, message: 'Trained on s3://creditai-data/training/2026-10/train.csv (sha256:9b74c9897bac770ffc029102a200c5de6d0d1c2e2e1b2bb9c4fb5d1a0b5f3e21) at commit 4f1c2a9e7d3b5c6a8e0f1d2c3b4a59687766554e' }],
      ],
      ['fails a training data URI that is not on S3', aPackage(3, { lineage: { trainingDataUri: 'file:///home/ds/train.csv' } }), [{ passed: false, message: 'Lineage incomplete: missing training data URI' }]],
      [
        'fails lineage with nothing recorded, listing every missing item',
        aPackage(3, { lineage: { trainingDataUri: undefined, trainingDataHash: undefined, commitId: undefined, hyperparameters: {} } }),
        [{ passed: false, message: 'Lineage incomplete: missing training data URI, training data hash, code commit, hyperparameters' }],
      ],
    ])('%s', (_, pkg, expected) => {
      expect(resultsOf(pkg, 'lineage')).toEqual(expected.map((e) => expect.objectContaining(e)));
    });

    it('skips explainability and lineage when the policy switches them off', () => {
      const bare = aPackage(3, { reports: { explainability: undefined }, lineage: { commitId: undefined } });

      const report = evaluateGates(bare, parsePolicy({ gates: { requireExplainability: false, requireLineage: false } }), NOW);

      expect(report.passed).toBe(true);
      expect(report.results.map((r) => r.gate)).not.toEqual(expect.arrayContaining(['explainability']));
      expect(report.results.map((r) => r.gate)).not.toEqual(expect.arrayContaining(['lineage']));
    });
  });
});

describe('Function: gateFailures', () => {
  it('lists the message of every failed gate, in gate order', () => {
    const pkg = aPackage(3, { reports: { evaluation: anEvaluationReport(0.79, 0.41), bias: aBiasReport({ age_group: [['under_25', 0.71, 0.03]] }) } });

    expect(gateFailures(evaluateGates(pkg, DEFAULT_POLICY, NOW))).toEqual(['AUC 0.79 is below the minimum 0.85', 'DI for age_group=under_25 is 0.71, outside [0.8, 1.25]']);
  });

  it('lists nothing when every gate passed', () => {
    expect(gateFailures(evaluateGates(aPackage(3), DEFAULT_POLICY, NOW))).toEqual([]);
  });
});

describe('Function: gateSummary', () => {
  it('sums the gates up in one line: figures against thresholds, facets folded into a range', () => {
    const summary = gateSummary(evaluateGates(aPackage(3), DEFAULT_POLICY, NOW));

    expect(summary.split('; ').slice(0, 4)).toEqual(['AUC 0.88 ≥ 0.85', 'KS 0.41 ≥ 0.2', 'DI 0.93–1.05 in [0.8, 1.25]', 'DPPL -0.02–0.03 (|DPPL| <= 0.1)']);
    expect(summary).toContain('explainability: Global SHAP values for 4 feature(s)');
    expect(summary).toContain('lineage: Trained on s3://creditai-data/training/2026-10/train.csv');
  });

  it('marks a failed gate, and quotes the messages of gates without a figure', () => {
    const pkg = aPackage(3, { reports: { evaluation: anEvaluationReport(0.79, null), bias: aBiasReport({ age_group: [['under_25', 0.71, 0.03]] }) } });

    expect(gateSummary(evaluateGates(pkg, DEFAULT_POLICY, NOW)).split('; ').slice(0, 3)).toEqual([
      'AUC 0.79 ≥ 0.85 (FAILED)',
      'KS: KS is missing from the evaluation report (FAILED)',
      'DI 0.71 in [0.8, 1.25] (FAILED)',
    ]);
  });

  it('is empty for a report without results', () => {
    expect(gateSummary({ passed: true, results: [], evaluatedAt: NOW })).toBe('');
  });
});
