import { canaryPlanOf, judgeGroupCanary, lookMinute, runCanaryJudge } from '../../../shared/canary-judge/canary-judge';
import type { CanaryJudgeDeps, FleetQuery } from '../../../shared/canary-judge/ports';
import { domainEventDetailSchemas, type DomainEvent } from '../../../shared/contracts/domain-events';
import type { ArmCounts } from '../../../shared/judge/data-quality';
import type { GroupStatus, VersionStatus } from '../../../shared/lifecycle/model';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/lifecycle/policy';
import { aVersion, configOf, DEPLOY_STARTED, GROUP, PROD_ENDPOINT } from '../../support/lifecycle-fixtures';

const LOOK_TIME = '2026-11-02T09:38:41.000Z';

interface Fake {
  deps: CanaryJudgeDeps;
  published: DomainEvent[];
  harm: { endpointName: string; at: string }[];
  queries: { fleets: FleetQuery[]; start: string; end: string }[];
  latencyQueries: { fleets: FleetQuery[]; thresholdMs: number; start: string; end: string }[];
}

/**
 * A judge's world: groups with their policy overrides and versions, per-config invocation counts (invocations and
 * 5XX errors) and latency counts (ModelLatency datapoints and those above the threshold).
 */
function fakeDeps(groups: Record<string, { overrides?: unknown; versions: VersionStatus[] }>, counts: Record<string, ArmCounts>, now = LOOK_TIME, latency: Record<string, ArmCounts> = {}): Fake {
  const fake: Fake = { published: [], harm: [], queries: [], latencyQueries: [], deps: undefined as unknown as CanaryJudgeDeps };
  fake.deps = {
    state: {
      listGroups: async () => Object.keys(groups),
      policyOverrides: async (group) => groups[group]!.overrides,
      load: async (group) => ({ group, revision: 1, versions: groups[group]!.versions, conditions: [] }) as GroupStatus,
    },
    bus: { publish: async (events) => void fake.published.push(...events) },
    clock: { now: () => now },
    metrics: {
      invocationCounts: async (fleets, start, end) => {
        fake.queries.push({ fleets, start, end });
        return fleets.map((f) => counts[f.endpointConfigName] ?? { units: 0, events: 0 });
      },
      latencySloMisses: async (fleets, thresholdMs, start, end) => {
        fake.latencyQueries.push({ fleets, thresholdMs, start, end });
        return fleets.map((f) => latency[f.endpointConfigName] ?? { units: 0, events: 0 });
      },
      raiseCanaryHarm: async (endpointName, at) => void fake.harm.push({ endpointName, at }),
    },
  };
  return fake;
}

const canaryGroup = (overrides: unknown = {}) => ({ overrides, versions: [aVersion(1, 'Live'), aVersion(2, 'Canary')] });
const OLD = configOf(1, 'production');
const NEW = configOf(2, 'production');

describe('Function: lookMinute', () => {
  it.each([
    ['2026-11-02T09:38:41.000Z', '2026-11-02T09:38:00.000Z'],
    ['2026-11-02T09:38:00.000Z', '2026-11-02T09:38:00.000Z'],
    ['2026-11-02T09:59:59.999Z', '2026-11-02T09:59:00.000Z'],
  ])('puts %s in the minute %s', (at, minute) => {
    expect(lookMinute(at)).toBe(minute);
  });
});

describe('Function: canaryPlanOf', () => {
  it('maps the policy judge section onto the canary plan its metrics share', () => {
    expect(canaryPlanOf(DEFAULT_POLICY)).toEqual({ metric: 'errors', plannedUnits: 2000, harm: { alpha: 0.01 } });
    expect(canaryPlanOf(parsePolicy({ production: { judge: { plannedUnits: 500, alpha: 0.05 } } }))).toEqual({ metric: 'errors', plannedUnits: 500, harm: { alpha: 0.05 } });
  });
});

describe('Function: judgeGroupCanary', () => {
  it('rolls back a canary that errs at 10 times the champion rate: raises CanaryHarm, then publishes the look', async () => {
    const fake = fakeDeps({ [GROUP]: canaryGroup() }, { [OLD]: { units: 2052, events: 10 }, [NEW]: { units: 228, events: 11 } });

    const outcome = await judgeGroupCanary(fake.deps, GROUP);

    expect(outcome).toEqual({ group: GROUP, outcome: 'judged', version: 2, decision: 'rollback', eventKey: `${GROUP}/v2/canary-judge/2026-11-02T09:38:00.000Z` });
    expect(fake.queries).toEqual([
      {
        fleets: [
          { endpointName: PROD_ENDPOINT, variantName: 'AllTraffic', endpointConfigName: OLD },
          { endpointName: PROD_ENDPOINT, variantName: 'AllTraffic', endpointConfigName: NEW },
        ],
        start: DEPLOY_STARTED,
        end: '2026-11-02T09:38:00.000Z',
      },
    ]);
    expect(fake.harm).toEqual([{ endpointName: PROD_ENDPOINT, at: LOOK_TIME }]);
    const [event] = fake.published;
    expect(event?.detailType).toBe('CanaryJudged');
    const detail = domainEventDetailSchemas.CanaryJudged.parse(event!.detail);
    expect(detail).toMatchObject({ version: 2, decision: 'rollback', champion: { units: 2052, events: 10 }, canary: { units: 228, events: 11 }, plannedUnits: 2000, endpointConfigName: NEW, previousConfigName: OLD, occurredAt: LOOK_TIME });
    expect(detail.informationFraction).toBeCloseTo(2280 / 2000, 10);
    expect(detail.statistic!).toBeGreaterThan(detail.bound!);
    expect(detail.alwaysValidPValue!).toBeLessThan(0.01);
  });

  it('judges latency-SLO misses beside errors at the policy threshold, and rolls back a canary slow but error-free', async () => {
    const fake = fakeDeps(
      { [GROUP]: canaryGroup({ production: { judge: { latency: { thresholdMs: 100 } } } }) },
      { [OLD]: { units: 2700, events: 0 }, [NEW]: { units: 300, events: 0 } },
      LOOK_TIME,
      { [OLD]: { units: 2700, events: 135 }, [NEW]: { units: 300, events: 75 } },
    );

    expect(await judgeGroupCanary(fake.deps, GROUP)).toMatchObject({ decision: 'rollback' });

    expect(fake.latencyQueries).toEqual([{ fleets: fake.queries[0]!.fleets, thresholdMs: 100, start: DEPLOY_STARTED, end: '2026-11-02T09:38:00.000Z' }]);
    expect(fake.harm).toEqual([{ endpointName: PROD_ENDPOINT, at: LOOK_TIME }]);
    const detail = domainEventDetailSchemas.CanaryJudged.parse(fake.published[0]!.detail);
    expect(detail).toMatchObject({ decision: 'rollback', metric: 'latency-SLO misses', champion: { units: 2700, events: 135 }, canary: { units: 300, events: 75 } });
    expect(detail.metrics).toEqual([
      { metric: 'errors', decision: 'wait', champion: { units: 2700, events: 0 }, canary: { units: 300, events: 0 }, alpha: 0.005 },
      {
        metric: 'latency-SLO misses',
        decision: 'rollback',
        champion: { units: 2700, events: 135 },
        canary: { units: 300, events: 75 },
        alpha: 0.005,
        statistic: detail.statistic,
        bound: detail.bound,
        alwaysValidPValue: detail.alwaysValidPValue,
        thresholdMs: 100,
      },
    ]);
    expect(detail.statistic!).toBeGreaterThan(detail.bound!);
  });

  it('judges errors alone, at the whole α, when the policy turns latency off', async () => {
    const fake = fakeDeps(
      { [GROUP]: canaryGroup({ production: { judge: { latency: { enabled: false } } } }) },
      { [OLD]: { units: 2052, events: 10 }, [NEW]: { units: 228, events: 11 } },
      LOOK_TIME,
      { [OLD]: { units: 2052, events: 0 }, [NEW]: { units: 228, events: 228 } },
    );

    expect(await judgeGroupCanary(fake.deps, GROUP)).toMatchObject({ decision: 'rollback' });
    expect(fake.latencyQueries).toEqual([]);
    const detail = domainEventDetailSchemas.CanaryJudged.parse(fake.published[0]!.detail);
    expect(detail.metrics?.map((m) => [m.metric, m.decision, m.alpha])).toEqual([['errors', 'rollback', 0.01]]);
    expect(detail.reason).not.toContain('Other guardrails');
  });

  it('waits without a statistic while the champion has too few errors, and raises no alarm', async () => {
    const fake = fakeDeps({ [GROUP]: canaryGroup() }, { [OLD]: { units: 540, events: 2 }, [NEW]: { units: 60, events: 3 } });

    expect(await judgeGroupCanary(fake.deps, GROUP)).toMatchObject({ decision: 'wait' });
    expect(fake.harm).toEqual([]);
    const detail = fake.published[0]!.detail as Record<string, unknown>;
    expect(detail).not.toHaveProperty('statistic');
    expect(detail).not.toHaveProperty('alwaysValidPValue');
    expect(detail.reason).toMatch(/^Waiting: too little data/);
  });

  it('passes a canary as good as its champion on both metrics at the planned invocations, and raises no alarm', async () => {
    const asGood = { [OLD]: { units: 1800, events: 90 }, [NEW]: { units: 200, events: 10 } };
    const fake = fakeDeps({ [GROUP]: canaryGroup() }, asGood, LOOK_TIME, asGood);

    expect(await judgeGroupCanary(fake.deps, GROUP)).toMatchObject({ decision: 'pass' });
    expect(fake.harm).toEqual([]);
  });

  it('waits at the planned invocations while latency has too few misses to judge, though errors pass', async () => {
    const fake = fakeDeps({ [GROUP]: canaryGroup() }, { [OLD]: { units: 1800, events: 90 }, [NEW]: { units: 200, events: 10 } });

    expect(await judgeGroupCanary(fake.deps, GROUP)).toMatchObject({ decision: 'wait' });
    expect(fake.published[0]!.detail).toMatchObject({ metric: 'latency-SLO misses', champion: { units: 0, events: 0 } });
  });

  it('publishes the same key for two looks in the same minute (idempotent per minute)', async () => {
    const counts = { [OLD]: { units: 1000, events: 12 }, [NEW]: { units: 110, events: 2 } };
    const first = fakeDeps({ [GROUP]: canaryGroup() }, counts, '2026-11-02T09:38:01.000Z');
    const second = fakeDeps({ [GROUP]: canaryGroup() }, counts, '2026-11-02T09:38:59.000Z');

    await judgeGroupCanary(first.deps, GROUP);
    await judgeGroupCanary(second.deps, GROUP);

    expect(first.published[0]!.detail.eventKey).toBe(second.published[0]!.detail.eventKey);
    expect(second.queries[0]!.end).toBe(first.queries[0]!.end);
  });

  it.each<[string, { overrides?: unknown; versions: VersionStatus[] }, string]>([
    ['an unmanaged group', { versions: [aVersion(2, 'Canary')] }, 'not-managed'],
    ['a group whose policy turns the judge off', { overrides: { production: { judge: { enabled: false } } }, versions: [aVersion(2, 'Canary')] }, 'disabled'],
    ['a group with no canary', { overrides: {}, versions: [aVersion(1, 'Live'), aVersion(2, 'AwaitingApproval')] }, 'no-canary'],
    ['a canary on a new endpoint (no old fleet)', { overrides: {}, versions: [aVersion(1, 'Canary')] }, 'no-champion'],
  ])('skips %s without reading metrics or publishing', async (_, group, outcome) => {
    const fake = fakeDeps({ [GROUP]: group }, {});

    expect(await judgeGroupCanary(fake.deps, GROUP)).toMatchObject({ group: GROUP, outcome });
    expect(fake.queries).toEqual([]);
    expect(fake.latencyQueries).toEqual([]);
    expect(fake.published).toEqual([]);
  });
});

describe('Function: runCanaryJudge', () => {
  it('judges every group, and fails at the end naming the groups that failed', async () => {
    const fake = fakeDeps({ a: canaryGroup(), b: canaryGroup(), c: { versions: [] } }, {});
    const load = fake.deps.state.load;
    fake.deps.state.load = async (group) => (group === 'a' ? Promise.reject(new Error('throttled')) : load(group));

    await expect(runCanaryJudge(fake.deps)).rejects.toThrow('Canary judge failed for a (the others were judged)');
    expect(fake.published.map((e) => e.detail.modelGroup)).toEqual(['b']);
  });

  it('returns every outcome when all groups are judged', async () => {
    const fake = fakeDeps({ a: canaryGroup(), c: { versions: [] } }, {});

    expect((await runCanaryJudge(fake.deps)).map((o) => o.outcome)).toEqual(['judged', 'not-managed']);
  });
});
