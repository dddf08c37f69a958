/**
 * The twin's core: the virtual clock, and the middleware that answers SDK commands (validation against the AWS
 * models before any service logic, loud failures for what the twin does not serve, call records, event envelopes).
 */
import { CreateEndpointCommand, DeleteEndpointCommand, DescribeEndpointCommand, ResourceNotFound, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { makeVirtualClock } from '../../scripts/twin/core/clock';
import { TWIN_MIDDLEWARE_NAME } from '../../scripts/twin/core/sdk-middleware';
import { counterUuid, createTwin } from '../../scripts/twin/core/twin';
import { TwinServiceError, type Operation, type ServiceTwin } from '../../scripts/twin/core/types';

const START = '2026-03-01T09:00:00.000Z';
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
/** Proves no request reaches for credentials: the twin answers before the SDK signs anything. */
const noCredentials = async () => {
  throw new Error('the twin must not need credentials');
};
const sageMakerClient = () => new SageMakerClient({ region: REGION, credentials: noCredentials });

describe('makeVirtualClock', () => {
  it('stands still until advanced, then fires due timers in time order at their own time', async () => {
    // Prepare
    const clock = makeVirtualClock(START);
    const start = clock.nowMs();
    const fired: string[] = [];
    clock.at(start + 3000, () => void fired.push(`c@${clock.nowMs() - start}`));
    clock.at(start + 1000, () => void fired.push(`a@${clock.nowMs() - start}`));
    clock.at(start + 1000, () => void fired.push(`b@${clock.nowMs() - start}`));
    clock.at(start + 9000, () => void fired.push('late'));
    // Act
    await clock.advance(5000);
    // Assess
    expect(fired).toEqual(['a@1000', 'b@1000', 'c@3000']);
    expect(clock.nowMs() - start).toBe(5000);
    expect(clock.iso()).toBe('2026-03-01T09:00:05.000Z');
    expect(clock.pendingTimers()).toBe(1);
    expect(clock.nextDueMs()).toBe(start + 9000);
  });

  it('awaits each timer, and runs timers scheduled while advancing that fall inside the window', async () => {
    // Prepare
    const clock = makeVirtualClock(START);
    const start = clock.nowMs();
    const fired: string[] = [];
    clock.at(start + 1000, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      fired.push('first (async)');
      clock.at(clock.nowMs() + 500, () => void fired.push(`chained@${clock.nowMs() - start}`));
      clock.at(clock.nowMs() + 10_000, () => void fired.push('outside the window'));
    });
    clock.at(start + 2000, () => void fired.push('second'));
    // Act
    await clock.advance(3000);
    // Assess
    expect(fired).toEqual(['first (async)', 'chained@1500', 'second']);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('fires a timer set in the past on the next advance without moving time backwards', async () => {
    const clock = makeVirtualClock(START);
    const now = clock.nowMs();
    const seen: number[] = [];
    clock.at(now - 60_000, () => void seen.push(clock.nowMs()));
    await clock.advance(0);
    expect(seen).toEqual([now]);
  });

  it('rejects advancing from inside a timer and propagates a timer failure, keeping later timers', async () => {
    // Prepare
    const clock = makeVirtualClock(START);
    const start = clock.nowMs();
    clock.at(start + 10, () => clock.advance(5));
    clock.at(start + 20, () => {
      throw new Error('boom');
    });
    clock.at(start + 30, () => undefined);
    // Act / Assess
    await expect(clock.advance(100)).rejects.toThrow(/called from inside a timer/);
    await expect(clock.advance(100)).rejects.toThrow('boom');
    expect(clock.nowMs() - start).toBe(20);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('refuses a start that is not a time and a negative duration', async () => {
    expect(() => makeVirtualClock('yesterday')).toThrow(/not an ISO-8601 time/);
    await expect(makeVirtualClock(START).advance(-1)).rejects.toThrow(/not a duration/);
  });
});

describe('createTwin', () => {
  function fakeSageMaker(operations: Record<string, Operation>): ServiceTwin {
    return { model: 'sagemaker', clientName: 'SageMakerClient', operations };
  }
  const describeEndpoint: Operation = async (input) => ({
    EndpointName: input.EndpointName,
    EndpointArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${String(input.EndpointName)}`,
    EndpointStatus: 'InService',
    CreationTime: new Date(START),
    LastModifiedTime: new Date(START),
  });

  it('answers a command with the service, records the call and adds $metadata, without credentials', async () => {
    // Prepare
    const twin = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [fakeSageMaker({ DescribeEndpoint: describeEndpoint })] });
    const client = sageMakerClient();
    twin.install(client);
    // Act
    const out = await client.send(new DescribeEndpointCommand({ EndpointName: 'credit-staging' }));
    // Assess
    expect(out.EndpointStatus).toBe('InService');
    expect(out.$metadata).toEqual({ httpStatusCode: 200, requestId: counterUuid('a000', 1), attempts: 1, totalRetryDelay: 0 });
    expect(twin.calls).toEqual([{ service: 'sagemaker', operation: 'DescribeEndpoint', input: { EndpointName: 'credit-staging' } }]);
  });

  it('refuses an input AWS would refuse with ValidationException before the service runs', async () => {
    // Prepare
    const createEndpoint = jest.fn<ReturnType<Operation>, Parameters<Operation>>();
    const twin = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [fakeSageMaker({ CreateEndpoint: createEndpoint })] });
    const client = sageMakerClient();
    twin.install(client);
    // Act
    const sent = client.send(new CreateEndpointCommand({ EndpointName: 'credit staging!' } as never));
    // Assess
    await expect(sent).rejects.toMatchObject({
      name: 'ValidationException',
      $fault: 'client',
      message: expect.stringMatching(/^2 validation errors detected: .*CreateEndpoint.EndpointName: "credit staging!" does not match pattern/),
    });
    await expect(sent).rejects.toThrow(/CreateEndpoint.EndpointConfigName: required member missing/);
    expect(createEndpoint).not.toHaveBeenCalled();
    expect(twin.calls).toEqual([]);
  });

  it('fails loudly for an operation the service does not implement and for a client no service serves', async () => {
    // Prepare
    const twin = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [fakeSageMaker({ DescribeEndpoint: describeEndpoint })] });
    const client = sageMakerClient();
    const sns = new SNSClient({ region: REGION, credentials: noCredentials });
    twin.install(client);
    twin.install(sns);
    // Act / Assess
    await expect(client.send(new DeleteEndpointCommand({ EndpointName: 'credit-staging' }))).rejects.toThrow(
      'sagemaker:DeleteEndpoint (DeleteEndpointCommand on SageMakerClient) is not implemented by the twin; add it to scripts/twin/services',
    );
    await expect(sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:pages`, Message: 'hi' }))).rejects.toThrow(
      'The twin has no service for SNSClient; add one in scripts/twin/services',
    );
    expect(twin.calls).toEqual([]);
  });

  it("raises a service's TwinServiceError as the SDK's own exception class would be matched", async () => {
    // Prepare
    const missing: Operation = async (input) => {
      throw new TwinServiceError('ResourceNotFound', `Could not find endpoint "${String(input.EndpointName)}".`);
    };
    const twin = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [fakeSageMaker({ DescribeEndpoint: missing })] });
    const client = sageMakerClient();
    twin.install(client);
    // Act
    const sent = client.send(new DescribeEndpointCommand({ EndpointName: 'nope' }));
    // Assess
    await expect(sent).rejects.toBeInstanceOf(ResourceNotFound);
    await expect(sent).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });

  it('installs once per client (idempotent), and a new twin replaces the previous one on a reused client', async () => {
    // Prepare
    const first = jest.fn(describeEndpoint);
    const second = jest.fn(describeEndpoint);
    const twinA = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [fakeSageMaker({ DescribeEndpoint: first })] });
    const twinB = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [fakeSageMaker({ DescribeEndpoint: second })] });
    const client = sageMakerClient();
    const add = jest.spyOn(client.middlewareStack, 'addRelativeTo');
    // Act
    twinA.install(client);
    twinA.install(client);
    await client.send(new DescribeEndpointCommand({ EndpointName: 'a' }));
    twinB.install(client);
    await client.send(new DescribeEndpointCommand({ EndpointName: 'b' }));
    // Assess
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
    expect(add.mock.calls.map(([, options]) => options.name)).toEqual([TWIN_MIDDLEWARE_NAME, TWIN_MIDDLEWARE_NAME]);
    expect(twinA.calls.map((c) => c.input)).toEqual([{ EndpointName: 'a' }]);
    expect(twinB.calls.map((c) => c.input)).toEqual([{ EndpointName: 'b' }]);
  });

  it('refuses two services for one client', () => {
    const services = [fakeSageMaker({}), { ...fakeSageMaker({}), model: 'sagemaker-copy' }];
    expect(() => createTwin({ start: START, account: ACCOUNT, region: REGION, services })).toThrow(/both serve SageMakerClient/);
  });

  it('gives emitted events their envelope and deterministic ids, in order, as JSON, to every listener', async () => {
    // Prepare
    const emitting: Operation = async (input, ctx) => {
      ctx.emit({
        'detail-type': 'SageMaker Endpoint State Change',
        source: 'aws.sagemaker',
        resources: [`arn:aws:sagemaker:${ctx.region}:${ctx.account}:endpoint/${String(input.EndpointName)}`],
        detail: { EndpointName: input.EndpointName, EndpointStatus: 'IN_SERVICE' },
      });
      return describeEndpoint(input, ctx);
    };
    const twin = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [fakeSageMaker({ DescribeEndpoint: emitting })] });
    const client = sageMakerClient();
    twin.install(client);
    const heard: string[] = [];
    const stop = twin.onEvent((event) => heard.push(event.id));
    // Act
    await client.send(new DescribeEndpointCommand({ EndpointName: 'credit-staging' }));
    await twin.clock.advance(60_000);
    stop();
    twin.context.emit({ 'detail-type': 'Custom', source: 'test', resources: [], detail: { at: new Date(START), gone: undefined }, time: '2026-03-01T08:00:00.000Z' });
    // Assess
    expect(twin.events).toEqual([
      {
        version: '0',
        id: '00000000-0000-4000-8000-000000000001',
        'detail-type': 'SageMaker Endpoint State Change',
        source: 'aws.sagemaker',
        account: ACCOUNT,
        time: START,
        region: REGION,
        resources: [`arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/credit-staging`],
        detail: { EndpointName: 'credit-staging', EndpointStatus: 'IN_SERVICE' },
      },
      // As JSON carries it: the Date as an ISO string, the undefined member gone.
      expect.objectContaining({ id: '00000000-0000-4000-8000-000000000002', time: '2026-03-01T08:00:00.000Z', detail: { at: START } }),
    ]);
    expect(heard).toEqual(['00000000-0000-4000-8000-000000000001']);
  });

  it('hands out ids from one counter per prefix, the same on every run', () => {
    const ids = () => {
      const { context } = createTwin({ start: START, account: ACCOUNT, region: REGION, services: [] });
      return [context.nextId('ep'), context.nextId('job'), context.nextId('ep'), context.nextId()];
    };
    expect(ids()).toEqual(['ep-000001', 'job-000001', 'ep-000002', '00000000-0000-4000-8000-000000000001']);
    expect(ids()).toEqual(ids());
  });
});
