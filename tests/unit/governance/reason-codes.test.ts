/**
 * Reason codes by tables of hand-computed contributions, plus the SHAP identity (Σ φ = log-odds − baseline
 * log-odds) as a property over random applications.
 *
 * The explainer below: intercept −2; columns debt_to_income (β 3, mean 0.3), annual_income (β −2e−6, mean 400000),
 * purpose_car (β 0.2, mean 0.6), purpose_medical (β 0.5, mean 0.4).
 */
import fc from 'fast-check';
import type { Explainer } from '../../../shared/contracts/explainer';
import { REASON_STATEMENTS, ReasonCodeError, reasonCodes } from '../../../shared/governance/reason-codes';
import modelInput from '../../../pipeline/steps/config.json';

const EXPLAINER: Explainer = {
  kind: 'linear-logit',
  features: ['debt_to_income', 'annual_income', 'purpose_car', 'purpose_medical'],
  intercept: -2,
  coefficients: [3, -0.000002, 0.2, 0.5],
  baseline: [0.3, 400000, 0.6, 0.4],
  schema: { numeric: ['debt_to_income', 'annual_income'], categorical: { purpose: ['car', 'medical'] } },
  fidelity: { r2: 0.97, rows: 5000 },
  label: 'default_90d',
};

const risky = { debt_to_income: 0.5, annual_income: 200000, purpose: 'medical', age_group: '18-25' };
const safe = { debt_to_income: 0.1, annual_income: 600000, purpose: 'car' };

describe('Function: reasonCodes', () => {
  it('computes φ per feature, one-hot columns summed: 3×0.2, −2e−6×(−200000), 0.2×(0−0.6)+0.5×(1−0.4)', () => {
    const result = reasonCodes(EXPLAINER, risky);

    expect(result.contributions.map((c) => c.feature)).toEqual(['debt_to_income', 'annual_income', 'purpose']);
    const [dti, income, purpose] = result.contributions;
    expect(dti!.contribution).toBeCloseTo(0.6, 12);
    expect(income!.contribution).toBeCloseTo(0.4, 12);
    expect(purpose!.contribution).toBeCloseTo(0.18, 12);
    // log-odds −2 + 1.5 − 0.4 + 0.5 = −0.4; baseline −2 + 0.9 − 0.8 + 0.12 + 0.2 = −1.58
    expect(result.logOdds).toBeCloseTo(-0.4, 12);
    expect(result.baselineLogOdds).toBeCloseTo(-1.58, 12);
    expect(result.score).toBeCloseTo(1 / (1 + Math.exp(0.4)), 12);
    expect(result).toMatchObject({ label: 'default_90d', fidelity: 0.97 });
  });

  it.each<[string, Record<string, string | number>, number, [string, string, string][]]>([
    [
      'a risky applicant: three adverse features, statements by side of the mean',
      risky,
      4,
      [
        ['debt_to_income', 'debt_to_income:high', 'Debt obligations too high relative to income'],
        ['annual_income', 'annual_income:low', 'Income insufficient for amount of credit requested'],
        ['purpose', 'purpose', 'Purpose of the credit requested'],
      ],
    ],
    ['the same applicant, top 2', risky, 2, [['debt_to_income', 'debt_to_income:high', 'Debt obligations too high relative to income'], ['annual_income', 'annual_income:low', 'Income insufficient for amount of credit requested']]],
    ['a safe applicant: nothing raised the default odds, no reason', safe, 4, []],
    ['top 0: no reason', risky, 0, []],
  ])('%s', (_, application, top, expected) => {
    const { reasons } = reasonCodes(EXPLAINER, application, { top });

    expect(reasons.map((r) => [r.feature, r.code, r.statement])).toEqual(expected);
    expect(reasons.map((r) => r.rank)).toEqual(expected.map((__, i) => i + 1));
  });

  it('ranks the safe applicant\'s contributions largest first: purpose −0.12, income −0.4, DTI −0.6', () => {
    const { contributions } = reasonCodes(EXPLAINER, safe);

    expect(contributions.map((c) => [c.feature, Math.round(c.contribution * 1000) / 1000])).toEqual([
      ['purpose', -0.12],
      ['annual_income', -0.4],
      ['debt_to_income', -0.6],
    ]);
  });

  it.each<[string, Explainer, Record<string, string | number>, { protectedAttributes?: string[] }, string]>([
    ['a missing number', EXPLAINER, { annual_income: 1, purpose: 'car' }, {}, "The application's debt_to_income must be a finite number (got undefined)"],
    ['a number given as text', EXPLAINER, { ...risky, annual_income: '200000' }, {}, "The application's annual_income must be a finite number (got \"200000\")"],
    ['an unknown category', EXPLAINER, { ...risky, purpose: 'holiday' }, {}, "The application's purpose must be one of car, medical (got \"holiday\")"],
    [
      'an explainer that takes the protected attribute as input',
      { ...EXPLAINER, schema: { ...EXPLAINER.schema, numeric: [...EXPLAINER.schema.numeric, 'age_group'] } },
      risky,
      { protectedAttributes: ['age_group'] },
      'The explainer takes the protected attribute age_group as input: no reason may rest on it',
    ],
    ['features that are not the schema\'s encoding', { ...EXPLAINER, features: ['debt_to_income', 'annual_income', 'purpose_medical', 'purpose_car'] }, risky, {}, "The explainer's features are not the encoding of its schema (4 features, 4 encoded columns)"],
  ])('refuses %s', (_, explainer, application, options, message) => {
    expect(() => reasonCodes(explainer, application, options)).toThrow(new ReasonCodeError(message));
  });

  it('never names the protected attribute of the training pipeline, which is no model input', () => {
    const protectedAttribute = modelInput.protected_attribute;
    const inputs = [...modelInput.numeric, ...Object.keys(modelInput.categorical)];

    expect(inputs).not.toContain(protectedAttribute);
    expect(reasonCodes(EXPLAINER, risky, { protectedAttributes: [protectedAttribute] }).reasons.map((r) => r.feature)).not.toContain(protectedAttribute);
  });

  it('has a notice statement for every input of the training pipeline', () => {
    const inputs = [...modelInput.numeric, ...Object.keys(modelInput.categorical)];

    expect(inputs.filter((f) => REASON_STATEMENTS[f] === undefined)).toEqual([]);
  });

  it('keeps the SHAP identity: Σ contributions = log-odds − baseline log-odds, and every reason is adverse', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 5_000_000, noNaN: true }),
        fc.constantFrom('car', 'medical'),
        (dti, income, purpose) => {
          const result = reasonCodes(EXPLAINER, { debt_to_income: dti, annual_income: income, purpose });
          const sum = result.contributions.reduce((s, c) => s + c.contribution, 0);
          expect(sum).toBeCloseTo(result.logOdds - result.baselineLogOdds, 9);
          expect(result.reasons.every((r) => r.contribution > 0)).toBe(true);
        },
      ),
      { seed: 20261128, numRuns: 200 },
    );
  });
});
