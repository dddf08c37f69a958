/**
 * What people receive for a domain event: one human-readable notification (an SNS subject and body) and, for
 * incidents, the PagerDuty page that goes with it (project alarms: alarm-messages.ts).
 *
 * Severity and paging, in one place:
 *
 * | event                                      | severity          | page                                     |
 * |--------------------------------------------|-------------------|------------------------------------------|
 * | RollbackPerformed                          | critical          | trigger `rollback:<group>:v<version>`    |
 * | ReconcileFailed                            | its own severity  | trigger `reconcile:<group>:<reason>` when critical or error |
 * | PipelineFailed                             | error             | trigger `pipeline:<executionArn>`        |
 * | PipelineFailed, condition-not-met (a gate) | warning           | none                                     |
 * | ApprovalUnverified, EventRejected, ModelRejected | warning     | none                                     |
 * | DriftDetected; RetrainSkipped when `alert` | warning           | none                                     |
 * | CanaryJudged `rollback` (the rollback pages) | warning         | none                                     |
 * | ExperimentJudged `stop-harm`; ExperimentConcluded `stop-harm`/`aborted` | warning | none               |
 * | ExperimentJudged with `alert`; CanaryJudged `wait` past its plan | warning | none                     |
 * | other CanaryJudged, ExperimentJudged `continue`/`wait` | not sent (notify.ts: routine looks) | none |
 * | ApprovalRequested (to the approvals topic) | info              | none                                     |
 * | every other domain event                   | info              | none                                     |
 * | alarm ALARM                                | critical          | trigger `alarm:<alarmName>`              |
 * | alarm OK                                   | info              | resolve `alarm:<alarmName>`              |
 * | alarm INSUFFICIENT_DATA (not routed today) | warning           | none                                     |
 *
 * Pure: no AWS, no clock, no environment. Domain events carry no secrets, and nothing else is read.
 */
import { pipelineNameFromArn } from '../contracts/aws-events';
import type { DomainEvent } from '../contracts/domain-events';
import { MAX_QUOTED, actorName, actorText, cut, duration, groupVersion, kebabCase, list, plural, render, rollbackCommand, type Detail, type Draft, type Notification, type NotificationLinks } from './notification';

// ---------------------------------------------------------------------------------------------------------------
// Domain events
// ---------------------------------------------------------------------------------------------------------------

function versionFacts(d: { modelGroup: string; version?: number }): Draft['facts'] {
  return [
    ['Model group', d.modelGroup],
    ['Version', d.version],
  ];
}

function gateLine(r: Detail<'ModelGated'>['results'][number]): string {
  const figures = [r.observed !== undefined ? `observed ${r.observed}` : '', r.threshold ? `threshold ${r.threshold}` : '']
    .filter(Boolean)
    .join(', ');
  return `${r.passed ? 'PASS' : 'FAIL'} ${r.gate}: ${r.message}${figures ? ` [${figures}]` : ''}`;
}

function modelGated(d: Detail<'ModelGated'>): Draft {
  const failed = d.results.filter((r) => !r.passed);
  return {
    severity: 'info',
    title: d.passed
      ? `${groupVersion(d.modelGroup, d.version)} passed its gates`
      : `${groupVersion(d.modelGroup, d.version)} failed ${failed.length} of ${plural(d.results.length, 'gate')}`,
    headline: d.passed
      ? `Version ${d.version} of ${d.modelGroup} passed all ${plural(d.results.length, 'gate')} and goes on to staging and approval.`
      : `Version ${d.version} of ${d.modelGroup} failed ${failed.length} of ${plural(d.results.length, 'gate')} and is rejected.`,
    facts: versionFacts(d),
    // Failures first: they are what the reader came for.
    why: [...failed, ...d.results.filter((r) => r.passed)].map(gateLine),
    next: d.passed
      ? ['Nothing to do: the version continues on its own.']
      : ['Fix the data or the model for the failed gates and push: the new version re-enters the lifecycle.'],
  };
}

function modelApproved(d: Detail<'ModelApproved'>): Draft {
  return {
    severity: 'info',
    title: `${groupVersion(d.modelGroup, d.version)} approved for ${d.environment}`,
    headline: `Version ${d.version} of ${d.modelGroup} was approved for ${d.environment} by ${actorName(d.approver)}.`,
    facts: [...versionFacts(d), ['Environment', d.environment], ['Approver', actorText(d.approver)]],
    why: [`Stated reason: ${d.reason || '(none given)'}`],
    next: [`Nothing to do: the ${d.environment} rollout starts as soon as the endpoint is free (DeploymentStarted follows).`],
  };
}

function modelRejected(d: Detail<'ModelRejected'>): Draft {
  return {
    severity: 'warning',
    title: `${groupVersion(d.modelGroup, d.version)} rejected`,
    headline: `Version ${d.version} of ${d.modelGroup} was rejected by ${actorName(d.rejectedBy)} and will not be deployed.`,
    facts: [...versionFacts(d), ['Rejected by', actorText(d.rejectedBy)]],
    why: d.reasons,
    next: ['A rejected version is final. Fix the causes above and push: the next version re-enters the lifecycle.'],
  };
}

function approvalRequested(d: Detail<'ApprovalRequested'>): Draft {
  const smoke = d.smokeTest;
  return {
    severity: 'info',
    tag: 'approval needed',
    title: `${groupVersion(d.modelGroup, d.version)} for ${d.environment}`,
    headline: `Version ${d.version} of ${d.modelGroup} waits for your ${d.environment} approval: nothing is deployed to ${d.environment} until an approver decides.`,
    facts: [
      ...versionFacts(d),
      ['Environment', d.environment],
      ['Model package', d.modelPackageArn],
      ['Gates', d.gates.passed ? 'all passed' : 'NOT all passed'],
      ['Smoke test', smoke ? `${smoke.passed ? 'passed' : 'FAILED'} (${plural(smoke.checks.length, 'check')})` : undefined],
    ],
    why: [
      `Gates: ${d.gates.summary}`,
      ...(smoke ? smoke.checks.map((c) => `Smoke test ${c.passed ? 'PASS' : 'FAIL'} ${c.name}: ${c.message}`) : []),
    ],
    next: [
      'Review the gate figures above, the model card and the evaluation, bias and explainability reports of the version.',
      `To approve or reject: ${d.howToApprove}`,
      'Approve signed in as yourself, with a reason: an approval by a shared or service role is not acted on (ApprovalUnverified).',
    ],
  };
}

function approvalUnverified(d: Detail<'ApprovalUnverified'>): Draft {
  return {
    severity: 'warning',
    title: `${groupVersion(d.modelGroup, d.version)}: ${d.environment} approval not verified`,
    headline: `The ${d.environment} approval of version ${d.version} of ${d.modelGroup} has no identified human approver, so the control plane does not act on it.`,
    facts: [...versionFacts(d), ['Environment', d.environment], ['Recorded actor', d.actor ? actorText(d.actor) : 'none']],
    why: [d.reason],
    next: [
      'Check who approved in CloudTrail (UpdateModelPackage).',
      'If the approval is genuine, approve again in the SageMaker console or with the CLI, signed in as yourself (not a shared or service role), so the approver is recorded.',
      'If it is not, reject the version and review who may call UpdateModelPackage.',
    ],
  };
}

function deploymentStarted(d: Detail<'DeploymentStarted'>): Draft {
  const rollback = d.kind === 'rollback';
  return {
    severity: 'info',
    title: rollback
      ? `${groupVersion(d.modelGroup, d.version)} redeploying to ${d.environment} (rollback)`
      : `${groupVersion(d.modelGroup, d.version)} deploying to ${d.environment}`,
    headline: rollback
      ? `Version ${d.version} of ${d.modelGroup} is being redeployed to ${d.endpointName} as the last-known-good version.`
      : `Version ${d.version} of ${d.modelGroup} is being deployed to ${d.endpointName} (${d.environment}, ${d.strategy}).`,
    facts: [
      ...versionFacts(d),
      ['Environment', d.environment],
      ['Endpoint', d.endpointName],
      ['Endpoint config', d.endpointConfigName],
      ['Strategy', d.strategy],
    ],
    why: [rollback ? 'A rollback redeploys the last version that was Live before.' : 'The version passed its gates and its approval.'],
    next: [
      d.environment === 'staging'
        ? 'Nothing to do: a smoke test runs when the endpoint is InService (StagingVerified follows).'
        : 'Nothing to do: ModelPromoted follows when the endpoint serves the new config; a failure is reported.',
    ],
    endpointName: d.endpointName,
  };
}

function stagingVerified(d: Detail<'StagingVerified'>): Draft {
  return {
    severity: 'info',
    title: `${groupVersion(d.modelGroup, d.version)} verified in staging`,
    headline: `Version ${d.version} of ${d.modelGroup} passed its smoke test on ${d.endpointName}.`,
    facts: [...versionFacts(d), ['Endpoint', d.endpointName]],
    why: d.checks.map((c) => `${c.passed ? 'PASS' : 'FAIL'} ${c.name}: ${c.message}`),
    next: ['Production approval is next: where the policy asks for a manual approval, approve in the SageMaker console or with the CLI.'],
    endpointName: d.endpointName,
  };
}

function canaryStarted(d: Detail<'CanaryStarted'>): Draft {
  return {
    severity: 'info',
    title: `${groupVersion(d.modelGroup, d.version)} canary at ${d.trafficPercent}% in production`,
    headline: `Version ${d.version} of ${d.modelGroup} takes ${d.trafficPercent}% of production traffic on ${d.endpointName} for a ${duration(d.bakeSeconds)} bake.`,
    facts: [
      ...versionFacts(d),
      ['Endpoint', d.endpointName],
      ['Endpoint config', d.endpointConfigName],
      ['Canary traffic', `${d.trafficPercent}%`],
      ['Bake time', duration(d.bakeSeconds)],
    ],
    why: [
      d.rollbackAlarms.length > 0
        ? `SageMaker rolls the canary back on its own if ${d.rollbackAlarms.length === 1 ? 'this alarm fires' : 'any of these alarms fires'} during the bake: ${list(d.rollbackAlarms)}.`
        : 'No rollback alarm guards this canary: SageMaker will not roll it back on its own.',
    ],
    next: ['Nothing to do: ModelPromoted or RollbackPerformed follows.'],
    endpointName: d.endpointName,
  };
}

function modelPromoted(d: Detail<'ModelPromoted'>): Draft {
  const previous = d.previousVersion;
  return {
    severity: 'info',
    title: `${groupVersion(d.modelGroup, d.version)} live in production${previous ? ` (replaces v${previous})` : ''}`,
    headline: `Version ${d.version} of ${d.modelGroup} now serves all production traffic on ${d.endpointName}.`,
    facts: [...versionFacts(d), ['Endpoint', d.endpointName], ['Endpoint config', d.endpointConfigName], ['Previous version', previous]],
    why: [
      previous
        ? `It replaces version ${previous}, which is kept as the last-known-good.`
        : 'It is the first version in production: there is no last-known-good to roll back to yet.',
    ],
    next: previous
      ? [`If it misbehaves, roll back to version ${previous} with one command: ${rollbackCommand(d.modelGroup)}`]
      : ['Nothing to do.'],
    endpointName: d.endpointName,
  };
}

const INITIATOR: Record<Detail<'RollbackPerformed'>['initiator'], string> = {
  'sagemaker-guardrails': "SageMaker's deployment guardrails",
  'control-plane': 'the control plane',
  operator: 'an operator',
};

function rollbackPerformed(d: Detail<'RollbackPerformed'>): Draft {
  const to = d.toVersion;
  const stillOld = d.initiator === 'sagemaker-guardrails';
  return {
    severity: 'critical',
    title: `${groupVersion(d.modelGroup, d.version)} rolled back${to ? ` to v${to}` : ''} on ${d.endpointName}`,
    headline: `Version ${d.version} of ${d.modelGroup} was rolled back on ${d.endpointName} by ${INITIATOR[d.initiator]}.`,
    summary: `Version ${d.version} of ${d.modelGroup} was rolled back on ${d.endpointName} by ${INITIATOR[d.initiator]}: ${d.reason}`,
    facts: [
      ...versionFacts(d),
      ['Endpoint', d.endpointName],
      ['Initiator', d.initiator],
      ['Now serving', to ? `version ${to} (being redeployed)` : stillOld ? 'the previous endpoint config (the rollout never completed)' : undefined],
    ],
    why: [`Reason: ${d.reason}`, ...(d.alarms.length > 0 ? [`Alarms: ${list(d.alarms)}`] : [])],
    next: [
      ...(to ? [`Check that version ${to} is healthy again: a DeploymentStarted (rollback) and then ModelPromoted follow.`] : []),
      'Find the cause (the reason and alarms above, the endpoint metrics and logs) before releasing a fix: a rolled-back version is final, ship a new one.',
      'Resolve this incident by hand once production is healthy: no automatic resolve follows.',
    ],
    endpointName: d.endpointName,
    page: {
      action: 'trigger',
      dedupKey: `rollback:${d.modelGroup}:v${d.version}`,
      source: d.endpointName,
      component: d.endpointName,
      class: 'RollbackPerformed',
    },
  };
}

/** What to do about a failed pipeline, by diagnosis category. */
function pipelineNext(d: Detail<'PipelineFailed'>): string[] {
  const retry = `then retry the execution: aws sagemaker retry-pipeline-execution --pipeline-execution-arn ${d.pipelineExecutionArn}`;
  const { category, action, resource, principal } = d.diagnosis;
  switch (category) {
    case 'missing-permission':
      return [
        `Grant ${action ?? 'the missing action'}${resource ? ` on ${resource}` : ''} to ${principal ?? 'the pipeline execution role'} (its policy is in terraform/), ${retry}`,
      ];
    case 'resource-limit':
      return [`Request a service quota increase or use a smaller instance type, ${retry}`];
    case 'data':
      return ['Check the training data named above (schema, labels, location), fix it and push or re-run the pipeline.'];
    case 'algorithm':
      return ["Read the failed step's CloudWatch logs, fix the training or processing code and push."];
    case 'condition-not-met':
      return ['The model did not meet the policy (AUC or fairness): improve it and push. Nothing is deployed.'];
    case 'unknown':
      return [`Read the failure reason above and the failed step's logs; fix the cause, ${retry}`];
  }
}

function pipelineName(arn: string): string {
  try {
    return pipelineNameFromArn(arn);
  } catch {
    return arn;
  }
}

function pipelineFailed(d: Detail<'PipelineFailed'>): Draft {
  const name = pipelineName(d.pipelineArn);
  const who = d.modelGroup === 'unknown' ? name : d.modelGroup;
  // A model that missed the pipeline's quality or fairness gate is the modellers' news, not an incident.
  const gateMiss = d.diagnosis.category === 'condition-not-met';
  return {
    severity: gateMiss ? 'warning' : 'error',
    title: `${who} training pipeline failed: ${d.diagnosis.category}`,
    // The diagnosis leads: it names the fix ("role X lacks s3:GetObject on s3://…"), the raw reason follows.
    headline: `Training pipeline ${name} failed: ${d.diagnosis.summary}`,
    facts: [
      ['Model group', d.modelGroup],
      ['Pipeline', name],
      ['Execution', d.pipelineExecutionArn],
      ['Failed step', d.failedStep],
      ['Diagnosis', d.diagnosis.category],
      ['Missing permission', d.diagnosis.action],
      ['Resource', d.diagnosis.resource],
      ['Principal', d.diagnosis.principal],
    ],
    why: [`SageMaker's failure reason: ${cut(d.failureReason, MAX_QUOTED)}`],
    next: pipelineNext(d),
    ...(gateMiss
      ? {}
      : {
          page: {
            action: 'trigger',
            dedupKey: `pipeline:${d.pipelineExecutionArn}`,
            source: d.pipelineArn,
            component: name,
            class: d.diagnosis.category,
          },
        }),
  };
}

/** Known reconcile failure reasons and what on-call does about each. */
const RECONCILE_NEXT: Record<string, string[]> = {
  NoRollbackTarget: [
    'There is no last-known-good version to roll back to: fix forward (push a new version) or take traffic off the endpoint.',
    'The rollback request is cleared; request it again once a target exists.',
  ],
  UpdateRollbackFailed: [
    'The endpoint serves a mix of configs. Inspect it in the console and update it by hand to a known-good endpoint config (aws sagemaker update-endpoint); the next sweep reconciles from there.',
  ],
  InvalidPolicy: ["Fix the group's policy overrides: nothing is reconciled for this group until the policy parses."],
  RetrainStartFailed: [
    'Check that the training pipeline exists and the reconcile role may start it (TRAINING_PIPELINE_NAME); the error above says why it refused.',
    'The lifecycle carried on; persistent drift retries after the cooldown, or retrain by hand (git push).',
  ],
};

function reconcileFailed(d: Detail<'ReconcileFailed'>): Draft {
  const pages = d.severity === 'critical' || d.severity === 'error';
  return {
    severity: d.severity,
    title: `${groupVersion(d.modelGroup, d.version)} reconcile failed: ${d.reason}`,
    headline: `Reconciling ${d.modelGroup} failed (${d.reason}): ${d.message}`,
    facts: [...versionFacts(d), ['Reason', d.reason]],
    why: [],
    next: RECONCILE_NEXT[d.reason] ?? ['The reconciler tries again on the next event or sweep; fix the cause above if it persists.'],
    ...(pages ? { page: { action: 'trigger', dedupKey: `reconcile:${d.modelGroup}:${d.reason}`, source: d.modelGroup, class: d.reason } } : {}),
  };
}

function eventRejected(d: Detail<'EventRejected'>): Draft {
  return {
    severity: 'warning',
    title: `Event rejected: ${d.detailType} from ${d.source}`,
    headline: `An event (${d.detailType} from ${d.source}, id ${d.eventId}) was refused and not acted on: ${d.reason}`,
    facts: [
      ['Model group', d.modelGroup],
      ['Source', d.source],
      ['Detail-type', d.detailType],
      ['Event id', d.eventId],
    ],
    why: [],
    next: [
      'Nothing was changed. The raw event is kept as evidence with the rejected-event record.',
      'If the event was genuine, fix its producer or the contract; if not, find out who can put events on the bus.',
    ],
  };
}

function driftLine(f: Detail<'DriftDetected'>['features'][number]): string {
  const weight = f.importance === undefined ? '' : `, ${(f.importance * 100).toFixed(0)} % of the model's importance`;
  return `${f.drifted ? 'DRIFT' : 'ok'} ${f.feature}: ${f.method} ${f.distance.toFixed(3)} against ${f.threshold}${weight}`;
}

/** Bias re-check findings travel in DriftDetected too (methods `bias-…`): they are about fairness, not inputs. */
const isBiasFinding = (f: { method: string }) => f.method.startsWith('bias-');

function driftDetected(d: Detail<'DriftDetected'>): Draft {
  const drifted = d.features.filter((f) => f.drifted);
  const fairnessOnly = drifted.length > 0 && drifted.every(isBiasFinding);
  const window = `${d.source}, ${plural(d.records, 'record')} from ${d.windowStart} to ${d.windowEnd}`;
  return {
    severity: 'warning',
    title: `${groupVersion(d.modelGroup, d.version)} ${fairnessOnly ? 'fairness drift' : 'input drift'} on ${list(drifted.map((f) => f.feature))}`,
    headline: fairnessOnly
      ? `The predictions of version ${d.version} of ${d.modelGroup} broke the policy's fairness gates in production (${window}).`
      : `The inputs of version ${d.version} of ${d.modelGroup} drifted from its training baseline on ${plural(drifted.length, 'feature')} (${window}).`,
    facts: [...versionFacts(d), ['Source', d.source], ['Window', `${d.windowStart} → ${d.windowEnd}`], ['Report', d.reportUri], ['Violations', d.violationsUri]],
    why: d.features.map(driftLine),
    next: ['Nothing to do yet: the control plane triages the drift (persistence, importance) and retrains or tells you (RetrainRequested or RetrainSkipped follows).'],
  };
}

function retrainRequested(d: Detail<'RetrainRequested'>): Draft {
  return {
    severity: 'info',
    title: `${d.modelGroup} retraining started (drift on v${d.version})`,
    headline: `Retraining of ${d.modelGroup} started: ${d.reason}.`,
    facts: [...versionFacts(d), ['Pipeline', d.pipelineName], ['Drift window end', d.triggerWindowEnd], ['Report', d.reportUri]],
    why: d.features.map((f) => driftLine({ ...f, drifted: true })),
    next: ['Nothing to do: the new version enters the lifecycle (gates, staging, approval) when the pipeline registers it.'],
  };
}

function retrainSkipped(d: Detail<'RetrainSkipped'>): Draft {
  const next: Record<Detail<'RetrainSkipped'>['skip'], string> = {
    'minor-features': 'The drifted features carry little of the model: watch the next windows; retrain by hand (git push) if the business sees a change.',
    'alert-only': 'The policy says alert only: decide whether to retrain (git push) or to widen the thresholds in the group policy.',
    'in-flight': 'Nothing to do: the running retraining uses the latest data.',
    cooldown: 'Nothing to do unless the drift hurts: the next window after the cooldown retrains if it persists.',
    'weekly-budget': 'The weekly retraining budget is spent: investigate why retraining does not fix the drift (data source change?).',
    'no-commit': 'The Live version records no code commit, so there is nothing to retrain with: retrain by hand (git push), and consider requiring lineage in the group policy.',
  };
  return {
    severity: d.alert ? 'warning' : 'info',
    title: `${groupVersion(d.modelGroup, d.version)} drift not retrained: ${d.skip}`,
    headline: `Drift on version ${d.version} of ${d.modelGroup} did not start retraining: ${d.reason}.`,
    facts: [...versionFacts(d), ['Skipped because', d.skip], ['Until', d.until], ['Running execution', d.pipelineExecutionArn], ['Drift window end', d.triggerWindowEnd]],
    why: d.features.map(driftLine),
    next: [next[d.skip]],
  };
}

function canaryJudged(d: Detail<'CanaryJudged'>): Draft {
  const rate = (a: { units: number; events: number }) => `${a.events} of ${a.units}${a.units > 0 ? ` (${((100 * a.events) / a.units).toFixed(2)} %)` : ''}`;
  const next: Record<Detail<'CanaryJudged'>['decision'], string> = {
    rollback: `Nothing to do yet: the canary-harm alarm makes SageMaker's guardrails revert the rollout (RollbackPerformed follows and pages). Then find why the new version ${d.metric === 'errors' ? 'errs more' : `has more ${d.metric}`}.`,
    pass: 'Nothing to do: the rollout completes when its bake ends.',
    continue: 'Nothing to do: the judge looks again next minute.',
    wait:
      d.informationFraction >= 1
        ? 'The canary reached its planned invocations with too few events to judge: extend the bake (production.canary.bakeSeconds) or accept that only the SLO alarms guard this rollout.'
        : 'Nothing to do: the judge waits for enough traffic on both fleets (the SLO alarms still guard the canary).',
  };
  return {
    severity: d.decision === 'rollback' || (d.decision === 'wait' && d.informationFraction >= 1) ? 'warning' : 'info',
    title: `${groupVersion(d.modelGroup, d.version)} canary judged: ${d.decision}`,
    headline: d.reason,
    facts: [
      ...versionFacts(d),
      ['Endpoint', d.endpointName],
      ['Canary config', d.endpointConfigName],
      ['Champion config', d.previousConfigName],
      ['Look at', d.lookAt],
      // Every metric judged (the decisive one alone in events from before the latency metric).
      ...(d.metrics ?? [{ metric: d.metric, canary: d.canary, champion: d.champion }]).flatMap((m): [string, string][] => [
        ['Canary ' + m.metric, rate(m.canary)],
        ['Champion ' + m.metric, rate(m.champion)],
      ]),
      ['Planned invocations', d.plannedUnits],
    ],
    why: [d.reason],
    next: [next[d.decision]],
  };
}

const rateText = (a: { units: number; events: number }) => `${a.events} of ${a.units}${a.units > 0 ? ` (${((100 * a.events) / a.units).toFixed(2)} %)` : ''}`;

function challengerStarted(d: Detail<'ChallengerStarted'>): Draft {
  const shadow = d.mode === 'shadow';
  return {
    severity: 'info',
    title: `${groupVersion(d.modelGroup, d.version)} ${shadow ? 'shadow' : 'A/B'} test started against v${d.championVersion}`,
    headline: shadow
      ? `Version ${d.version} of ${d.modelGroup} scores a copy of ${d.sharePercent} % of production requests in shadow, deciding nothing, beside version ${d.championVersion} (requested by ${d.requestedBy}: ${d.reason}).`
      : `Version ${d.version} of ${d.modelGroup} serves ${d.sharePercent} % of production beside version ${d.championVersion} (requested by ${d.requestedBy}: ${d.reason}).`,
    facts: [
      ...versionFacts(d),
      ['Champion', `v${d.championVersion}`],
      ['Endpoint', d.endpointName],
      ['Config', d.endpointConfigName],
      [shadow ? 'Mirrored share' : 'Challenger share', `${d.sharePercent} %`],
      ['Label', `${d.label}, matures after ${d.labelMaturityDays} day(s)`],
      ...(d.earlyHarmLabel ? [['Early harm label', `${d.earlyHarmLabel.label}, matures after ${d.earlyHarmLabel.maturityDays} day(s)`] as [string, string]] : []),
      shadow && d.plannedDefaults !== undefined
        ? ['Plan', `paired ΔAUC (DeLong) up to ${d.plannedDefaults} labelled defaults`]
        : ['Planned effect', `${d.championDefaultRate} → ${d.championDefaultRate - d.minimumDetectableEffect} default rate`],
    ],
    why: [d.reason],
    next: ['Nothing to do: the judge looks every minute as labels mature; ExperimentConcluded follows.'],
  };
}

function experimentJudged(d: Detail<'ExperimentJudged'>): Draft {
  const terminal = d.decision === 'challenger-wins' || d.decision === 'keep-champion' || d.decision === 'stop-harm';
  const next = d.alert === 'sample-ratio-mismatch'
    ? 'Find why the challenger gets another share of the requests than planned (variant weights, a failing shadow, lost captures); the judge waits until the split is back, or keeps the champion at the deadline.'
    : d.alert === 'labels-incomplete'
      ? 'Outcomes have not arrived for matured approvals for a day: check the loan book feed (OUTCOMES_S3_URI); the judge waits, or keeps the champion at the deadline.'
      : terminal
      ? 'Nothing to do: the reconcile moves all traffic to the winner (ExperimentConcluded follows).'
      : 'Nothing to do: the judge looks again as more labels mature.';
  return {
    severity: d.decision === 'stop-harm' || d.alert ? 'warning' : 'info',
    title: `${groupVersion(d.modelGroup, d.version)} experiment judged: ${d.decision}${d.alert ? ` (${d.alert})` : ''}`,
    headline: d.reason,
    facts: [
      ...versionFacts(d),
      ['Champion', `v${d.championVersion}`],
      ['Look at', d.lookAt],
      [`Challenger ${d.label}`, rateText(d.challenger)],
      [`Champion ${d.label}`, rateText(d.champion)],
      ...(d.earlyHarm
        ? ([
            [`Challenger ${d.earlyHarm.label}`, rateText(d.earlyHarm.challenger)],
            [`Champion ${d.earlyHarm.label}`, rateText(d.earlyHarm.champion)],
          ] as [string, string][])
        : []),
      ...(d.shadow ? [['Paired AUC', `challenger ${d.shadow.challengerAuc.toFixed(4)}, champion ${d.shadow.championAuc.toFixed(4)} on ${d.shadow.pairs} applications (${d.shadow.defaults} defaults)`] as [string, string]] : []),
      ['Information fraction', d.informationFraction.toFixed(2)],
    ],
    why: [d.reason],
    next: [next],
  };
}

function experimentConcluded(d: Detail<'ExperimentConcluded'>): Draft {
  return {
    severity: d.decision === 'stop-harm' || d.decision === 'aborted' ? 'warning' : 'info',
    title: `${groupVersion(d.modelGroup, d.version)} experiment concluded: ${d.decision}`,
    headline: `The A/B test of version ${d.version} against version ${d.championVersion} ended: version ${d.winnerVersion} takes all production traffic.`,
    facts: [...versionFacts(d), ['Champion', `v${d.championVersion}`], ['Winner', `v${d.winnerVersion}`], ['Challenger defaults', rateText(d.challenger)], ['Champion defaults', rateText(d.champion)]],
    why: [d.reason],
    next: [d.decision === 'challenger-wins' ? 'Nothing to do: ModelPromoted follows once the clean config serves.' : `Nothing to do: version ${d.version} is Rejected; find why it lost before challenging again.`],
  };
}

/** The draft of one domain event; the switch is exhaustive, so a new detail-type fails to compile here. */
function draftOf(event: DomainEvent): Draft {
  switch (event.detailType) {
    case 'ModelGated':
      return modelGated(event.detail);
    case 'ModelApproved':
      return modelApproved(event.detail);
    case 'ModelRejected':
      return modelRejected(event.detail);
    case 'ApprovalRequested':
      return approvalRequested(event.detail);
    case 'ApprovalUnverified':
      return approvalUnverified(event.detail);
    case 'DeploymentStarted':
      return deploymentStarted(event.detail);
    case 'StagingVerified':
      return stagingVerified(event.detail);
    case 'CanaryStarted':
      return canaryStarted(event.detail);
    case 'ModelPromoted':
      return modelPromoted(event.detail);
    case 'RollbackPerformed':
      return rollbackPerformed(event.detail);
    case 'PipelineFailed':
      return pipelineFailed(event.detail);
    case 'ReconcileFailed':
      return reconcileFailed(event.detail);
    case 'EventRejected':
      return eventRejected(event.detail);
    case 'DriftDetected':
      return driftDetected(event.detail);
    case 'RetrainRequested':
      return retrainRequested(event.detail);
    case 'RetrainSkipped':
      return retrainSkipped(event.detail);
    case 'CanaryJudged':
      return canaryJudged(event.detail);
    case 'ChallengerStarted':
      return challengerStarted(event.detail);
    case 'ExperimentJudged':
      return experimentJudged(event.detail);
    case 'ExperimentConcluded':
      return experimentConcluded(event.detail);
  }
}

/**
 * The notification of a domain event: subject, body, severity, and the page for incidents.
 *
 * @example
 * describeDomainEvent({ detailType: 'RollbackPerformed', detail }, { runbookBaseUrl: 'https://runbooks.example/mlops' })
 * // → { subject: '[CRITICAL] credit-risk-retail v7 rolled back to v6 on credit-risk-retail-prod', severity: 'critical',
 * //     page: { action: 'trigger', dedupKey: 'rollback:credit-risk-retail:v7', … }, body: '…' }
 */
export function describeDomainEvent(event: DomainEvent, links: NotificationLinks): Notification {
  const { schemaVersion: _schemaVersion, ...details } = event.detail;
  return render(draftOf(event), {
    links,
    anchor: kebabCase(event.detailType),
    modelGroup: event.detail.modelGroup === 'unknown' ? undefined : event.detail.modelGroup,
    eventRef: `${event.detailType} ${event.detail.eventKey} at ${event.detail.occurredAt}`,
    timestamp: event.detail.occurredAt,
    details: { detailType: event.detailType, ...details },
  });
}

