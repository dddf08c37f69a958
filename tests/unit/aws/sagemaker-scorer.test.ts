import { InternalFailure, InvokeEndpointCommand, ModelError, SageMakerRuntimeClient, ValidationError } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeSageMakerScorer } from '../../../shared/aws/sagemaker-scorer';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const runtime = mockClient(SageMakerRuntimeClient);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(runtime)) expectValidAwsInput('sagemaker-runtime', command);
  } finally {
    runtime.reset();
  }
});

const scorer = () => makeSageMakerScorer(new SageMakerRuntimeClient({}));
const csv = '450000,12,0.31\n520000,3,0.12';

describe('Function: makeSageMakerScorer', () => {
  it('invokes the endpoint with CSV and returns the decoded body and the latency', async () => {
    // Prepare
    runtime.on(InvokeEndpointCommand).resolves({ Body: new TextEncoder().encode('0.12\n0.87\n') as never, ContentType: 'text/csv' });
    // Act
    const result = await scorer().score('credit-card-acme-staging', csv);
    // Assess
    expect(runtime).toHaveReceivedCommandWith(InvokeEndpointCommand, {
      EndpointName: 'credit-card-acme-staging',
      ContentType: 'text/csv',
      Accept: 'text/csv',
      Body: csv,
    });
    expect(result).toEqual({ body: '0.12\n0.87\n', latencyMs: expect.any(Number), failed: false });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ['ModelError', new ModelError({ $metadata: {}, message: 'Received client error (400) from primary: could not convert string to float' })],
    ['ValidationError', new ValidationError({ $metadata: {}, message: 'Invalid content type' })],
  ])('resolves a %s as a failed answer carrying its message', async (_name, error) => {
    runtime.on(InvokeEndpointCommand).rejects(error);
    const result = await scorer().score('credit-card-acme-staging', csv);
    expect(result).toEqual({ body: error.message, latencyMs: expect.any(Number), failed: true });
  });

  it('rethrows infrastructure errors to be retried', async () => {
    runtime.on(InvokeEndpointCommand).rejects(new InternalFailure({ $metadata: {}, message: 'internal' }));
    await expect(scorer().score('credit-card-acme-staging', csv)).rejects.toBeInstanceOf(InternalFailure);
  });
});
