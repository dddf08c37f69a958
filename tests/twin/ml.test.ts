/**
 * The twin's training: seeded synthetic applications, a logistic regression trained on them, and the reports the
 * pipeline registers, computed from the data and readable by the control plane's contracts.
 */
import { explainerSchema } from '../../shared/contracts/explainer';
import { clarifyAnalysisSchema, evaluationReportSchema } from '../../shared/contracts/reports';
import { auc } from '../../shared/judge/discrimination';
import { applicationsToCsvText, DataError, parseApplications } from '../../scripts/twin/ml/dataset';
import { solveSpd } from '../../scripts/twin/ml/linear-algebra';
import { hyperparametersOf, logOdds, parseModelArtifact, scoreRows } from '../../scripts/twin/ml/logistic';
import { encodeNumeric } from '../../scripts/twin/ml/prepare';
import { MODEL_SCHEMA, PROTECTED_VALUES } from '../../scripts/twin/ml/schema';
import { rowShap } from '../../scripts/twin/ml/shap';
import { syntheticApplications, type SyntheticApplication } from '../../scripts/twin/ml/synthetic';
import { runTraining, type TrainingRun } from '../../scripts/twin/ml/training-run';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const column = (rows: SyntheticApplication[], name: string) => rows.map((r) => Number(r[name]));

/** AUC of a model on applications it never saw. */
function freshAuc(run: TrainingRun, fresh: SyntheticApplication[]): number {
  return auc(scoreRows(run.model, fresh.map((a) => encodeNumeric(a))), fresh.map((a) => a.default_90d));
}

describe('Twin ML: synthetic applications', () => {
  const base = syntheticApplications({ seed: 7 });

  it('draws the same rows for the same seed and other rows for another', () => {
    expect(syntheticApplications({ seed: 7, rows: 50 })).toEqual(base.slice(0, 50));
    expect(syntheticApplications({ seed: 8, rows: 50 })).not.toEqual(base.slice(0, 50));
  });

  it('has the pipeline columns, a default rate near 10 % and every age group', () => {
    expect(base).toHaveLength(6000);
    expect(Object.keys(base[0]!)).toEqual(['application_id', ...MODEL_SCHEMA.numeric, 'home_ownership', 'purpose', 'age_group', 'default_90d']);
    const rate = mean(column(base, 'default_90d'));
    expect(rate).toBeGreaterThan(0.07);
    expect(rate).toBeLessThan(0.13);
    for (const group of PROTECTED_VALUES) expect(base.filter((a) => a.age_group === group).length).toBeGreaterThan(90);
    expect(base.every((a) => Number(a.employment_years) <= Number(a.age) - 17.5 + 0.05)).toBe(true);
  });

  it('moves the income centre from 450,000 to 520,000 when asked', () => {
    const drifted = syntheticApplications({ seed: 7, incomeMean: 520_000 });

    const ratio = median(column(drifted, 'annual_income')) / median(column(base, 'annual_income'));

    expect(ratio).toBeGreaterThan(1.1);
    expect(ratio).toBeLessThan(1.2);
    expect(median(column(base, 'annual_income'))).toBeGreaterThan(400_000);
    expect(median(column(base, 'annual_income'))).toBeLessThan(520_000);
  });

  it('makes employment years bimodal when asked: a second population around 24 years', () => {
    const bimodal = syntheticApplications({ seed: 7, employmentBimodal: true });
    const share = (rows: SyntheticApplication[], lo: number, hi: number) => column(rows, 'employment_years').filter((y) => y >= lo && y < hi).length / rows.length;

    // Unimodal Gamma(2, 4): few long tenures. Bimodal: a mode at 0–8 years, a dip at 12–16, a second mode at 20–28.
    expect(share(base, 20, 28)).toBeLessThan(0.05);
    expect(share(bimodal, 20, 28)).toBeGreaterThan(0.2);
    expect(share(bimodal, 12, 16)).toBeLessThan(share(bimodal, 20, 24));
    expect(share(bimodal, 12, 16)).toBeLessThan(share(bimodal, 0, 4));
  });

  it('round-trips through CSV and refuses data Prep would refuse', () => {
    const rows = base.slice(0, 3);
    const parsed = parseApplications(applicationsToCsvText(rows));

    expect(parsed.map((p) => p.label)).toEqual(rows.map((r) => r.default_90d));
    expect(parsed[0]!.features.purpose).toBe(rows[0]!.purpose);
    expect(() => parseApplications('annual_income,age\n1,2\n')).toThrow(DataError);
    expect(() => parseApplications(applicationsToCsvText(rows).replace(rows[1]!.purpose as string, 'yacht'))).toThrow('line 3: purpose "yacht"');
  });
});

describe('Twin ML: the trained model and its reports', () => {
  const applications = syntheticApplications({ seed: 7 });
  const csv = applicationsToCsvText(applications);
  const run = runTraining(csv);
  const fresh = syntheticApplications({ seed: 99, rows: 4000 });

  it('solves the Newton system exactly (Cholesky)', () => {
    expect(solveSpd([[4, 2], [2, 3]], [2, 1])).toEqual([0.5, 0]);
    expect(() => solveSpd([[1, 2], [2, 1]], [1, 1])).toThrow('not positive definite');
  });

  it('converges and learns the true risk directions', () => {
    const coefficient = (name: string) => run.model.coefficients[MODEL_SCHEMA.features.indexOf(name)]!;

    expect(run.model.training.converged).toBe(true);
    expect(run.model.training.rows).toBe(run.data.train.rows.length);
    expect(coefficient('debt_to_income')).toBeGreaterThan(0);
    expect(coefficient('delinquencies')).toBeGreaterThan(0);
    expect(coefficient('annual_income')).toBeLessThan(0);
    expect(coefficient('employment_years')).toBeLessThan(0);
    expect(coefficient('home_ownership_rent')).toBeGreaterThan(coefficient('home_ownership_own'));
  });

  it('scores AUC above 0.85 on the held-out test set and on fresh applications', () => {
    const metrics = run.evaluation.binary_classification_metrics;

    expect(metrics.auc.value).toBeGreaterThan(0.85);
    expect(metrics.auc.value).toBeCloseTo(auc(scoreRows(run.model, run.data.test.rows), run.data.test.labels), 12);
    expect(metrics.ks.value).toBeGreaterThan(0.4);
    expect(metrics.auc.standard_deviation).toBeGreaterThan(0.005);
    expect(metrics.auc.standard_deviation).toBeLessThan(0.05);
    const matrix = metrics.confusion_matrix;
    expect(matrix['0']['0'] + matrix['0']['1'] + matrix['1']['0'] + matrix['1']['1']).toBe(run.data.test.rows.length);
    expect(freshAuc(run, fresh)).toBeGreaterThan(0.85);
  });

  it('is deterministic: the same data trains the same model and the same reports', () => {
    const again = runTraining(csv);

    expect(again.model).toEqual(run.model);
    expect(again.evaluation).toEqual(run.evaluation);
    expect(again.analysis).toEqual(run.analysis);
  });

  it('writes reports and an explainer that the control plane parses', () => {
    const evaluation = evaluationReportSchema.parse(JSON.parse(JSON.stringify(run.evaluation)));
    const analysis = clarifyAnalysisSchema.parse(JSON.parse(JSON.stringify(run.analysis)));
    const explainer = explainerSchema.parse(JSON.parse(JSON.stringify(run.explainer)));

    expect(evaluation.binary_classification_metrics.auc.value).toBe(run.evaluation.binary_classification_metrics.auc.value);
    const post = analysis.post_training_bias_metrics!.facets.age_group!;
    expect(post.map((f) => f.value_or_threshold)).toEqual([...PROTECTED_VALUES]);
    // DI first: the pipeline's Gate reads metrics[0].
    expect(post.map((f) => f.metrics.map((m) => m.name))).toEqual(PROTECTED_VALUES.map(() => ['DI', 'DPPL']));
    expect(analysis.pre_training_bias_metrics!.facets.age_group!.map((f) => f.metrics.map((m) => m.name))).toEqual(PROTECTED_VALUES.map(() => ['CI', 'DPL']));
    expect(explainer.coefficients).toEqual(run.model.coefficients);
    expect(explainer.fidelity).toEqual({ r2: 1, rows: run.data.train.rows.length });
    expect(parseModelArtifact(new TextEncoder().encode(JSON.stringify(run.model)))).toEqual(run.model);
  });

  it('measures fairness per age group from the data: a fair model is inside the policy bands', () => {
    for (const facet of run.analysis.post_training_bias_metrics.facets.age_group!) {
      const [di, dppl] = facet.metrics.map((m) => m.value!);
      expect(di).toBeGreaterThan(0.8);
      expect(di).toBeLessThan(1.25);
      expect(Math.abs(dppl!)).toBeLessThan(0.1);
    }
  });

  it('finds the disparate impact when the 18–25 group is really more indebted', () => {
    const stressed = runTraining(applicationsToCsvText(syntheticApplications({ seed: 7, youngApplicantStress: 0.5 })));

    const young = stressed.analysis.post_training_bias_metrics.facets.age_group!.find((f) => f.value_or_threshold === '18-25')!;

    expect(young.metrics[0]!.value).toBeLessThan(0.8);
  });

  it('ranks the informative features first by mean |SHAP|, and SHAP adds up to the log-odds', () => {
    const shap = run.analysis.explanations.kernel_shap.label0;
    const ranked = Object.entries(shap.global_shap_values).sort((a, b) => b[1] - a[1]).map(([name]) => name);

    expect(Object.keys(shap.global_shap_values).sort()).toEqual([...MODEL_SCHEMA.numeric, 'home_ownership', 'purpose'].sort());
    expect(new Set(ranked.slice(0, 3))).toEqual(new Set(['annual_income', 'debt_to_income', 'delinquencies']));
    expect(ranked.indexOf('age')).toBeGreaterThan(3);
    const row = run.data.test.rows[0]!;
    const phi = rowShap(run.model, run.explainer.baseline, row);
    expect(Object.values(phi).reduce((s, v) => s + v, 0)).toBeCloseTo(logOdds(run.model, [row])[0]! - shap.expected_value, 10);
  });

  it('trains a really weaker model when the code drops informative features or learns from noisier labels', () => {
    const dropped = runTraining(csv, { dropFeatures: ['delinquencies', 'debt_to_income'] });
    const noisy = runTraining(csv, { labelNoise: 0.2 });

    expect(dropped.evaluation.binary_classification_metrics.auc.value).toBeLessThan(0.85);
    expect(dropped.model.coefficients[MODEL_SCHEMA.features.indexOf('delinquencies')]).toBe(0);
    expect(freshAuc(dropped, fresh)).toBeLessThan(freshAuc(run, fresh) - 0.1);
    expect(freshAuc(noisy, fresh)).toBeLessThan(freshAuc(run, fresh) - 0.02);
    expect(hyperparametersOf({ dropFeatures: ['delinquencies', 'debt_to_income'] })).toMatchObject({ dropped_features: 'delinquencies debt_to_income', l2: '1' });
  });
});
