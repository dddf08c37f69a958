/**
 * `mlops status`: the overview of every managed group and the detail of one, over an in-memory state store.
 */
import { status, type StatusDeps } from '../../../scripts/mlops/commands/status';
import type { JudgeLook } from '../../../scripts/mlops/commands/status-experiment';
import type { ChallengeRequest, ExperimentState, GroupStatus } from '../../../shared/lifecycle/model';
import { FakeStateStore, fixedClock, GROUP, groupStatus, superseded, version } from './fakes';

const NOW_MINUS_HOUR = '2026-11-28T11:00:00.000Z';
const JANE = 'arn:aws:sts::111122223333:assumed-role/RiskOfficer/jane.doe@example.com';

/** A group with a Live version, a canary rolling out, one awaiting approval and a rollback target. */
function busyGroup() {
  return groupStatus([
    superseded(4),
    version(5, 'Live', {
      liveSince: '2026-11-28T10:00:00.000Z',
      gates: { passed: true, results: [], evaluatedAt: '2026-11-27T10:00:00.000Z' },
      approval: { actor: { arn: JANE, kind: 'human', source: 'cloudtrail' }, at: '2026-11-27T11:00:00.000Z', reason: 'AUC 0.87, DI 0.93' },
    }),
    version(6, 'Canary', { reason: 'Rolling out' }),
    version(7, 'AwaitingApproval', { awaiting: 'production' }),
    version(3, 'Rejected', {
      reason: 'auc 0.81 below 0.85',
      gates: {
        passed: false,
        evaluatedAt: '2026-11-20T10:00:00.000Z',
        results: [
          { gate: 'auc', passed: false, message: 'AUC 0.81 < 0.85' },
          { gate: 'ks', passed: true, message: 'ok' },
        ],
      },
    }),
  ]);
}

/** A group whose last rollback found no target. */
function blockedGroup() {
  return {
    ...groupStatus([version(1, 'Live', { arn: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/card-gold/1' })]),
    group: 'card-gold',
    conditions: [
      {
        type: 'RollbackBlocked',
        status: 'True' as const,
        reason: 'NoRollbackTarget',
        message: 'Rollback needed (p99 in ALARM) but no last-known-good version exists',
        lastTransitionTime: '2026-11-28T11:00:00.000Z',
      },
    ],
  };
}

describe('Command: status (all groups)', () => {
  it('lists every managed group with its Live version, last-known-good, what is in flight and its conditions', async () => {
    // Prepare
    const state = new FakeStateStore(busyGroup(), blockedGroup());

    // Act
    const result = await status({ state, clock: fixedClock }, {});

    // Assess
    expect(result.exitCode).toBe(0);
    const [header, first, second] = result.output.split('\n');
    expect(header).toMatch(/^GROUP\s+LIVE\s+LAST-KNOWN-GOOD\s+IN FLIGHT\s+CONDITIONS$/);
    // Sorted by name: card-gold before credit-risk-retail.
    expect(first).toMatch(/^card-gold\s+v1 since .*\s+-\s+-\s+RollbackBlocked: NoRollbackTarget$/);
    expect(second).toContain(`${GROUP}  `);
    expect(second).toContain('v5 since 2026-11-28 10:00Z (2h ago)');
    expect(second).toContain('v7 AwaitingApproval(production), v6 Canary');
    expect(second).toMatch(/\sv4\s/);
  });

  it('aligns the columns: every cell starts where its header does', async () => {
    const state = new FakeStateStore(busyGroup(), blockedGroup());

    const { output } = await status({ state, clock: fixedClock }, {});

    const [header, ...rows] = output.split('\n');
    const starts = ['LIVE', 'LAST-KNOWN-GOOD', 'IN FLIGHT', 'CONDITIONS'].map((h) => header!.indexOf(h));
    for (const row of rows) {
      for (const start of starts) {
        expect(row.slice(start - 2, start)).toBe('  ');
        expect(row[start]).not.toBe(' ');
      }
    }
  });

  it('shows a pending operator rollback request', async () => {
    const state = new FakeStateStore(groupStatus([superseded(4), version(5, 'Live')], { rollbackRequest: { by: 'alice', reason: 'p99', at: '2026-11-28T11:59:00.000Z' } }));

    const { output } = await status({ state, clock: fixedClock }, {});

    expect(output).toContain('RollbackRequested by alice');
  });

  it('says so when no group is managed', async () => {
    const { output, exitCode } = await status({ state: new FakeStateStore(), clock: fixedClock }, {});

    expect(exitCode).toBe(0);
    expect(output).toMatch(/No managed model groups/);
  });

  it('prints the raw statuses with --json', async () => {
    const state = new FakeStateStore(busyGroup(), blockedGroup());

    const { output } = await status({ state, clock: fixedClock }, { json: true });

    const parsed = JSON.parse(output) as { group: string }[];
    expect(parsed.map((s) => s.group)).toEqual(['card-gold', GROUP]);
    expect(parsed[1]).toEqual(busyGroup());
  });
});

describe('Command: status <group>', () => {
  it('tabulates versions newest first with phase, since, reason, gates and approver', async () => {
    const state = new FakeStateStore(busyGroup());

    const result = await status({ state, clock: fixedClock }, { group: GROUP });

    expect(result.exitCode).toBe(0);
    const lines = result.output.split('\n');
    expect(lines[0]).toBe(`Model group ${GROUP} (revision 7)`);
    expect(result.output).toContain('  Live:            v5');
    expect(result.output).toContain('  Last-known-good: v4');
    const header = lines.find((l) => l.startsWith('VERSION'))!;
    expect(header).toMatch(/^VERSION\s+PHASE\s+SINCE\s+REASON\s+GATES\s+APPROVED BY$/);
    const rows = lines.slice(lines.indexOf(header) + 1, lines.indexOf(header) + 6);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['v7', 'v6', 'v5', 'v4', 'v3']);
    expect(rows[0]).toContain('AwaitingApproval(production)');
    expect(rows[2]).toContain('passed');
    expect(rows[2]).toContain(`${JANE} (human)`);
    expect(rows[4]).toContain('failed: auc');
    expect(rows[4]).toContain('auc 0.81 below 0.85');
    expect(result.output).toContain('Group conditions:\n  (none)');
  });

  it('lists the group conditions, flagging those that need attention', async () => {
    const state = new FakeStateStore(blockedGroup());

    const { output } = await status({ state, clock: fixedClock }, { group: 'card-gold' });

    expect(output).toMatch(/TYPE\s+STATUS\s+REASON\s+SINCE\s+MESSAGE/);
    expect(output).toMatch(/RollbackBlocked\s+True \(!\)\s+NoRollbackTarget\s+2026-11-28 11:00Z \(1h ago\)\s+Rollback needed/);
  });

  it('lists version conditions, e.g. an approval not made by an identified human', async () => {
    const condition = {
      type: 'ApprovalVerified/production',
      status: 'False' as const,
      reason: 'NoIdentifiedHuman',
      message: 'The production approval was not made by an identified human',
      lastTransitionTime: NOW_MINUS_HOUR,
    };
    const state = new FakeStateStore(groupStatus([version(2, 'AwaitingApproval', { awaiting: 'production', conditions: [condition] })]));

    const detail = await status({ state, clock: fixedClock }, { group: GROUP });
    const overview = await status({ state, clock: fixedClock }, {});

    expect(detail.output).toMatch(/Version conditions:\n\s+VERSION.*\n\s+v2\s+ApprovalVerified\/production\s+False \(!\)\s+NoIdentifiedHuman/);
    expect(overview.output).toContain('v2 ApprovalVerified/production=False: NoIdentifiedHuman');
  });

  it('prints the raw status with --json', async () => {
    const state = new FakeStateStore(busyGroup());

    const { output } = await status({ state, clock: fixedClock }, { group: GROUP, json: true });

    expect(JSON.parse(output)).toEqual(busyGroup());
  });

  it('fails with exit 1 for a group the control plane does not manage', async () => {
    const state = new FakeStateStore(busyGroup());

    const result = await status({ state, clock: fixedClock }, { group: 'nope' });

    expect(result.exitCode).toBe(1);
    expect(result.output).toBe(`Model group nope is not managed by the control plane (managed groups: ${GROUP}).`);
  });

  it('shows a managed group that has no versions yet', async () => {
    const state = new FakeStateStore();
    state.managed.add('fresh');

    const result = await status({ state, clock: fixedClock }, { group: 'fresh' });

    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('No versions recorded.');
  });
});

/** A running A/B test of v8 against the Live v5 (NOW is 12:00): started 10:00, served from 10:05, no verdict. */
function experiment(extra: Partial<ExperimentState> = {}): ExperimentState {
  return {
    version: 8,
    championVersion: 5,
    sharePercent: 10,
    startedAt: '2026-11-28T10:00:00.000Z',
    servingSince: '2026-11-28T10:05:00.000Z',
    endpointConfigName: `${GROUP}-v5-v8-prod-0123abcd`,
    plan: { challengerShare: 0.1, championDefaultRate: 0.05, minimumDetectableEffect: 0.01 },
    ...extra,
  };
}

const VERDICT: NonNullable<ExperimentState['verdict']> = {
  decision: 'challenger-wins',
  reason: 'Default rate 2.86 % against 5.00 %: efficacy boundary crossed at look 3',
  lookAt: '2026-11-28T11:59:00.000Z',
  champion: { units: 1200, events: 60 },
  challenger: { units: 140, events: 4 },
};

const REQUEST: ChallengeRequest = { version: 8, sharePercent: 10, by: 'alice', reason: 'lower defaults on thin files', at: '2026-11-28T11:30:00.000Z' };

/** v5 Live and v8 in `phase8`, with the group fields `extra` sets. */
function abGroup(phase8: Parameters<typeof version>[1], extra: Partial<GroupStatus>, v8: Parameters<typeof version>[2] = {}): GroupStatus {
  return groupStatus([superseded(4), version(5, 'Live', { liveSince: '2026-11-28T08:00:00.000Z' }), version(8, phase8, v8)], extra);
}

const challengerV8 = { reason: 'A/B test against version 5 with 10 % of production' };

/** The judge's running state as the look store keeps it. */
const LOOK: JudgeLook = { lookAt: '2026-11-28T11:59:00.000Z', state: { looks: 3, efficacyFractions: [0.2, 0.4, 0.6], minHarmPValue: 0.4213 } };

/** A look store that answers `answer` (or throws it) and records what it was asked. */
function looksOf(answer: JudgeLook | undefined | Error) {
  const calls: [string, number][] = [];
  const looks: NonNullable<StatusDeps['looks']> = {
    async last(group, v) {
      calls.push([group, v]);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { looks, calls };
}

describe('Command: status <group> with A/B tests', () => {
  it.each<[string, GroupStatus, string[], RegExp[]]>([
    ['no experiment and no request', abGroup('Approved', {}), [], [/Challenge:/, /Experiment:/, /verdict:/]],
    [
      'a pending request whose version waits for its production approval',
      abGroup('AwaitingApproval', { challengeRequest: REQUEST }, { awaiting: 'production' }),
      ['  Challenge:       v8 at 10 % by alice, 2026-11-28 11:30Z (30m ago): "lower defaults on thin files"; waiting for the production approval by a human'],
      [/Experiment:/],
    ],
    [
      'a pending request whose version is approved and waits for production',
      abGroup('Approved', { challengeRequest: REQUEST }),
      ['  Challenge:       v8 at 10 % by alice, 2026-11-28 11:30Z (30m ago): "lower defaults on thin files"; approved; waiting for the production slot'],
      [/Experiment:/],
    ],
    [
      'a running A/B test with no verdict',
      abGroup('Challenger', { experiment: experiment() }, challengerV8),
      [
        '  Experiment:      A/B: v8 (challenger, 10 %) against v5 (champion, 90 %)',
        `    config:        ${GROUP}-v5-v8-prod-0123abcd`,
        '    started:       2026-11-28 10:00Z (2h ago); serving since 2026-11-28 10:05Z (1h ago)',
        '    verdict:       none yet',
      ],
      [/Challenge:/, /weights:/, /judge:/],
    ],
    [
      'a running shadow test not served yet after a second send',
      abGroup('Challenger', { experiment: experiment({ mode: 'shadow', sharePercent: 20, servingSince: undefined, deployAttempts: 2 }) }, challengerV8),
      [
        '  Experiment:      shadow: v8 (challenger) scored on a copy of 20 % of requests, decides nothing; v5 (champion) serves all',
        '    started:       2026-11-28 10:00Z (2h ago); not served yet (config sent 2 times)',
        '    verdict:       none yet',
      ],
      [/weights:/, /against v5 \(champion/],
    ],
    [
      'a verdict recorded, awaiting the weight shift',
      abGroup('Challenger', { experiment: experiment({ verdict: VERDICT }) }, challengerV8),
      [
        '    verdict:       challenger-wins at 2026-11-28 11:59Z (1m ago): Default rate 2.86 % against 5.00 %: efficacy boundary crossed at look 3',
        '    arms:          champion v5 units 1,200, events 60 (5.00 %); challenger v8 units 140, events 4 (2.86 %)',
        '    weights:       not shifted yet: the next reconcile moves all traffic to v8 (challenger)',
      ],
      [/none yet/],
    ],
    [
      'a champion kept, weights shifted back to it',
      abGroup('Challenger', { experiment: experiment({ verdict: { ...VERDICT, decision: 'keep-champion' }, weightsShiftedAt: '2026-11-28T11:59:30.000Z' }) }, challengerV8),
      ['    weights:       all traffic moved to v5 (champion) 2026-11-28 11:59Z (just now); a one-variant config follows'],
      [/not shifted/],
    ],
    [
      'a shadow verdict, the winner to be released through the canary',
      abGroup('Challenger', { experiment: experiment({ mode: 'shadow', verdict: VERDICT }) }, challengerV8),
      ['    next:          v5 (champion) is redeployed alone, then v8 goes to production through the canary'],
      [/weights:/],
    ],
    [
      'a shadow winner whose champion config was sent',
      abGroup('Challenger', { experiment: experiment({ mode: 'shadow', verdict: VERDICT, shadowRemovedAt: '2026-11-28T11:59:30.000Z' }) }, challengerV8),
      ['    next:          v5 (champion) alone sent 2026-11-28 11:59Z (just now); once it serves, v8 goes to production through the canary'],
      [/weights:/],
    ],
    [
      'the labels and the deadline fixed at the start',
      abGroup('Challenger', { experiment: experiment({ labels: { label: 'default_12m', maturityDays: 365, decisionThreshold: 0.3, earlyHarm: { label: 'dpd30_m3', maturityDays: 90 } }, deadline: '2027-11-28T12:00:00.000Z' }) }, challengerV8),
      [
        '    labels:        default_12m after 365 days; harm on dpd30_m3 after 90 days; approved at score ≤ 0.3',
        '    deadline:      2027-11-28 12:00Z (in 365d): no verdict by then keeps the champion',
      ],
      [/weights:/],
    ],
    [
      'a config SageMaker refused',
      abGroup('Challenger', { experiment: experiment({ servingSince: undefined, deployError: 'The account-level service limit is 2 Instances' }) }, challengerV8),
      ['    started:       2026-11-28 10:00Z (2h ago); refused by SageMaker (The account-level service limit is 2 Instances): the next reconcile aborts the test'],
      [/serving since/],
    ],
  ])('shows %s', async (_, recorded, present, absent) => {
    const state = new FakeStateStore(recorded);

    const { exitCode, output } = await status({ state, clock: fixedClock }, { group: GROUP });

    expect(exitCode).toBe(0);
    const lines = output.split('\n');
    for (const line of present) expect(lines).toContain(line);
    for (const pattern of absent) expect(output).not.toMatch(pattern);
    // In the header block, above the version table.
    const versionHeader = lines.findIndex((l) => l.startsWith('VERSION'));
    for (const line of present) expect(lines.indexOf(line)).toBeLessThan(versionHeader);
  });

  it.each<[string, Partial<ExperimentState>, string]>([
    ['A/B', {}, 'A/B vs champion v5: 10 % of traffic'],
    ['shadow', { mode: 'shadow', sharePercent: 20 }, 'shadow vs champion v5: scored on a copy of 20 % of requests'],
  ])('says on the %s challenger\'s version line against which champion and what share', async (_, extra, role) => {
    const state = new FakeStateStore(abGroup('Challenger', { experiment: experiment(extra) }, challengerV8));

    const { output } = await status({ state, clock: fixedClock }, { group: GROUP });

    const row = output.split('\n').find((l) => l.startsWith('v8 '))!;
    expect(row).toMatch(/^v8\s+Challenger\s+2026-11-28 09:00Z \(3h ago\)\s+/);
    expect(row).toContain(role);
  });

  it.each<[string, JudgeLook | undefined | Error, string]>([
    ['the last look', LOOK, '    judge:         3 looks taken, last 2026-11-28 11:59Z (1m ago); min harm p 0.42'],
    ['that no look was taken yet', undefined, '    judge:         no look yet'],
    [
      'why the looks could not be read, and the rest of the status',
      new Error('Access denied by dynamodb in eu-west-1: not authorized to perform dynamodb:GetItem'),
      '    judge:         looks not read (Access denied by dynamodb in eu-west-1: not authorized to perform dynamodb:GetItem)',
    ],
  ])('shows %s of the judge', async (_, answer, line) => {
    const state = new FakeStateStore(abGroup('Challenger', { experiment: experiment() }, challengerV8));
    const { looks, calls } = looksOf(answer);

    const { exitCode, output } = await status({ state, looks, clock: fixedClock }, { group: GROUP });

    expect(exitCode).toBe(0);
    expect(output.split('\n')).toContain(line);
    expect(output).toContain('    verdict:       none yet');
    expect(calls).toEqual([[GROUP, 8]]);
  });

  it('does not ask the look store when no experiment runs', async () => {
    const { looks, calls } = looksOf(LOOK);

    const { output } = await status({ state: new FakeStateStore(abGroup('Approved', { challengeRequest: REQUEST })), looks, clock: fixedClock }, { group: GROUP });

    expect(calls).toEqual([]);
    expect(output).not.toMatch(/judge:/);
  });

  it('carries the request, the experiment and the judge\'s last look with --json', async () => {
    const recorded = abGroup('Challenger', { experiment: experiment({ verdict: VERDICT }), challengeRequest: { ...REQUEST, version: 9 } }, challengerV8);
    const state = new FakeStateStore(recorded);

    const withLooks = JSON.parse((await status({ state, looks: looksOf(LOOK).looks, clock: fixedClock }, { group: GROUP, json: true })).output) as unknown;
    const withoutLooks = JSON.parse((await status({ state, clock: fixedClock }, { group: GROUP, json: true })).output) as unknown;

    expect(withLooks).toEqual({ ...recorded, judgeLook: LOOK });
    expect(withoutLooks).toEqual(recorded);
  });
});

describe('Command: status (all groups) with A/B tests', () => {
  it('lists running experiments and pending challenges under the overview', async () => {
    const running = abGroup('Challenger', { experiment: experiment({ verdict: VERDICT }) }, challengerV8);
    const shadow = { ...abGroup('Challenger', { experiment: experiment({ mode: 'shadow', sharePercent: 20 }) }, challengerV8), group: 'card-gold' };
    const requested = { ...abGroup('Approved', { challengeRequest: REQUEST }), group: 'auto-loans' };
    const state = new FakeStateStore(running, shadow, requested);

    const { output } = await status({ state, clock: fixedClock }, {});

    const section = output.split('\n\nA/B tests and challenges:\n')[1]!.split('\n');
    expect(section[0]).toMatch(/^GROUP\s+CHALLENGER\s+CHAMPION\s+SHARE\s+MODE\s+STATE$/);
    expect(section.slice(1)).toHaveLength(3);
    expect(section[1]).toMatch(/^auto-loans\s+v8\s+v5\s+10 %\s+requested\s+by alice 30m ago; approved; waiting for the production slot$/);
    expect(section[2]).toMatch(/^card-gold\s+v8\s+v5\s+20 %\s+shadow\s+started 2h ago, no verdict yet$/);
    expect(section[3]).toMatch(new RegExp(`^${GROUP}\\s+v8\\s+v5\\s+10 %\\s+A/B\\s+challenger-wins; weights not shifted yet$`));
    // The columns line up with their headers.
    const start = section[0]!.indexOf('STATE');
    for (const row of section.slice(1)) expect(row.slice(start - 2, start + 1)).toMatch(/^ {2}\S$/);
  });

  it('adds no section when no group tests or requests a challenger', async () => {
    const { output } = await status({ state: new FakeStateStore(abGroup('Approved', {})), clock: fixedClock }, {});

    expect(output).not.toContain('A/B tests');
  });

  it('prints the requests and experiments as recorded with --json', async () => {
    const running = abGroup('Challenger', { experiment: experiment({ mode: 'shadow' }), challengeRequest: { ...REQUEST, version: 9 } }, challengerV8);

    const { output } = await status({ state: new FakeStateStore(running), clock: fixedClock }, { json: true });

    expect(JSON.parse(output)).toEqual([running]);
  });
});
