/**
 * The lifecycle policy of a model group: every threshold and switch a lifecycle decision reads. Defaults are the
 * platform's; a group overrides any subset (the group's policy item in the state table). Validated with zod so a
 * bad override is refused with the path of the offending setting rather than half-applied.
 */
// Namespace import: `import { z }` drags zod's 260 KB of locales into every bundle.
import * as z from 'zod';

const approvalMode = z.enum(['auto', 'manual']);

export const policySchema = z.strictObject({
  gates: z
    .strictObject({
      /** Minimum ROC AUC on the held-out set. */
      minAuc: z.number().min(0.5).max(1).default(0.85),
      /** Minimum Kolmogorov–Smirnov separation on the held-out set. */
      minKs: z.number().min(0).max(1).default(0.2),
      /** Four-fifths band for post-training disparate impact (DI) on every protected facet. */
      disparateImpact: z
        .strictObject({ min: z.number().positive().default(0.8), max: z.number().positive().default(1.25) })
        .prefault({})
        .refine((b) => b.min < b.max, 'disparateImpact.min must be below disparateImpact.max'),
      /** Largest |DPPL| (difference in positive proportions of predicted labels) on any protected facet. */
      maxAbsDppl: z.number().min(0).max(1).default(0.1),
      /** Facets (columns) that must be in the bias report; empty: every facet the report holds is checked. */
      protectedFacets: z.array(z.string().min(1)).default([]),
      /** A global SHAP report must be registered with the version. */
      requireExplainability: z.boolean().default(true),
      /** Lineage (data URI + hash, commit, hyperparameters) must be complete. */
      requireLineage: z.boolean().default(true),
    })
    .prefault({}),
  approval: z
    .strictObject({ staging: approvalMode.default('auto'), production: approvalMode.default('manual') })
    .prefault({}),
  staging: z
    .strictObject({
      endpointName: z.string().optional(),
      instanceType: z.string().default('ml.m5.large'),
      instanceCount: z.number().int().min(1).default(1),
      smokeTest: z
        .strictObject({
          maxLatencyMs: z.number().positive().default(200),
          minScore: z.number().default(0),
          maxScore: z.number().default(1),
        })
        .prefault({}),
    })
    .prefault({}),
  production: z
    .strictObject({
      endpointName: z.string().optional(),
      instanceType: z.string().default('ml.m5.xlarge'),
      instanceCount: z.number().int().min(1).default(2),
      /** `canary`: SageMaker blue/green with canary traffic, bake and auto-rollback alarms. */
      strategy: z.enum(['canary', 'all-at-once']).default('canary'),
      canary: z
        .strictObject({
          trafficPercent: z.number().int().min(1).max(50).default(10),
          /** Bake time with canary traffic before the rest shifts (SageMaker WaitIntervalInSeconds, 0–3600). */
          bakeSeconds: z.number().int().min(0).max(3600).default(600),
        })
        .prefault({}),
      /** Old fleet kept after the shift (TerminationWaitInSeconds, 0–3600): a final bake under full traffic. */
      terminationWaitSeconds: z.number().int().min(0).max(3600).default(300),
      maxExecutionSeconds: z.number().int().min(600).max(28800).default(3600),
      /** Alarm names that roll back a rollout or a Live version; `{endpoint}` is the production endpoint name. */
      rollbackAlarms: z
        .array(z.string().min(1))
        .min(1)
        .max(10)
        .default(['creditai-{endpoint}-p99-latency', 'creditai-{endpoint}-5xx-errors', 'creditai-{endpoint}-canary-harm']),
      dataCaptureSamplingPercent: z.number().int().min(0).max(100).default(100),
      /**
       * The canary judge (scheduled each minute while a canary bakes): the always-valid harm test on the new fleet's
       * 5XX rate against the old fleet's; a harm verdict raises the canary-harm alarm, which the guardrails watch.
       */
      judge: z
        .strictObject({
          enabled: z.boolean().default(true),
          /** Invocations (both fleets) the canary plans to observe; reached with no harm, the judge passes it. */
          plannedUnits: z.number().int().min(1).default(2000),
          /** One-sided level of the harm test, for all its metrics together (split evenly over them: Bonferroni). */
          alpha: z.number().gt(0).lt(1).default(0.01),
          /**
           * The second guardrail metric: the share of each fleet's requests whose ModelLatency exceeds `thresholdMs`
           * (latency-SLO misses), canary against champion. The default 200 ms is the p99 latency SLO the platform
           * already holds endpoints to (DESIGN §1; the p99-latency rollback alarm of terraform/modules/monitoring):
           * a request slower than it is a miss of that SLO, so a canary that misses it more often than its champion
           * is rolled back before its p99 crosses the alarm.
           */
          latency: z
            .strictObject({
              enabled: z.boolean().default(true),
              thresholdMs: z.number().positive().max(3_600_000).default(200),
            })
            .prefault({}),
        })
        .prefault({}),
    })
    .prefault({})
    // SageMaker caps a canary at half the variant's instances: one instance leaves no room for one.
    .refine((p) => p.strategy !== 'canary' || p.instanceCount >= 2, {
      message: 'a canary needs at least 2 production instances (SageMaker caps the canary at half the fleet); use strategy all-at-once for 1',
      path: ['instanceCount'],
    }),
  rollback: z
    .strictObject({
      /** `auto`: a rollback alarm on a Live version redeploys the last-known-good; `page`: only page on-call. */
      onAlarm: z.enum(['auto', 'page']).default('auto'),
    })
    .prefault({}),
  retrain: z
    .strictObject({
      cooldownHours: z.number().min(0).default(24),
      // At most 20: the status keeps the last 20 start times, all a weekly budget can need.
      maxPerWeek: z.number().int().min(0).max(20).default(2),
    })
    .prefault({}),
  /** What a drift finding on the Live version means (the drift check's schedule is Terraform's). */
  drift: z
    .strictObject({
      /**
       * The distance judged: L-infinity between the baseline's and the window's distributions as Model Monitor
       * computes it (`linf_simple`), or its small-sample correction (`linf_robust`, which subtracts the noise of
       * a window of that size and suits sparse traffic).
       */
      method: z.enum(['linf_simple', 'linf_robust']).default('linf_simple'),
      /** Distance above which a feature has drifted. */
      threshold: z.number().positive().max(1).default(0.2),
      /** Per-feature thresholds that replace the default (e.g. a seasonal feature that moves more). */
      featureThresholds: z.record(z.string(), z.number().positive().max(1)).default({}),
      /**
       * A drifted feature retrains when its share of the model's global importance (mean |SHAP| over the sum) is at
       * least this; below it the drift is only alerted: the model barely uses the feature.
       */
      minImportanceToRetrain: z.number().min(0).max(1).default(0.05),
      /** The same feature must drift in this many consecutive windows before anything happens (noise guard). */
      persistenceWindows: z.number().int().min(1).max(24).default(2),
      /**
       * Captured rows a window needs before it is judged at all: with a few dozen rows, L-infinity between a
       * window and its own population exceeds 0.2 by chance (a quiet night hour would retrain on noise).
       */
      minRows: z.number().int().min(1).default(200),
      /** `retrain`: persistent drift on an important feature retrains; `alert`: never retrain, only tell on-call. */
      action: z.enum(['retrain', 'alert']).default('retrain'),
      /** Tell on-call of drift that does not retrain (minor features, alert-only policy, skipped retrains). */
      alertOnSkip: z.boolean().default(true),
    })
    .prefault({}),
  /** A/B tests (CLI `challenge`): the outcome label the judge reads and the pre-registered effect sizes. */
  experiment: z
    .strictObject({
      /** The outcome label of an approved application, as the loan book writes it (e.g. 90+ days past due). */
      label: z.string().min(1).default('default_90d'),
      /** Days after the decision until the label has matured. */
      labelMaturityDays: z.number().min(0).default(90),
      /** The champion's expected default rate among approved applications (sizes the design). */
      championDefaultRate: z.number().gt(0).lt(1).default(0.05),
      /** The absolute reduction of the default rate worth switching for. */
      minimumDetectableEffect: z.number().gt(0).lt(1).default(0.01),
      /** Scores (default probabilities) above it are declined; only approved applications have an outcome. */
      decisionThreshold: z.number().gt(0).lt(1).default(0.5),
      /**
       * `ab`: the challenger decides its share of the applications (a second production variant), and the judge
       * compares the arms' default rates. `shadow`: the challenger must not decide: it scores a copy of its share of
       * the requests (a SageMaker shadow variant) while the champion decides them all, and the judge compares the two
       * models' scores on the same applications (paired DeLong ΔAUC); the winner then goes through the normal
       * production canary.
       */
      mode: z.enum(['ab', 'shadow']).default('ab'),
      /**
       * Shadow mode: the labelled defaults (among paired applications) at which the test ends; information is
       * measured in defaults. 600 gives ~86 % power for AUC 0.75 → 0.77 with paired scores (reference/judge.md §6.4).
       */
      plannedDefaults: z.number().int().min(20).default(600),
      /**
       * A/B mode: an early label that the harm test reads instead of the maturing one (e.g. 30+ days past due by
       * month 3 beside default within 12 months), so a harmful challenger is stopped months before its defaults
       * mature. The efficacy test always reads `label`.
       */
      earlyHarmLabel: z
        .strictObject({
          label: z.string().min(1),
          maturityDays: z.number().min(0),
        })
        .optional(),
      /**
       * Days an experiment may run without a verdict (from its start): then the champion is kept, "no verdict in
       * time". Bounds a test held open by a gate that never passes (a lasting sample-ratio mismatch, e.g. a shadow
       * that fails some of its copies; labels that stop arriving) and the second fleet it keeps running. Default:
       * the label's maturity plus 180 days of enrolment.
       */
      maxDurationDays: z.number().gt(0).optional(),
    })
    .prefault({})
    .refine((e) => e.minimumDetectableEffect < e.championDefaultRate, {
      message: 'experiment.minimumDetectableEffect must be below experiment.championDefaultRate',
      path: ['minimumDetectableEffect'],
    })
    .refine((e) => e.maxDurationDays === undefined || e.maxDurationDays > e.labelMaturityDays, {
      message: 'experiment.maxDurationDays must exceed experiment.labelMaturityDays (no label would mature in time)',
      path: ['maxDurationDays'],
    })
    .refine((e) => e.earlyHarmLabel === undefined || (e.earlyHarmLabel.label !== e.label && e.earlyHarmLabel.maturityDays <= e.labelMaturityDays), {
      message: 'experiment.earlyHarmLabel must name another label that matures no later than experiment.label',
      path: ['earlyHarmLabel'],
    }),
});

export type Policy = z.infer<typeof policySchema>;
export type PolicyOverrides = z.input<typeof policySchema>;

/** The policy with every default applied; throws a ZodError naming the bad setting. */
export function parsePolicy(overrides: unknown = {}): Policy {
  return policySchema.parse(overrides);
}

/** The platform default policy. */
export const DEFAULT_POLICY: Policy = parsePolicy();
