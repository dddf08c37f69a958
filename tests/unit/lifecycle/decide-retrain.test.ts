/**
 * decide, rule 6 (retrain): drift on the Live version is triaged and either starts the training pipeline (one
 * StartRetraining with a window-derived token, RetrainRequested) or is recorded as skipped with its reason; each
 * window is decided once; a finished run starts the cooldown; nothing happens without a Live version or without a
 * configured pipeline.
 */
import type { DriftSignal } from '../../../shared/lifecycle/drift-triage';
import type { Snapshot } from '../../../shared/lifecycle/model';
import { parsePolicy } from '../../../shared/lifecycle/policy';
import { actionsOfType, aPackage, humanApproval, aSnapshot, aVersion, decideChecked, eventsOfType, eventTypes, LIVE_SINCE, nextSnapshot, NOW, prodServing } from '../../support/lifecycle-fixtures';

const HOUR = 3_600_000;
const nowMs = Date.parse(NOW);
const at = (hoursBefore: number) => new Date(nowMs - hoursBefore * HOUR).toISOString();

/** A window ending `hoursBefore` hours before NOW, with income drifted. */
function signal(hoursBefore: number, distance = 0.35, version = 3): DriftSignal {
  return {
    version,
    source: 'drift-check',
    windowStart: at(hoursBefore + 1),
    windowEnd: at(hoursBefore),
    features: [
      { feature: 'annual_income', method: 'linf_simple', distance, threshold: 0.2, importance: 0.3 },
      { feature: 'age', method: 'linf_simple', distance: 0.02, threshold: 0.2, importance: 0.2 },
    ],
    reportUri: `s3://artifacts/drift/v${version}/${at(hoursBefore)}/report.json`,
  };
}

function liveSnapshot(parts: { signals?: DriftSignal[]; state?: Snapshot['status']['retraining']; run?: NonNullable<Snapshot['retraining']>['run']; configured?: boolean; live?: boolean } = {}): Snapshot {
  return aSnapshot({
    versions: [aVersion(3, parts.live === false ? 'Superseded' : 'Live', { liveSince: LIVE_SINCE })],
    packages: [aPackage(3, { approval: humanApproval })],
    endpoints: { production: prodServing(3) },
    ...(parts.state ? { retrainingState: parts.state } : {}),
    ...(parts.configured === false ? {} : { retraining: { pipelineName: 'creditai-training', signals: parts.signals ?? [], ...(parts.run ? { run: parts.run } : {}) } }),
  });
}

describe('decide: retrain on drift', () => {
  it('starts retraining on drift that persisted two windows, with the commit of the Live version and a window token', () => {
    const decision = decideChecked(liveSnapshot({ signals: [signal(1), signal(2)] }));
    const [start] = actionsOfType(decision, 'StartRetraining');
    expect(start).toMatchObject({ commitId: aPackage(3).lineage.commitId, triggerWindowEnd: at(1), reportUri: signal(1).reportUri });
    expect(start!.clientToken).toMatch(/^[0-9a-f]{64}$/);
    const [requested] = eventsOfType(decision, 'RetrainRequested');
    expect(requested).toMatchObject({ version: 3, pipelineName: 'creditai-training', clientToken: start!.clientToken, triggerWindowEnd: at(1) });
    expect(requested!.features.map((f) => f.feature)).toEqual(['annual_income']);
    expect(decision.status.retraining).toEqual({ inFlight: { clientToken: start!.clientToken, startedAt: NOW, triggerWindowEnd: at(1) }, starts: [NOW], lastTriagedWindow: at(1) });
  });

  it('decides a window once: the next reconcile of the same signals does nothing', () => {
    const first = liveSnapshot({ signals: [signal(1), signal(2)] });
    const decision = decideChecked(first);
    const again = decideChecked(nextSnapshot(first, decision));
    expect(eventTypes(again)).toEqual([]);
    expect(actionsOfType(again, 'StartRetraining')).toEqual([]);
  });

  it('gives the same token for the same window (a lost status write restarts nothing new)', () => {
    const a = actionsOfType(decideChecked(liveSnapshot({ signals: [signal(1), signal(2)] })), 'StartRetraining')[0]!;
    const b = actionsOfType(decideChecked(liveSnapshot({ signals: [signal(2), signal(1), signal(1)] })), 'StartRetraining')[0]!;
    expect(b.clientToken).toBe(a.clientToken);
  });

  it.each([
    ['a run in flight (folded into it: on-call is not told)', { inFlight: { clientToken: 't', startedAt: at(3), triggerWindowEnd: at(4), executionArn: 'arn:run' }, starts: [at(3)] }, 'in-flight', { pipelineExecutionArn: 'arn:run', alert: false }],
    ['the cooldown after a run', { lastEndedAt: at(5), starts: [at(6)] }, 'cooldown', { until: at(5 - 24), alert: true }],
    ['a spent weekly budget', { lastEndedAt: at(30), starts: [at(100), at(31)] }, 'weekly-budget', { alert: true }],
  ])('skips for %s, with the reason', (_name, state, skip, extra) => {
    const decision = decideChecked(liveSnapshot({ signals: [signal(1), signal(2)], state }));
    expect(actionsOfType(decision, 'StartRetraining')).toEqual([]);
    expect(eventsOfType(decision, 'RetrainSkipped')).toEqual([expect.objectContaining({ skip, triggerWindowEnd: at(1), ...extra })]);
    expect(decision.status.retraining?.lastTriagedWindow).toBe(at(1));
  });

  it.each([
    ['drift on minor features only', {}, 'minor-features', (s: DriftSignal) => ({ ...s, features: s.features.map((f) => ({ ...f, importance: 0.01 })) })],
    ['the alert-only policy', { drift: { action: 'alert' } }, 'alert-only', (s: DriftSignal) => s],
  ])('only reports %s', (_name, overrides, skip, shape) => {
    const policy = parsePolicy({ ...overrides, drift: { ...(overrides as { drift?: object }).drift, alertOnSkip: false } });
    const decision = decideChecked(liveSnapshot({ signals: [signal(1), signal(2)].map(shape) }), policy);
    expect(eventsOfType(decision, 'RetrainSkipped')).toEqual([expect.objectContaining({ skip, alert: false })]);
  });

  it.each([
    ['drift in one window only', { signals: [signal(1)] }],
    ['no drift', { signals: [signal(1, 0.05), signal(2, 0.05)] }],
    ['drift on another version', { signals: [signal(1, 0.35, 2), signal(2, 0.35, 2)] }],
    ['no Live version', { signals: [signal(1), signal(2)], live: false }],
    ['no training pipeline configured', { signals: [signal(1), signal(2)], configured: false }],
    ['an older window than the last decided', { signals: [signal(3), signal(4)], state: { starts: [], lastTriagedWindow: at(1) } }],
  ])('does nothing for %s', (_name, parts) => {
    const decision = decideChecked(liveSnapshot(parts));
    expect(eventTypes(decision)).toEqual([]);
    expect(actionsOfType(decision, 'StartRetraining')).toEqual([]);
  });

  it('ends the run SageMaker reports finished: the cooldown starts at its end', () => {
    const state = { inFlight: { clientToken: 't', startedAt: at(3), triggerWindowEnd: at(4), executionArn: 'arn:run' }, starts: [at(3)], lastTriagedWindow: at(4) };
    const decision = decideChecked(liveSnapshot({ state, run: { executionArn: 'arn:run', status: 'Succeeded', endedAt: at(2) } }));
    expect(decision.status.retraining).toEqual({ lastEndedAt: at(2), starts: [at(3)], lastTriagedWindow: at(4) });
  });

  it('keeps the run in flight while SageMaker says it is executing, and ends one that reports no end time now', () => {
    const state = { inFlight: { clientToken: 't', startedAt: at(3), triggerWindowEnd: at(4), executionArn: 'arn:run' }, starts: [at(3)] };
    expect(decideChecked(liveSnapshot({ state, run: { executionArn: 'arn:run', status: 'Executing' } })).status.retraining).toEqual(state);
    expect(decideChecked(liveSnapshot({ state, run: { executionArn: 'arn:run', status: 'Failed' } })).status.retraining?.lastEndedAt).toBe(NOW);
  });

  it('retrains on drift whose importance nobody measured, and says so by leaving it out', () => {
    const unweighed = (s: DriftSignal): DriftSignal => ({ ...s, features: s.features.map(({ importance: _i, ...f }) => f) });
    const [requested] = eventsOfType(decideChecked(liveSnapshot({ signals: [signal(1), signal(2)].map(unweighed) })), 'RetrainRequested');
    expect(requested!.features).toEqual([{ feature: 'annual_income', method: 'linf_simple', distance: 0.35, threshold: 0.2, drifted: true }]);
  });

  it('holds a retrain while a newer version is on its way to production (the retrained one awaiting approval)', () => {
    const snapshot = liveSnapshot({ signals: [signal(1), signal(2)], state: { lastEndedAt: at(30), starts: [at(31)] } });
    snapshot.status.versions = [...snapshot.status.versions, aVersion(4, 'AwaitingApproval', { awaiting: 'production' })];
    snapshot.packages = [...snapshot.packages, aPackage(4)];
    const decision = decideChecked(snapshot);
    expect(actionsOfType(decision, 'StartRetraining')).toEqual([]);
    expect(eventsOfType(decision, 'RetrainSkipped')).toEqual([expect.objectContaining({ skip: 'in-flight', alert: false, reason: expect.stringContaining('v4 is on its way') })]);
  });

  it('tells on-call of the same skip once, not every hour it persists, and again when it changes', () => {
    const state = { lastEndedAt: at(5), starts: [at(6)] };
    const first = decideChecked(liveSnapshot({ signals: [signal(2), signal(3)], state }));
    expect(eventsOfType(first, 'RetrainSkipped')).toEqual([expect.objectContaining({ skip: 'cooldown', alert: true })]);
    const second = decideChecked(liveSnapshot({ signals: [signal(1), signal(2), signal(3)], state: first.status.retraining }));
    expect(eventsOfType(second, 'RetrainSkipped')).toEqual([expect.objectContaining({ skip: 'cooldown', alert: false })]);
    const withEmployment = (s: DriftSignal): DriftSignal => ({ ...s, features: [...s.features, { feature: 'employment_years', method: 'linf_simple', distance: 0.4, threshold: 0.2, importance: 0.1 }] });
    const third = decideChecked(liveSnapshot({ signals: [signal(0), signal(1), signal(2)].map(withEmployment), state: second.status.retraining }));
    expect(eventsOfType(third, 'RetrainSkipped')).toEqual([expect.objectContaining({ skip: 'cooldown', alert: true })]);
  });

  it('skips, rather than asks for an impossible run, when the Live version records no commit', () => {
    const snapshot = liveSnapshot({ signals: [signal(1), signal(2)] });
    snapshot.packages = [aPackage(3, { approval: humanApproval, lineage: { commitId: undefined } })];
    const decision = decideChecked(snapshot);
    expect(actionsOfType(decision, 'StartRetraining')).toEqual([]);
    expect(eventsOfType(decision, 'RetrainSkipped')).toEqual([expect.objectContaining({ skip: 'no-commit', alert: true })]);
  });

  it('starts without a report when the signal has none', () => {
    const [start] = actionsOfType(decideChecked(liveSnapshot({ signals: [signal(1), signal(2)].map(({ reportUri: _r, ...s }) => s) })), 'StartRetraining');
    expect(start).not.toHaveProperty('reportUri');
  });

});
