/**
 * Seeded synthetic credit applications, in the columns of pipeline/steps/synthetic.py and with the intent of its
 * distributions: age 18–75 skewed to 25–55; income log-normal around `incomeMean`, rising with age and tenure;
 * employment years bounded by age; debt-to-income Beta around 0.27; credit lines and delinquencies Poisson; loan
 * amounts a share of income; home ownership depending on age; a handful of purposes. The label `default_90d` is
 * drawn from a logistic model of those features (base rate near 9 %), so a model can learn it but not perfectly.
 * The risk model is fixed (income relative to 450,000): drifted data has the same true risk function.
 *
 * Calibrated here rather than copied: synthetic.py's ages (Gamma(9, 4.6) + 8) leave about 50 applicants of 18–25 in
 * 3,000, a dozen in a test set, and its age effects put that group's predicted default rate twice the others', so
 * DPPL would swing across the ±0.1 policy from seed to seed. Ages here are Gamma(5, 6) + 10 (mean 40, 12 % aged
 * 18–25), income rises less with age (0.1 tanh) and fewer under-30s rent (45 %), with the intercept moved to keep
 * the base rate near 10 %: a fair model on fair data, measured, so only a scenario that asks for unfairness gets it.
 */
import type { Application } from '../../../shared/contracts/model-input';
import { seededRandom } from './random';
import { MODEL_SCHEMA } from './schema';

/** How the applications are drawn. */
export interface SyntheticOptions {
  /** Rows to draw (default 6,000: with fewer, the 18–25 group of the test split is too small for a steady DPPL). */
  rows?: number;
  /** Seed of the draw (default 7, synthetic.py's). */
  seed?: number;
  /** Centre of the log-normal annual income (default 450,000; the drift scenario uses 520,000). */
  incomeMean?: number;
  /**
   * Employment years as two populations (half early-career Gamma(2, 4), half long-tenured around 24 years) rather
   * than one Gamma(2, 4): the drift scenario's change of shape.
   */
  employmentBimodal?: boolean;
  /**
   * 0–1: how much more indebted and delinquent the 18–25 group is (debt-to-income + 0.45 × s, delinquencies +
   * Poisson(2 × s)). The risk is real and the model learns it from the features, so disparate impact on age falls
   * (the gate-rejected fairness scenario). Default 0.
   */
  youngApplicantStress?: number;
}

/** One drawn application: the raw columns, the protected attribute and the label. */
export type SyntheticApplication = Application & { application_id: string; age_group: string; default_90d: 0 | 1 };

/** The column order of the CSV (synthetic.py's). */
export const SYNTHETIC_COLUMNS = [
  'application_id',
  'annual_income',
  'employment_years',
  'age',
  'debt_to_income',
  'credit_lines',
  'delinquencies',
  'loan_amount',
  'home_ownership',
  'purpose',
  'age_group',
  'default_90d',
] as const;

const PURPOSE_WEIGHTS: Record<string, number> = {
  debt_consolidation: 0.34,
  credit_card: 0.18,
  home_improvement: 0.12,
  car: 0.12,
  medical: 0.06,
  education: 0.07,
  business: 0.06,
  other: 0.05,
};
const REFERENCE_INCOME = 450_000;
/**
 * Spread of log-income around its centre. Narrower than synthetic.py's 0.45, so that the drift scenario's shift of
 * the centre from 450,000 to 520,000 moves the distribution measurably (L-infinity ≈ 0.26 against 0.19 at 0.45).
 */
const INCOME_LOG_SD = 0.3;

export function ageGroupOf(age: number): string {
  return age <= 25 ? '18-25' : age <= 40 ? '26-40' : age <= 60 ? '41-60' : '61+';
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Draws `rows` applications.
 * @example
 * const drifted = syntheticApplications({ seed: 11, incomeMean: 520_000, employmentBimodal: true });
 */
export function syntheticApplications(options: SyntheticOptions = {}): SyntheticApplication[] {
  const rows = options.rows ?? 6000;
  const seed = options.seed ?? 7;
  const incomeMean = options.incomeMean ?? REFERENCE_INCOME;
  const stress = options.youngApplicantStress ?? 0;
  const random = seededRandom(seed);
  const homes = MODEL_SCHEMA.categorical.home_ownership!;
  const purposes = MODEL_SCHEMA.categorical.purpose!;
  const out: SyntheticApplication[] = [];
  for (let i = 0; i < rows; i++) {
    const age = clip(Math.round(random.gamma(5, 6) + 10), 18, 75);
    const tenure = options.employmentBimodal && random.uniform() < 0.5 ? random.normal(24, 3) : random.gamma(2, 4);
    const employmentYears = Math.max(0, round(Math.min(tenure, age - 17.5), 1));
    const ageEffect = 0.1 * Math.tanh((age - 38) / 15);
    const annualIncome = Math.round(Math.exp(Math.log(incomeMean) + ageEffect + 0.015 * employmentYears + random.normal(0, INCOME_LOG_SD)) / 1000) * 1000;
    const young = age <= 25;
    const debtToIncome = round(random.beta(2.2, 6) * 1.05 + (young ? 0.45 * stress : 0), 3);
    const creditLines = random.poisson(3 + age / 12);
    const delinquencies = random.poisson(0.15 + 0.8 * debtToIncome) + (young && stress > 0 ? random.poisson(2 * stress) : 0);
    const loanAmount = Math.max(5000, Math.round((annualIncome * (0.05 + 0.55 * random.uniform())) / 1000) * 1000);
    const homeOwnership = random.choice(homes, age < 30 ? [0.45, 0.3, 0.1, 0.15] : [0.3, 0.45, 0.2, 0.05]);
    const purpose = random.choice(purposes, purposes.map((p) => PURPOSE_WEIGHTS[p]!));
    // The true risk (synthetic.py's): affordability, past delinquency, tenure and stability.
    const logit =
      -3.4 +
      8.5 * (debtToIncome - 0.27) +
      1.45 * delinquencies -
      1.9 * Math.log(annualIncome / REFERENCE_INCOME) +
      2.7 * (loanAmount / annualIncome - 0.33) -
      0.12 * employmentYears -
      0.07 * (creditLines - 6) +
      (homeOwnership === 'rent' ? 0.6 : 0) +
      (purpose === 'business' || purpose === 'other' ? 0.75 : 0) -
      (purpose === 'car' ? 0.5 : 0) +
      random.normal(0, 0.35);
    const defaulted = random.uniform() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    out.push({
      application_id: `APP-${String(seed).padStart(4, '0')}-${String(i).padStart(6, '0')}`,
      annual_income: annualIncome,
      employment_years: employmentYears,
      age,
      debt_to_income: debtToIncome,
      credit_lines: creditLines,
      delinquencies,
      loan_amount: loanAmount,
      home_ownership: homeOwnership,
      purpose,
      age_group: ageGroupOf(age),
      default_90d: defaulted,
    });
  }
  return out;
}
