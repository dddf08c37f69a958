/**
 * SageMaker Clarify's bias metrics for one facet value d against the rest a (every other value of the protected
 * attribute), with Clarify's definitions (aws-facts §3.1, §3.3; Clarify's "measure pre-/post-training bias" pages):
 * - CI (class imbalance, pre-training) = (n_a − n_d) / (n_a + n_d);
 * - DPL (difference in proportions of labels, pre-training) = q_a − q_d, q the share of observed labels equal to
 *   the label value of interest (for credit: "no default", the favourable outcome);
 * - DI (disparate impact, post-training) = q′_d / q′_a, q′ the share of predicted labels of interest;
 * - DPPL (difference in positive proportions in predicted labels, post-training) = q′_a − q′_d.
 * A metric that is not defined on the data (an empty facet, or DI with q′_a = 0) is null, as Clarify writes it.
 * Pure.
 */

/** The facet's and the rest's counts and shares of `positive` rows. */
interface FacetSplit {
  facetCount: number;
  restCount: number;
  /** Share of `positive` in the facet (q_d), NaN when the facet is empty. */
  facetShare: number;
  /** Share of `positive` in the rest (q_a), NaN when the rest is empty. */
  restShare: number;
}

function split(inFacet: readonly boolean[], positive: readonly boolean[]): FacetSplit {
  if (inFacet.length !== positive.length) throw new RangeError(`facet membership (${inFacet.length}) and outcomes (${positive.length}) differ in length`);
  let facetCount = 0;
  let facetPositive = 0;
  let restPositive = 0;
  for (let i = 0; i < inFacet.length; i++) {
    if (inFacet[i]) {
      facetCount++;
      if (positive[i]) facetPositive++;
    } else if (positive[i]) restPositive++;
  }
  const restCount = inFacet.length - facetCount;
  return { facetCount, restCount, facetShare: facetPositive / facetCount, restShare: restPositive / restCount };
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/**
 * CI = (n_a − n_d) / (n_a + n_d): positive when the facet is the smaller group.
 * @example classImbalance([true, false, false, false]) // 0.5
 */
export function classImbalance(inFacet: readonly boolean[]): number | null {
  const facet = inFacet.filter(Boolean).length;
  const rest = inFacet.length - facet;
  return inFacet.length === 0 ? null : (rest - facet) / (rest + facet);
}

/**
 * DPL = q_a − q_d on observed labels: positive when the rest has the favourable label more often.
 * @example differenceInProportionsOfLabels([true, true, false, false], [true, false, true, true]) // 0.5
 */
export function differenceInProportionsOfLabels(inFacet: readonly boolean[], labelOfInterest: readonly boolean[]): number | null {
  const s = split(inFacet, labelOfInterest);
  return finiteOrNull(s.restShare - s.facetShare);
}

/**
 * DI = q′_d / q′_a on predicted labels: 1 is parity, below 0.8 fails the four-fifths rule.
 * @example disparateImpact([true, true, false, false], [true, false, true, true]) // 0.5
 */
export function disparateImpact(inFacet: readonly boolean[], predictedOfInterest: readonly boolean[]): number | null {
  const s = split(inFacet, predictedOfInterest);
  return finiteOrNull(s.facetShare / s.restShare);
}

/**
 * DPPL = q′_a − q′_d on predicted labels.
 * @example differenceInPositivePredictedLabels([true, true, false, false], [true, false, true, true]) // 0.5
 */
export function differenceInPositivePredictedLabels(inFacet: readonly boolean[], predictedOfInterest: readonly boolean[]): number | null {
  const s = split(inFacet, predictedOfInterest);
  return finiteOrNull(s.restShare - s.facetShare);
}

/** Every metric the pipeline's Clarify job computes, for the rows whose facet is `facetValue` against the rest. */
export interface FacetBias {
  value: string;
  CI: number | null;
  DPL: number | null;
  DI: number | null;
  DPPL: number | null;
}

/**
 * CI, DPL, DI and DPPL of each facet value (in the order given) against the rest.
 * @param facets the protected attribute of each row
 * @param labelOfInterest whether each row's observed label is the label value of interest
 * @param predictedOfInterest whether each row's predicted label is the label value of interest
 */
export function facetBias(
  facets: readonly string[],
  values: readonly string[],
  labelOfInterest: readonly boolean[],
  predictedOfInterest: readonly boolean[],
): FacetBias[] {
  return values.map((value) => {
    const inFacet = facets.map((f) => f === value);
    return {
      value,
      CI: classImbalance(inFacet),
      DPL: differenceInProportionsOfLabels(inFacet, labelOfInterest),
      DI: disparateImpact(inFacet, predictedOfInterest),
      DPPL: differenceInPositivePredictedLabels(inFacet, predictedOfInterest),
    };
  });
}

/** One facet value's rows and favourable predictions in a window of production traffic. */
export interface FacetCounts {
  rows: number;
  favourable: number;
}

/** DI and DPPL of each facet value against the rest, from counts: production's bias re-check (predictions only). */
export function predictedBiasFromCounts(counts: Readonly<Record<string, FacetCounts>>, values: readonly string[]): { value: string; rows: number; DI: number | null; DPPL: number | null }[] {
  const total = Object.values(counts).reduce((t, c) => ({ rows: t.rows + c.rows, favourable: t.favourable + c.favourable }), { rows: 0, favourable: 0 });
  return values.map((value) => {
    const facet = counts[value] ?? { rows: 0, favourable: 0 };
    const facetShare = facet.favourable / facet.rows;
    const restShare = (total.favourable - facet.favourable) / (total.rows - facet.rows);
    return { value, rows: facet.rows, DI: finiteOrNull(facetShare / restShare), DPPL: finiteOrNull(restShare - facetShare) };
  });
}

/**
 * The band a value falls in, from ordered labels such as `18-25`, `26-40`, `61+`: the first band whose upper bound is
 * at least the value (so 25.5 is in `26-40`, as the pipeline's `age <= 25` / `age <= 40` rule has it), the open
 * band for the rest; undefined below the first band's lower bound.
 * @example bandOf(['18-25', '26-40', '61+'], 33) // '26-40'
 */
export function bandOf(labels: readonly string[], x: number): string | undefined {
  const first = /^(\d+(?:\.\d+)?)/.exec(labels[0] ?? '');
  if (!Number.isFinite(x) || (first && x < Number(first[1]))) return undefined;
  return labels.find((label) => {
    const range = /^\d+(?:\.\d+)?-(\d+(?:\.\d+)?)$/.exec(label);
    return range ? x <= Number(range[1]) : /^\d+(?:\.\d+)?\+$/.test(label);
  });
}
