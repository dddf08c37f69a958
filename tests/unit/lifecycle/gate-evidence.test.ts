/**
 * What ModelGated carries for the audit record (issue 5): the thresholds, every bias and SHAP figure of the reports,
 * the version's lineage and the reports the gates read with the SHA-256 of their bytes.
 */
import { gateFigures } from '../../../shared/lifecycle/gates';
import type { PackageObservation } from '../../../shared/lifecycle/model';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/lifecycle/policy';
import { aBiasReport, aPackage, aSnapshot, aShapReport, decideChecked, eventsOfType } from '../../support/lifecycle-fixtures';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

/** A Clarify analysis with both bias blocks, as a combined pre- and post-training job writes it. */
const combinedBias: PackageObservation['reports']['bias'] = {
  pre_training_bias_metrics: {
    facets: { age_group: [{ value_or_threshold: 'under_25', metrics: [{ name: 'CI', value: 0.62 }, { name: 'DPL', value: 0.031 }, { name: 'KL', value: null }] }] },
  },
  post_training_bias_metrics: aBiasReport({ age_group: [['under_25', 0.93, 0.03]] }).post_training_bias_metrics,
};

describe('Function: gateFigures', () => {
  it('lists pre- then post-training metrics per facet value with every metric present, null kept', () => {
    const figures = gateFigures(aPackage(3, { reports: { bias: combinedBias } }), DEFAULT_POLICY);

    expect(figures.bias).toEqual([
      { stage: 'pre-training', facet: 'age_group', value: 'under_25', metrics: { CI: 0.62, DPL: 0.031, KL: null } },
      { stage: 'post-training', facet: 'age_group', value: 'under_25', metrics: { DI: 0.93, DPPL: 0.03 } },
    ]);
  });

  it('carries the policy thresholds the gates applied', () => {
    const policy = parsePolicy({ gates: { minAuc: 0.9, minKs: 0.3, disparateImpact: { min: 0.85, max: 1.2 }, maxAbsDppl: 0.05 } });

    expect(gateFigures(aPackage(3), policy).thresholds).toEqual({ minAuc: 0.9, minKs: 0.3, disparateImpact: { min: 0.85, max: 1.2 }, maxAbsDppl: 0.05 });
  });

  it('carries the global SHAP values by label and feature', () => {
    const figures = gateFigures(aPackage(3, { reports: { explainability: aShapReport({ debt_to_income: 0.21, annual_income: 0.06 }) } }), DEFAULT_POLICY);

    expect(figures.shap).toEqual({ label0: { debt_to_income: 0.21, annual_income: 0.06 } });
  });

  it('is empty, not missing, where no report was registered', () => {
    const figures = gateFigures(aPackage(3, { reports: { bias: undefined, explainability: undefined } }), DEFAULT_POLICY);

    expect(figures.bias).toEqual([]);
    expect(figures.shap).toEqual({});
  });
});

describe('Function: decide (ModelGated evidence)', () => {
  it('emits lineage, the hashed reports in evaluation-bias-explainability order and the figures', () => {
    const pkg = aPackage(1, {
      evidence: { explainability: { uri: 's3://r/v1/shap.json', sha256: HASH_B }, evaluation: { uri: 's3://r/v1/evaluation.json', sha256: HASH_A } },
      lineage: { imageDigests: ['sha256:' + 'c'.repeat(64)] },
    });

    const [gated] = eventsOfType(decideChecked(aSnapshot({ packages: [pkg] })), 'ModelGated');

    expect(gated!.evidence).toEqual([
      { report: 'evaluation', uri: 's3://r/v1/evaluation.json', sha256: HASH_A },
      { report: 'explainability', uri: 's3://r/v1/shap.json', sha256: HASH_B },
    ]);
    expect(gated!.lineage).toEqual({ ...pkg.lineage });
    expect(gated!.figures).toEqual(gateFigures(pkg, DEFAULT_POLICY));
  });

  it('leaves absent lineage fields out and an unread report out of the evidence', () => {
    const pkg = aPackage(1, { lineage: { pipelineExecutionArn: undefined, commitId: undefined } });

    const [gated] = eventsOfType(decideChecked(aSnapshot({ packages: [pkg] })), 'ModelGated');

    expect(gated!.evidence).toEqual([]);
    expect(Object.keys(gated!.lineage!).sort()).toEqual(['hyperparameters', 'trainingDataHash', 'trainingDataUri']);
  });
});
