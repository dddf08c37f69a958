/** The canary judge as its Lambda handler (middy, Powertools): every group judged, the outcomes returned. */
import type { Context } from 'aws-lambda';
import type { CanaryJudgeDeps } from '../../../shared/canary-judge/ports';
import type { DomainEvent } from '../../../shared/contracts/domain-events';
import type { GroupStatus } from '../../../shared/lifecycle/model';
import { judgeConfigSchema, readConfig } from '../../../shared/runtime/config';
import { makeJudgeHandler } from '../../../shared/runtime/judge-handler';
import { aVersion, configOf, GROUP } from '../../support/lifecycle-fixtures';

const context = { functionName: 'creditai-mlops-judge', awsRequestId: 'req-1' } as unknown as Context;
const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events' };

function deps(published: DomainEvent[], harm: string[]): CanaryJudgeDeps {
  const counts: Record<string, { units: number; events: number }> = {
    [configOf(1, 'production')]: { units: 2052, events: 10 },
    [configOf(2, 'production')]: { units: 228, events: 11 },
  };
  return {
    state: {
      listGroups: async () => [GROUP, 'credit-risk-sme'],
      policyOverrides: async (group) => (group === GROUP ? {} : undefined),
      load: async (group) => ({ group, revision: 1, versions: [aVersion(1, 'Live'), aVersion(2, 'Canary')], conditions: [] }) as GroupStatus,
    },
    bus: { publish: async (events) => void published.push(...events) },
    clock: { now: () => '2026-11-02T09:38:30.000Z' },
    metrics: {
      invocationCounts: async (fleets) => fleets.map((f) => counts[f.endpointConfigName]!),
      latencySloMisses: async (fleets) => fleets.map(() => ({ units: 0, events: 0 })),
      raiseCanaryHarm: async (endpoint) => void harm.push(endpoint),
    },
  };
}

describe('Function: makeJudgeHandler', () => {
  it('judges every managed group and returns the outcomes', async () => {
    const published: DomainEvent[] = [];
    const harm: string[] = [];
    const handler = makeJudgeHandler(() => deps(published, harm));

    const result = (await handler(scheduled, context)) as { outcomes: { group: string; outcome: string; decision?: string }[] };

    expect(result.outcomes.map((o) => [o.group, o.outcome, o.decision])).toEqual([
      [GROUP, 'judged', 'rollback'],
      ['credit-risk-sme', 'not-managed', undefined],
    ]);
    expect(published.map((e) => e.detailType)).toEqual(['CanaryJudged']);
    expect(harm).toEqual([`${GROUP}-prod`]);
  });
});

describe('Schema: judgeConfigSchema', () => {
  it('reads the common settings, defaulting the bus, and names a missing table', () => {
    expect(readConfig(judgeConfigSchema, { AWS_REGION: 'eu-west-1', STATE_TABLE: 'state' })).toEqual({ AWS_REGION: 'eu-west-1', STATE_TABLE: 'state', EVENT_BUS_NAME: 'creditai-mlops' });
    expect(() => readConfig(judgeConfigSchema, { AWS_REGION: 'eu-west-1' })).toThrow(/STATE_TABLE/);
  });
});
