/**
 * What each domain event means in the audit ledger: a one-sentence summary, the rule and the figures it compared,
 * who decided and which documents it rests on. One entry per detail-type, all figures taken from the detail
 * (`shared/contracts/domain-events.ts`), so a record says nothing the control plane did not publish.
 */
import type { DomainDetailType, DomainEvent, DomainEventDetail } from '../contracts/domain-events';
import { CONTROL_PLANE_ACTOR, type Evidence, type RecordActor, type Why } from './ledger-record';

/** The part of a record that explains the decision. */
export interface Explanation {
  summary: string;
  why: Why;
  actor: RecordActor;
  evidence: Evidence[];
}

type Explain<T extends DomainDetailType> = (d: DomainEventDetail<T>) => Partial<Explanation> & Pick<Explanation, 'summary' | 'why'>;

const v = (d: { modelGroup: string; version?: number }) => (d.version === undefined ? d.modelGroup : `v${d.version} of ${d.modelGroup}`);
const actorOf = (a: { arn: string; kind: RecordActor['kind'] }): RecordActor => ({ arn: a.arn, kind: a.kind });

/** `sha256:<hex>` or bare hex as a SHA-256; anything else (an S3 ETag, a version id) is no SHA-256 of the bytes. */
function sha256Of(hash: string | undefined): string | undefined {
  const hex = hash?.replace(/^sha256:/, '').toLowerCase();
  return hex && /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/** The reports the gates read (with the hash of the bytes read) and the training data (with its hash when a SHA-256). */
function gatedEvidence(d: DomainEventDetail<'ModelGated'>): Evidence[] {
  const reports = (d.evidence ?? []).map((e) => ({ uri: e.uri, sha256: e.sha256 }));
  const data = d.lineage?.trainingDataUri;
  if (!data) return reports;
  const sha256 = sha256Of(d.lineage?.trainingDataHash);
  return [...reports, sha256 ? { uri: data, sha256 } : { uri: data }];
}

/** SageMaker's deployment guardrails revert a rollout on their own; the control plane only observes it. */
const SAGEMAKER_GUARDRAILS: RecordActor = { arn: 'sagemaker-guardrails', kind: 'service' };

const ROLLBACK_RULES: Record<DomainEventDetail<'RollbackPerformed'>['initiator'], string> = {
  'sagemaker-guardrails': 'SageMaker deployment guardrails revert a rollout when a rollback alarm fires during it',
  'control-plane': 'A Live version whose rollback alarm fires, or whose approval is revoked, is rolled back to the last-known-good version',
  operator: 'An operator requested a rollback to the last-known-good version',
};

/** The explanation of every detail-type (a table, so a new detail-type cannot be forgotten: it fails to compile). */
const EXPLAIN: { [T in DomainDetailType]: Explain<T> } = {
  ModelGated: (d) => {
    const failed = d.results.filter((r) => !r.passed);
    return {
      summary: failed.length === 0 ? `${v(d)} passed every gate.` : `${v(d)} failed ${failed.length} of ${d.results.length} gates (${failed.map((r) => r.gate).join(', ')}).`,
      why: {
        rule: 'A version goes on only if it passes every gate of its group policy: quality, fairness, explainability and lineage',
        figures: { passed: d.passed, results: d.results, ...(d.lineage ? { lineage: d.lineage } : {}), ...(d.figures ? { thresholds: d.figures.thresholds, bias: d.figures.bias, shap: d.figures.shap } : {}) },
      },
      evidence: gatedEvidence(d),
    };
  },
  ModelApproved: (d) => ({
    summary: `${v(d)} was approved for ${d.environment} by ${d.approver.arn}.`,
    why: {
      rule: d.approver.kind === 'human' ? 'An identified human in an approver role approved it, with a stated reason' : `The group policy approves ${d.environment} automatically`,
      figures: { environment: d.environment, approver: d.approver, reason: d.reason },
    },
    actor: actorOf(d.approver),
  }),
  ModelRejected: (d) => ({
    summary: `${v(d)} was rejected: ${d.reasons[0]}${d.reasons.length > 1 ? ` (and ${d.reasons.length - 1} more)` : ''}.`,
    why: {
      rule: d.rejectedBy.kind === 'control-plane' ? 'A version that fails a gate, its smoke test or its staging deployment is rejected' : 'A person rejected it (or revoked its approval) in the registry',
      figures: { reasons: d.reasons, rejectedBy: d.rejectedBy },
    },
    actor: actorOf(d.rejectedBy),
  }),
  ApprovalRequested: (d) => ({
    summary: `${v(d)} awaits ${d.environment} approval.`,
    why: {
      rule: `The group policy wants an identified human to approve ${d.environment}; the approvers were asked. Gates: ${d.gates.summary}`,
      figures: { environment: d.environment, gates: d.gates, smokeTest: d.smokeTest ?? null, modelPackageArn: d.modelPackageArn },
    },
  }),
  ApprovalUnverified: (d) => ({
    summary: `The ${d.environment} approval of ${v(d)} was not acted on: it was not made by an identified human.`,
    why: { rule: 'Where the policy wants a human approval, an approval by anyone else is flagged once and never acted on', figures: { environment: d.environment, actor: d.actor ?? null, reason: d.reason } },
  }),
  DeploymentStarted: (d) => ({
    summary: `${v(d)} is being deployed to ${d.environment} endpoint ${d.endpointName} (${d.kind}, ${d.strategy}).`,
    why: {
      rule:
        d.kind === 'rollback'
          ? 'A rollback redeploys the last-known-good version'
          : d.environment === 'staging'
            ? 'A gated version is deployed to staging for its smoke test'
            : 'An approved version is rolled out to production',
      figures: { environment: d.environment, endpointName: d.endpointName, endpointConfigName: d.endpointConfigName, strategy: d.strategy, kind: d.kind },
    },
  }),
  StagingVerified: (d) => ({
    summary: `${v(d)} passed its smoke test on ${d.endpointName}.`,
    why: { rule: 'Every smoke-test call must answer one valid score per application, within the latency limit', figures: { endpointName: d.endpointName, checks: d.checks } },
  }),
  CanaryStarted: (d) => ({
    summary: `${v(d)} is taking ${d.trafficPercent} % of ${d.endpointName} for a ${d.bakeSeconds} s bake.`,
    why: {
      rule: 'A production rollout goes to a canary first, guarded by the rollback alarms',
      figures: { endpointName: d.endpointName, endpointConfigName: d.endpointConfigName, trafficPercent: d.trafficPercent, bakeSeconds: d.bakeSeconds, rollbackAlarms: d.rollbackAlarms },
    },
  }),
  ModelPromoted: (d) => ({
    summary: `${v(d)} is Live on ${d.endpointName}${d.previousVersion === undefined ? '' : `, replacing v${d.previousVersion}`}.`,
    why: {
      rule: 'A version is Live once the production endpoint serves its config after the rollout',
      figures: { endpointName: d.endpointName, endpointConfigName: d.endpointConfigName, previousVersion: d.previousVersion ?? null },
    },
  }),
  RollbackPerformed: (d) => ({
    summary: `${v(d)} was rolled back on ${d.endpointName}${d.toVersion === undefined ? '' : ` to v${d.toVersion}`} (by ${d.initiator}).`,
    why: { rule: ROLLBACK_RULES[d.initiator], figures: { initiator: d.initiator, reason: d.reason, alarms: d.alarms, toVersion: d.toVersion ?? null } },
    ...(d.initiator === 'sagemaker-guardrails' ? { actor: SAGEMAKER_GUARDRAILS } : {}),
  }),
  PipelineFailed: (d) => ({
    summary: `A training pipeline execution of ${d.modelGroup} failed${d.failedStep ? ` at step ${d.failedStep}` : ''} (${d.diagnosis.category}).`,
    why: {
      rule: 'A failed training pipeline execution registers nothing; it is diagnosed and reported',
      figures: { pipelineExecutionArn: d.pipelineExecutionArn, failedStep: d.failedStep ?? null, failureReason: d.failureReason, diagnosis: d.diagnosis },
    },
    evidence: [{ uri: d.pipelineExecutionArn }],
  }),
  DriftDetected: (d) => ({
    summary: `${v(d)}: drift on ${d.features.filter((f) => f.drifted).map((f) => f.feature).join(', ')} in the window ${d.windowStart} to ${d.windowEnd} (${d.source}).`,
    why: {
      rule: 'A feature has drifted when its distance between the captured inputs and the version\'s training baseline exceeds its threshold',
      figures: { source: d.source, windowStart: d.windowStart, windowEnd: d.windowEnd, records: d.records, features: d.features },
    },
    evidence: [d.reportUri, d.violationsUri].filter((u): u is string => u !== undefined).map((uri) => ({ uri })),
  }),
  RetrainRequested: (d) => ({
    summary: `Retraining of ${d.modelGroup} started because of drift on ${v(d)}: ${d.reason}.`,
    why: {
      rule: 'Persistent drift on features the model relies on retrains, one run at a time, after a cooldown, within a weekly budget',
      figures: { reason: d.reason, pipelineName: d.pipelineName, clientToken: d.clientToken, triggerWindowEnd: d.triggerWindowEnd, features: d.features },
    },
    evidence: d.reportUri ? [{ uri: d.reportUri }] : [],
  }),
  RetrainSkipped: (d) => ({
    summary: `Drift on ${v(d)} did not start retraining (${d.skip}): ${d.reason}.`,
    why: {
      rule: 'Drift on minor features, or under an alert-only policy, is only reported; a run in flight, a cooldown or a spent weekly budget holds a retrain back',
      figures: { skip: d.skip, reason: d.reason, triggerWindowEnd: d.triggerWindowEnd, features: d.features, until: d.until ?? null, pipelineExecutionArn: d.pipelineExecutionArn ?? null },
    },
  }),
  CanaryJudged: (d) => ({
    summary: `The canary judge looked at ${v(d)} on ${d.endpointName} at ${d.lookAt}: ${d.decision} (${d.metric}).`,
    why: {
      rule: 'A canary whose error rate or latency-SLO miss rate is worse than the champion\'s by the always-valid harm test (one-sided, the policy\'s α split over the metrics) is rolled back through the canary-harm alarm; one that reaches its planned invocations unharmed on every metric passes',
      figures: {
        decision: d.decision,
        reason: d.reason,
        champion: d.champion,
        canary: d.canary,
        plannedUnits: d.plannedUnits,
        informationFraction: d.informationFraction,
        statistic: d.statistic ?? null,
        bound: d.bound ?? null,
        alwaysValidPValue: d.alwaysValidPValue ?? null,
        metric: d.metric,
        metrics: d.metrics ?? null,
      },
    },
  }),
  ChallengerStarted: (d) => ({
    summary:
      d.mode === 'shadow'
        ? `${v(d)} started a shadow test against v${d.championVersion} on ${d.endpointName}, scoring a copy of ${d.sharePercent} % of production requests and deciding none (requested by ${d.requestedBy}).`
        : `${v(d)} started an A/B test against v${d.championVersion} on ${d.endpointName} with ${d.sharePercent} % of production traffic (requested by ${d.requestedBy}).`,
    why: {
      rule: 'An operator may challenge the Live version with a version approved for production by a human; the challenger serves its share as a second variant (A/B) or scores a copy of it as a shadow variant (when the policy says it must not decide) until the judge concludes',
      figures: {
        championVersion: d.championVersion,
        mode: d.mode ?? 'ab',
        sharePercent: d.sharePercent,
        requestedBy: d.requestedBy,
        reason: d.reason,
        label: d.label,
        labelMaturityDays: d.labelMaturityDays,
        championDefaultRate: d.championDefaultRate,
        minimumDetectableEffect: d.minimumDetectableEffect,
        ...(d.plannedDefaults !== undefined ? { plannedDefaults: d.plannedDefaults } : {}),
        ...(d.earlyHarmLabel ? { earlyHarmLabel: d.earlyHarmLabel } : {}),
      },
    },
  }),
  ExperimentJudged: (d) => ({
    summary: `The experiment judge looked at ${v(d)} against v${d.championVersion} at ${d.lookAt}: ${d.decision}.`,
    why: {
      rule: 'A challenger whose default rate among matured approved applications (A/B) or whose paired AUC on the same applications (shadow) is better by the group-sequential efficacy test wins; one worse by the always-valid harm test (on the early harm label when the policy names one) is stopped',
      figures: {
        decision: d.decision,
        reason: d.reason,
        label: d.label,
        champion: d.champion,
        challenger: d.challenger,
        informationFraction: d.informationFraction,
        ...(d.mode ? { mode: d.mode } : {}),
        ...(d.statistic !== undefined ? { statistic: d.statistic, bound: d.bound } : {}),
        ...(d.earlyHarm ? { earlyHarm: d.earlyHarm } : {}),
        ...(d.shadow ? { shadow: d.shadow } : {}),
      },
    },
  }),
  ExperimentConcluded: (d) => ({
    summary: `The A/B test of ${v(d)} against v${d.championVersion} ended (${d.decision}): v${d.winnerVersion} takes all production traffic.`,
    why: {
      rule: 'The judge\'s terminal verdict moves all traffic to the winner (UpdateEndpointWeightsAndCapacities), then a clean one-variant config is deployed',
      figures: { decision: d.decision, reason: d.reason, winnerVersion: d.winnerVersion, champion: d.champion, challenger: d.challenger },
    },
  }),
  ReconcileFailed: (d) => ({
    summary: `Reconciling ${v(d)} failed (${d.severity}): ${d.reason}.`,
    why: { rule: 'A reconcile that cannot proceed leaves the group as it was and is reported', figures: { severity: d.severity, reason: d.reason, message: d.message } },
  }),
  EventRejected: (d) => ({
    summary: `A ${d.detailType} event from ${d.source} (${d.eventId}) was rejected and not acted on.`,
    why: { rule: 'Malformed events, and events from another account or region, are recorded and never acted on', figures: { source: d.source, detailType: d.detailType, eventId: d.eventId, reason: d.reason } },
  }),
};

/** The explanation of a domain event: summary, why, actor (the control plane unless the detail names one), evidence. */
export function explain(event: DomainEvent): Explanation {
  const entry = (EXPLAIN[event.detailType] as Explain<DomainDetailType>)(event.detail);
  return { actor: CONTROL_PLANE_ACTOR, evidence: [], ...entry };
}
