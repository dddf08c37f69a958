/**
 * The experiment judge, run each minute for every managed group with an experiment running: per-arm default rates
 * among matured approved applications (outcomes joined to the captured predictions by inference id; the harm test
 * on the early harm label when the policy names one), or in a shadow test both models' scores of the same labelled
 * applications, go to the group-sequential look of shared/judge/experiment-look; every look is published as
 * ExperimentJudged (the audit
 * ledger); a terminal verdict (challenger-wins, keep-champion, stop-harm) is recorded on the group's status with a
 * conditional write and a reconcile is requested, which moves the traffic and concludes the test. Idempotent per
 * look minute: a re-run in the same minute finds the look taken and does nothing.
 */
import type { DomainEventDetail } from '../contracts/domain-events';
import { reconcileRequestSchema } from '../contracts/reconcile-request';
import { lookMinute } from '../canary-judge/canary-judge';
import { judgeExperimentLook, type ExperimentLookInput, type ExperimentVerdict } from '../judge/experiment-look';
import { CHALLENGER_VARIANT, VARIANT_NAME } from '../lifecycle/decide';
import type { ExperimentOutcome, ExperimentState } from '../lifecycle/model';
import { endpointName } from '../lifecycle/names';
import { parsePolicy } from '../lifecycle/policy';
import { eachGroup, failIfAny } from '../runtime/each-group';
import type { AlertBook, ExperimentAlert, ExperimentJudgeDeps } from './ports';

export type ExperimentJudgeOutcome =
  | { group: string; outcome: 'not-managed' | 'no-experiment' }
  | { group: string; outcome: 'concluding' | 'starting' | 'already-looked'; version: number }
  | { group: string; outcome: 'judged'; version: number; decision: ExperimentVerdict['decision']; recorded: boolean };

const TERMINAL: ReadonlySet<string> = new Set<ExperimentOutcome>(['challenger-wins', 'keep-champion', 'stop-harm']);

/** The ExperimentJudged detail of one look; `earlyHarmLabel` names the label of the early harm counts. */
export function experimentJudgedDetail(group: string, e: ExperimentState, labels: { label: string; earlyHarmLabel?: string }, lookAt: string, occurredAt: string, verdict: ExperimentVerdict): DomainEventDetail<'ExperimentJudged'> {
  const { champion, challenger, earlyHarm, shadow } = verdict.sufficientStatistics;
  const counts = (arm: { labelled: number; defaults: number }) => ({ units: arm.labelled, events: arm.defaults });
  return {
    schemaVersion: 1,
    eventKey: `${group}/v${e.version}/experiment-judge/${lookAt}`,
    modelGroup: group,
    occurredAt,
    version: e.version,
    championVersion: e.championVersion,
    lookAt,
    decision: verdict.decision,
    reason: verdict.reason,
    label: labels.label,
    champion: counts(champion),
    challenger: counts(challenger),
    informationFraction: verdict.look.informationFraction,
    mode: e.mode ?? 'ab',
    ...(verdict.look.statistic !== null ? { statistic: verdict.look.statistic } : {}),
    ...(verdict.look.bound !== null ? { bound: verdict.look.bound } : {}),
    ...(earlyHarm && labels.earlyHarmLabel ? { earlyHarm: { label: labels.earlyHarmLabel, champion: counts(earlyHarm.champion), challenger: counts(earlyHarm.challenger) } } : {}),
    ...(shadow
      ? {
          shadow: {
            pairs: shadow.delong.cases + shadow.delong.controls,
            defaults: shadow.delong.cases,
            championAuc: shadow.delong.championAuc,
            challengerAuc: shadow.delong.challengerAuc,
            brierDifference: shadow.brier.meanDifference,
          },
        }
      : {}),
  };
}

/** The judge plan of a recorded experiment: default rates by arm (A/B), or the paired AUC of a shadow test. */
export function planOf(e: ExperimentState): ExperimentLookInput['plan'] {
  const { plannedDefaults, ...plan } = e.plan;
  if (e.mode !== 'shadow') return { primaryMetric: 'default-rate', ...plan };
  return { ...plan, primaryMetric: 'auc', assignment: 'shadow', plannedDefaults: plannedDefaults! };
}

/** How long label completeness may fail on every look before on-call is told (a loan-book feed that stopped). */
const LABELS_LAG_ALERT_MS = 86_400_000;

/**
 * The alert of this look, if any, and the book carried to the next: each problem is told once per experiment, the
 * assignment split on the first look that finds it off, labels once they have failed completeness for a day.
 */
export function alertsOf(previous: AlertBook, verdict: ExperimentVerdict, lookAt: string): { alert?: ExperimentAlert; book: AlertBook } {
  const alerted = previous.alerted ?? [];
  const labelsFailing = verdict.dataQuality.labelCompleteness?.passed === false;
  const since = labelsFailing ? (previous.labelsIncompleteSince ?? lookAt) : undefined;
  const book = (alert?: ExperimentAlert): { alert?: ExperimentAlert; book: AlertBook } => ({
    ...(alert ? { alert } : {}),
    book: { ...(alert || alerted.length > 0 ? { alerted: alert ? [...alerted, alert] : alerted } : {}), ...(since ? { labelsIncompleteSince: since } : {}) },
  });
  if (!verdict.dataQuality.sampleRatio.passed && !alerted.includes('sample-ratio-mismatch')) return book('sample-ratio-mismatch');
  if (since && Date.parse(lookAt) - Date.parse(since) >= LABELS_LAG_ALERT_MS && !alerted.includes('labels-incomplete')) return book('labels-incomplete');
  return book();
}

/** A look past the experiment's deadline that is not final keeps the champion: no verdict in time. */
export function pastDeadline(verdict: ExperimentVerdict, e: ExperimentState, lookAt: string): ExperimentVerdict {
  if (TERMINAL.has(verdict.decision) || !e.deadline || lookAt < e.deadline) return verdict;
  const reason = `Keep champion: no verdict by the experiment's deadline ${e.deadline} (policy experiment.maxDurationDays); the last look said: ${verdict.reason}`;
  return { ...verdict, decision: 'keep-champion', reason };
}

/** Judges one group's running experiment at the minute of `deps.clock.now()`. */
export async function judgeGroupExperiment(deps: ExperimentJudgeDeps, group: string): Promise<ExperimentJudgeOutcome> {
  const overrides = await deps.state.policyOverrides(group);
  if (overrides === undefined) return { group, outcome: 'not-managed' };
  const policy = parsePolicy(overrides);
  const e = (await deps.state.load(group)).experiment;
  if (!e) return { group, outcome: 'no-experiment' };
  if (e.verdict) return { group, outcome: 'concluding', version: e.version };
  // Until the two-variant config serves, the old one takes all traffic: nothing to compare yet.
  if (!e.servingSince) return { group, outcome: 'starting', version: e.version };
  const occurredAt = deps.clock.now();
  const lookAt = lookMinute(occurredAt);
  const last = await deps.looks.last(group, e.version);
  if (last && last.lookAt >= lookAt) return { group, outcome: 'already-looked', version: e.version };

  const mode = e.mode ?? 'ab';
  // Fixed at the start; a record from before that takes the policy's (a shadow test has no harm to test).
  const labels = e.labels ?? { label: policy.experiment.label, maturityDays: policy.experiment.labelMaturityDays, decisionThreshold: policy.experiment.decisionThreshold, ...(mode === 'ab' && policy.experiment.earlyHarmLabel ? { earlyHarm: policy.experiment.earlyHarmLabel } : {}) };
  const { label, maturityDays: labelMaturityDays, decisionThreshold } = labels;
  const early = mode === 'ab' ? labels.earlyHarm : undefined;
  const data = await deps.outcomes.armCounts({
    group,
    endpointName: endpointName(group, 'production', policy),
    championVariant: VARIANT_NAME,
    challengerVariant: CHALLENGER_VARIANT,
    from: e.servingSince,
    until: lookAt,
    mode,
    label,
    labelMaturityDays,
    ...(early ? { earlyHarmLabel: early } : {}),
    decisionThreshold,
  });
  const verdict = pastDeadline(judgeExperimentLook({ plan: planOf(e), ...data, ...(last ? { state: last.state } : {}) }), e, lookAt);
  const detail = experimentJudgedDetail(group, e, { label, ...(early ? { earlyHarmLabel: early.label } : {}) }, lookAt, occurredAt, verdict);
  const alerts = alertsOf(last?.state ?? {}, verdict, lookAt);
  if (alerts.alert) detail.alert = alerts.alert;
  // Published before the look is saved: a failed publish is retried with the look, so an alert is never lost.
  await deps.bus.publish([{ detailType: 'ExperimentJudged', detail }]);
  await deps.looks.save(group, e.version, lookAt, { ...verdict.state, ...alerts.book });
  let recorded = false;
  if (TERMINAL.has(verdict.decision)) {
    recorded = await deps.state.recordExperimentVerdict(group, e.version, {
      decision: verdict.decision as ExperimentOutcome,
      reason: verdict.reason,
      lookAt,
      champion: detail.champion,
      challenger: detail.challenger,
    });
    if (recorded) {
      await deps.queue.request(
        reconcileRequestSchema.parse({
          modelGroup: group,
          reason: `Experiment verdict on v${e.version}: ${verdict.decision}`,
          trigger: { source: 'creditai.mlops.experiment-judge', detailType: 'Experiment Verdict Recorded', eventId: `experiment-${e.version}-${lookAt}`, time: occurredAt },
        }),
      );
    }
  }
  return { group, outcome: 'judged', version: e.version, decision: verdict.decision, recorded };
}

/** Judges every managed group; one group's failure does not stop the others, and fails the run at the end. */
export async function runExperimentJudge(deps: ExperimentJudgeDeps): Promise<ExperimentJudgeOutcome[]> {
  const { outcomes, failures } = await eachGroup(await deps.state.listGroups(), (group) => judgeGroupExperiment(deps, group));
  // What a warm judge keeps of an ended experiment goes with it (a failed group keeps its own).
  deps.outcomes.retain?.([...outcomes.filter((o) => o.outcome !== 'not-managed' && o.outcome !== 'no-experiment').map((o) => o.group), ...failures.map((f) => f.group)]);
  failIfAny(failures, 'Experiment judge', 'judged');
  return outcomes;
}
