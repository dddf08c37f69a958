/**
 * Clarify's `analysis.json` (aws-facts §3.2) for the pipeline's Clarify step: pre-training CI and DPL,
 * post-training DI and DPPL for each age group against the rest (DI first: the pipeline's Gate reads `metrics[0]`),
 * and global SHAP values. The label value of interest is 0 ("no default", the favourable outcome, as
 * pipeline/steps/analysis_config.json says), so DI compares approval rates; a score above the decision threshold
 * predicts a default. One file holds both, as the real Clarify step writes it and the Register step points both
 * ModelMetrics.Bias and ModelMetrics.Explainability at it.
 */
import { facetBias, type FacetBias } from '../../../shared/judge/fairness';
import type { GlobalShap } from './shap';

const DESCRIPTIONS: Record<string, string> = {
  CI: 'Class Imbalance (CI)',
  DPL: 'Difference in Positive Proportions in Labels (DPL)',
  DI: 'Disparate Impact (DI)',
  DPPL: 'Difference in Positive Proportions in Predicted Labels (DPPL)',
};

/** What the Clarify step is given: the test rows' labels, scores and protected-attribute values. */
export interface ClarifyInput {
  label: string;
  facet: string;
  facetValues: readonly string[];
  labels: readonly number[];
  scores: readonly number[];
  facets: readonly string[];
  threshold: number;
  shap: GlobalShap;
}

type MetricName = 'CI' | 'DPL' | 'DI' | 'DPPL';

function block(label: string, facet: string, bias: FacetBias[], names: readonly MetricName[]) {
  return {
    label,
    label_value_or_threshold: '0',
    facets: {
      [facet]: bias.map((b) => ({
        value_or_threshold: b.value,
        metrics: names.map((name) => ({ name, description: DESCRIPTIONS[name]!, value: b[name] })),
      })),
    },
  };
}

/** The analysis.json of the Clarify step. */
export function clarifyAnalysis(input: ClarifyInput) {
  const favourableLabel = input.labels.map((l) => l === 0);
  const approved = input.scores.map((s) => !(s > input.threshold));
  const bias = facetBias(input.facets, input.facetValues, favourableLabel, approved);
  return {
    version: '1.0',
    pre_training_bias_metrics: block(input.label, input.facet, bias, ['CI', 'DPL']),
    post_training_bias_metrics: block(input.label, input.facet, bias, ['DI', 'DPPL']),
    explanations: {
      kernel_shap: {
        label0: { global_shap_values: input.shap.globalShapValues, expected_value: input.shap.expectedValue },
      },
    },
  };
}

export type ClarifyAnalysisJson = ReturnType<typeof clarifyAnalysis>;
