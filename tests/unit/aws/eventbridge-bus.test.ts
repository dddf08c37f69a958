import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeEventBridgeBus } from '../../../shared/aws/eventbridge-bus';
import type { DomainEvent } from '../../../shared/contracts/domain-events';
import { RetryableError } from '../../../shared/runtime/errors';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const eventBridge = mockClient(EventBridgeClient);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(eventBridge)) expectValidAwsInput('events', command);
  } finally {
    eventBridge.reset();
  }
});

const bus = () => makeEventBridgeBus(new EventBridgeClient({}), { busName: 'creditai-mlops' });

function gated(version: number): DomainEvent {
  return {
    detailType: 'ModelGated',
    detail: {
      schemaVersion: 1,
      eventKey: `credit-card-acme/v${version}/t1/ModelGated`,
      modelGroup: 'credit-card-acme',
      occurredAt: '2026-03-01T12:00:00.000Z',
      version,
      passed: true,
      results: [],
    },
  };
}

describe('Function: makeEventBridgeBus', () => {
  it('puts each event on the project bus with source creditai.mlops', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    await bus().publish([gated(1)]);
    expect(eventBridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [{ EventBusName: 'creditai-mlops', Source: 'creditai.mlops', DetailType: 'ModelGated', Detail: JSON.stringify(gated(1).detail) }],
    });
  });

  it('sends at most 10 entries per call', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    await bus().publish(Array.from({ length: 23 }, (_, i) => gated(i + 1)));
    expect(eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
  });

  it('makes no call for no events', async () => {
    await bus().publish([]);
    expect(eventBridge.calls()).toHaveLength(0);
  });

  it('turns failed entries into a RetryableError listing their error codes', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: '1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
    });
    const error = await bus().publish([gated(1), gated(2)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toContain('ModelGated credit-card-acme/v2/t1/ModelGated: ThrottlingException');
    expect((error as Error).message).not.toContain('v1');
  });
});
