/**
 * The plans the judge reads, as zod schemas with the defaults of reference/judge.md §6.7. A plan is the
 * pre-registration of a canary or an experiment: it is fixed before the first look and stored with every verdict.
 */
// Namespace import: `import { z }` drags zod's locales into every bundle.
import * as z from 'zod';
import { DEFAULT_HSD_GAMMA } from './group-sequential';

const probability = z.number().gt(0).lt(1);

/** The default efficacy design (bench-results/judge.json measures it and the alternatives). */
const DEFAULT_LOOKS = 10;

/** Gates that must pass before any statistical verdict. */
export const dataQualitySchema = z.strictObject({
  /** Units each arm needs. */
  minUnits: z.number().int().min(1).default(100),
  /** Events (errors, defaults) each arm needs: fewer make the normal approximation unreliable. */
  minEvents: z.number().int().min(0).default(10),
  /** Non-events each arm needs. */
  minNonEvents: z.number().int().min(0).default(10),
  /** Sample-ratio mismatch: the split fails when the chi-square p-value falls below this. */
  srmPValue: probability.default(0.001),
  /** Experiments only: share of matured inferences whose label was joined, per arm. */
  minLabelCompleteness: z.number().min(0).max(1).default(0.95),
});

/** The always-valid harm test (one-sided mixture SPRT on challenger − champion). */
export const harmTestSchema = z.strictObject({
  /** One-sided level of the rollback / stop-for-harm decision. */
  alpha: probability.default(0.01),
  /** Harm means an event-rate excess above this (absolute, e.g. 0.001 = 0.1 pp); 0: any excess. */
  margin: z.number().min(0).default(0),
  /** The mixture is tuned to be tightest at this fraction of the planned units (25–50%: catch regressions early). */
  tuningFraction: z.number().gt(0).max(1).default(0.25),
});

export const canaryPlanSchema = z.strictObject({
  /** What counts as an event, for the explanation: `errors`, `latency-SLO misses`… (higher is worse). */
  metric: z.string().min(1).default('errors'),
  /** Units (invocations, both variants) the canary plans to observe; reached with no harm, the canary passes. */
  plannedUnits: z.number().int().min(1),
  harm: harmTestSchema.prefault({}),
  /** Optional early pass: the confidence sequence's upper bound on canary − champion falls below this margin. */
  nonInferiorityMargin: z.number().gt(0).optional(),
  dataQuality: dataQualitySchema.prefault({}),
});
export type CanaryPlanInput = z.input<typeof canaryPlanSchema>;
export type CanaryPlan = z.output<typeof canaryPlanSchema>;

export const efficacySchema = z.strictObject({
  /**
   * Two-sided level of the efficacy test: 0.05 spends 0.025 on "challenger better" (switch) and 0.025 on
   * "challenger worse"; it is the same switch rule as a one-sided 0.025 superiority test.
   */
  alpha: probability.default(0.05),
  power: probability.default(0.8),
  /** Planned looks at information fractions k/looks (a look that comes late, or is skipped, keeps α). */
  looks: z.number().int().min(1).max(50).default(DEFAULT_LOOKS),
  /**
   * How α is spent over the looks: Hwang–Shih–DeCani with `spendingGamma` (the default: γ between Pocock and
   * O'Brien–Fleming), Lan–DeMets O'Brien–Fleming (conservative early, the smallest maximum), Lan–DeMets Pocock
   * (spends most early: fastest on large effects, the largest maximum), or the classic O'Brien–Fleming c/√t shape
   * solved for the planned schedule.
   */
  boundary: z.enum(['hwang-shih-decani', 'lan-demets-obf', 'lan-demets-pocock', 'obrien-fleming']).default('hwang-shih-decani'),
  /** Hwang–Shih–DeCani γ: 1 ≈ Pocock, −4 ≈ O'Brien–Fleming; ignored by the other families. */
  spendingGamma: z.number().min(-10).max(10).default(DEFAULT_HSD_GAMMA),
  /**
   * Default rate: the efficacy z. `arcsine` (the default) compares Anscombe arcsine transforms asin√((x + 3/8)/(n + 3/4)):
   * the transform stabilises the variance, so the z has SD 1 with or without an effect and a nearly symmetric null
   * distribution while the small arm has few defaults (many looks stay at α). `pooled` divides the difference of rates
   * by its SE under the null (exact under the null, SD below 1 under the planned effect, so it needs more units with
   * a small, better challenger); `unpooled` (Wald) by each arm's own SE (measured: it exceeds α on the switch side
   * while the challenger has few defaults).
   */
  statistic: z.enum(['arcsine', 'pooled', 'unpooled']).default('arcsine'),
  /** Non-binding futility stop (β-spending under the planned effect) at interim looks. */
  futility: z.boolean().default(false),
});

export const experimentPlanSchema = z
  .strictObject({
    /** The pre-registered decision metric: default rate by arm, or paired ΔAUC on shadow scores (DeLong). */
    primaryMetric: z.enum(['default-rate', 'auc']).default('default-rate'),
    /**
     * `split`: each application is decided by one arm. `shadow`: the champion decides every application and the
     * challenger scores a mirrored copy of `challengerShare` of them; it decides nothing, so there is no harm to
     * test, and only the paired AUC can judge it.
     */
    assignment: z.enum(['split', 'shadow']).default('split'),
    /** Split: the challenger's planned share of assignments (sizing, SRM); shadow: the share of requests mirrored. */
    challengerShare: z.number().gt(0).max(1).default(0.1),
    /** The champion's expected default rate among labelled applications. */
    championDefaultRate: probability,
    /** Default rate (required there): the absolute reduction worth switching for (0.01 = 5% → 4%); sizes the design. */
    minimumDetectableEffect: z.number().gt(0).lt(1).optional(),
    /** AUC: the maximum number of labelled defaults (information is measured in defaults). */
    plannedDefaults: z.number().int().min(1).optional(),
    efficacy: efficacySchema.prefault({}),
    harm: harmTestSchema.extend({ tuningFraction: z.number().gt(0).max(1).default(0.5) }).prefault({}),
    dataQuality: dataQualitySchema.prefault({}),
  })
  .refine((plan) => plan.assignment === 'shadow' || plan.challengerShare < 1, {
    message: 'a split experiment leaves the champion a share (challengerShare below 1)',
    path: ['challengerShare'],
  })
  .refine((plan) => plan.assignment !== 'shadow' || plan.primaryMetric === 'auc', {
    message: 'a shadow experiment is judged on the paired AUC (primaryMetric auc)',
    path: ['primaryMetric'],
  })
  .refine((plan) => plan.primaryMetric !== 'auc' || plan.plannedDefaults !== undefined, {
    message: 'an AUC experiment needs plannedDefaults',
    path: ['plannedDefaults'],
  })
  .refine((plan) => plan.primaryMetric !== 'default-rate' || (plan.minimumDetectableEffect !== undefined && plan.minimumDetectableEffect < plan.championDefaultRate), {
    message: 'a default-rate experiment needs a minimum detectable effect below the champion default rate',
    path: ['minimumDetectableEffect'],
  });
export type ExperimentPlanInput = z.input<typeof experimentPlanSchema>;
export type ExperimentPlan = z.output<typeof experimentPlanSchema>;
