/**
 * The lifecycle state of every model group in ONE DynamoDB table (string keys `pk`, `sk`), as the `StateStore`
 * port. Items:
 *
 * | pk                    | sk                                          | holds                                        |
 * |-----------------------|---------------------------------------------|----------------------------------------------|
 * | `GROUP#<g>`           | `STATUS`                                    | revision, conditions, rollbackRequest, retraining, challengeRequest, experiment (+ experimentVersion, experimentVerdict) |
 * | `GROUP#<g>`           | `VERSION#<10-digit version>`                | one VersionStatus                            |
 * | `GROUP#<g>`           | `POLICY`                                    | overrides (absent item = unmanaged group)    |
 * | `GROUP#<g>`           | `APPROVAL#<10-digit version>#<at>#<eventId>`| one ApprovalEvidence (CloudTrail)            |
 * | `GROUP#<g>`           | `DRIFT#<10-digit version>#<windowEnd>#<source>` | one drift finding (expires after 14 days) |
 * | `GROUPS`              | `<g>`                                       | registry of managed groups (for listGroups)  |
 * | `ENDPOINT#<lower name>` | `GROUP`                                   | the group owning the endpoint                |
 * | `REJECTED#<yyyy-mm-dd>` | `<receivedAt>#<eventId>`                  | an event the ingress refused, as evidence    |
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { canonicalJson as canonical } from '../contracts/canonical-json';
import type { DriftSignal } from '../lifecycle/drift-triage';
import type { ExperimentState, GroupStatus, RetrainingState, VersionStatus } from '../lifecycle/model';
import { ConflictError, RetryableError, TerminalError } from '../runtime/errors';
import type { ApprovalEvidence, RejectedEventRecord, StateStore } from '../reconcile/ports';

/** Which table. */
export interface StateStoreConfig {
  tableName: string;
}

/** The `StateStore` port plus the write that makes a group managed (used by the CLI and seeded by Terraform). */
export interface DynamoDbStateStore extends StateStore {
  /** Sets the group's policy overrides and lists the group as managed; both or neither (one transaction). */
  putPolicy(group: string, overrides: Record<string, unknown>): Promise<void>;
}

/** A transaction holds at most 100 items: the STATUS item plus at most 99 versions. */
export const MAX_VERSIONS_PER_SAVE = 99;
/** Rejected events keep at most this much of the raw event (a DynamoDB item holds at most 400 KB). */
export const MAX_RAW_BYTES = 300 * 1024;

const STATUS = 'STATUS';
const POLICY = 'POLICY';
const GROUPS = 'GROUPS';

const groupPk = (group: string) => `GROUP#${group}`;
const pad = (version: number) => String(version).padStart(10, '0');
const versionSk = (version: number) => `VERSION#${pad(version)}`;
const approvalPrefix = (version: number) => `APPROVAL#${pad(version)}#`;
const driftPrefix = (version: number) => `DRIFT#${pad(version)}#`;
/** Drift findings are kept two weeks (the table's TTL attribute `expiration`, epoch seconds): triage reads a day. */
const DRIFT_RETENTION_SECONDS = 14 * 24 * 3600;
/** Findings triage reads: a day of hourly windows is more than any persistence policy asks for. */
const DRIFT_SIGNALS_READ = 24;
/** Endpoint names are case-insensitive in SageMaker, so the index key is lower-cased. */
const endpointPk = (endpointName: string) => `ENDPOINT#${endpointName.toLowerCase()}`;

type Item = Record<string, unknown>;

/** The item without undefined attributes (optional fields that are not set are left out, not written). */
function compact(item: Item): Item {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
}

/**
 * The experiment as the STATUS item holds it: the verdict and the version as top-level attributes, so the judge's
 * conditional write needs no nested path ("this experiment, no verdict yet").
 */
function experimentAttributes(experiment: ExperimentState | undefined): Item {
  if (!experiment) return {};
  const { verdict, ...rest } = experiment;
  return { experiment: rest, experimentVersion: experiment.version, experimentVerdict: verdict };
}

function experimentOf(status: Item | undefined): ExperimentState | undefined {
  if (!status?.experiment) return undefined;
  const verdict = status.experimentVerdict as ExperimentState['verdict'];
  return { ...(status.experiment as ExperimentState), ...(verdict ? { verdict } : {}) };
}

function withoutKeys<T>(item: Item): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

/** `s` cut to at most `maxBytes` of UTF-8, without a broken last character. */
export function truncateUtf8(s: string, maxBytes: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(s, 'utf8') <= maxBytes) return { text: s, truncated: false };
  return { text: Buffer.from(s, 'utf8').subarray(0, maxBytes).toString('utf8').replace(/\uFFFD+$/, ''), truncated: true };
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/**
 * The `StateStore` port over DynamoDB (a DocumentClient built with `removeUndefinedValues`).
 * - load: strongly consistent Query of the group's STATUS and VERSION# items; revision 0 when never written.
 * - save: one transaction: STATUS with `revision + 1`, conditioned on the revision `load` returned (or on the
 *   item's absence for revision 0), plus a Put per version. A failed condition → ConflictError (re-read, decide
 *   again); other cancellations → RetryableError; more than 99 versions → TerminalError (transaction limit).
 * - requestRollback: sets rollbackRequest and bumps the revision, so a reconcile that loaded the status before
 *   the request cannot overwrite it unseen (its save conflicts and re-reads).
 * - requestChallenge: sets challengeRequest and bumps the revision (like requestRollback).
 * - recordExperimentVerdict: sets the verdict of the running experiment of that version if it has none yet (and
 *   bumps the revision); false when the condition fails (another experiment, or a verdict already recorded).
 * - recordApprovalEvidence: conditional Put; a duplicate (same event) is fine.
 * - registerEndpoint: refuses (TerminalError) an endpoint another group already owns.
 * - recordRejectedEvent: Put with the raw event cut to 300 KB.
 * @example
 * const state = makeDynamoDbStateStore(clients.dynamoDb, { tableName: config.stateTable });
 * const status = await state.load('credit-card-acme');
 */
export function makeDynamoDbStateStore(db: DynamoDBDocumentClient, config: StateStoreConfig): DynamoDbStateStore {
  const TableName = config.tableName;

  async function queryAll(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(new QueryCommand({ TableName, ...input, ExclusiveStartKey: startKey }));
      items.push(...((page.Items ?? []) as Item[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async function getItem(pk: string, sk: string): Promise<Item | undefined> {
    const out = await db.send(new GetCommand({ TableName, Key: { pk, sk }, ConsistentRead: true }));
    return out.Item as Item | undefined;
  }

  return {
    async load(group) {
      // Sort keys order APPROVAL# < POLICY < STATUS < VERSION#: `sk >= STATUS` reads the status and the versions
      // without the approval evidence, which grows with every approval.
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: { ':pk': groupPk(group), ':from': STATUS },
        ConsistentRead: true,
      });
      const status = items.find((item) => item.sk === STATUS);
      const experiment = experimentOf(status);
      const versions = items
        .filter((item) => typeof item.sk === 'string' && item.sk.startsWith('VERSION#'))
        .map((item) => withoutKeys<VersionStatus>(item))
        .sort((a, b) => a.version - b.version);
      return {
        group,
        revision: typeof status?.revision === 'number' ? status.revision : 0,
        versions,
        conditions: (status?.conditions as GroupStatus['conditions'] | undefined) ?? [],
        ...(status?.rollbackRequest ? { rollbackRequest: status.rollbackRequest as NonNullable<GroupStatus['rollbackRequest']> } : {}),
        ...(status?.retraining ? { retraining: status.retraining as RetrainingState } : {}),
        ...(status?.challengeRequest ? { challengeRequest: status.challengeRequest as NonNullable<GroupStatus['challengeRequest']> } : {}),
        ...(experiment ? { experiment } : {}),
      };
    },

    async save(status, previous) {
      // Only what changed: a group keeps every version it ever had, a transaction holds 100 items.
      const before = new Map((previous?.versions ?? []).map((v) => [v.version, canonical(v)]));
      const changed = status.versions.filter((v) => before.get(v.version) !== canonical(v));
      if (changed.length > MAX_VERSIONS_PER_SAVE) {
        throw new TerminalError(
          `Group ${status.group} changed ${changed.length} versions at once; one status write holds at most ${MAX_VERSIONS_PER_SAVE} (DynamoDB transaction limit)`,
        );
      }
      const pk = groupPk(status.group);
      const condition =
        status.revision === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: '#revision = :expected', ExpressionAttributeNames: { '#revision': 'revision' }, ExpressionAttributeValues: { ':expected': status.revision } };
      const statusItem = compact({
        pk,
        sk: STATUS,
        revision: status.revision + 1,
        conditions: status.conditions,
        rollbackRequest: status.rollbackRequest,
        retraining: status.retraining,
        challengeRequest: status.challengeRequest,
        ...experimentAttributes(status.experiment),
      });
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName, Item: statusItem, ...condition } },
              ...changed.map((version) => ({ Put: { TableName, Item: compact({ ...version, pk, sk: versionSk(version.version) }) } })),
            ],
          }),
        );
      } catch (error) {
        if (error instanceof TransactionCanceledException || (error as { name?: string })?.name === 'TransactionCanceledException') {
          const codes = ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
          if (codes.includes('ConditionalCheckFailed')) {
            throw new ConflictError(`The status of ${status.group} moved past revision ${status.revision}; re-read and decide again`, { cause: error });
          }
          throw new RetryableError(`Writing the status of ${status.group} was cancelled (${codes.join(', ')})`, { cause: error });
        }
        throw error;
      }
    },

    async policyOverrides(group) {
      const item = await getItem(groupPk(group), POLICY);
      if (!item) return undefined;
      // Terraform seeds the item with the overrides as a JSON string (DynamoDB JSON cannot hold `any`); the CLI
      // writes a map. Both mean the same.
      if (typeof item.overrides === 'string') {
        try {
          return JSON.parse(item.overrides) as unknown;
        } catch (error) {
          throw new TerminalError(`The policy item of ${group} holds overrides that are not JSON`, { cause: error });
        }
      }
      return item.overrides ?? {};
    },

    async putPolicy(group, overrides) {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName, Item: { pk: groupPk(group), sk: POLICY, overrides } } },
            { Put: { TableName, Item: { pk: GROUPS, sk: group } } },
          ],
        }),
      );
    },

    async listGroups() {
      const items = await queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': GROUPS } });
      return items.map((item) => String(item.sk));
    },

    async requestRollback(group, request) {
      await db.send(
        new UpdateCommand({
          TableName,
          Key: { pk: groupPk(group), sk: STATUS },
          // The revision bump makes an in-flight reconcile's save conflict instead of dropping the request.
          UpdateExpression: 'SET #request = :request, #revision = if_not_exists(#revision, :zero) + :one',
          ExpressionAttributeNames: { '#request': 'rollbackRequest', '#revision': 'revision' },
          ExpressionAttributeValues: { ':request': request, ':zero': 0, ':one': 1 },
        }),
      );
    },

    async requestChallenge(group, request) {
      await db.send(
        new UpdateCommand({
          TableName,
          Key: { pk: groupPk(group), sk: STATUS },
          UpdateExpression: 'SET #request = :request, #revision = if_not_exists(#revision, :zero) + :one',
          ExpressionAttributeNames: { '#request': 'challengeRequest', '#revision': 'revision' },
          ExpressionAttributeValues: { ':request': request, ':zero': 0, ':one': 1 },
        }),
      );
    },

    async recordExperimentVerdict(group, version, verdict) {
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: { pk: groupPk(group), sk: STATUS },
            UpdateExpression: 'SET #verdict = :verdict, #revision = #revision + :one',
            // Only the running experiment of that version, and only its first verdict: a later look changes nothing.
            ConditionExpression: '#version = :version AND attribute_not_exists(#verdict)',
            ExpressionAttributeNames: { '#verdict': 'experimentVerdict', '#version': 'experimentVersion', '#revision': 'revision' },
            ExpressionAttributeValues: { ':verdict': verdict, ':version': version, ':one': 1 },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async recordApprovalEvidence(evidence: ApprovalEvidence) {
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: compact({ ...evidence, pk: groupPk(evidence.modelGroup), sk: `${approvalPrefix(evidence.version)}${evidence.at}#${evidence.eventId}` }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // The same CloudTrail event delivered twice: already recorded.
        if (!isConditionFailure(error)) throw error;
      }
    },

    async approvalEvidence(group, version) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': groupPk(group), ':prefix': approvalPrefix(version) },
        ConsistentRead: true,
      });
      return items.map((item) => withoutKeys<ApprovalEvidence>(item));
    },

    async registerEndpoint(endpointName, group) {
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: { pk: endpointPk(endpointName), sk: 'GROUP', group, endpointName },
            ConditionExpression: 'attribute_not_exists(pk) OR #group = :group',
            ExpressionAttributeNames: { '#group': 'group' },
            ExpressionAttributeValues: { ':group': group },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const owner = (await getItem(endpointPk(endpointName), 'GROUP'))?.group;
        throw new TerminalError(`Endpoint ${endpointName} belongs to group ${String(owner)}; ${group} may not deploy to it (check the policies' endpoint names)`, {
          cause: error,
        });
      }
    },

    async groupOfEndpoint(endpointName) {
      const item = await getItem(endpointPk(endpointName), 'GROUP');
      return typeof item?.group === 'string' ? item.group : undefined;
    },

    async recordDriftSignal(group, signal) {
      const expiration = Math.floor(Date.parse(signal.windowEnd) / 1000) + DRIFT_RETENTION_SECONDS;
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: compact({ ...signal, expiration, pk: groupPk(group), sk: `${driftPrefix(signal.version)}${signal.windowEnd}#${signal.source}` }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // The same window reported twice by the same check (a duplicated event, a re-run): the first record stands.
        // Our check and Model Monitor reporting the same hour are two records.
        if (!isConditionFailure(error)) throw error;
      }
    },

    async driftSignals(group, version) {
      const out = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': groupPk(group), ':prefix': driftPrefix(version) },
          ScanIndexForward: false,
          Limit: DRIFT_SIGNALS_READ,
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map((item) => {
        const { expiration: _expiration, ...signal } = withoutKeys<DriftSignal & { expiration?: number }>(item);
        return signal;
      });
    },

    async recordRejectedEvent(record: RejectedEventRecord) {
      const raw = truncateUtf8(record.raw, MAX_RAW_BYTES);
      const day = record.receivedAt.slice(0, 10);
      await db.send(
        new PutCommand({
          TableName,
          Item: compact({ ...record, raw: raw.text, ...(raw.truncated ? { rawTruncated: true } : {}), pk: `REJECTED#${day}`, sk: `${record.receivedAt}#${record.eventId}` }),
        }),
      );
    },
  };
}
