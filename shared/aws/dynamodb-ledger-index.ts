/**
 * The audit ledger's index in the state table, as the `LedgerIndex` port. Items (beside those of
 * `dynamodb-state-store.ts`, under their own partition so the audit role is limited to `LEDGER#*`):
 *
 * | pk               | sk                  | holds                                                        |
 * |------------------|---------------------|--------------------------------------------------------------|
 * | `LEDGER#<group>` | `HEAD`              | sequence and SHA-256 of the chain's last indexed record      |
 * | `LEDGER#<group>` | `EVENT#<eventKey>`  | the sequence (and hash) at which that domain event is recorded |
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerIndex } from '../governance/ledger-ports';
import { RetryableError } from '../runtime/errors';

/** Which table. */
export interface LedgerIndexConfig {
  tableName: string;
}

const pkOf = (group: string) => `LEDGER#${group}`;
const HEAD = 'HEAD';
const eventSk = (eventKey: string) => `EVENT#${eventKey}`;

/**
 * The `LedgerIndex` port over DynamoDB (strongly consistent reads).
 * - advance: the HEAD update is conditioned on the expected sequence (`attribute_not_exists(pk)` for the first),
 *   so the head only moves forward one writer at a time; with an eventKey, the EVENT# Put (`attribute_not_exists`)
 *   goes in the same transaction. A failed condition → 'conflict'; another cancellation → RetryableError.
 * @example
 * const index = makeDynamoDbLedgerIndex(clients.dynamoDb, { tableName: config.STATE_TABLE });
 */
export function makeDynamoDbLedgerIndex(db: DynamoDBDocumentClient, config: LedgerIndexConfig): LedgerIndex {
  const TableName = config.tableName;

  async function item(group: string, sk: string): Promise<Record<string, unknown> | undefined> {
    const out = await db.send(new GetCommand({ TableName, Key: { pk: pkOf(group), sk }, ConsistentRead: true }));
    return out.Item;
  }

  return {
    async find(group, eventKey) {
      const found = await item(group, eventSk(eventKey));
      return typeof found?.sequence === 'number' ? { sequence: found.sequence } : undefined;
    },

    async head(group) {
      const found = await item(group, HEAD);
      return typeof found?.sequence === 'number' && typeof found.hash === 'string' ? { sequence: found.sequence, hash: found.hash } : undefined;
    },

    async advance(group, entry, expectedSequence) {
      const pk = pkOf(group);
      const moveHead = {
        TableName,
        Key: { pk, sk: HEAD },
        UpdateExpression: 'SET #sequence = :sequence, #hash = :hash',
        // Only the attribute values an expression uses may be sent: DynamoDB refuses unused ones.
        ...(expectedSequence === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: { ':sequence': entry.sequence, ':hash': entry.hash } }
          : { ConditionExpression: '#sequence = :expected', ExpressionAttributeValues: { ':sequence': entry.sequence, ':hash': entry.hash, ':expected': expectedSequence } }),
        ExpressionAttributeNames: { '#sequence': 'sequence', '#hash': 'hash' },
      };
      try {
        if (entry.eventKey === undefined) {
          await db.send(new UpdateCommand(moveHead));
        } else {
          const indexEvent = { TableName, Item: { pk, sk: eventSk(entry.eventKey), sequence: entry.sequence, hash: entry.hash }, ConditionExpression: 'attribute_not_exists(pk)' };
          await db.send(new TransactWriteCommand({ TransactItems: [{ Update: moveHead }, { Put: indexEvent }] }));
        }
        return 'advanced';
      } catch (error) {
        const name = (error as { name?: string })?.name;
        if (name === 'ConditionalCheckFailedException') return 'conflict';
        if (error instanceof TransactionCanceledException || name === 'TransactionCanceledException') {
          const codes = ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
          if (codes.includes('ConditionalCheckFailed')) return 'conflict';
          throw new RetryableError(`Advancing the ledger head of ${group} was cancelled (${codes.join(', ')})`, { cause: error });
        }
        throw error;
      }
    },
  };
}
