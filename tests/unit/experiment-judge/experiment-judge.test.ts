/**
 * The experiment judge: one look per minute at each running A/B test, published as ExperimentJudged; a terminal
 * verdict is recorded once on the group's status and a reconcile is requested.
 */
import { domainEventDetailSchemas, type DomainEvent } from '../../../shared/contracts/domain-events';
import type { ReconcileRequest } from '../../../shared/contracts/reconcile-request';
import { alertsOf, runExperimentJudge } from '../../../shared/experiment-judge/experiment-judge';
import type { ArmQuery, ExperimentData, ExperimentJudgeDeps } from '../../../shared/experiment-judge/ports';
import type { ExperimentArm, ExperimentState as JudgeState } from '../../../shared/judge/experiment-look';
import { seededRandom } from '../../../shared/judge/random';
import { binormalPairedScores } from '../../../shared/judge/simulate';
import type { ExperimentState, ExperimentVerdictRecord, GroupStatus } from '../../../shared/lifecycle/model';

const GROUP = 'credit-risk-retail';
const NOW = '2026-11-10T10:21:34.000Z';
const LOOK = '2026-11-10T10:21:00.000Z';

const EXPERIMENT: ExperimentState = {
  version: 5,
  championVersion: 4,
  sharePercent: 50,
  startedAt: '2026-11-01T00:00:00.000Z',
  servingSince: '2026-11-01T00:10:00.000Z',
  endpointConfigName: 'credit-risk-retail-v4-prod-0a1b2c3d',
  plan: { challengerShare: 0.5, championDefaultRate: 0.05, minimumDetectableEffect: 0.01 },
};

const arm = (assigned: number, labelled: number, defaults: number): ExperimentArm => ({ assigned, matured: labelled, labelled, defaults });

function fakes(parts: { experiment?: ExperimentState; managed?: boolean; policy?: object; arms?: ExperimentData; recorded?: boolean; failing?: string[] } = {}) {
  const published: DomainEvent[] = [];
  const queued: ReconcileRequest[] = [];
  const verdicts: { group: string; version: number; verdict: ExperimentVerdictRecord }[] = [];
  const queries: ArmQuery[] = [];
  const looks = new Map<string, { lookAt: string; state: JudgeState }>();
  const status: GroupStatus = { group: GROUP, revision: 3, versions: [], conditions: [], ...(parts.experiment ? { experiment: parts.experiment } : {}) };
  const deps: ExperimentJudgeDeps = {
    state: {
      listGroups: async () => [GROUP, ...(parts.failing ?? [])],
      policyOverrides: async (group) => {
        if (parts.failing?.includes(group)) throw new Error(`boom ${group}`);
        return parts.managed === false ? undefined : (parts.policy ?? { experiment: { labelMaturityDays: 1 } });
      },
      load: async () => structuredClone(status),
      recordExperimentVerdict: async (group, version, verdict) => {
        verdicts.push({ group, version, verdict });
        return parts.recorded ?? true;
      },
    },
    looks: {
      last: async (group, version) => looks.get(`${group}/${version}`),
      save: async (group, version, lookAt, state) => void looks.set(`${group}/${version}`, { lookAt, state }),
    },
    outcomes: {
      armCounts: async (query) => {
        queries.push(query);
        return parts.arms ?? { champion: arm(100, 10, 1), challenger: arm(100, 10, 1) };
      },
    },
    bus: { publish: async (events) => void published.push(...events) },
    queue: { request: async (r) => void queued.push(r) },
    clock: { now: () => NOW },
  };
  return { deps, published, queued, verdicts, queries, looks };
}

describe('Function: runExperimentJudge', () => {
  it('waits on too little data: publishes the look, records nothing, queues nothing', async () => {
    const { deps, published, queued, verdicts, queries } = fakes({ experiment: EXPERIMENT });
    expect(await runExperimentJudge(deps)).toEqual([{ group: GROUP, outcome: 'judged', version: 5, decision: 'wait', recorded: false }]);
    expect(queries).toEqual([{ group: GROUP, endpointName: `${GROUP}-prod`, championVariant: 'AllTraffic', challengerVariant: 'Challenger', from: EXPERIMENT.servingSince, until: LOOK, mode: 'ab', label: 'default_90d', labelMaturityDays: 1, decisionThreshold: 0.5 }]);
    const detail = domainEventDetailSchemas.ExperimentJudged.parse(published[0]!.detail);
    expect(detail).toMatchObject({ eventKey: `${GROUP}/v5/experiment-judge/${LOOK}`, version: 5, championVersion: 4, decision: 'wait', champion: { units: 10, events: 1 } });
    expect(verdicts).toEqual([]);
    expect(queued).toEqual([]);
  });

  it('stops a harmful challenger: records the verdict once and requests a reconcile', async () => {
    const arms = { champion: arm(4000, 4000, 200), challenger: arm(4000, 4000, 480) };
    const { deps, published, queued, verdicts } = fakes({ experiment: EXPERIMENT, arms });
    const [outcome] = await runExperimentJudge(deps);
    expect(outcome).toEqual({ group: GROUP, outcome: 'judged', version: 5, decision: 'stop-harm', recorded: true });
    expect(verdicts).toEqual([
      { group: GROUP, version: 5, verdict: { decision: 'stop-harm', reason: expect.stringMatching(/^Stop for harm: challenger default rate 12/), lookAt: LOOK, champion: { units: 4000, events: 200 }, challenger: { units: 4000, events: 480 } } },
    ]);
    expect(published.map((e) => e.detailType)).toEqual(['ExperimentJudged']);
    expect(queued).toEqual([expect.objectContaining({ modelGroup: GROUP, reason: 'Experiment verdict on v5: stop-harm' })]);
  });

  it('reads the early harm label the policy names, stops on it, and publishes its counts beside the label\'s', async () => {
    const policy = { experiment: { labelMaturityDays: 365, earlyHarmLabel: { label: 'dpd30_m3', maturityDays: 90 } } };
    const young = arm(4000, 0, 0);
    const arms = { champion: young, challenger: young, earlyHarm: { champion: arm(4000, 4000, 200), challenger: arm(4000, 4000, 480) } };
    const { deps, published, queries } = fakes({ experiment: EXPERIMENT, policy, arms });
    expect((await runExperimentJudge(deps))[0]).toMatchObject({ decision: 'stop-harm', recorded: true });
    expect(queries[0]).toMatchObject({ mode: 'ab', label: 'default_90d', labelMaturityDays: 365, earlyHarmLabel: { label: 'dpd30_m3', maturityDays: 90 } });
    const detail = domainEventDetailSchemas.ExperimentJudged.parse(published[0]!.detail);
    expect(detail).toMatchObject({ mode: 'ab', champion: { units: 0, events: 0 }, earlyHarm: { label: 'dpd30_m3', champion: { units: 4000, events: 200 }, challenger: { units: 4000, events: 480 } } });
    expect(detail.statistic).toBeGreaterThan(detail.bound!);
  });

  it('judges a shadow test on the paired AUC of both models, never asking for the early harm label', async () => {
    const scores = binormalPairedScores(seededRandom(5), { size: 4000, defaultRate: 0.06, championAuc: 0.7, challengerAuc: 0.8, correlation: 0.7 });
    const defaults = scores.labels.reduce((a, y) => a + y, 0);
    const shadow = { labels: scores.labels, champion: scores.champion, challenger: scores.challenger };
    const experiment: ExperimentState = { ...EXPERIMENT, mode: 'shadow', sharePercent: 100, plan: { ...EXPERIMENT.plan, challengerShare: 1, plannedDefaults: defaults } };
    const policy = { experiment: { mode: 'shadow', earlyHarmLabel: { label: 'dpd30_m3', maturityDays: 30 } } };
    const { deps, published, queries, verdicts } = fakes({ experiment, policy, arms: { champion: arm(4000, 4000, defaults), challenger: arm(4000, 4000, defaults), shadow } });
    expect((await runExperimentJudge(deps))[0]).toMatchObject({ decision: 'challenger-wins', recorded: true });
    expect(queries[0]).toMatchObject({ mode: 'shadow' });
    expect(queries[0]).not.toHaveProperty('earlyHarmLabel');
    const detail = domainEventDetailSchemas.ExperimentJudged.parse(published[0]!.detail);
    expect(detail.shadow).toEqual({ pairs: 4000, defaults, championAuc: expect.closeTo(0.7, 1), challengerAuc: expect.closeTo(0.8, 1), brierDifference: expect.any(Number) });
    expect(detail).toMatchObject({ mode: 'shadow', informationFraction: 1 });
    expect(verdicts[0]?.verdict.reason).toMatch(/^Challenger wins: challenger AUC 0\.\d{4} against champion 0\.\d{4} \(paired DeLong/);
  });

  it('reads the labels fixed when the test started, not a policy changed since', async () => {
    const labels = { label: 'default_12m', maturityDays: 365, decisionThreshold: 0.3, earlyHarm: { label: 'dpd30_m3', maturityDays: 90 } };
    const policy = { experiment: { label: 'other', labelMaturityDays: 2, decisionThreshold: 0.6 } };
    const { deps, queries, published } = fakes({ experiment: { ...EXPERIMENT, labels }, policy });
    await runExperimentJudge(deps);
    expect(queries[0]).toMatchObject({ label: 'default_12m', labelMaturityDays: 365, decisionThreshold: 0.3, earlyHarmLabel: { label: 'dpd30_m3', maturityDays: 90 } });
    expect(domainEventDetailSchemas.ExperimentJudged.parse(published[0]!.detail).label).toBe('default_12m');
  });

  it.each([
    ['at the deadline', LOOK, true],
    ['before it', '2026-11-10T10:22:00.000Z', false],
  ])('keeps the champion when a look %s has no verdict (a gate that never passes)', async (_, deadline, expired) => {
    // An SRM failure: the challenger's arm has far fewer captured requests than its half.
    const arms = { champion: arm(10_000, 4000, 200), challenger: arm(4000, 4000, 200) };
    const { deps, verdicts, published } = fakes({ experiment: { ...EXPERIMENT, deadline }, arms });
    const [outcome] = await runExperimentJudge(deps);
    expect(outcome).toMatchObject({ decision: expired ? 'keep-champion' : 'wait' });
    const detail = domainEventDetailSchemas.ExperimentJudged.parse(published[0]!.detail);
    if (expired) {
      expect(verdicts[0]?.verdict.reason).toMatch(/^Keep champion: no verdict by the experiment's deadline 2026-11-10T10:21:00.000Z \(policy experiment.maxDurationDays\); the last look said: Waiting: the assignment split is off/);
      expect(detail.reason).toBe(verdicts[0]!.verdict.reason);
    } else {
      expect(verdicts).toEqual([]);
    }
  });

  it('alerts once per experiment on the assignment split, even when it comes back and goes off again', async () => {
    const off = { champion: arm(10_000, 4000, 200), challenger: arm(4000, 4000, 200) };
    const back = { champion: arm(4000, 10, 1), challenger: arm(4000, 10, 1) };
    const parts = { experiment: EXPERIMENT, arms: off as ExperimentData };
    const { deps, published } = fakes(parts);
    let minute = 0;
    deps.clock = { now: () => new Date(Date.parse(NOW) + 60_000 * minute++).toISOString() };
    const arms = [off, off, back, off];
    let call = 0;
    deps.outcomes = { armCounts: async () => arms[call++]! };
    for (let i = 0; i < 4; i += 1) await runExperimentJudge(deps);
    const details = published.map((e) => domainEventDetailSchemas.ExperimentJudged.parse(e.detail));
    expect(details.map((d) => d.alert)).toEqual(['sample-ratio-mismatch', undefined, undefined, undefined]);
  });

  it('publishes the look before saving it: a failed publish is retried with the look, its alert with it', async () => {
    const arms = { champion: arm(10_000, 4000, 200), challenger: arm(4000, 4000, 200) };
    const { deps, published, looks } = fakes({ experiment: EXPERIMENT, arms });
    const publish = deps.bus.publish;
    deps.bus = { publish: async () => Promise.reject(new Error('PutEvents throttled')) };
    await expect(runExperimentJudge(deps)).rejects.toThrow('Experiment judge failed');
    expect(looks.size).toBe(0);
    deps.bus = { publish };
    await runExperimentJudge(deps);
    expect(domainEventDetailSchemas.ExperimentJudged.parse(published[0]!.detail).alert).toBe('sample-ratio-mismatch');
  });

  it('queues no reconcile when the verdict was already recorded (a concurrent run)', async () => {
    const arms = { champion: arm(4000, 4000, 200), challenger: arm(4000, 4000, 480) };
    const { deps, queued } = fakes({ experiment: EXPERIMENT, arms, recorded: false });
    expect((await runExperimentJudge(deps))[0]).toMatchObject({ decision: 'stop-harm', recorded: false });
    expect(queued).toEqual([]);
  });

  it('takes one look per minute: a re-run in the same minute does nothing', async () => {
    const { deps, published } = fakes({ experiment: EXPERIMENT });
    await runExperimentJudge(deps);
    expect(await runExperimentJudge(deps)).toEqual([{ group: GROUP, outcome: 'already-looked', version: 5 }]);
    expect(published).toHaveLength(1);
  });

  it.each([
    ['an unmanaged group', { managed: false }, { group: GROUP, outcome: 'not-managed' }],
    ['a group without an experiment', {}, { group: GROUP, outcome: 'no-experiment' }],
    ['an experiment whose config does not serve yet', { experiment: { ...EXPERIMENT, servingSince: undefined } }, { group: GROUP, outcome: 'starting', version: 5 }],
    ['an experiment with a verdict recorded', { experiment: { ...EXPERIMENT, verdict: { decision: 'stop-harm' as const, reason: 'r', lookAt: LOOK, champion: { units: 1, events: 0 }, challenger: { units: 1, events: 1 } } } }, { group: GROUP, outcome: 'concluding', version: 5 }],
  ])('leaves %s alone', async (_, parts, expected) => {
    const { deps, published } = fakes(parts);
    expect(await runExperimentJudge(deps)).toEqual([expected]);
    expect(published).toEqual([]);
  });

  it.each([
    ['a running experiment', { experiment: EXPERIMENT }, [GROUP]],
    ['none (it ended)', {}, []],
    ['a failing group beside an ended one', { failing: ['broken-group'] }, ['broken-group']],
  ])('keeps what it parsed only for groups with %s', async (_, parts, kept) => {
    const { deps } = fakes(parts);
    const retained: string[][] = [];
    deps.outcomes = { ...deps.outcomes, retain: (groups) => void retained.push([...groups]) };
    await runExperimentJudge(deps).catch(() => undefined);
    expect(retained).toEqual([kept]);
  });

  it('judges the other groups when one fails, then fails the run naming it', async () => {
    const { deps, published } = fakes({ experiment: EXPERIMENT, failing: ['broken-group'] });
    await expect(runExperimentJudge(deps)).rejects.toThrow('Experiment judge failed for broken-group (the others were judged)');
    expect(published).toHaveLength(1);
  });
});

describe('Function: alertsOf', () => {
  const T0 = '2026-11-10T10:00:00.000Z';
  const later = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
  const verdict = (sampleRatio: boolean, labels: boolean | undefined) => ({ dataQuality: { sampleRatio: { passed: sampleRatio }, ...(labels === undefined ? {} : { labelCompleteness: { passed: labels } }) } }) as never;

  it.each([
    ['all gates pass', {}, verdict(true, true), T0, undefined, {}],
    ['the split goes off', {}, verdict(false, true), T0, 'sample-ratio-mismatch', { alerted: ['sample-ratio-mismatch'] }],
    ['the split is off again after an alert', { alerted: ['sample-ratio-mismatch'] }, verdict(false, true), T0, undefined, { alerted: ['sample-ratio-mismatch'] }],
    ['labels start lagging', {}, verdict(true, false), T0, undefined, { labelsIncompleteSince: T0 }],
    ['labels lag for a day less a minute', { labelsIncompleteSince: T0 }, verdict(true, false), later(86_340_000), undefined, { labelsIncompleteSince: T0 }],
    ['labels lag for a day', { labelsIncompleteSince: T0 }, verdict(true, false), later(86_400_000), 'labels-incomplete', { alerted: ['labels-incomplete'], labelsIncompleteSince: T0 }],
    ['labels catch up', { labelsIncompleteSince: T0, alerted: ['labels-incomplete'] }, verdict(true, true), later(90_000_000), undefined, { alerted: ['labels-incomplete'] }],
    ['no label gate in the verdict (the split waited first)', { labelsIncompleteSince: T0 }, verdict(true, undefined), later(90_000_000), undefined, {}],
  ] as const)('%s', (_, previous, v, lookAt, alert, book) => {
    expect(alertsOf(previous as never, v, lookAt)).toEqual({ ...(alert ? { alert } : {}), book });
  });
});

