/**
 * The audit ledger's index in the state table: strongly consistent reads, a head that moves only from the expected
 * sequence, the event indexed in the same transaction; every command checked against the DynamoDB model.
 */
import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { makeDynamoDbLedgerIndex } from '../../../shared/aws/dynamodb-ledger-index';
import { RetryableError } from '../../../shared/runtime/errors';
import { expectValidAwsInput, recordedCallsOf } from '../../support/aws-model-validator';

const db = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  try {
    // DocumentClient inputs, transaction items included: native values stand in for AttributeValues.
    for (const command of recordedCallsOf(db)) expectValidAwsInput('dynamodb', command);
  } finally {
    db.reset();
  }
});

const TableName = 'creditai-mlops-state';
const GROUP = 'credit-risk-retail';
const HASH = 'a'.repeat(64);
const index = () => makeDynamoDbLedgerIndex(DynamoDBDocumentClient.from(new DynamoDBClient({})), { tableName: TableName });
const canceled = (...codes: string[]) =>
  new TransactionCanceledException({ $metadata: {}, message: 'Transaction cancelled', CancellationReasons: codes.map((Code) => ({ Code })) });

describe('Function: makeDynamoDbLedgerIndex', () => {
  describe('find and head', () => {
    it('finds an indexed event by a strongly consistent read of LEDGER#<group> / EVENT#<eventKey>', async () => {
      db.on(GetCommand).resolves({ Item: { pk: `LEDGER#${GROUP}`, sk: 'EVENT#k', sequence: 4, hash: HASH } });

      await expect(index().find(GROUP, 'k')).resolves.toEqual({ sequence: 4 });
      expect(db).toHaveReceivedCommandWith(GetCommand, { TableName, Key: { pk: `LEDGER#${GROUP}`, sk: 'EVENT#k' }, ConsistentRead: true });
    });

    it('answers undefined for an event never indexed', async () => {
      db.on(GetCommand).resolves({});

      await expect(index().find(GROUP, 'k')).resolves.toBeUndefined();
    });

    it('reads the head (sequence and hash), undefined before the genesis', async () => {
      db.on(GetCommand).resolvesOnce({ Item: { pk: `LEDGER#${GROUP}`, sk: 'HEAD', sequence: 7, hash: HASH } }).resolvesOnce({});

      await expect(index().head(GROUP)).resolves.toEqual({ sequence: 7, hash: HASH });
      await expect(index().head(GROUP)).resolves.toBeUndefined();
      expect(db).toHaveReceivedCommandWith(GetCommand, { TableName, Key: { pk: `LEDGER#${GROUP}`, sk: 'HEAD' }, ConsistentRead: true });
    });
  });

  describe('advance', () => {
    it('moves the head and indexes the event in one transaction, both conditional', async () => {
      db.on(TransactWriteCommand).resolves({});

      await expect(index().advance(GROUP, { sequence: 5, hash: HASH, eventKey: 'k' }, 4)).resolves.toBe('advanced');

      expect(db).toHaveReceivedCommandWith(TransactWriteCommand, {
        TransactItems: [
          {
            Update: {
              TableName,
              Key: { pk: `LEDGER#${GROUP}`, sk: 'HEAD' },
              UpdateExpression: 'SET #sequence = :sequence, #hash = :hash',
              ConditionExpression: '#sequence = :expected',
              ExpressionAttributeNames: { '#sequence': 'sequence', '#hash': 'hash' },
              ExpressionAttributeValues: { ':sequence': 5, ':hash': HASH, ':expected': 4 },
            },
          },
          { Put: { TableName, Item: { pk: `LEDGER#${GROUP}`, sk: 'EVENT#k', sequence: 5, hash: HASH }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      });
    });

    it('creates the head of a new chain only if there is none (and sends no unused values)', async () => {
      db.on(UpdateCommand).resolves({});

      await expect(index().advance(GROUP, { sequence: 0, hash: HASH }, undefined)).resolves.toBe('advanced');

      expect(db).toHaveReceivedCommandWith(UpdateCommand, {
        TableName,
        Key: { pk: `LEDGER#${GROUP}`, sk: 'HEAD' },
        ConditionExpression: 'attribute_not_exists(pk)',
        ExpressionAttributeValues: { ':sequence': 0, ':hash': HASH },
      });
      expect(db).not.toHaveReceivedCommand(TransactWriteCommand);
    });

    it.each([
      ['a head that moved (transaction)', () => canceled('ConditionalCheckFailed', 'None'), { eventKey: 'k' }],
      ['an event already indexed (transaction)', () => canceled('None', 'ConditionalCheckFailed'), { eventKey: 'k' }],
      ['a head that moved (single update)', () => new ConditionalCheckFailedException({ $metadata: {}, message: 'The conditional request failed' }), {}],
    ])('answers conflict for %s', async (_, error, extra) => {
      db.on(TransactWriteCommand).rejects(error());
      db.on(UpdateCommand).rejects(error());

      await expect(index().advance(GROUP, { sequence: 5, hash: HASH, ...extra }, 4)).resolves.toBe('conflict');
    });

    it('turns another cancellation into a RetryableError naming the reasons', async () => {
      db.on(TransactWriteCommand).rejects(canceled('TransactionConflict', 'None'));

      const error = await index().advance(GROUP, { sequence: 5, hash: HASH, eventKey: 'k' }, 4).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RetryableError);
      expect((error as Error).message).toBe(`Advancing the ledger head of ${GROUP} was cancelled (TransactionConflict, None)`);
    });

    it('propagates other errors', async () => {
      db.on(UpdateCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));

      await expect(index().advance(GROUP, { sequence: 1, hash: HASH }, 0)).rejects.toThrow('throttled');
    });
  });
});
