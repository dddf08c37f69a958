import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeCloudWatchAlarms } from '../../../shared/aws/cloudwatch-alarms';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const cloudWatch = mockClient(CloudWatchClient);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(cloudWatch)) expectValidAwsInput('cloudwatch', command);
  } finally {
    cloudWatch.reset();
  }
});

const alarms = () => makeCloudWatchAlarms(new CloudWatchClient({}));

describe('Function: makeCloudWatchAlarms', () => {
  it('describes metric and composite alarms by name, since their last change of state; missing names are absent', async () => {
    // Prepare
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        // Updated at 12:30 (a new reason), in ALARM since 12:00: the transition is what counts.
        { AlarmName: 'acme-prod-p99-latency', StateValue: 'ALARM', StateUpdatedTimestamp: new Date('2026-03-01T12:30:00Z'), StateTransitionedTimestamp: new Date('2026-03-01T12:00:00Z'), StateReason: 'Threshold crossed: 1 datapoint [250000.0]' },
      ],
      CompositeAlarms: [{ AlarmName: 'acme-prod-slo-burn', StateValue: 'OK', StateUpdatedTimestamp: new Date('2026-03-01T11:00:00Z') }],
    });
    // Act
    const observed = await alarms().describe(['acme-prod-p99-latency', 'acme-prod-slo-burn', 'acme-prod-does-not-exist']);
    // Assess
    expect(cloudWatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
      AlarmNames: ['acme-prod-p99-latency', 'acme-prod-slo-burn', 'acme-prod-does-not-exist'],
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      MaxRecords: 100,
    });
    expect(observed).toEqual([
      { name: 'acme-prod-p99-latency', state: 'ALARM', since: '2026-03-01T12:00:00.000Z', reason: 'Threshold crossed: 1 datapoint [250000.0]' },
      { name: 'acme-prod-slo-burn', state: 'OK', since: '2026-03-01T11:00:00.000Z', reason: undefined },
    ]);
  });

  it('asks for at most 100 names per call and follows NextToken', async () => {
    const names = Array.from({ length: 150 }, (_, i) => `alarm-${i}`);
    cloudWatch
      .on(DescribeAlarmsCommand, { NextToken: undefined })
      .resolves({ MetricAlarms: [{ AlarmName: 'alarm-0', StateValue: 'OK', StateUpdatedTimestamp: new Date(0) }], NextToken: 'next' })
      .on(DescribeAlarmsCommand, { NextToken: 'next' })
      .resolves({ MetricAlarms: [{ AlarmName: 'alarm-99', StateValue: 'INSUFFICIENT_DATA', StateUpdatedTimestamp: new Date(0) }] });

    const observed = await alarms().describe(names);

    const calls = cloudWatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input);
    // First chunk: two pages; second chunk (50 names): one page answered as "first page" by the mock.
    expect(calls.map((c) => [c.AlarmNames?.length, c.NextToken])).toEqual([
      [100, undefined],
      [100, 'next'],
      [50, undefined],
      [50, 'next'],
    ]);
    expect(observed.map((a) => a.name)).toEqual(['alarm-0', 'alarm-99', 'alarm-0', 'alarm-99']);
  });

  it('makes no call for no names', async () => {
    await expect(alarms().describe([])).resolves.toEqual([]);
    expect(cloudWatch.calls()).toHaveLength(0);
  });
});
