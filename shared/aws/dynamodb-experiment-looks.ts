/**
 * The experiment judge's running state (looks taken, efficacy fractions, running harm p-value, alerts told) as the
 * `ExperimentLooks` port: one item per experiment in the state table, `GROUP#<g>` / `EXPERIMENT#<10-digit version>`
 * (sorts before `STATUS`, so loading a group's status never reads it). Written after each look; the look's minute is
 * kept so a re-run in the same minute is recognised.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExperimentLooks, JudgeLookState } from '../experiment-judge/ports';

const key = (group: string, version: number) => ({ pk: `GROUP#${group}`, sk: `EXPERIMENT#${String(version).padStart(10, '0')}` });

export function makeDynamoDbExperimentLooks(db: DynamoDBDocumentClient, config: { tableName: string }): ExperimentLooks {
  const TableName = config.tableName;
  return {
    async last(group, version) {
      const out = await db.send(new GetCommand({ TableName, Key: key(group, version), ConsistentRead: true }));
      const item = out.Item as { lookAt?: string; state?: JudgeLookState } | undefined;
      return item?.lookAt && item.state ? { lookAt: item.lookAt, state: item.state } : undefined;
    },
    async save(group, version, lookAt, state) {
      await db.send(new PutCommand({ TableName, Item: { ...key(group, version), lookAt, state } }));
    },
  };
}
