import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeDynamoDbStateStore, MAX_RAW_BYTES, truncateUtf8 } from '../../../shared/aws/dynamodb-state-store';
import type { DriftSignal } from '../../../shared/lifecycle/drift-triage';
import type { GroupStatus, RetrainingState, VersionStatus } from '../../../shared/lifecycle/model';
import type { ApprovalEvidence } from '../../../shared/reconcile/ports';
import { ConflictError, RetryableError, TerminalError } from '../../../shared/runtime/errors';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const db = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  try {
    // DocumentClient inputs: top-level members are checked; native values stand in for AttributeValues.
    for (const command of recordedCallsOf(db)) expectValidAwsInput('dynamodb', command);
  } finally {
    db.reset();
  }
});

const TableName = 'creditai-state';
const store = () => makeDynamoDbStateStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), { tableName: TableName });

function version(n: number, overrides: Partial<VersionStatus> = {}): VersionStatus {
  return {
    version: n,
    arn: `arn:aws:sagemaker:eu-west-1:123456789012:model-package/credit-card-acme/${n}`,
    phase: 'Registered',
    since: '2026-03-01T12:00:00.000Z',
    transitions: 1,
    conditions: [],
    deployments: {},
    ...overrides,
  };
}

function status(overrides: Partial<GroupStatus> = {}): GroupStatus {
  return { group: 'credit-card-acme', revision: 3, versions: [version(1), version(2)], conditions: [], ...overrides };
}

const canceled = (...codes: string[]) =>
  new TransactionCanceledException({ $metadata: {}, message: 'Transaction cancelled', CancellationReasons: codes.map((Code) => ({ Code })) });

describe('Function: makeDynamoDbStateStore', () => {
  describe('load', () => {
    it('assembles the status from STATUS and VERSION# items, every page, strongly consistent', async () => {
      // Prepare
      const condition = { type: 'Ready', status: 'True' as const, reason: 'Live', message: 'v1 live', lastTransitionTime: '2026-03-01T12:00:00.000Z' };
      db.on(QueryCommand, { ExclusiveStartKey: undefined })
        .resolves({
          Items: [
            { pk: 'GROUP#credit-card-acme', sk: 'STATUS', revision: 4, conditions: [condition], rollbackRequest: { by: 'alice', reason: 'p99', at: '2026-03-01T13:00:00.000Z' } },
            { pk: 'GROUP#credit-card-acme', sk: 'VERSION#0000000002', ...version(2) },
          ],
          LastEvaluatedKey: { pk: 'GROUP#credit-card-acme', sk: 'VERSION#0000000002' },
        })
        .on(QueryCommand, { ExclusiveStartKey: { pk: 'GROUP#credit-card-acme', sk: 'VERSION#0000000002' } })
        .resolves({ Items: [{ pk: 'GROUP#credit-card-acme', sk: 'VERSION#0000000010', ...version(10, { phase: 'Live' }) }] });
      // Act
      const loaded = await store().load('credit-card-acme');
      // Assess
      expect(db).toHaveReceivedNthSpecificCommandWith(1, QueryCommand, {
        TableName,
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: { ':pk': 'GROUP#credit-card-acme', ':from': 'STATUS' },
        ConsistentRead: true,
      });
      expect(db).toHaveReceivedCommandTimes(QueryCommand, 2);
      expect(loaded).toEqual({
        group: 'credit-card-acme',
        revision: 4,
        versions: [version(2), version(10, { phase: 'Live' })],
        conditions: [condition],
        rollbackRequest: { by: 'alice', reason: 'p99', at: '2026-03-01T13:00:00.000Z' },
      });
    });

    it('returns revision 0 and no versions for a group never written', async () => {
      db.on(QueryCommand).resolves({ Items: [] });
      await expect(store().load('new-group')).resolves.toEqual({ group: 'new-group', revision: 0, versions: [], conditions: [] });
    });
  });

  describe('save', () => {
    it('creates the first status conditioned on its absence, with a Put per version', async () => {
      await store().save(status({ revision: 0 }));
      expect(db).toHaveReceivedCommandWith(TransactWriteCommand, {
        TransactItems: [
          {
            Put: {
              TableName,
              Item: { pk: 'GROUP#credit-card-acme', sk: 'STATUS', revision: 1, conditions: [] },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName, Item: { ...version(1), pk: 'GROUP#credit-card-acme', sk: 'VERSION#0000000001' } } },
          { Put: { TableName, Item: { ...version(2), pk: 'GROUP#credit-card-acme', sk: 'VERSION#0000000002' } } },
        ],
      });
      // Unset optional fields are left out, not written as undefined.
      expect(db.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put?.Item).not.toHaveProperty('rollbackRequest');
    });

    it('bumps the revision conditioned on the one loaded', async () => {
      await store().save(status({ revision: 3, rollbackRequest: { by: 'alice', reason: 'p99', at: '2026-03-01T13:00:00.000Z' } }));
      const put = db.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
      expect(put).toEqual({
        TableName,
        Item: {
          pk: 'GROUP#credit-card-acme',
          sk: 'STATUS',
          revision: 4,
          conditions: [],
          rollbackRequest: { by: 'alice', reason: 'p99', at: '2026-03-01T13:00:00.000Z' },
        },
        ConditionExpression: '#revision = :expected',
        ExpressionAttributeNames: { '#revision': 'revision' },
        ExpressionAttributeValues: { ':expected': 3 },
      });
    });

    it('turns a failed revision condition into a ConflictError', async () => {
      db.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed', 'None', 'None'));
      await expect(store().save(status())).rejects.toBeInstanceOf(ConflictError);
    });

    it('turns other cancellations into a RetryableError that is not a conflict', async () => {
      db.on(TransactWriteCommand).rejects(canceled('None', 'TransactionConflict', 'None'));
      const error = await store().save(status()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RetryableError);
      expect(error).not.toBeInstanceOf(ConflictError);
      expect((error as Error).message).toContain('TransactionConflict');
    });

    it('rethrows other errors', async () => {
      db.on(TransactWriteCommand).rejects(new Error('network'));
      await expect(store().save(status())).rejects.toThrow('network');
    });

    it('refuses more than 99 versions (a transaction holds 100 items) without writing', async () => {
      const many = Array.from({ length: 100 }, (_, i) => version(i + 1));
      await expect(store().save(status({ versions: many }))).rejects.toBeInstanceOf(TerminalError);
      expect(db.calls()).toHaveLength(0);
    });

    it('writes only the versions that changed since the status it was decided from', async () => {
      const before = status({ versions: Array.from({ length: 150 }, (_, i) => version(i + 1)) });
      const after = { ...before, versions: before.versions.map((v) => (v.version === 150 ? { ...v, phase: 'Live' as const } : v)) };
      await store().save(after, before);
      const items = db.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
      expect(items.map((i) => i.Put?.Item?.sk)).toEqual(['STATUS', 'VERSION#0000000150']);
    });

    it('writes exactly 99 versions in one transaction', async () => {
      const many = Array.from({ length: 99 }, (_, i) => version(i + 1));
      await store().save(status({ versions: many }));
      expect(db.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems).toHaveLength(100);
    });
  });

  describe('policy and groups', () => {
    it('reads overrides Terraform seeded as a JSON string, and refuses a string that is not JSON', async () => {
      db.on(GetCommand, { Key: { pk: 'GROUP#seeded', sk: 'POLICY' } })
        .resolves({ Item: { pk: 'GROUP#seeded', sk: 'POLICY', overrides: '{"gates":{"minAuc":0.87}}' } })
        .on(GetCommand, { Key: { pk: 'GROUP#broken', sk: 'POLICY' } })
        .resolves({ Item: { pk: 'GROUP#broken', sk: 'POLICY', overrides: '{gates' } });
      await expect(store().policyOverrides('seeded')).resolves.toEqual({ gates: { minAuc: 0.87 } });
      await expect(store().policyOverrides('broken')).rejects.toBeInstanceOf(TerminalError);
    });

    it('reads the overrides; an absent POLICY item means unmanaged', async () => {
      db.on(GetCommand, { Key: { pk: 'GROUP#managed', sk: 'POLICY' } })
        .resolves({ Item: { pk: 'GROUP#managed', sk: 'POLICY', overrides: { gates: { minAuc: 0.86 } } } })
        .on(GetCommand, { Key: { pk: 'GROUP#bare', sk: 'POLICY' } })
        .resolves({ Item: { pk: 'GROUP#bare', sk: 'POLICY' } })
        .on(GetCommand, { Key: { pk: 'GROUP#unmanaged', sk: 'POLICY' } })
        .resolves({});

      await expect(store().policyOverrides('managed')).resolves.toEqual({ gates: { minAuc: 0.86 } });
      await expect(store().policyOverrides('bare')).resolves.toEqual({});
      await expect(store().policyOverrides('unmanaged')).resolves.toBeUndefined();
      expect(db).toHaveReceivedCommandWith(GetCommand, { TableName, Key: { pk: 'GROUP#managed', sk: 'POLICY' }, ConsistentRead: true });
    });

    it('writes the policy and the group registry entry in one transaction', async () => {
      await store().putPolicy('credit-card-acme', { approval: { production: 'manual' } });
      expect(db).toHaveReceivedCommandWith(TransactWriteCommand, {
        TransactItems: [
          { Put: { TableName, Item: { pk: 'GROUP#credit-card-acme', sk: 'POLICY', overrides: { approval: { production: 'manual' } } } } },
          { Put: { TableName, Item: { pk: 'GROUPS', sk: 'credit-card-acme' } } },
        ],
      });
    });

    it('lists the groups of the registry, every page', async () => {
      db.on(QueryCommand, { ExclusiveStartKey: undefined })
        .resolves({ Items: [{ pk: 'GROUPS', sk: 'a' }], LastEvaluatedKey: { pk: 'GROUPS', sk: 'a' } })
        .on(QueryCommand, { ExclusiveStartKey: { pk: 'GROUPS', sk: 'a' } })
        .resolves({ Items: [{ pk: 'GROUPS', sk: 'b' }] });
      await expect(store().listGroups()).resolves.toEqual(['a', 'b']);
      expect(db).toHaveReceivedNthSpecificCommandWith(1, QueryCommand, {
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'GROUPS' },
      });
    });
  });

  describe('requestRollback', () => {
    it('sets the request on the STATUS item and bumps the revision', async () => {
      const request = { by: 'arn:aws:sts::123456789012:assumed-role/OnCall/bob', reason: 'p99 breach', at: '2026-03-01T13:00:00.000Z' };
      await store().requestRollback('credit-card-acme', request);
      expect(db).toHaveReceivedCommandWith(UpdateCommand, {
        TableName,
        Key: { pk: 'GROUP#credit-card-acme', sk: 'STATUS' },
        UpdateExpression: 'SET #request = :request, #revision = if_not_exists(#revision, :zero) + :one',
        ExpressionAttributeNames: { '#request': 'rollbackRequest', '#revision': 'revision' },
        ExpressionAttributeValues: { ':request': request, ':zero': 0, ':one': 1 },
      });
    });
  });

  describe('experiments', () => {
    const verdict = { decision: 'challenger-wins' as const, reason: 'better', lookAt: '2026-03-02T13:00:00.000Z', champion: { units: 900, events: 45 }, challenger: { units: 100, events: 2 } };

    it('records a challenge request with a revision bump', async () => {
      const request = { version: 2, sharePercent: 10, by: 'bob', reason: 'bureau v2', at: '2026-03-01T13:00:00.000Z' };
      await store().requestChallenge('credit-card-acme', request);
      expect(db).toHaveReceivedCommandWith(UpdateCommand, { ExpressionAttributeNames: { '#request': 'challengeRequest', '#revision': 'revision' }, ExpressionAttributeValues: { ':request': request, ':zero': 0, ':one': 1 } });
    });

    it('records a verdict only on the running experiment of that version, without one yet', async () => {
      await expect(store().recordExperimentVerdict('credit-card-acme', 2, verdict)).resolves.toBe(true);
      expect(db).toHaveReceivedCommandWith(UpdateCommand, {
        ConditionExpression: '#version = :version AND attribute_not_exists(#verdict)',
        ExpressionAttributeNames: { '#verdict': 'experimentVerdict', '#version': 'experimentVersion', '#revision': 'revision' },
        ExpressionAttributeValues: { ':verdict': verdict, ':version': 2, ':one': 1 },
      });
    });

    it('answers false on a failed condition and rethrows anything else', async () => {
      db.on(UpdateCommand).rejectsOnce(new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' })).rejects(new Error('throttled'));
      await expect(store().recordExperimentVerdict('credit-card-acme', 2, verdict)).resolves.toBe(false);
      await expect(store().recordExperimentVerdict('credit-card-acme', 2, verdict)).rejects.toThrow('throttled');
    });
  });

  describe('approval evidence', () => {
    const evidence: ApprovalEvidence = {
      modelGroup: 'credit-card-acme',
      version: 7,
      modelPackageArn: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/credit-card-acme/7',
      change: 'Approved',
      principalArn: 'arn:aws:sts::123456789012:assumed-role/RiskOfficer/alice',
      description: 'fair and accurate',
      at: '2026-03-01T12:00:00Z',
      eventId: 'ct-1',
    };

    it('records evidence once, keyed by version, time and event', async () => {
      await store().recordApprovalEvidence(evidence);
      expect(db).toHaveReceivedCommandWith(PutCommand, {
        TableName,
        Item: { ...evidence, pk: 'GROUP#credit-card-acme', sk: 'APPROVAL#0000000007#2026-03-01T12:00:00Z#ct-1' },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    });

    it('treats a duplicate as recorded', async () => {
      db.on(PutCommand).rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }));
      await expect(store().recordApprovalEvidence(evidence)).resolves.toBeUndefined();
    });

    it('rethrows other errors', async () => {
      db.on(PutCommand).rejects(new Error('throttled'));
      await expect(store().recordApprovalEvidence(evidence)).rejects.toThrow('throttled');
    });

    it('queries the evidence of one version, without keys', async () => {
      db.on(QueryCommand).resolves({ Items: [{ ...evidence, pk: 'GROUP#credit-card-acme', sk: 'APPROVAL#0000000007#2026-03-01T12:00:00Z#ct-1' }] });
      await expect(store().approvalEvidence('credit-card-acme', 7)).resolves.toEqual([evidence]);
      expect(db).toHaveReceivedCommandWith(QueryCommand, {
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': 'GROUP#credit-card-acme', ':prefix': 'APPROVAL#0000000007#' },
        ConsistentRead: true,
      });
    });
  });

  describe('endpoint index', () => {
    it('registers an endpoint under its lower-cased name unless another group owns it', async () => {
      await store().registerEndpoint('Credit-Card-ACME-prod', 'credit-card-acme');
      expect(db).toHaveReceivedCommandWith(PutCommand, {
        TableName,
        Item: { pk: 'ENDPOINT#credit-card-acme-prod', sk: 'GROUP', group: 'credit-card-acme', endpointName: 'Credit-Card-ACME-prod' },
        ConditionExpression: 'attribute_not_exists(pk) OR #group = :group',
        ExpressionAttributeNames: { '#group': 'group' },
        ExpressionAttributeValues: { ':group': 'credit-card-acme' },
      });
    });

    it('refuses an endpoint that belongs to another group, naming the owner', async () => {
      db.on(PutCommand).rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }));
      db.on(GetCommand).resolves({ Item: { pk: 'ENDPOINT#shared-prod', sk: 'GROUP', group: 'other-group' } });
      const error = await store().registerEndpoint('shared-prod', 'credit-card-acme').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TerminalError);
      expect((error as Error).message).toContain('other-group');
    });

    it('finds the group of an endpoint case-insensitively', async () => {
      db.on(GetCommand).resolves({}).on(GetCommand, { Key: { pk: 'ENDPOINT#credit-card-acme-prod', sk: 'GROUP' } }).resolves({ Item: { group: 'credit-card-acme' } });
      await expect(store().groupOfEndpoint('CREDIT-CARD-ACME-PROD')).resolves.toBe('credit-card-acme');
      await expect(store().groupOfEndpoint('unknown')).resolves.toBeUndefined();
    });
  });

  describe('retraining state', () => {
    const retraining: RetrainingState = {
      inFlight: { clientToken: 'a'.repeat(64), startedAt: '2026-11-28T10:05:00.000Z', triggerWindowEnd: '2026-11-28T10:00:00.000Z', executionArn: 'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/train/execution/r1' },
      lastEndedAt: '2026-11-20T08:00:00.000Z',
      starts: ['2026-11-19T07:00:00.000Z', '2026-11-28T10:05:00.000Z'],
      lastTriagedWindow: '2026-11-28T10:00:00.000Z',
    };

    it('writes it on the STATUS item', async () => {
      await store().save(status({ retraining }));
      const put = db.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
      expect(put?.Item).toEqual({ pk: 'GROUP#credit-card-acme', sk: 'STATUS', revision: 4, conditions: [], retraining });
    });

    it('reads it back from the STATUS item, and leaves it out when the item has none', async () => {
      db.on(QueryCommand).resolves({ Items: [{ pk: 'GROUP#credit-card-acme', sk: 'STATUS', revision: 5, conditions: [], retraining }] });
      await expect(store().load('credit-card-acme')).resolves.toEqual({ group: 'credit-card-acme', revision: 5, versions: [], conditions: [], retraining });
      db.on(QueryCommand).resolves({ Items: [{ pk: 'GROUP#credit-card-acme', sk: 'STATUS', revision: 5, conditions: [] }] });
      expect(await store().load('credit-card-acme')).not.toHaveProperty('retraining');
    });
  });

  describe('drift signals', () => {
    const signal: DriftSignal = {
      version: 7,
      source: 'drift-check',
      windowStart: '2026-11-28T09:00:00.000Z',
      windowEnd: '2026-11-28T10:00:00.000Z',
      features: [{ feature: 'annual_income', method: 'linf_simple', distance: 0.26, threshold: 0.2, importance: 0.4 }],
      reportUri: 's3://creditai-artifacts/drift/credit-card-acme/v7/2026-11-28T10-00-00-000Z/report.json',
    };
    const sk = 'DRIFT#0000000007#2026-11-28T10:00:00.000Z#drift-check';

    it('records a finding once per version, window and source, expiring 14 days after the window', async () => {
      await store().recordDriftSignal('credit-card-acme', signal);
      expect(db).toHaveReceivedCommandWith(PutCommand, {
        TableName,
        // 2026-11-28T10:00:00Z is epoch 1795860000; + 14 × 86,400 s.
        Item: { ...signal, expiration: 1795860000 + 1_209_600, pk: 'GROUP#credit-card-acme', sk },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    });

    it('leaves an unset report URI out of the item', async () => {
      const { reportUri: _reportUri, ...withoutReport } = signal;
      await store().recordDriftSignal('credit-card-acme', withoutReport);
      expect(db.commandCalls(PutCommand)[0]?.args[0].input.Item).not.toHaveProperty('reportUri');
    });

    it('keeps the first record of a window reported twice, and rethrows other errors', async () => {
      db.on(PutCommand).rejects(new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }));
      await expect(store().recordDriftSignal('credit-card-acme', signal)).resolves.toBeUndefined();
      db.on(PutCommand).rejects(new Error('throttled'));
      await expect(store().recordDriftSignal('credit-card-acme', signal)).rejects.toThrow('throttled');
    });

    it("reads a version's latest day of findings, newest first, without keys or expiry", async () => {
      const earlier = { ...signal, windowStart: '2026-11-28T08:00:00.000Z', windowEnd: '2026-11-28T09:00:00.000Z' };
      db.on(QueryCommand).resolves({
        Items: [
          { ...signal, expiration: 1797069600, pk: 'GROUP#credit-card-acme', sk },
          { ...earlier, expiration: 1797066000, pk: 'GROUP#credit-card-acme', sk: 'DRIFT#0000000007#2026-11-28T09:00:00.000Z' },
        ],
      });
      await expect(store().driftSignals('credit-card-acme', 7)).resolves.toEqual([signal, earlier]);
      expect(db).toHaveReceivedCommandWith(QueryCommand, {
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': 'GROUP#credit-card-acme', ':prefix': 'DRIFT#0000000007#' },
        ScanIndexForward: false,
        Limit: 24,
        ConsistentRead: true,
      });
    });
  });

  describe('recordRejectedEvent', () => {
    const record = {
      eventId: 'evt-1',
      source: 'aws.sagemaker',
      detailType: 'SageMaker Model Package State Change',
      reason: 'detail.ModelPackageGroupName: Required',
      receivedAt: '2026-03-01T12:00:00.000Z',
      raw: '{"id":"evt-1"}',
    };

    it('puts the record under its day', async () => {
      await store().recordRejectedEvent(record);
      expect(db).toHaveReceivedCommandWith(PutCommand, {
        TableName,
        Item: { ...record, pk: 'REJECTED#2026-03-01', sk: '2026-03-01T12:00:00.000Z#evt-1' },
      });
    });

    it('cuts a huge raw event to 300 KB and says so', async () => {
      await store().recordRejectedEvent({ ...record, raw: 'é'.repeat(MAX_RAW_BYTES) });
      const item = db.commandCalls(PutCommand)[0]?.args[0].input.Item ?? {};
      expect(Buffer.byteLength(String(item.raw))).toBeLessThanOrEqual(MAX_RAW_BYTES);
      expect(item.rawTruncated).toBe(true);
    });
  });

  describe('truncateUtf8', () => {
    it('never splits a character', () => {
      expect(truncateUtf8('aé', 2)).toEqual({ text: 'a', truncated: true });
      expect(truncateUtf8('aé', 3)).toEqual({ text: 'aé', truncated: false });
    });
  });
});
