import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateEndpointConfigCommand, SageMakerClient, UpdateModelPackageCommand } from '@aws-sdk/client-sagemaker';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  compilePattern,
  expectValidAwsInput,
  recordedCallsOf,
  validateCommand,
  validateInput,
} from '../../support/aws-model-validator';

const modelsDir = join(__dirname, '..', '..', '..', 'aws-models');
const sagemakerModel = JSON.parse(readFileSync(join(modelsDir, 'sagemaker.json'), 'utf8')) as {
  shapes: Record<string, { min?: number; max?: number }>;
};

const validEndpointConfig = {
  EndpointConfigName: 'credit-score-v7-config',
  ProductionVariants: [
    { VariantName: 'champion', ModelName: 'credit-score-v6', InstanceType: 'ml.m5.large', InitialInstanceCount: 1, InitialVariantWeight: 0.9 },
    { VariantName: 'challenger', ModelName: 'credit-score-v7', InstanceType: 'ml.m5.large', InitialInstanceCount: 1, InitialVariantWeight: 0.1 },
  ],
  DataCaptureConfig: {
    EnableCapture: true,
    InitialSamplingPercentage: 100,
    DestinationS3Uri: 's3://creditai-capture/endpoint',
    CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
  },
  Tags: [{ Key: 'project', Value: 'creditai' }],
};
const modelPackageArn = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/credit-score/7';

describe('validateInput', () => {
  it('accepts a valid CreateEndpointConfig', () => {
    expect(validateInput('sagemaker', 'CreateEndpointConfig', validEndpointConfig)).toEqual([]);
  });

  it('reports a missing required member with its path', () => {
    const input = { ...validEndpointConfig, ProductionVariants: [{ ModelName: 'credit-score-v7' }] };
    expect(validateInput('sagemaker', 'CreateEndpointConfig', input)).toEqual([
      'CreateEndpointConfig.ProductionVariants[0].VariantName: required member missing',
    ]);
    expect(validateInput('sagemaker', 'CreateEndpointConfig', {})).toEqual([
      'CreateEndpointConfig.EndpointConfigName: required member missing',
      'CreateEndpointConfig.ProductionVariants: required member missing',
    ]);
  });

  it('reports an unknown member', () => {
    const input = { ...validEndpointConfig, EndpointConfigNmae: 'typo' };
    expect(validateInput('sagemaker', 'CreateEndpointConfig', input)).toEqual([
      'CreateEndpointConfig.EndpointConfigNmae: unknown member (not in the AWS model)',
    ]);
  });

  it('treats undefined and null members as absent, as the SDK does', () => {
    expect(validateInput('sagemaker', 'CreateEndpointConfig', { ...validEndpointConfig, KmsKeyId: undefined, Tags: null })).toEqual([]);
  });

  it('reports a value outside the enum', () => {
    const problems = validateInput('sagemaker', 'UpdateModelPackage', { ModelPackageArn: modelPackageArn, ModelApprovalStatus: 'approved' });
    expect(problems).toEqual([
      'UpdateModelPackage.ModelApprovalStatus: "approved" is not one of Approved, Rejected, PendingManualApproval',
    ]);
  });

  it('names the shape instead of listing a long enum', () => {
    const input = { ...validEndpointConfig, ProductionVariants: [{ VariantName: 'v', InstanceType: 'ml.m5.huge' }] };
    expect(validateInput('sagemaker', 'CreateEndpointConfig', input)).toEqual([
      expect.stringMatching(/^CreateEndpointConfig\.ProductionVariants\[0\]\.InstanceType: "ml\.m5\.huge" is not one of the \d+ values of ProductionVariantInstanceType$/),
    ]);
  });

  it('reports a string longer than max (EndpointName, 64 characters)', () => {
    // The pattern ({0,62} repeats) refuses it as well; the length problem must be there.
    expect(validateInput('sagemaker', 'CreateEndpoint', { EndpointName: 'a'.repeat(64), EndpointConfigName: 'cfg' })).toContain(
      'CreateEndpoint.EndpointName: 64 characters, more than max 63',
    );
  });

  it('reports a pattern violation, matching the whole string (EndpointName "bad_name")', () => {
    expect(validateInput('sagemaker', 'CreateEndpoint', { EndpointName: 'bad_name', EndpointConfigName: 'cfg' })).toEqual([
      'CreateEndpoint.EndpointName: "bad_name" does not match pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}',
    ]);
  });

  describe('CustomerMetadataProperties (map)', () => {
    const update = (props: Record<string, string>) =>
      validateInput('sagemaker', 'UpdateModelPackage', { ModelPackageArn: modelPackageArn, CustomerMetadataProperties: props });

    it('accepts keys and values of letters, digits and _.:/=+-@', () => {
      expect(update({ auc: '0.912', 'dataset-uri': 's3://creditai/data/v7', 'approved-by': 'risk@creditai' })).toEqual([]);
    });

    it('reports a value with a comma (the pattern, Java "${1,256}" quirk and all)', () => {
      expect(update({ features: 'income,age' })).toEqual([
        'UpdateModelPackage.CustomerMetadataProperties["features"]: "income,age" does not match pattern ([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,256}',
      ]);
    });

    it('reports a key with a comma', () => {
      expect(update({ 'a,b': 'x' })).toEqual([expect.stringContaining('UpdateModelPackage.CustomerMetadataProperties key "a,b": "a,b" does not match pattern')]);
    });

    it('reports more than 50 entries (map max)', () => {
      const props = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
      expect(update(props)).toEqual(['UpdateModelPackage.CustomerMetadataProperties: 51 entries, more than max 50']);
    });
  });

  it('reports an integer below the model minimum (InitialInstanceCount 0)', () => {
    expect(sagemakerModel.shapes.InitialTaskCount?.min).toBe(1);
    const input = { ...validEndpointConfig, ProductionVariants: [{ VariantName: 'champion', InitialInstanceCount: 0 }] };
    expect(validateInput('sagemaker', 'CreateEndpointConfig', input)).toEqual([
      'CreateEndpointConfig.ProductionVariants[0].InitialInstanceCount: 0 is less than min 1',
    ]);
  });

  it('reports wrong types', () => {
    const input = {
      EndpointConfigName: 42,
      ProductionVariants: { VariantName: 'v' },
      EnableNetworkIsolation: 'yes',
      DataCaptureConfig: { InitialSamplingPercentage: 1.5, DestinationS3Uri: 's3://b/k', CaptureOptions: [null] },
    };
    expect(validateInput('sagemaker', 'CreateEndpointConfig', input)).toEqual([
      'CreateEndpointConfig.EndpointConfigName: expected a string, got number 42',
      'CreateEndpointConfig.ProductionVariants: expected an array, got an object (Object)',
      'CreateEndpointConfig.EnableNetworkIsolation: expected a boolean, got string',
      'CreateEndpointConfig.DataCaptureConfig.InitialSamplingPercentage: expected an integer, got number 1.5',
      'CreateEndpointConfig.DataCaptureConfig.CaptureOptions[0]: must not be null',
    ]);
  });

  it('does not require idempotency tokens, which the SDK fills in', () => {
    expect(validateInput('sagemaker', 'StartPipelineExecution', { PipelineName: 'credit-score-train' })).toEqual([]);
  });

  it('accepts timestamps as Date, ISO string or epoch number', () => {
    const entry = { Source: 'creditai.lifecycle', DetailType: 'ModelPromoted', Detail: '{}' };
    for (const Time of [new Date(), '2026-08-01T10:00:00Z', 1_785_000_000]) {
      expect(validateInput('events', 'PutEvents', { Entries: [{ ...entry, Time }] })).toEqual([]);
    }
    expect(validateInput('events', 'PutEvents', { Entries: [{ ...entry, Time: 'yesterday' }] })).toEqual([
      'PutEvents.Entries[0].Time: expected a timestamp (Date, ISO string or epoch number), got string',
    ]);
  });

  it('validates header and uri members of rest protocols and blob bodies', () => {
    const invoke = { EndpointName: 'credit-score', ContentType: 'text/csv', Body: Buffer.from('1,2,3') };
    expect(validateInput('sagemaker-runtime', 'InvokeEndpoint', invoke)).toEqual([]);
    expect(validateInput('sagemaker-runtime', 'InvokeEndpoint', { ...invoke, EndpointName: 'bad_name', Body: 42 })).toEqual([
      'InvokeEndpoint.EndpointName: "bad_name" does not match pattern ^[a-zA-Z0-9](-*[a-zA-Z0-9])*',
      'InvokeEndpoint.Body: expected a blob (Uint8Array, Buffer or string), got number 42',
    ]);
  });

  it('accepts a stream only for streaming members (S3 PutObject Body)', () => {
    const put = { Bucket: 'creditai-models', Key: 'v7/model.tar.gz', ContentType: 'application/gzip', Metadata: { sha: 'abc' } };
    expect(validateInput('s3', 'PutObject', { ...put, Body: Readable.from(['x']) })).toEqual([]);
    expect(validateInput('s3', 'PutObject', { ...put, Body: 'text' })).toEqual([]);
    expect(validateInput('sagemaker-runtime', 'InvokeEndpoint', { EndpointName: 'e', Body: Readable.from(['x']) })).toHaveLength(1);
  });

  it('checks DynamoDB AttributeValue as a union (DynamoDB refuses zero or several types)', () => {
    const put = { TableName: 'lifecycle', Item: { pk: { S: 'model#7' }, score: { N: '0.91' }, tags: { M: { a: { BOOL: true } } } } };
    expect(validateInput('dynamodb', 'PutItem', put)).toEqual([]);
    expect(validateInput('dynamodb', 'PutItem', { ...put, Item: { pk: { S: 'a', N: '1' }, empty: {} } })).toEqual([
      'PutItem.Item["pk"]: exactly one member of this union must be set, got 2',
      'PutItem.Item["empty"]: exactly one member of this union must be set, got 0',
    ]);
  });

  it('throws for an unknown operation or service', () => {
    expect(() => validateInput('sagemaker', 'Foo', {})).toThrow(
      'Operation sagemaker:Foo is not in the extracted AWS models; add it to scripts/aws-models/operations.json and re-run the extract',
    );
    expect(() => validateInput('lambda', 'Invoke', {})).toThrow(/Unknown service "lambda"/);
    expect(() => validateInput('../aws-models/sagemaker', 'CreateModel', {})).toThrow(/Unknown service/);
  });
});

describe('compilePattern', () => {
  it('anchors unanchored patterns, leaves anchored ones alone', () => {
    expect(compilePattern('[a-z]+')!.source).toBe('^(?:[a-z]+)$');
    expect(compilePattern('^[a-z]+$')!.source).toBe('^[a-z]+$');
    expect(compilePattern('^[a-z]+')!.test('abc_')).toBe(false);
  });

  it('translates Java-only constructs', () => {
    const print = compilePattern('\\A\\S[\\p{Print}]*\\z')!;
    expect(print.test('model-a b')).toBe(true);
    expect(print.test(' leading-space')).toBe(false);
    expect(print.test('tab\tinside')).toBe(false);
    expect(compilePattern('[\\p{L}]*${1,128}')!.test('été')).toBe(true);
  });

  it('returns null, never throws, for a pattern JS cannot compile', () => {
    expect(compilePattern('[a-z')).toBeNull();
    expect(compilePattern('(?<!x')).toBeNull();
  });

  it('compiles every pattern in the extracted models (otherwise its check would be skipped silently)', () => {
    const failing: string[] = [];
    for (const file of readdirSync(modelsDir).filter((f) => f.endsWith('.json'))) {
      const { shapes } = JSON.parse(readFileSync(join(modelsDir, file), 'utf8')) as { shapes: Record<string, { pattern?: string }> };
      for (const [name, shape] of Object.entries(shapes)) {
        if (shape.pattern !== undefined && compilePattern(shape.pattern) === null) failing.push(`${file} ${name}: ${shape.pattern}`);
      }
    }
    expect(failing).toEqual([]);
  });
});

describe('validateCommand and friends', () => {
  it('maps SDK command classes to operations', () => {
    expect(validateCommand(new CreateEndpointConfigCommand(validEndpointConfig as never), 'sagemaker')).toEqual([]);
    expect(validateCommand(new UpdateModelPackageCommand({ ModelPackageArn: 'x', ModelApprovalStatus: 'approved' as never }), 'sagemaker')).toEqual([
      expect.stringMatching(/^UpdateModelPackage\.ModelPackageArn: "x" does not match pattern/),
      expect.stringMatching(/^UpdateModelPackage\.ModelApprovalStatus: "approved" is not one of/),
    ]);
  });

  it('validates DocumentClient commands with native values in AttributeValue positions', () => {
    const put = new PutCommand({ TableName: 'lifecycle', Item: { pk: 'model#7', score: 0.91, tags: ['a'] }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(validateCommand(put, 'dynamodb')).toEqual([]);
    const query = new QueryCommand({ TableName: 'lifecycle', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'model#7' } });
    expect(validateCommand(query, 'dynamodb')).toEqual([]);
    expect(validateCommand(new PutCommand({ TableName: 'lifecycle' } as never), 'dynamodb')).toEqual(['PutItem.Item: required member missing']);
    // The low-level client's commands still need real AttributeValues.
    expect(validateCommand(new PutItemCommand({ TableName: 'lifecycle', Item: { pk: 'model#7' as never } }), 'dynamodb')).toEqual([
      'PutItem.Item["pk"]: expected an object, got string',
    ]);
  });

  it('expectValidAwsInput throws with every problem listed', () => {
    expect(() => expectValidAwsInput('sagemaker', new CreateEndpointConfigCommand(validEndpointConfig as never))).not.toThrow();
    const bad = new CreateEndpointConfigCommand({ EndpointConfigName: 'bad_name', ProductionVariants: [] });
    expect(() => expectValidAwsInput('sagemaker', bad)).toThrow(
      [
        'CreateEndpointConfigCommand does not match the AWS model of sagemaker:',
        '  - CreateEndpointConfig.EndpointConfigName: "bad_name" does not match pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}',
        '  - CreateEndpointConfig.ProductionVariants: 0 items, fewer than min 1',
      ].join('\n'),
    );
  });

  it('recordedCallsOf returns the commands an aws-sdk-client-mock stub received', async () => {
    const mock = mockClient(SageMakerClient);
    mock.resolves({});
    const client = new SageMakerClient({});
    await client.send(new CreateEndpointConfigCommand(validEndpointConfig as never));
    await client.send(new UpdateModelPackageCommand({ ModelPackageArn: modelPackageArn, ModelApprovalStatus: 'Approved' }));
    const calls = recordedCallsOf(mock);
    expect(calls.map((c) => c.constructor.name)).toEqual(['CreateEndpointConfigCommand', 'UpdateModelPackageCommand']);
    for (const command of calls) expectValidAwsInput('sagemaker', command);
    mock.restore();
  });
});
