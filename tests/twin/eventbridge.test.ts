/**
 * The EventBridge twin: PutEvents as AWS answers it (through a real SDK client), rules from the real catalogue
 * routing every sample to its function, asynchronous at-least-once delivery with seeded duplicates, retries and
 * the dead-letter list; then the Lambda runtime that delivers to the real handlers (EventBridge targets, the
 * reconcile FIFO queue, the sweep's schedule) and drains until nothing is pending.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { dynamoDbDocumentClient, sqsClient } from '../../shared/aws/clients';
import { makeDynamoDbStateStore } from '../../shared/aws/dynamodb-state-store';
import type { FunctionName } from '../../scripts/functions';
import { createTwin, type SdkClientLike, type Twin } from '../../scripts/twin/core/twin';
import type { TwinEvent } from '../../scripts/twin/core/types';
import { createLambdaRuntime, type LambdaRuntime, type LambdaRuntimeOptions } from '../../scripts/twin/runtime/lambda-runtime';
import { makeDynamoDbTwin } from '../../scripts/twin/services/dynamodb';
import { createEventBridgeService, loadRulesFromCatalogue, type DeliveryPayload, type EventBridgeOptions, type EventBridgeTwin, type RuleDefinition } from '../../scripts/twin/services/eventbridge';
import { createSnsService } from '../../scripts/twin/services/sns';
import { createSqsService } from '../../scripts/twin/services/sqs';
import { EVENTS_DIR, listSamples, loadCatalogue, loadSample } from '../support/events';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const START = '2026-11-28T09:00:00.000Z';

interface Setup {
  twin: Twin;
  events: EventBridgeTwin;
  client: EventBridgeClient;
  /** Function names in delivery order. */
  delivered: { target: string; event: DeliveryPayload }[];
}

/** A twin with the EventBridge service over `rules`, every rule's target recording what it receives. */
function setup(options: EventBridgeOptions = { rules: loadRulesFromCatalogue(EVENTS_DIR) }): Setup {
  const events = createEventBridgeService(options);
  const twin = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [events] });
  events.connect(twin);
  const delivered: Setup['delivered'] = [];
  events.setTargets(Object.fromEntries(events.rules.map((r) => [r.name, async (event: DeliveryPayload) => void delivered.push({ target: r.target, event })])));
  const client = new EventBridgeClient({ region: REGION });
  twin.install(client as unknown as SdkClientLike);
  return { twin, events, client, delivered };
}

const domainEntry = (detail: Record<string, unknown> = { eventKey: 'g/v1/t0/ModelGated' }): PutEventsRequestEntry => ({
  EventBusName: 'creditai-mlops',
  Source: 'creditai.mlops',
  DetailType: 'ModelGated',
  Detail: JSON.stringify(detail),
});

describe('EventBridge twin: PutEvents', () => {
  it('accepts entries, answers an EventId each and puts the events on the named bus', async () => {
    const { client, events } = setup();

    const out = await client.send(new PutEventsCommand({ Entries: [domainEntry(), { ...domainEntry(), EventBusName: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/creditai-mlops` }] }));

    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries).toHaveLength(2);
    expect(out.Entries?.every((e) => typeof e.EventId === 'string' && e.EventId.length > 0)).toBe(true);
    expect(events.log.map((l) => l.bus)).toEqual(['creditai-mlops', 'creditai-mlops']);
    expect(events.log[0]?.event).toMatchObject({
      version: '0',
      id: out.Entries?.[0]?.EventId,
      'detail-type': 'ModelGated',
      source: 'creditai.mlops',
      account: ACCOUNT,
      region: REGION,
      time: '2026-11-28T09:00:00Z',
      resources: [],
      detail: { eventKey: 'g/v1/t0/ModelGated' },
    });
    expect(events.log[0]?.matchedRules.sort()).toEqual(['domain-events-audit', 'domain-events-notify']);
  });

  it('refuses an aws.* source entry by entry, as AWS does, and accepts the others', async () => {
    const { client, events } = setup();

    const out = await client.send(
      new PutEventsCommand({ Entries: [{ Source: 'aws.sagemaker', DetailType: 'SageMaker Model Package State Change', Detail: '{}' }, domainEntry()] }),
    );

    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0]).toEqual({ ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' });
    expect(out.Entries?.[1]?.EventId).toEqual(expect.any(String));
    expect(events.log).toHaveLength(1);
  });

  it.each<[string, PutEventsRequestEntry, string, string]>([
    ['a missing Detail', { Source: 'creditai.mlops', DetailType: 'ModelGated' }, 'InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.'],
    ['a missing Source', { DetailType: 'ModelGated', Detail: '{}' }, 'InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.'],
    ['a Detail that is not JSON', { ...domainEntry(), Detail: '{"eventKey":' }, 'MalformedDetail', 'Detail is malformed.'],
    ['a Detail that is not an object', { ...domainEntry(), Detail: '[1,2]' }, 'MalformedDetail', 'Detail is malformed.'],
    ['a bus that does not exist', { ...domainEntry(), EventBusName: 'nobody' }, 'ResourceNotFoundException', 'Event bus nobody does not exist.'],
  ])('fails the entry with %s', async (_, entry, code, message) => {
    const { client, events } = setup();

    const out = await client.send(new PutEventsCommand({ Entries: [entry] }));

    expect(out).toMatchObject({ FailedEntryCount: 1, Entries: [{ ErrorCode: code, ErrorMessage: message }] });
    expect(events.log).toHaveLength(0);
  });

  it('refuses more than 10 entries', async () => {
    const { client } = setup();

    await expect(client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => domainEntry()) }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('takes the entry Time when given', async () => {
    const { client, events } = setup();

    await client.send(new PutEventsCommand({ Entries: [{ ...domainEntry(), Time: new Date('2026-11-27T23:59:59.750Z') }] }));

    expect(events.log[0]?.event.time).toBe('2026-11-27T23:59:59Z');
  });
});

describe('EventBridge twin: rules from the real catalogue', () => {
  /** The function each consumed detail-type reaches (CloudWatch alarms of the project also page through notify). */
  const expectedTargets: Record<string, string[]> = {
    'SageMaker Processing Job State Change': ['monitoring-execution'],
    'SageMaker Model Building Pipeline Execution Status Change': ['pipeline-execution'],
    'SageMaker Model Package State Change': ['model-package'],
    'SageMaker Endpoint State Change': ['endpoint'],
    'SageMaker Endpoint Deployment State Change': ['endpoint'],
    'CloudWatch Alarm State Change': ['alarm', 'notify'],
    'AWS API Call via CloudTrail': ['approval-trail'],
  };

  const consumed = loadCatalogue().consumed.flatMap((c) =>
    listSamples()
      .filter((path) => `samples/${path}`.startsWith(`${c.samples}/`))
      .map((path) => [c.detailType, path] as const),
  );

  it('has a sample of every consumed detail-type', () => {
    expect(new Set(consumed.map(([detailType]) => detailType))).toEqual(new Set(Object.keys(expectedTargets)));
  });

  it.each(consumed)('routes %s (%s) to the right function', async (detailType, path) => {
    const { twin, events, delivered } = setup();

    events.putEvent(loadSample(path) as TwinEvent);
    expect(delivered).toEqual([]); // asynchronous: nothing is delivered inside the put
    await twin.clock.advance(0);

    expect(delivered.map((d) => d.target).sort()).toEqual(expectedTargets[detailType]);
    expect(delivered[0]?.event).toEqual(loadSample(path));
  });

  it.each(listSamples().filter((p) => p.startsWith('creditai.mlops/')))('routes the domain event %s to notify and audit', async (path) => {
    const { twin, client, delivered } = setup();
    const sample = loadSample(path);

    await client.send(new PutEventsCommand({ Entries: [{ EventBusName: 'creditai-mlops', Source: sample.source, DetailType: sample['detail-type'], Detail: JSON.stringify(sample.detail) }] }));
    await twin.clock.advance(0);

    expect(delivered.map((d) => d.target).sort()).toEqual(['audit', 'notify']);
  });

  it('routes AWS service events the twin emits through the default bus', async () => {
    const { twin, delivered } = setup();
    const sample = loadSample('aws.sagemaker/model-package-state-change/approved.json');

    twin.context.emit({ source: sample.source, 'detail-type': sample['detail-type'], resources: sample.resources, detail: sample.detail });
    await twin.clock.advance(0);

    expect(delivered.map((d) => d.target)).toEqual(['model-package']);
    expect(delivered[0]?.event).toMatchObject({ account: ACCOUNT, region: REGION, time: START, detail: sample.detail });
  });

  it('does not deliver domain events put on the default bus', async () => {
    const { twin, client, delivered } = setup();

    await client.send(new PutEventsCommand({ Entries: [{ ...domainEntry(), EventBusName: undefined }] }));
    await twin.clock.advance(0);

    expect(delivered).toEqual([]);
  });

  it('refuses a catalogue whose pattern EventBridge would refuse, naming the rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ source: [{ regex: 'aws.*' }] }));
    writeFileSync(join(dir, 'catalogue.json'), JSON.stringify({ rules: [{ name: 'bad-rule', pattern: 'bad.json', bus: 'default', target: 'alarm', state: 'ENABLED' }] }));

    expect(() => loadRulesFromCatalogue(dir)).toThrow(/Rule bad-rule \(bad\.json\): Unsupported EventBridge pattern operator/);
  });
});

describe('EventBridge twin: rule states', () => {
  const rule = (name: string, state: RuleDefinition['state']): RuleDefinition => ({
    name,
    bus: 'default',
    pattern: { source: ['aws.sagemaker'], 'detail-type': ['AWS API Call via CloudTrail'] },
    state,
    target: name,
  });
  const rules = [rule('enabled', 'ENABLED'), rule('disabled', 'DISABLED'), rule('with-trail', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS')];
  const trail = (readOnly: boolean) => {
    const sample = loadSample('aws.sagemaker/aws-api-call-via-cloudtrail/update-model-package-approved.json');
    return { ...sample, detail: { ...sample.detail, readOnly } } as TwinEvent;
  };

  it('never matches a DISABLED rule; write management events reach ENABLED rules', () => {
    const { events } = setup({ rules });

    events.putEvent(trail(false));

    expect(events.log[0]?.matchedRules).toEqual(['enabled', 'with-trail']);
  });

  it('gives read-only management events only to ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules', () => {
    const { events } = setup({ rules });

    events.putEvent(trail(true));

    expect(events.log[0]?.matchedRules).toEqual(['with-trail']);
  });
});

describe('EventBridge twin: delivery', () => {
  const rules = loadRulesFromCatalogue(EVENTS_DIR);
  const approved = () => loadSample('aws.sagemaker/model-package-state-change/approved.json') as TwinEvent;

  /** Puts `count` copies of an event with distinct ids and delivers them; returns the delivered event ids. */
  async function deliverMany(options: EventBridgeOptions, count: number): Promise<string[]> {
    const { twin, events, delivered } = setup(options);
    for (let i = 0; i < count; i++) events.putEvent({ ...approved(), id: `event-${i}` });
    await twin.clock.advance(0);
    return delivered.map((d) => String((d.event as TwinEvent).id));
  }

  it('delivers each event exactly once without duplicateRate', async () => {
    const ids = await deliverMany({ rules }, 20);

    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  });

  it('delivers a seeded share of the events twice, with the same event id', async () => {
    const ids = await deliverMany({ rules, duplicateRate: 0.5, seed: 42 }, 40);

    const twice = [...new Set(ids)].filter((id) => ids.filter((x) => x === id).length === 2);
    expect(new Set(ids).size).toBe(40); // every event at least once
    expect(twice.length).toBeGreaterThan(5);
    expect(twice.length).toBeLessThan(35);
    expect(ids.length).toBe(40 + twice.length);
    // Same seed, same duplicates.
    expect(await deliverMany({ rules, duplicateRate: 0.5, seed: 42 }, 40)).toEqual(ids);
    expect(await deliverMany({ rules, duplicateRate: 0.5, seed: 7 }, 40)).not.toEqual(ids);
  });

  it('retries a failing target after 1 and 2 minutes, then keeps the event in the dead-letter list', async () => {
    const { twin, events } = setup({ rules });
    const tries: number[] = [];
    events.setTargets({
      'model-package-state': async () => {
        tries.push(twin.clock.nowMs());
        throw new Error('boom');
      },
    });

    events.putEvent(approved());
    await twin.clock.advance(10 * 60_000);

    const t0 = Date.parse(START);
    expect(tries).toEqual([t0, t0 + 60_000, t0 + 180_000]);
    expect(events.deadLetters).toEqual([{ target: 'model-package-state', payload: approved(), attempts: 3, error: 'boom' }]);
    expect(events.attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(events.pendingDeliveries()).toBe(0);
  });

  it('delivers on a retry after a transient failure, without a dead letter', async () => {
    const { twin, events } = setup({ rules });
    let calls = 0;
    events.setTargets({
      'model-package-state': async () => {
        if (++calls === 1) throw new Error('throttled');
      },
    });

    events.putEvent(approved());
    await twin.clock.advance(0);
    expect(events.pendingDeliveries()).toBe(1);
    expect(events.nextDueMs()).toBe(Date.parse(START) + 60_000);
    await twin.clock.advance(60_000);

    expect(calls).toBe(2);
    expect(events.deadLetters).toEqual([]);
    expect(events.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'failed'],
      [2, 'delivered'],
    ]);
  });

  it('gives every delivery its own copy of the event', async () => {
    const { twin, events } = setup({ rules, duplicateRate: 1 });
    const seen: unknown[] = [];
    events.setTargets({
      'model-package-state': async (event) => {
        seen.push(structuredClone(event));
        (event as { detail: Record<string, unknown> }).detail.ModelApprovalStatus = 'Tampered';
      },
    });

    events.putEvent(approved());
    await twin.clock.advance(0);

    expect(seen).toEqual([approved(), approved()]);
  });
});

describe('Lambda runtime: EventBridge and SQS deliveries to the handlers', () => {
  const STATE_TABLE = 'creditai-mlops-state';
  const DLQ = 'creditai-mlops-reconcile-dlq.fifo';
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  /** A twin with the services the ingress → queue → reconcile path touches, and a runtime over it. */
  function deploy(options: Partial<LambdaRuntimeOptions> = {}, eventBridgeOptions: EventBridgeOptions = {}) {
    const eventBridge = createEventBridgeService({ rules: loadRulesFromCatalogue(EVENTS_DIR), ...eventBridgeOptions });
    const sqs = createSqsService();
    const sns = createSnsService();
    const dynamodb = makeDynamoDbTwin();
    dynamodb.createTable(STATE_TABLE, { hash: 'pk', range: 'sk' });
    const twin = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [eventBridge, sqs, sns, dynamodb] });
    const runtime = createLambdaRuntime({ twin, eventBridge, sqs, sns, env: { POWERTOOLS_LOG_LEVEL: 'SILENT' }, ...options });
    stop = runtime.stop;
    return { twin, eventBridge, sqs, runtime };
  }

  const emitSample = (twin: Twin, path: string, change: (detail: Record<string, unknown>) => void = () => undefined) => {
    const sample = loadSample(path);
    change(sample.detail);
    twin.context.emit({ source: sample.source, 'detail-type': sample['detail-type'], resources: sample.resources, detail: sample.detail });
  };
  const REGISTERED = 'aws.sagemaker/model-package-state-change/registered.json';
  const summary = (runtime: LambdaRuntime) => runtime.invocations.map((i) => [i.function, i.trigger, i.outcome]);

  it('points the functions at the twin: environment, queue, bus and topic', () => {
    const { runtime } = deploy();

    expect(runtime.reconcileQueueUrl).toBe(`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/creditai-mlops-reconcile.fifo`);
    expect(runtime.environment).toMatchObject({
      AWS_REGION: REGION,
      STATE_TABLE,
      EVENT_BUS_NAME: 'creditai-mlops',
      EXPECTED_ACCOUNT_ID: ACCOUNT,
      RECONCILE_QUEUE_URL: runtime.reconcileQueueUrl,
      NOTIFY_TOPIC_ARN: `arn:aws:sns:${REGION}:${ACCOUNT}:creditai-mlops-notices`,
      APPROVALS_TOPIC_ARN: `arn:aws:sns:${REGION}:${ACCOUNT}:creditai-mlops-approvals`,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    expect(process.env.RECONCILE_QUEUE_URL).toBe(runtime.reconcileQueueUrl);
  });

  it('restores process.env when stopped', () => {
    process.env.STATE_TABLE = 'before-the-twin';
    const { runtime } = deploy();
    expect(process.env.STATE_TABLE).toBe(STATE_TABLE);

    runtime.stop();

    expect(process.env.STATE_TABLE).toBe('before-the-twin');
    delete process.env.STATE_TABLE;
  });

  it('runs the real model-package and reconcile handlers: event → ingress → FIFO queue → reconcile', async () => {
    const { twin, sqs, runtime } = deploy();

    emitSample(twin, REGISTERED);
    const result = await runtime.drain();

    expect(result).toEqual({ settled: true, elapsedMs: 0, pendingDeliveries: 0, pendingMessages: 0 });
    expect(summary(runtime)).toEqual([
      ['model-package', 'eventbridge', 'ok'],
      ['reconcile', 'sqs', 'ok'],
    ]);
    expect(runtime.invocations[0]?.result).toEqual({ outcome: 'requested', groups: ['credit-risk-retail'] });
    // The group has no policy item: the reconciler leaves it alone, and the message is deleted.
    expect(runtime.invocations[1]?.result).toEqual({ batchItemFailures: [] });
    expect(sqs.messages(runtime.reconcileQueueUrl)).toEqual([]);
  });

  it('delivers a duplicated event twice; the FIFO deduplication id keeps it one reconcile', async () => {
    const { twin, runtime } = deploy({}, { duplicateRate: 1 });

    emitSample(twin, REGISTERED);
    await runtime.drain();

    expect(summary(runtime)).toEqual([
      ['model-package', 'eventbridge', 'ok'],
      ['model-package', 'eventbridge', 'ok'],
      ['reconcile', 'sqs', 'ok'],
    ]);
  });

  it('redrives a request the reconciler keeps failing to the DLQ after 5 receives, 30 minutes apart, and settles', async () => {
    // The group is managed, but the twin has no SageMaker service: every reconcile fails (a retryable error).
    const { twin, sqs, runtime } = deploy({ sweepEveryMs: false, driftCheck: false, judge: false });
    // No record succeeds, so no metric is added: Powertools warns about publishing none (as in the handler's unit tests).
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await makeDynamoDbStateStore(dynamoDbDocumentClient({ region: REGION }), { tableName: STATE_TABLE }).putPolicy('credit-risk-retail', {});

    emitSample(twin, REGISTERED);
    const result = await runtime.drain().finally(() => warn.mockRestore());

    expect(result).toEqual({ settled: true, elapsedMs: 5 * 30 * 60_000, pendingDeliveries: 0, pendingMessages: 0 });
    const reconciles = runtime.invocations.filter((i) => i.function === 'reconcile');
    expect(reconciles.map((i) => i.time)).toEqual([0, 30, 60, 90, 120].map((m) => new Date(Date.parse(START) + m * 60_000).toISOString()));
    expect(reconciles.every((i) => (i.result as { batchItemFailures: unknown[] }).batchItemFailures.length === 1)).toBe(true);
    expect(sqs.messages(DLQ)).toMatchObject([{ groupId: 'credit-risk-retail', receiveCount: 5 }]);
  });

  it('rejects a forged event in the real ingress handler (account of another tenant) and announces it', async () => {
    const { twin, eventBridge, runtime } = deploy({ functions: ['model-package'] });
    const sample = loadSample(REGISTERED);

    eventBridge.putEvent({ ...sample, account: '999999999999' } as TwinEvent);
    await runtime.drain();

    expect(runtime.invocations[0]?.result).toMatchObject({ outcome: 'rejected', reason: expect.stringMatching(/Forged or misrouted event/) });
    expect(eventBridge.log.map((l) => [l.bus, l.event['detail-type']])).toEqual([
      ['default', 'SageMaker Model Package State Change'],
      ['creditai-mlops', 'EventRejected'],
    ]);
    expect(twin.events).toEqual([]);
  });

  describe('with stand-in handlers', () => {
    interface Seen {
      name: FunctionName;
      event: unknown;
      context: { functionName: string; awsRequestId: string; remainingMs: number };
    }

    /** Handlers that record what they get; `reconcile` answers with `reconcileAnswer`. */
    function fakeHandlers(seen: Seen[], reconcileAnswer: (event: SQSEvent) => unknown = () => ({ batchItemFailures: [] })) {
      return async (name: FunctionName) => async (event: unknown, context: Context) => {
        seen.push({ name, event: structuredClone(event), context: { functionName: context.functionName, awsRequestId: context.awsRequestId, remainingMs: context.getRemainingTimeInMillis() } });
        return name === 'reconcile' ? reconcileAnswer(event as SQSEvent) : undefined;
      };
    }

    const send = (body: string, group: string) =>
      sqsClient({ region: REGION }).send(new SendMessageCommand({ QueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/creditai-mlops-reconcile.fifo`, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: body }));

    it('invokes with a Lambda context and SQS records as Lambda builds them', async () => {
      const seen: Seen[] = [];
      const { runtime } = deploy({ loadHandler: fakeHandlers(seen) });

      await send('r1', 'group-a');
      await runtime.drain();

      expect(seen).toHaveLength(1);
      expect(seen[0]?.context).toEqual({ functionName: 'creditai-mlops-reconcile', awsRequestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/), remainingMs: 300_000 });
      expect((seen[0]?.event as SQSEvent).Records).toEqual([
        expect.objectContaining({
          body: 'r1',
          md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:creditai-mlops-reconcile.fifo`,
          awsRegion: REGION,
          attributes: expect.objectContaining({ MessageGroupId: 'group-a', MessageDeduplicationId: 'r1', ApproximateReceiveCount: '1' }),
        }),
      ]);
    });

    it('leaves the messages a batch reports failed for redelivery, in order, and deletes the others', async () => {
      const seen: Seen[] = [];
      let failOnce = true;
      const { runtime } = deploy({
        sweepEveryMs: false,
        driftCheck: false, judge: false,
        loadHandler: fakeHandlers(seen, (event) => {
          const failed = failOnce ? event.Records.filter((r) => r.attributes.MessageGroupId === 'a') : [];
          failOnce = false;
          return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
        }),
      });

      for (const [body, group] of [['a1', 'a'], ['b1', 'b'], ['a2', 'a']] as const) await send(body, group);
      const result = await runtime.drain();

      const batches = seen.map((s) => (s.event as SQSEvent).Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      expect(batches).toEqual([['a1#1', 'b1#1', 'a2#1'], ['a1#2', 'a2#2']]);
      expect(result).toMatchObject({ settled: true, elapsedMs: 30 * 60_000, pendingMessages: 0 });
    });

    it('stops at the horizon while a failing message waits, and reports it pending', async () => {
      const seen: Seen[] = [];
      const failAll = (event: SQSEvent) => ({ batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) });
      const { sqs, runtime } = deploy({ sweepEveryMs: false, driftCheck: false, judge: false, loadHandler: fakeHandlers(seen, failAll) });

      await send('poison', 'a');
      expect(await runtime.drain({ horizonMs: 60 * 60_000 })).toEqual({ settled: false, elapsedMs: 60 * 60_000, pendingDeliveries: 0, pendingMessages: 1 });
      expect(await runtime.drain()).toMatchObject({ settled: true, pendingMessages: 0 });
      expect(seen).toHaveLength(5);
      expect(sqs.messages(DLQ)).toHaveLength(1);
    });

    it('runs the sweep every 15 minutes of virtual time, as a scheduled invocation', async () => {
      const seen: Seen[] = [];
      const { twin, runtime } = deploy({ judge: false, loadHandler: fakeHandlers(seen) });

      await twin.clock.advance(45 * 60_000);

      expect(runtime.invocations.map((i) => [i.function, i.trigger, i.time])).toEqual(
        [15, 30, 45].map((m) => ['sweep', 'schedule', new Date(Date.parse(START) + m * 60_000).toISOString()]),
      );
      expect(seen.map((s) => [s.event, s.context.functionName, s.context.remainingMs])).toEqual(Array(3).fill([{}, 'creditai-mlops-sweep', 60_000]));
    });

    it('runs the canary judge and the experiment judge each minute at half past, as scheduled invocations', async () => {
      const seen: Seen[] = [];
      const { twin, runtime } = deploy({ sweepEveryMs: false, driftCheck: false, loadHandler: fakeHandlers(seen) });

      await twin.clock.advance(3 * 60_000);

      const at = (m: number) => new Date(Date.parse(START) + m * 60_000 + 30_000).toISOString();
      expect(runtime.invocations.map((i) => [i.function, i.trigger, i.time])).toEqual(
        [1, 2].flatMap((m) => [
          ['judge', 'schedule', at(m)],
          ['experiment-judge', 'schedule', at(m)],
        ]),
      );
      expect(seen.map((s) => [s.event, s.context.functionName])).toEqual(Array(2).fill([[{}, 'creditai-mlops-judge'], [{}, 'creditai-mlops-experiment-judge']]).flat());
    });

    it('runs neither judge when told not to', async () => {
      const { twin, runtime } = deploy({ sweepEveryMs: false, driftCheck: false, judge: false, loadHandler: fakeHandlers([]) });

      await twin.clock.advance(3 * 60_000);

      expect(runtime.invocations).toEqual([]);
    });

    it('does not run a function it did not deploy', async () => {
      const { runtime } = deploy({ functions: ['alarm'], loadHandler: fakeHandlers([]) });

      await expect(runtime.invoke('reconcile', {})).rejects.toThrow('Function reconcile is not deployed in this runtime');
    });
  });
});
