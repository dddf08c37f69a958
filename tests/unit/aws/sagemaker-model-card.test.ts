import {
  CreateModelCardCommand,
  DescribeModelCardCommand,
  ResourceNotFound,
  SageMakerClient,
  SageMakerServiceException,
  UpdateModelCardCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeSageMakerModelCards } from '../../../shared/aws/sagemaker-model-card';
import { buildDossier } from '../../../shared/governance/dossier';
import { canonicalBytes, genesisRecord, ledgerKey, nextRecord } from '../../../shared/governance/ledger';
import { modelCardContent, modelCardContentString } from '../../../shared/governance/model-card';
import { sampleDomainEvent } from '../../support/ledger';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const sagemaker = mockClient(SageMakerClient);

afterEach(() => {
  try {
    for (const command of recordedCallsOf(sagemaker)) expectValidAwsInput('sagemaker', command);
  } finally {
    sagemaker.reset();
  }
});

const NAME = 'credit-risk-retail-v7';
const CARD_ARN = `arn:aws:sagemaker:eu-west-1:111122223333:model-card/${NAME}`;
const CONTENT = JSON.stringify({ model_overview: { model_version: 7 }, intended_uses: { risk_rating: 'High' } });
const cards = () => makeSageMakerModelCards(new SageMakerClient({}));
const described = (status: 'Draft' | 'PendingReview' | 'Approved' | 'Archived', version = 3) => ({
  ModelCardArn: CARD_ARN,
  ModelCardName: NAME,
  ModelCardVersion: version,
  Content: '{}',
  ModelCardStatus: status,
  CreationTime: new Date('2026-11-01T00:00:00Z'),
  CreatedBy: {},
});

describe('Function: makeSageMakerModelCards', () => {
  it('creates a Draft card when DescribeModelCard finds none', async () => {
    sagemaker.on(DescribeModelCardCommand).rejects(new ResourceNotFound({ $metadata: {}, message: `Model card ${NAME} does not exist` }));
    sagemaker.on(CreateModelCardCommand).resolves({ ModelCardArn: CARD_ARN });

    await expect(cards().upsert(NAME, CONTENT)).resolves.toEqual({ outcome: 'created', name: NAME, arn: CARD_ARN });
    expect(sagemaker).toHaveReceivedCommandWith(CreateModelCardCommand, { ModelCardName: NAME, Content: CONTENT, ModelCardStatus: 'Draft' });
    expect(sagemaker).not.toHaveReceivedCommand(UpdateModelCardCommand);
  });

  it('sends a real card content (from a dossier of the sample ledger) that the API model accepts', async () => {
    const genesis = genesisRecord('credit-risk-retail', '2026-11-28T08:00:00.000Z');
    const { event, envelope } = sampleDomainEvent('model-gated');
    const gated = nextRecord({ record: genesis, bytes: canonicalBytes(genesis) }, event, envelope, '2026-11-28T08:02:12.000Z');
    const dossier = buildDossier({
      packageArn: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk-retail/7',
      generatedAt: '2026-11-28T12:00:00.000Z',
      ledgerSource: 's3://audit/ledger/',
      objects: [genesis, gated].map((r) => ({ key: ledgerKey('credit-risk-retail', r.sequence), bytes: canonicalBytes(r) })),
      registry: { reachable: false, reason: 'test' },
    });
    const content = modelCardContentString(modelCardContent(dossier, { label: 'default_90d', protectedAttribute: 'age_group' }));
    sagemaker.on(DescribeModelCardCommand).rejects(new ResourceNotFound({ $metadata: {}, message: 'not found' }));
    sagemaker.on(CreateModelCardCommand).resolves({ ModelCardArn: CARD_ARN });

    await cards().upsert(NAME, content);

    // The afterEach validates the CreateModelCard input (Content ≤ 100,000 characters matching `.*`) against the model.
    expect(sagemaker.commandCalls(CreateModelCardCommand)[0]!.args[0].input.Content).toBe(content);
  });

  it.each(['Draft', 'PendingReview', 'Approved'] as const)('updates only the content of an existing %s card', async (status) => {
    sagemaker.on(DescribeModelCardCommand).resolves(described(status, 4));
    sagemaker.on(UpdateModelCardCommand).resolves({ ModelCardArn: CARD_ARN });

    await expect(cards().upsert(NAME, CONTENT)).resolves.toEqual({ outcome: 'updated', name: NAME, arn: CARD_ARN, previousVersion: 4 });
    expect(sagemaker).toHaveReceivedCommandWith(DescribeModelCardCommand, { ModelCardName: NAME });
    const update = sagemaker.commandCalls(UpdateModelCardCommand)[0]!.args[0].input;
    // UpdateModelCard cannot change content and status in one call.
    expect(update).toEqual({ ModelCardName: NAME, Content: CONTENT });
    expect(sagemaker).not.toHaveReceivedCommand(CreateModelCardCommand);
  });

  it('writes nothing to an Archived card', async () => {
    sagemaker.on(DescribeModelCardCommand).resolves(described('Archived'));

    await expect(cards().upsert(NAME, CONTENT)).resolves.toEqual({ outcome: 'archived', name: NAME, arn: CARD_ARN });
    expect(sagemaker).not.toHaveReceivedCommand(UpdateModelCardCommand);
    expect(sagemaker).not.toHaveReceivedCommand(CreateModelCardCommand);
  });

  it('propagates an error other than not-found (an account without model cards, a refused permission)', async () => {
    const denied = new SageMakerServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {}, message: 'not authorized to perform: sagemaker:DescribeModelCard' });
    sagemaker.on(DescribeModelCardCommand).rejects(denied);

    await expect(cards().upsert(NAME, CONTENT)).rejects.toBe(denied);
    expect(sagemaker).not.toHaveReceivedCommand(CreateModelCardCommand);
  });
});
