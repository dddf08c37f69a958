/**
 * Events the control plane emits on its own bus (source `creditai.mlops`), one schema per past-tense detail-type.
 * Versioned by `schemaVersion`: a change that removes or retypes a field is a new version, never an edit.
 * Consumers (notify, the audit ledger, dashboards) parse with these schemas.
 */
// Namespace import: `import { z }` drags zod's 260 KB of locales into every bundle.
import * as z from 'zod';

export const DOMAIN_SOURCE = 'creditai.mlops';

const actorSchema = z.strictObject({
  arn: z.string().min(1),
  kind: z.enum(['human', 'control-plane', 'service', 'unknown']),
  source: z.enum(['cloudtrail', 'describe', 'control-plane']),
});

const environmentSchema = z.enum(['staging', 'production']);

/** Fields every domain event carries. `eventKey` is deterministic: a retry re-emits the same key. */
const base = {
  schemaVersion: z.literal(1),
  eventKey: z.string().min(1).max(255),
  modelGroup: z.string().min(1),
  occurredAt: z.iso.datetime(),
};
const versioned = { ...base, version: z.number().int().positive() };

const gateResultSchema = z.strictObject({
  gate: z.string(),
  passed: z.boolean(),
  message: z.string(),
  observed: z.union([z.number(), z.string()]).optional(),
  threshold: z.string().optional(),
});

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** One feature of a drift finding: how far it moved, against what threshold, by which method, and its weight. */
const driftFeatureSchema = z.strictObject({
  feature: z.string(),
  method: z.string(),
  distance: z.number(),
  threshold: z.number(),
  drifted: z.boolean(),
  /** Share of the model's global importance (mean |SHAP| / sum), when known. */
  importance: z.number().min(0).max(1).optional(),
});

/** Invocations and error events of one fleet in a canary look. */
const armCountsSchema = z.strictObject({ units: z.number().int().nonnegative(), events: z.number().int().nonnegative() });

/** Provenance of the gated version as the registry holds it (optional fields: absent where not registered). */
const lineageSchema = z.strictObject({
  trainingDataUri: z.string().optional(),
  /** As the pipeline registered it: `sha256:<hex>` of a manifest, an S3 ETag or a version id. */
  trainingDataHash: z.string().optional(),
  commitId: z.string().optional(),
  pipelineExecutionArn: z.string().optional(),
  hyperparameters: z.record(z.string(), z.string()),
  imageDigests: z.array(z.string()).optional(),
});

/** A report the gates read: its S3 URI and the SHA-256 of the exact bytes read. */
const reportEvidenceSchema = z.strictObject({
  report: z.enum(['evaluation', 'bias', 'explainability']),
  uri: z.string(),
  sha256: z.string().regex(SHA256_HEX),
});

/** The thresholds the gates applied and every bias and SHAP figure of the reports. */
const gateFiguresSchema = z.strictObject({
  thresholds: z.strictObject({
    minAuc: z.number(),
    minKs: z.number(),
    disparateImpact: z.strictObject({ min: z.number(), max: z.number() }),
    maxAbsDppl: z.number(),
  }),
  bias: z.array(
    z.strictObject({
      stage: z.enum(['pre-training', 'post-training']),
      facet: z.string(),
      value: z.string(),
      metrics: z.record(z.string(), z.number().nullable()),
    }),
  ),
  shap: z.record(z.string(), z.record(z.string(), z.number())),
});

export const domainEventDetailSchemas = {
  /** Lineage, evidence and figures were added to schemaVersion 1 as optional fields: earlier events stay valid. */
  ModelGated: z.strictObject({
    ...versioned,
    passed: z.boolean(),
    results: z.array(gateResultSchema),
    lineage: lineageSchema.optional(),
    evidence: z.array(reportEvidenceSchema).optional(),
    figures: gateFiguresSchema.optional(),
  }),
  ModelApproved: z.strictObject({ ...versioned, environment: environmentSchema, approver: actorSchema, reason: z.string() }),
  ModelRejected: z.strictObject({ ...versioned, reasons: z.array(z.string()).min(1), rejectedBy: actorSchema }),
  /** A version entered AwaitingApproval: the approvers are told what they approve and how. */
  ApprovalRequested: z.strictObject({
    ...versioned,
    environment: environmentSchema,
    gates: z.strictObject({ passed: z.boolean(), summary: z.string() }),
    /** The staging smoke test; production requests only. */
    smokeTest: z
      .strictObject({
        passed: z.boolean(),
        checks: z.array(z.strictObject({ name: z.string(), passed: z.boolean(), message: z.string() })),
      })
      .optional(),
    modelPackageArn: z.string().startsWith('arn:'),
    howToApprove: z.string(),
  }),
  ApprovalUnverified: z.strictObject({
    ...versioned,
    environment: environmentSchema,
    actor: actorSchema.optional(),
    reason: z.string(),
  }),
  DeploymentStarted: z.strictObject({
    ...versioned,
    environment: environmentSchema,
    endpointName: z.string(),
    endpointConfigName: z.string(),
    strategy: z.enum(['all-at-once', 'canary']),
    kind: z.enum(['release', 'rollback']),
  }),
  StagingVerified: z.strictObject({
    ...versioned,
    endpointName: z.string(),
    checks: z.array(z.strictObject({ name: z.string(), passed: z.boolean(), message: z.string() })),
  }),
  CanaryStarted: z.strictObject({
    ...versioned,
    endpointName: z.string(),
    endpointConfigName: z.string(),
    trafficPercent: z.number(),
    bakeSeconds: z.number(),
    rollbackAlarms: z.array(z.string()),
  }),
  ModelPromoted: z.strictObject({
    ...versioned,
    endpointName: z.string(),
    endpointConfigName: z.string(),
    previousVersion: z.number().int().positive().optional(),
  }),
  RollbackPerformed: z.strictObject({
    ...versioned,
    endpointName: z.string(),
    /** Who reverted: SageMaker's guardrails during a rollout, the control plane on an alarm, or an operator. */
    initiator: z.enum(['sagemaker-guardrails', 'control-plane', 'operator']),
    reason: z.string(),
    toVersion: z.number().int().positive().optional(),
    alarms: z.array(z.string()),
  }),
  PipelineFailed: z.strictObject({
    ...base,
    pipelineArn: z.string(),
    pipelineExecutionArn: z.string(),
    failureReason: z.string(),
    failedStep: z.string().optional(),
    diagnosis: z.strictObject({
      category: z.enum(['missing-permission', 'resource-limit', 'data', 'algorithm', 'condition-not-met', 'unknown']),
      summary: z.string(),
      action: z.string().optional(),
      resource: z.string().optional(),
      principal: z.string().optional(),
    }),
  }),
  ReconcileFailed: z.strictObject({
    ...base,
    version: z.number().int().positive().optional(),
    severity: z.enum(['critical', 'error', 'warning']),
    reason: z.string(),
    message: z.string(),
  }),
  /** A drift check (ours, or Model Monitor's) found features of the Live version's inputs past their threshold. */
  DriftDetected: z.strictObject({
    ...versioned,
    source: z.enum(['drift-check', 'model-monitor']),
    windowStart: z.iso.datetime(),
    windowEnd: z.iso.datetime(),
    /** Captured rows the check compared with the baseline. */
    records: z.number().int().nonnegative(),
    features: z.array(driftFeatureSchema).min(1),
    reportUri: z.string().optional(),
    violationsUri: z.string().optional(),
  }),
  /** Drift triage asked for retraining and the retraining gate let it start. */
  RetrainRequested: z.strictObject({
    ...versioned,
    reason: z.string(),
    pipelineName: z.string(),
    clientToken: z.string(),
    triggerWindowEnd: z.iso.datetime(),
    features: z.array(driftFeatureSchema),
    reportUri: z.string().optional(),
  }),
  /** Drift was triaged and nothing was started: alert only, a run in flight, cooldown, weekly budget, no commit. */
  RetrainSkipped: z.strictObject({
    ...versioned,
    skip: z.enum(['minor-features', 'alert-only', 'in-flight', 'cooldown', 'weekly-budget', 'no-commit']),
    reason: z.string(),
    /** Whether on-call is told (policy `drift.alertOnSkip`); the ledger records it either way. */
    alert: z.boolean(),
    triggerWindowEnd: z.iso.datetime(),
    features: z.array(driftFeatureSchema),
    until: z.iso.datetime().optional(),
    pipelineExecutionArn: z.string().optional(),
  }),
  /**
   * One look of the canary judge at a production canary: per guardrail metric (5XX errors, latency-SLO misses), the
   * cumulative units and events of the old fleet (champion) and the new one (canary) since the rollout started, and
   * the verdict. The top-level metric, counts and test figures are the decisive metric's (the one that gave the
   * decision); `metrics` holds every metric judged. `rollback` raises the canary-harm alarm the deployment guardrails
   * watch; the rollback itself is RollbackPerformed.
   */
  CanaryJudged: z.strictObject({
    ...versioned,
    endpointName: z.string().min(1),
    endpointConfigName: z.string().min(1),
    previousConfigName: z.string().min(1),
    /** The minute the look read up to (its key). */
    lookAt: z.iso.datetime(),
    decision: z.enum(['continue', 'pass', 'rollback', 'wait']),
    reason: z.string(),
    metric: z.string(),
    champion: armCountsSchema,
    canary: armCountsSchema,
    plannedUnits: z.number().int().positive(),
    informationFraction: z.number().nonnegative(),
    /** Harm z and its always-valid bound; absent while the data-quality gates wait. */
    statistic: z.number().optional(),
    bound: z.number().optional(),
    alwaysValidPValue: z.number().min(0).max(1).optional(),
    /** Every guardrail metric judged, primary (errors) first; absent in events from before the latency metric. */
    metrics: z
      .array(
        z.strictObject({
          metric: z.string().min(1),
          decision: z.enum(['continue', 'pass', 'rollback', 'wait']),
          champion: armCountsSchema,
          canary: armCountsSchema,
          /** The metric's harm-test level: the policy's α over the number of metrics (Bonferroni). */
          alpha: z.number().gt(0).lt(1),
          statistic: z.number().optional(),
          bound: z.number().optional(),
          alwaysValidPValue: z.number().min(0).max(1).optional(),
          /** Latency-SLO misses: the ModelLatency a request must exceed to count, in milliseconds. */
          thresholdMs: z.number().positive().optional(),
        }),
      )
      .min(1)
      .optional(),
  }),
  /** An A/B test started: the challenger serves a share of production beside the Live version (the champion). */
  ChallengerStarted: z.strictObject({
    ...versioned,
    championVersion: z.number().int().positive(),
    endpointName: z.string().min(1),
    endpointConfigName: z.string().min(1),
    /** `ab`: percent of production the challenger decides; `shadow`: percent of requests mirrored to it. */
    sharePercent: z.number().positive().max(100),
    /** Absent in events from before shadow mode: `ab`. */
    mode: z.enum(['ab', 'shadow']).optional(),
    requestedBy: z.string().min(1),
    reason: z.string(),
    /** The outcome label and its maturity, and the pre-registered effect sizes. */
    label: z.string().min(1),
    labelMaturityDays: z.number().nonnegative(),
    championDefaultRate: z.number().gt(0).lt(1),
    minimumDetectableEffect: z.number().gt(0).lt(1),
    /** Shadow mode: the labelled defaults at which the paired AUC test ends. */
    plannedDefaults: z.number().int().positive().optional(),
    /** The early label the harm test reads (A/B mode), when the policy names one. */
    earlyHarmLabel: z.strictObject({ label: z.string().min(1), maturityDays: z.number().nonnegative() }).optional(),
  }),
  /** One look of the judge at a running A/B test: matured approved applications and defaults per arm, and the verdict. */
  ExperimentJudged: z.strictObject({
    ...versioned,
    championVersion: z.number().int().positive(),
    /** The minute the look read up to (its key). */
    lookAt: z.iso.datetime(),
    decision: z.enum(['continue', 'challenger-wins', 'keep-champion', 'stop-harm', 'wait']),
    reason: z.string(),
    label: z.string().min(1),
    champion: armCountsSchema,
    challenger: armCountsSchema,
    informationFraction: z.number().nonnegative(),
    /** Absent in events from before shadow mode: `ab`. */
    mode: z.enum(['ab', 'shadow']).optional(),
    /**
     * A data-quality problem told to on-call once per experiment: the assignment split off (SRM), on the first look
     * that finds it; labels incomplete, once they have lagged for a day. The judge waits until it is mended.
     */
    alert: z.enum(['sample-ratio-mismatch', 'labels-incomplete']).optional(),
    /** The statistic of the look and its bound (efficacy, or harm between efficacy looks); absent while waiting. */
    statistic: z.number().optional(),
    bound: z.number().optional(),
    /** The harm test's counts on the early label, when the policy names one. */
    earlyHarm: z.strictObject({ label: z.string().min(1), champion: armCountsSchema, challenger: armCountsSchema }).optional(),
    /** Shadow mode: both models' AUC on the same labelled applications (paired DeLong) and the paired Brier difference. */
    shadow: z
      .strictObject({
        pairs: z.number().int().nonnegative(),
        defaults: z.number().int().nonnegative(),
        championAuc: z.number().min(0).max(1),
        challengerAuc: z.number().min(0).max(1),
        brierDifference: z.number(),
      })
      .optional(),
  }),
  /** An A/B test ended: all traffic went to the winner and a clean one-variant config follows. */
  ExperimentConcluded: z.strictObject({
    ...versioned,
    championVersion: z.number().int().positive(),
    decision: z.enum(['challenger-wins', 'keep-champion', 'stop-harm', 'aborted']),
    reason: z.string(),
    /** The version that keeps (or takes) production. */
    winnerVersion: z.number().int().positive(),
    champion: armCountsSchema,
    challenger: armCountsSchema,
  }),
  EventRejected: z.strictObject({
    ...base,
    source: z.string(),
    detailType: z.string(),
    eventId: z.string(),
    reason: z.string(),
  }),
} as const;

export type DomainDetailType = keyof typeof domainEventDetailSchemas;
export type DomainEventDetail<T extends DomainDetailType> = z.infer<(typeof domainEventDetailSchemas)[T]>;

/** A domain event ready for PutEvents: its detail-type and its detail. */
export type DomainEvent = {
  [T in DomainDetailType]: { detailType: T; detail: DomainEventDetail<T> };
}[DomainDetailType];

export const DOMAIN_DETAIL_TYPES = Object.keys(domainEventDetailSchemas) as DomainDetailType[];

/** Parses an event of the project bus, envelope included; throws a ZodError on any mismatch. */
export function parseDomainEvent(event: { 'detail-type': string; source: string; detail: unknown }): DomainEvent {
  if (event.source !== DOMAIN_SOURCE) throw new Error(`Not a domain event: source ${event.source}`);
  const detailType = event['detail-type'];
  if (!(detailType in domainEventDetailSchemas)) throw new Error(`Unknown domain detail-type: ${detailType}`);
  const schema = domainEventDetailSchemas[detailType as DomainDetailType];
  return { detailType, detail: schema.parse(event.detail) } as DomainEvent;
}
