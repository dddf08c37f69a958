/**
 * The plans the judge reads, as zod schemas with the defaults of reference/judge.md §6.7. A plan is the
 * pre-registration of a canary or an experiment: it is fixed before the first look and stored with every verdict.
 */
// Namespace import: `import { z }` drags zod's locales into every bundle.
import * as z from 'zod';

const probability = z.number().gt(0).lt(1);

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
  /** Planned looks at information fractions k/looks. */
  looks: z.number().int().min(1).max(20).default(5),
  /**
   * How α is spent over the looks: Lan–DeMets O'Brien–Fleming (conservative early, any look times), Lan–DeMets
   * Pocock (spends more early: faster on large effects, a larger maximum sample), or the classic O'Brien–Fleming
   * c/√t shape solved for the planned schedule.
   */
  boundary: z.enum(['lan-demets-obf', 'lan-demets-pocock', 'obrien-fleming']).default('lan-demets-obf'),
  /** Non-binding futility stop (β-spending under the planned effect) at interim looks. */
  futility: z.boolean().default(false),
});

export const experimentPlanSchema = z
  .strictObject({
    /** The pre-registered decision metric: default rate by arm, or paired ΔAUC on shadow scores (DeLong). */
    primaryMetric: z.enum(['default-rate', 'auc']).default('default-rate'),
    /** The challenger's planned share of assignments (for sizing and the SRM check). */
    challengerShare: probability.default(0.1),
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
