/**
 * The drift check over the in-memory world with real data: a baseline built from seeded synthetic applications,
 * an hour of production traffic in Data Capture's line format, the group policy's method and thresholds.
 */
import { domainEventDetailSchemas, type DomainEventDetail } from '../../../shared/contracts/domain-events';
import { captureHourPrefix, checkGroupDrift, previousHour, runDriftCheck, type DriftWindow } from '../../../shared/drift-check/drift-check';
import { checkDrift, WindowAccumulator, type BaselineStatistics, type DriftThresholds } from '../../../shared/judge/drift';
import { aVersion } from '../../support/lifecycle-fixtures';
import { FakeWorld } from '../../support/fake-world';
import { applications, capture, CAPTURE_URI, incomeOnlyExplainer, REPORTS_URI, SCHEMA, trainingBaseline, type TrafficKind } from './traffic';

const GROUP = 'credit-risk-retail';
const PROD = 'credit-risk-retail-prod';
const HOUR: DriftWindow = { start: '2026-11-28T09:00:00.000Z', end: '2026-11-28T10:00:00.000Z' };
const FOLDER = `${REPORTS_URI}/${GROUP}/v3/2026-11-28T10-00-00-000Z`;

const baseline = trainingBaseline();

/** A world where v3 of the group is Live with a registered baseline, and `kind` traffic in the 09:00 hour. */
async function liveWorld(options: { overrides?: unknown; kind?: TrafficKind; baseline?: boolean; explainer?: boolean } = {}) {
  const world = new FakeWorld();
  world.now = new Date('2026-11-28T10:05:00.000Z');
  world.manage(GROUP, options.overrides ?? {});
  const arn = world.register(GROUP, 3);
  if (options.baseline !== false) world.registerBaseline(arn, baseline, options.explainer === false ? undefined : incomeOnlyExplainer());
  await world.reconcileDeps().state.save({ group: GROUP, revision: 0, versions: [aVersion(3, 'Live')], conditions: [] });
  if (options.kind) capture(world, PROD, HOUR.start, applications(options.kind, 11));
  return world;
}

const deps = (world: FakeWorld) => world.driftCheckDeps({ captureUri: CAPTURE_URI, reportsUri: REPORTS_URI });

/** What checkDrift says of the same applications accumulated as raw rows (not through capture lines). */
function expectedCheck(stats: BaselineStatistics, kind: TrafficKind, thresholds: Partial<DriftThresholds>) {
  const accumulator = new WindowAccumulator(stats, SCHEMA);
  for (const row of applications(kind, 11)) accumulator.addRow(row);
  return checkDrift(stats, accumulator.finish(), thresholds);
}

const driftEvents = (world: FakeWorld) =>
  world.published.filter((e) => e.detailType === 'DriftDetected').map((e) => e.detail as DomainEventDetail<'DriftDetected'>);

describe('Function: previousHour', () => {
  it.each([
    ['2026-11-28T10:05:00.000Z', '2026-11-28T09:00:00.000Z', '2026-11-28T10:00:00.000Z'],
    ['2026-11-28T10:00:00.000Z', '2026-11-28T09:00:00.000Z', '2026-11-28T10:00:00.000Z'],
    ['2026-11-28T10:59:59.999Z', '2026-11-28T09:00:00.000Z', '2026-11-28T10:00:00.000Z'],
    ['2026-12-01T00:30:00.000Z', '2026-11-30T23:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['2027-01-01T00:00:01Z', '2026-12-31T23:00:00.000Z', '2027-01-01T00:00:00.000Z'],
  ])('the hour before %s is %s to %s', (now, start, end) => {
    expect(previousHour(now)).toEqual({ start, end });
  });
});

describe('Function: captureHourPrefix', () => {
  it.each([
    ['s3://capture/endpoints', 'credit-risk-retail-prod', '2026-11-28T09:00:00.000Z', 's3://capture/endpoints/credit-risk-retail-prod/AllTraffic/2026/11/28/09/'],
    ['s3://capture/endpoints/', 'credit-risk-retail-prod', '2026-11-28T09:00:00.000Z', 's3://capture/endpoints/credit-risk-retail-prod/AllTraffic/2026/11/28/09/'],
    ['s3://capture//', 'sme-prod', '2026-01-05T23:00:00.000Z', 's3://capture/sme-prod/AllTraffic/2026/01/05/23/'],
  ])('%s + %s at %s is %s', (uri, endpoint, hour, prefix) => {
    expect(captureHourPrefix(uri, endpoint, hour)).toBe(prefix);
  });
});

describe('Function: checkGroupDrift', () => {
  it.each([
    ['an unmanaged group', async () => new FakeWorld(), { group: GROUP, outcome: 'not-managed' }],
    [
      'a group without a Live version',
      async () => {
        const world = await liveWorld({ kind: 'drifted' });
        await world.reconcileDeps().state.save({ ...world.status(GROUP), versions: [aVersion(3, 'Canary')] });
        return world;
      },
      { group: GROUP, outcome: 'no-live-version' },
    ],
    ['a Live version registered without a baseline', async () => liveWorld({ kind: 'drifted', baseline: false }), { group: GROUP, outcome: 'no-baseline', version: 3 }],
    ['an hour without traffic', async () => liveWorld(), { group: GROUP, outcome: 'no-traffic', version: 3 }],
    ['an hour with fewer rows than the policy judges', async () => liveWorld({ kind: 'drifted', overrides: { drift: { minRows: 100_000 } } }), { group: GROUP, outcome: 'too-few-rows', version: 3, rows: expect.any(Number) }],
    [
      'an hour that began before the Live version went live (the previous version served part of it)',
      async () => {
        const world = await liveWorld({ kind: 'drifted' });
        await world.reconcileDeps().state.save({ ...world.status(GROUP), versions: [aVersion(3, 'Live', { liveSince: '2026-11-28T09:20:00.000Z' })] });
        return world;
      },
      { group: GROUP, outcome: 'version-changed', version: 3 },
    ],
  ])('reports %s and writes, records and announces nothing', async (_name, makeWorld, outcome) => {
    const world = await makeWorld();

    const result = await checkGroupDrift(deps(world), SCHEMA, GROUP, HOUR);

    expect(result).toEqual(outcome);
    expect(world.written).toEqual([]);
    expect(world.driftSignals.size).toBe(0);
    expect(world.published).toEqual([]);
    expect(world.queued).toEqual([]);
  });

  it('finds no drift in traffic like the training data, and still writes the report and the violations', async () => {
    const world = await liveWorld({ kind: 'steady' });

    const result = await checkGroupDrift(deps(world), SCHEMA, GROUP, HOUR);

    expect(result).toEqual({ group: GROUP, outcome: 'no-drift', version: 3, rows: 400, drifted: [], reportUri: `${FOLDER}/report.json` });
    expect(world.written).toEqual([`${FOLDER}/report.json`, `${FOLDER}/constraint_violations.json`]);
    expect(world.documents.get(`${FOLDER}/constraint_violations.json`)).toEqual({ violations: [] });
    const report = world.documents.get(`${FOLDER}/report.json`) as { group: string; version: number; window: { start: string; end: string }; thresholds: unknown; features: unknown[] };
    expect(report).toMatchObject({ group: GROUP, version: 3, window: { ...HOUR, records: 100, unparsedRecords: 0, rows: 400, malformedRows: 0 }, thresholds: { comparisonMethod: 'linf_simple', comparisonThreshold: 0.2, perFeature: {} } });
    expect(report.features).toHaveLength(9);
    expect(world.driftSignals.size).toBe(0);
    expect(world.published).toEqual([]);
    expect(world.queued).toEqual([]);
  });

  it('reads only the hour of the window: drifted traffic of the hours around it is not counted', async () => {
    const world = await liveWorld({ kind: 'steady' });
    capture(world, PROD, '2026-11-28T08:00:00.000Z', applications('drifted', 12));
    capture(world, PROD, '2026-11-28T10:00:00.000Z', applications('drifted', 13));
    capture(world, 'credit-risk-retail-staging', HOUR.start, applications('drifted', 14));

    const result = await checkGroupDrift(deps(world), SCHEMA, GROUP, HOUR);

    expect(result).toMatchObject({ outcome: 'no-drift', rows: 400 });
  });

  it('reads every hour of a longer window', async () => {
    const world = await liveWorld({ kind: 'steady' });
    capture(world, PROD, '2026-11-28T10:00:00.000Z', applications('steady', 12, 200));

    const result = await checkGroupDrift(deps(world), SCHEMA, GROUP, { start: HOUR.start, end: '2026-11-28T11:00:00.000Z' });

    expect(result).toMatchObject({ outcome: 'no-drift', rows: 600 });
  });

  it('finds the drift scenario: income and employment years drift, a signal, DriftDetected with every judged feature and a reconcile request', async () => {
    const world = await liveWorld({ kind: 'drifted' });
    const expected = expectedCheck(baseline, 'drifted', { comparisonMethod: 'linf_simple', comparisonThreshold: 0.2 });

    const result = await checkGroupDrift(deps(world), SCHEMA, GROUP, HOUR);

    expect(result).toEqual({ group: GROUP, outcome: 'drift', version: 3, rows: 400, drifted: ['annual_income', 'employment_years'], reportUri: `${FOLDER}/report.json` });
    const [event, ...others] = driftEvents(world);
    expect(others).toEqual([]);
    expect(() => domainEventDetailSchemas.DriftDetected.parse(event)).not.toThrow();
    expect(event).toMatchObject({
      eventKey: `${GROUP}/v3/drift-check/${HOUR.end}/DriftDetected`,
      modelGroup: GROUP,
      occurredAt: '2026-11-28T10:05:00.000Z',
      version: 3,
      source: 'drift-check',
      windowStart: HOUR.start,
      windowEnd: HOUR.end,
      records: 400,
      reportUri: `${FOLDER}/report.json`,
      violationsUri: `${FOLDER}/constraint_violations.json`,
    });
    // Every feature, drifted or not, with the distance the pure check gives for the same rows and the explainer's importance.
    expect(event!.features).toEqual(
      expected.features.map((f) => ({ feature: f.feature, method: 'linf_simple', distance: f.distance, threshold: 0.2, drifted: f.drifted, importance: f.feature === 'annual_income' ? 1 : 0 })),
    );
    const income = event!.features.find((f) => f.feature === 'annual_income')!;
    expect(income.distance).toBeGreaterThan(0.2);
    expect([...world.driftSignals.values()]).toEqual([
      { version: 3, source: 'drift-check', windowStart: HOUR.start, windowEnd: HOUR.end, features: event!.features, reportUri: `${FOLDER}/report.json` },
    ]);
    expect(world.queued).toEqual([
      {
        modelGroup: GROUP,
        reason: `Drift on v3 in the window ending ${HOUR.end}`,
        trigger: { source: 'creditai.mlops', detailType: 'DriftDetected', eventId: `${GROUP}/v3/${HOUR.end}`, time: '2026-11-28T10:05:00.000Z' },
      },
    ]);
    const violations = world.documents.get(`${FOLDER}/constraint_violations.json`) as { violations: { feature_name: string; constraint_check_type: string }[] };
    expect(violations.violations.filter((v) => v.constraint_check_type === 'baseline_drift_check').map((v) => v.feature_name).sort()).toEqual(['annual_income', 'employment_years']);
  });

  it('records the signal of a window once when the check runs twice (the same event key, the same objects rewritten)', async () => {
    const world = await liveWorld({ kind: 'drifted' });

    await checkGroupDrift(deps(world), SCHEMA, GROUP, HOUR);
    world.tick(600);
    await checkGroupDrift(deps(world), SCHEMA, GROUP, HOUR);

    expect(world.driftSignals.size).toBe(1);
    expect(new Set(driftEvents(world).map((e) => e.eventKey)).size).toBe(1);
    expect(new Set(world.queued.map((r) => r.trigger.eventId)).size).toBe(1);
    expect(new Set(world.written)).toEqual(new Set([`${FOLDER}/report.json`, `${FOLDER}/constraint_violations.json`]));
  });

  it('leaves importance out when no explainer is registered', async () => {
    const world = await liveWorld({ kind: 'drifted', explainer: false });

    await checkGroupDrift(deps(world), SCHEMA, GROUP, HOUR);

    expect(driftEvents(world)[0]!.features.every((f) => f.importance === undefined)).toBe(true);
  });

  it("judges a feature against the policy's own threshold for it", async () => {
    const world = await liveWorld({ kind: 'drifted', overrides: { drift: { featureThresholds: { employment_years: 0.5 } } } });

    const result = await checkGroupDrift(deps(world), SCHEMA, GROUP, HOUR);

    expect(result).toMatchObject({ outcome: 'drift', drifted: ['annual_income'] });
    const employment = driftEvents(world)[0]!.features.find((f) => f.feature === 'employment_years')!;
    expect(employment).toMatchObject({ threshold: 0.5, drifted: false });
    expect(employment.distance).toBeGreaterThan(0.2);
    expect(driftEvents(world)[0]!.features.find((f) => f.feature === 'age')).toMatchObject({ threshold: 0.2 });
  });

  it("uses linf_robust when the policy says so: the small-sample noise is taken off every distance", async () => {
    const thresholds = { comparisonMethod: 'linf_robust', comparisonThreshold: 0.1 } as const;
    const world = await liveWorld({ kind: 'drifted', overrides: { drift: { method: 'linf_robust', threshold: 0.1 } } });
    const robust = expectedCheck(baseline, 'drifted', thresholds);
    const simple = expectedCheck(baseline, 'drifted', { ...thresholds, comparisonMethod: 'linf_simple' });

    const result = await checkGroupDrift(deps(world), SCHEMA, GROUP, HOUR);

    // At 0.1, L∞ simple would also flag loan_amount (income-linked); the robust distance does not.
    expect(simple.features.filter((f) => f.drifted).map((f) => f.feature)).toContain('loan_amount');
    expect(result).toMatchObject({ outcome: 'drift', drifted: ['annual_income', 'employment_years'] });
    const features = driftEvents(world)[0]!.features;
    expect(features.every((f) => f.method === 'linf_robust')).toBe(true);
    expect(features.map((f) => f.distance)).toEqual(robust.features.map((f) => f.distance));
    expect(features.find((f) => f.feature === 'annual_income')!.distance).toBeLessThan(simple.features.find((f) => f.feature === 'annual_income')!.distance!);
  });
});

describe('Function: runDriftCheck', () => {
  /** Another managed group whose v1 is Live with the training baseline and `kind` traffic in the hour. */
  async function addLiveGroup(world: FakeWorld, group: string, kind: TrafficKind): Promise<string> {
    world.manage(group);
    const arn = world.register(group, 1);
    world.registerBaseline(arn, baseline);
    await world.reconcileDeps().state.save({ group, revision: 0, versions: [{ ...aVersion(1, 'Live'), arn }], conditions: [] });
    capture(world, `${group}-prod`, HOUR.start, applications(kind, 21));
    return arn;
  }

  it('checks every managed group, and a failing group fails the run at the end, named, after the others were checked', async () => {
    const world = await liveWorld({ kind: 'drifted' });
    const broken = await addLiveGroup(world, 'credit-risk-broken', 'steady');
    // Its baseline is registered but was never written.
    world.documents.delete(world.packages.get(broken)!.baselineStatisticsUri!);
    await addLiveGroup(world, 'credit-risk-zz-last', 'drifted');

    const error = await runDriftCheck(deps(world), SCHEMA, HOUR).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).message).toBe('Drift check failed for credit-risk-broken (the others were checked)');
    expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual([`NoSuchKey ${world.packages.get(broken)!.baselineStatisticsUri}`]);
    // The drifted groups before and after it were checked.
    expect(driftEvents(world).map((e) => e.modelGroup)).toEqual([GROUP, 'credit-risk-zz-last']);
    expect(world.queued.map((r) => r.modelGroup)).toEqual([GROUP, 'credit-risk-zz-last']);
  });

  it('returns every outcome when all groups are checked', async () => {
    const world = await liveWorld({ kind: 'steady' });
    world.manage('credit-risk-sme');

    const outcomes = await runDriftCheck(deps(world), SCHEMA, HOUR);

    expect(outcomes.map((o) => [o.group, o.outcome])).toEqual([
      [GROUP, 'no-drift'],
      ['credit-risk-sme', 'no-live-version'],
    ]);
  });
});
