/**
 * `mlops status`: the overview of every managed group and the detail of one, over an in-memory state store.
 */
import { status } from '../../../scripts/mlops/commands/status';
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
