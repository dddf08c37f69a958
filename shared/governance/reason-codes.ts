/**
 * Reason codes for one scored application (DESIGN §1 duty 2): the features that raised the applicant's default
 * log-odds the most, each with a statement a credit decision notice can carry. Pure.
 *
 * The explainer is a logistic model on the encoded features (`shared/contracts/explainer.ts`), so the SHAP value of
 * encoded column j is exact: φ_j = β_j (x_j − baseline_j), and Σ φ_j = log-odds(x) − log-odds(baseline). One-hot
 * columns are summed back to their feature, so `purpose` is one reason, not eight. A feature is adverse when its
 * contribution is positive: it moved the applicant towards default compared with the average training applicant.
 */
import type { Explainer } from '../contracts/explainer';
import { encodeApplication, encodedColumns, type Application } from '../contracts/model-input';

/** Statements for a numeric feature: when its value is above the training mean, and when below. */
interface NumericStatements {
  high: string;
  low: string;
}

/**
 * Notice statements per model feature, worded after Regulation B's sample adverse action reasons (12 CFR 1002,
 * Appendix C, form C-1) where one fits. A numeric feature's statement depends on the side of the mean it sits on.
 */
export const REASON_STATEMENTS: Readonly<Record<string, NumericStatements | string>> = {
  annual_income: { low: 'Income insufficient for amount of credit requested', high: 'Level of income' },
  employment_years: { low: 'Length of employment', high: 'Length of employment' },
  // Age may be used by an empirically derived scoring system (12 CFR 1002.6(b)(2)(ii)); when it is a principal
  // reason, the notice must say so rather than hide it.
  age: { low: 'Age of applicant', high: 'Age of applicant' },
  debt_to_income: { high: 'Debt obligations too high relative to income', low: 'Debt obligations relative to income' },
  credit_lines: { low: 'Limited credit experience', high: 'Number of established credit accounts' },
  delinquencies: { high: 'Delinquent past or present credit obligations with others', low: 'Delinquency history' },
  loan_amount: { high: 'Amount of credit requested too high', low: 'Amount of credit requested' },
  home_ownership: 'Residential status',
  purpose: 'Purpose of the credit requested',
};

/** One raw feature's share of the applicant's log-odds, relative to the average training applicant. */
export interface FeatureContribution {
  feature: string;
  /** The applicant's value as given. */
  value: string | number;
  /** Σ φ over the feature's encoded columns, in log-odds of default. */
  contribution: number;
}

/** One reason of a decision notice. */
export interface ReasonCode {
  rank: number;
  feature: string;
  /** `<feature>` for a categorical, `<feature>:high` or `<feature>:low` for a numeric: stable for reporting. */
  code: string;
  statement: string;
  value: string | number;
  contribution: number;
}

export interface ReasonCodeResult {
  /** Probability of the explainer's positive class (default), σ(log-odds). */
  score: number;
  logOdds: number;
  /** Log-odds of the average training applicant: intercept + Σ β_j baseline_j. */
  baselineLogOdds: number;
  /** What the positive class means (`default_90d`). */
  label: string;
  /** R² of the explainer against the model: how far the reasons can be trusted (1 when it is the model). */
  fidelity: number;
  /** Every feature's contribution, largest first (ties by name). */
  contributions: FeatureContribution[];
  /** The top adverse features (contribution > 0), largest first. */
  reasons: ReasonCode[];
}

export interface ReasonCodeOptions {
  /** How many reasons at most (default 4: the notice's customary principal reasons). */
  top?: number;
  /** Attributes that must never be a reason (e.g. `age_group`): refused if the explainer takes one as input. */
  protectedAttributes?: readonly string[];
}

/** An application or explainer the reason codes cannot be computed for; the message says why. */
export class ReasonCodeError extends Error {
  override readonly name = 'ReasonCodeError';
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

function statementOf(feature: string, numeric: boolean, value: number, baseline: number): { code: string; statement: string } {
  const entry = REASON_STATEMENTS[feature];
  if (!numeric) return { code: feature, statement: typeof entry === 'string' ? entry : `Factor: ${feature}` };
  const side = value >= baseline ? 'high' : 'low';
  return { code: `${feature}:${side}`, statement: typeof entry === 'object' ? entry[side] : `Factor: ${feature}` };
}

/** Refuses what would make the contributions wrong: a missing or non-numeric number, an unknown category. */
function checkApplication(explainer: Explainer, application: Application): void {
  for (const name of explainer.schema.numeric) {
    const value = application[name];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new ReasonCodeError(`The application's ${name} must be a finite number (got ${JSON.stringify(value)})`);
  }
  for (const [name, categories] of Object.entries(explainer.schema.categorical)) {
    const value = application[name];
    if (typeof value !== 'string' || !categories.includes(value)) {
      throw new ReasonCodeError(`The application's ${name} must be one of ${categories.join(', ')} (got ${JSON.stringify(value)})`);
    }
  }
}

/**
 * The score and reason codes of `application` under `explainer`.
 * @throws ReasonCodeError when the explainer's columns are not its schema's encoding, when it takes a protected
 *   attribute as input, or when the application lacks a feature or holds an unknown category
 */
export function reasonCodes(explainer: Explainer, application: Application, options: ReasonCodeOptions = {}): ReasonCodeResult {
  const { top = 4, protectedAttributes = [] } = options;
  const inputs = [...explainer.schema.numeric, ...Object.keys(explainer.schema.categorical)];
  const leaked = protectedAttributes.filter((p) => inputs.includes(p));
  if (leaked.length > 0) throw new ReasonCodeError(`The explainer takes the protected attribute ${leaked.join(', ')} as input: no reason may rest on it`);
  const columns = encodedColumns(explainer.schema);
  if (columns.join('\n') !== explainer.features.join('\n')) {
    throw new ReasonCodeError(`The explainer's features are not the encoding of its schema (${explainer.features.length} features, ${columns.length} encoded columns)`);
  }
  checkApplication(explainer, application);

  const x = encodeApplication(explainer.schema, application).map(Number);
  const phi = x.map((xj, j) => explainer.coefficients[j]! * (xj - explainer.baseline[j]!));
  const logOdds = explainer.intercept + x.reduce((s, xj, j) => s + explainer.coefficients[j]! * xj, 0);
  const baselineLogOdds = explainer.intercept + explainer.baseline.reduce((s, bj, j) => s + explainer.coefficients[j]! * bj, 0);

  // Encoded column j belongs to the j-th input in numeric-then-categorical order, categories expanded.
  const owners = [...explainer.schema.numeric, ...Object.entries(explainer.schema.categorical).flatMap(([name, values]) => values.map(() => name))];
  const sums = new Map<string, number>(inputs.map((f) => [f, 0]));
  owners.forEach((owner, j) => sums.set(owner, sums.get(owner)! + phi[j]!));
  const byContribution = (a: FeatureContribution, b: FeatureContribution) => b.contribution - a.contribution || (a.feature < b.feature ? -1 : 1);
  const contributions = inputs.map((feature) => ({ feature, value: application[feature]!, contribution: sums.get(feature)! })).sort(byContribution);

  const numeric = new Set(explainer.schema.numeric);
  const reasons = contributions
    .filter((c) => c.contribution > 0)
    .slice(0, Math.max(0, top))
    .map((c, i) => {
      const j = explainer.features.indexOf(c.feature);
      const { code, statement } = statementOf(c.feature, numeric.has(c.feature), Number(c.value), j >= 0 ? explainer.baseline[j]! : 0);
      return { rank: i + 1, feature: c.feature, code, statement, value: c.value, contribution: c.contribution };
    });
  return { score: sigmoid(logOdds), logOdds, baselineLogOdds, label: explainer.label, fidelity: explainer.fidelity.r2, contributions, reasons };
}
