/** The experiment judge as its Lambda handler (middy, Powertools), and the configuration it needs. */
import type { Context } from 'aws-lambda';
import type { DomainEvent } from '../../../shared/contracts/domain-events';
import type { ExperimentJudgeDeps } from '../../../shared/experiment-judge/ports';
import type { GroupStatus } from '../../../shared/lifecycle/model';
import { experimentJudgeConfigSchema, readConfig } from '../../../shared/runtime/config';
import { makeExperimentJudgeHandler } from '../../../shared/runtime/experiment-judge-handler';

const context = { functionName: 'creditai-mlops-experiment-judge', awsRequestId: 'req-1' } as unknown as Context;
const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events' };
const GROUP = 'credit-risk-retail';

function deps(published: DomainEvent[]): ExperimentJudgeDeps {
  const experiment = {
    version: 5,
    championVersion: 4,
    sharePercent: 50,
    startedAt: '2026-11-01T00:00:00.000Z',
    servingSince: '2026-11-01T00:10:00.000Z',
    endpointConfigName: `${GROUP}-v4-prod-0a1b2c3d`,
    plan: { challengerShare: 0.5, championDefaultRate: 0.05, minimumDetectableEffect: 0.01 },
  };
  const arm = (defaults: number) => ({ assigned: 4000, matured: 4000, labelled: 4000, defaults });
  return {
    state: {
      listGroups: async () => [GROUP, 'credit-risk-sme'],
      policyOverrides: async (group) => (group === GROUP ? {} : undefined),
      load: async (group) => ({ group, revision: 1, versions: [], conditions: [], experiment }) as GroupStatus,
      recordExperimentVerdict: async () => true,
    },
    looks: { last: async () => undefined, save: async () => undefined },
    outcomes: { armCounts: async () => ({ champion: arm(200), challenger: arm(480) }) },
    bus: { publish: async (events) => void published.push(...events) },
    queue: { request: async () => undefined },
    clock: { now: () => '2026-11-10T10:21:34.000Z' },
  };
}

describe('Function: makeExperimentJudgeHandler', () => {
  it('judges every managed group and returns the outcomes', async () => {
    const published: DomainEvent[] = [];
    const handler = makeExperimentJudgeHandler(() => deps(published));

    const result = (await handler(scheduled, context)) as { outcomes: { group: string; outcome: string; decision?: string }[] };

    expect(result.outcomes.map((o) => [o.group, o.outcome, o.decision])).toEqual([
      [GROUP, 'judged', 'stop-harm'],
      ['credit-risk-sme', 'not-managed', undefined],
    ]);
    expect(published.map((e) => e.detailType)).toEqual(['ExperimentJudged']);
  });
});

describe('Schema: experimentJudgeConfigSchema', () => {
  const env = { AWS_REGION: 'eu-west-1', STATE_TABLE: 'state', DATA_CAPTURE_S3_URI: 's3://capture/endpoints', OUTCOMES_S3_URI: 's3://data/outcomes', RECONCILE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/reconcile.fifo' };

  it('reads the captures, the outcomes and the queue, defaulting the bus', () => {
    expect(readConfig(experimentJudgeConfigSchema, env)).toEqual({ ...env, EVENT_BUS_NAME: 'creditai-mlops' });
  });

  it.each(['DATA_CAPTURE_S3_URI', 'OUTCOMES_S3_URI', 'RECONCILE_QUEUE_URL'])('names a missing %s', (name) => {
    const { [name as keyof typeof env]: _missing, ...rest } = env;
    expect(() => readConfig(experimentJudgeConfigSchema, rest)).toThrow(new RegExp(name));
  });
});
