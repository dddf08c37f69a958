/**
 * The DynamoDB twin: an in-memory DynamoDB for what the project's callers do (the state store, the ledger index
 * and Powertools' idempotency records): GetItem, PutItem, DeleteItem, UpdateItem, Query and TransactWriteItems,
 * with condition, update and key-condition expressions (dynamodb-expressions.ts), `ReturnValues`,
 * `ReturnValuesOnConditionCheckFailure`, 1 MB / `Limit` pages, the 400 KB item limit, and DynamoDB's errors.
 * Items are stored as AttributeValue maps: the SDK has marshalled the input before the twin sees it.
 *
 * A request parameter the twin does not implement fails loudly (plain Error), so nothing is silently ignored.
 * Tables are created with {@link DynamoDbTwin.createTable} (no CreateTable API: Terraform makes them in AWS).
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { SdkAwareServiceTwin, SdkCall } from '../core/sdk-middleware';
import { TwinServiceError, type Operation } from '../core/types';
import {
  applyUpdate,
  evaluate,
  keyCondition,
  matchesRange,
  parseCondition,
  parseUpdate,
  Placeholders,
  type Condition,
  type Update,
} from './dynamodb-expressions';
import {
  compareOrdered,
  copyItem,
  itemSize,
  keyPart,
  MAX_ITEM_BYTES,
  storedItem,
  typeOf,
  validationError,
  type Item,
} from './dynamodb-values';

/** A table's primary key: attribute names and their scalar types (`S` unless given). */
export interface KeySchema {
  hash: string;
  range?: string;
  hashType?: 'S' | 'N' | 'B';
  rangeType?: 'S' | 'N' | 'B';
}

/** The DynamoDB twin, plus what a scenario needs to set it up and look inside. */
export interface DynamoDbTwin extends SdkAwareServiceTwin {
  /** Creates an empty table (throws if it exists). */
  createTable(name: string, key: KeySchema): void;
  /** The table's items as stored (AttributeValue maps, copies), in key order. */
  items(table: string): Item[];
}

/** A Query page holds at most 1 MB of items. */
const MAX_PAGE_BYTES = 1024 * 1024;
/** The items a transaction writes add up to at most 4 MB. */
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

interface Table {
  name: string;
  key: Required<Pick<KeySchema, 'hash' | 'hashType'>> & Pick<KeySchema, 'range' | 'rangeType'>;
  items: Map<string, Item>;
}

/** One write of a request or a transaction, checked and ready: its condition runs against the current item. */
interface PreparedWrite {
  table: Table;
  /** The item's key in the table's map. */
  id: string;
  condition?: Condition;
  /** The item after the write, from the item before it (undefined: no item). */
  apply(old: Item | undefined): Item | undefined;
  /** ConditionCheck does not write. */
  writes: boolean;
  returnOldOnFailure: boolean;
  /** The attributes an update expression names (for ReturnValues UPDATED_*). */
  touched: string[];
}

const EXPRESSION_PARAMS = ['ExpressionAttributeNames', 'ExpressionAttributeValues'];
const COMMON_WRITE_PARAMS = ['TableName', 'ConditionExpression', ...EXPRESSION_PARAMS, 'ReturnValuesOnConditionCheckFailure'];
const QUERY_PARAMS = ['TableName', 'KeyConditionExpression', ...EXPRESSION_PARAMS, 'ScanIndexForward', 'Limit', 'ExclusiveStartKey', 'ConsistentRead'];
const WRITE_PARAMS: Record<'Put' | 'Update' | 'Delete' | 'ConditionCheck', string[]> = {
  Put: [...COMMON_WRITE_PARAMS, 'Item'],
  Update: [...COMMON_WRITE_PARAMS, 'Key', 'UpdateExpression'],
  Delete: [...COMMON_WRITE_PARAMS, 'Key'],
  ConditionCheck: [...COMMON_WRITE_PARAMS, 'Key'],
};

/** Refuses (loudly, not as AWS) a parameter the twin does not implement, so nothing is silently ignored. */
function onlyParams(what: string, input: Record<string, unknown>, allowed: string[]): void {
  for (const [name, value] of Object.entries(input)) {
    if (value != null && !allowed.includes(name)) {
      throw new Error(`The DynamoDB twin does not support ${what}.${name}; extend scripts/twin/services/dynamodb.ts`);
    }
  }
}

const placeholdersOf = (input: Record<string, unknown>) =>
  new Placeholders(input.ExpressionAttributeNames as Record<string, string> | undefined, input.ExpressionAttributeValues as Item | undefined);

const conditionFailed = (old: Item | undefined, returnOld: boolean) =>
  Object.assign(new TwinServiceError('ConditionalCheckFailedException', 'The conditional request failed'), returnOld && old ? { Item: copyItem(old) } : {});

/**
 * A new, empty DynamoDB twin (model `dynamodb`, client `DynamoDBClient`: a lib-dynamodb DocumentClient reports
 * the name of the client it wraps).
 * @example
 * const dynamodb = makeDynamoDbTwin();
 * dynamodb.createTable('creditai-state', { hash: 'pk', range: 'sk' });
 * const twin = createTwin({ start, account, region, services: [dynamodb] });
 */
export function makeDynamoDbTwin(): DynamoDbTwin {
  const tables = new Map<string, Table>();

  function tableOf(name: unknown): Table {
    const table = tables.get(String(name));
    if (!table) throw new TwinServiceError('ResourceNotFoundException', 'Requested resource not found');
    return table;
  }

  /** The map key of a Key parameter; ValidationException when it is not exactly the table's key. */
  function keyId(table: Table, key: Item, label = 'key'): string {
    const names = [table.key.hash, ...(table.key.range ? [table.key.range] : [])];
    const given = Object.keys(key);
    if (given.length !== names.length || !names.every((n) => key[n] !== undefined)) {
      throw validationError(`The provided ${label} element does not match the schema`);
    }
    return idOf(table, key, () => validationError(`The provided ${label} element does not match the schema`));
  }

  /** The map key of an item's key attributes; `mismatch` is the error for a missing or mistyped key attribute. */
  function idOf(table: Table, item: Item, mismatch: (name: string, expected: string, actual?: string) => Error): string {
    const parts = [
      [table.key.hash, table.key.hashType],
      ...(table.key.range ? [[table.key.range, table.key.rangeType ?? 'S']] : []),
    ].map(([name, type]) => {
      const value = item[name!];
      if (value === undefined) throw mismatch(name!, type!);
      const actual = typeOf(value);
      if (actual !== type) throw mismatch(name!, type!, actual);
      const empty = value.S === '' ? 'string' : value.B?.byteLength === 0 ? 'binary' : undefined;
      if (empty) {
        throw validationError(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${empty} value. Key: ${name}`);
      }
      return keyPart(value);
    });
    return JSON.stringify(parts);
  }

  const keyAttributes = (table: Table, item: Item): Item => {
    const key: Item = { [table.key.hash]: item[table.key.hash]! };
    if (table.key.range) key[table.key.range] = item[table.key.range]!;
    return copyItem(key);
  };

  function checkSize(item: Item | undefined, message: string): void {
    if (item && itemSize(item) > MAX_ITEM_BYTES) throw validationError(message);
  }

  /** Checks one write (Put/Update/Delete/ConditionCheck) and everything DynamoDB refuses before it looks at the item. */
  function prepare(kind: keyof typeof WRITE_PARAMS, what: string, input: Record<string, unknown>): PreparedWrite {
    onlyParams(what, input, [...WRITE_PARAMS[kind], ...(kind === 'ConditionCheck' ? [] : ['ReturnValues'])]);
    const table = tableOf(input.TableName);
    const refs = placeholdersOf(input);
    const conditionExpression = input.ConditionExpression as string | undefined;
    const condition = conditionExpression === undefined ? undefined : parseCondition(conditionExpression, 'ConditionExpression', refs);
    const update = kind === 'Update' && typeof input.UpdateExpression === 'string' ? parseUpdate(input.UpdateExpression, refs) : undefined;
    refs.checkAllUsed(condition !== undefined || update !== undefined);
    const base = {
      table,
      condition,
      returnOldOnFailure: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
      writes: kind !== 'ConditionCheck',
      touched: update ? [...update.set.map((a) => a.path), ...update.remove] : [],
    };

    if (kind === 'Put') {
      const item = storedItem(input.Item as Item);
      const id = idOf(table, item, (name, expected, actual) =>
        validationError(
          actual
            ? `One or more parameter values were invalid: Type mismatch for key ${name} expected: ${expected} actual: ${actual}`
            : `One or more parameter values were invalid: Missing the key ${name} in the item`,
        ),
      );
      checkSize(item, 'Item size has exceeded the maximum allowed size');
      return { ...base, id, apply: () => item };
    }
    const key = input.Key as Item;
    const id = keyId(table, key);
    if (kind === 'Delete') return { ...base, id, apply: () => undefined };
    if (kind === 'ConditionCheck') return { ...base, id, apply: (old) => old };
    if (!update) throw new Error(`The DynamoDB twin does not support ${what} without an UpdateExpression (AttributeUpdates is legacy)`);
    refuseKeyUpdates(table, update);
    return {
      ...base,
      id,
      apply(old) {
        const next = storedItem(applyUpdate(update, old ?? copyItem(key)));
        checkSize(next, 'Item size to update has exceeded the maximum allowed size');
        return next;
      },
    };
  }

  function refuseKeyUpdates(table: Table, update: Update): void {
    for (const path of [...update.set.map((a) => a.path), ...update.remove]) {
      if (path === table.key.hash || path === table.key.range) {
        throw validationError(`One or more parameter values were invalid: Cannot update attribute ${path}. This attribute is part of the key`);
      }
    }
  }

  /** Runs one prepared write against the table now: condition, then the new item (not yet stored). */
  function evaluateWrite(write: PreparedWrite): { old: Item | undefined; next: Item | undefined } {
    const old = write.table.items.get(write.id);
    if (write.condition && !evaluate(write.condition, old)) throw conditionFailed(old, write.returnOldOnFailure);
    return { old, next: write.apply(old) };
  }

  function commit(write: PreparedWrite, next: Item | undefined): void {
    if (!write.writes) return;
    if (next) write.table.items.set(write.id, copyItem(next));
    else write.table.items.delete(write.id);
  }

  /** One write request (PutItem, UpdateItem, DeleteItem) with its ReturnValues. */
  function single(kind: 'Put' | 'Update' | 'Delete', operation: string, allowedReturns: string[]): Operation {
    return async (input) => {
      const returnValues = (input.ReturnValues as string | undefined) ?? 'NONE';
      if (!allowedReturns.includes(returnValues)) throw validationError(`Return values set to invalid value: ${returnValues}`);
      const write = prepare(kind, operation, input);
      const { old, next } = evaluateWrite(write);
      commit(write, next);
      const attributes = returned(returnValues, old, next, write.touched);
      return attributes ? { Attributes: copyItem(attributes) } : {};
    };
  }

  function returned(returnValues: string, old: Item | undefined, next: Item | undefined, touched: string[]): Item | undefined {
    if (returnValues === 'ALL_OLD') return old;
    if (returnValues === 'ALL_NEW') return next;
    if (returnValues !== 'UPDATED_OLD' && returnValues !== 'UPDATED_NEW') return undefined;
    // The attributes the update expression names, as they were before or are after it.
    const source = returnValues === 'UPDATED_OLD' ? old : next;
    const picked = Object.fromEntries(touched.filter((name) => source?.[name] !== undefined).map((name) => [name, source![name]!]));
    return Object.keys(picked).length > 0 ? picked : undefined;
  }

  const operations: Record<string, Operation> = {
    async GetItem(input) {
      onlyParams('GetItem', input, ['TableName', 'Key', 'ConsistentRead']);
      const table = tableOf(input.TableName);
      const item = table.items.get(keyId(table, input.Key as Item));
      return item ? { Item: copyItem(item) } : {};
    },

    PutItem: single('Put', 'PutItem', ['NONE', 'ALL_OLD']),
    DeleteItem: single('Delete', 'DeleteItem', ['NONE', 'ALL_OLD']),
    UpdateItem: single('Update', 'UpdateItem', ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']),

    async Query(input) {
      onlyParams('Query', input, QUERY_PARAMS);
      const table = tableOf(input.TableName);
      if (typeof input.KeyConditionExpression !== 'string') {
        throw validationError('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
      }
      const refs = placeholdersOf(input);
      const condition = keyCondition(parseCondition(input.KeyConditionExpression, 'KeyConditionExpression', refs), table.key.hash, table.key.range);
      refs.checkAllUsed(true);
      const typeMismatch = () => validationError('One or more parameter values were invalid: Condition parameter type does not match schema type');
      if (typeOf(condition.hash) !== table.key.hashType) throw typeMismatch();
      const range = condition.range;
      if (range) {
        const values = range.op === 'between' ? [range.low, range.high] : range.op === 'begins_with' ? [range.prefix] : [range.value];
        if (values.some((v) => typeOf(v) !== (table.key.rangeType ?? 'S'))) throw typeMismatch();
        if (range.op === 'begins_with' && table.key.rangeType === 'N') {
          throw validationError('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
        }
      }

      const rangeOf = (item: Item) => (table.key.range ? item[table.key.range] : undefined);
      const forward = input.ScanIndexForward !== false;
      let candidates = [...table.items.values()]
        .filter((item) => compareOrdered(item[table.key.hash]!, condition.hash) === 0)
        .filter((item) => !range || matchesRange(rangeOf(item)!, range))
        .sort((a, b) => (table.key.range ? compareOrdered(rangeOf(a)!, rangeOf(b)!)! : 0) * (forward ? 1 : -1));
      if (input.ExclusiveStartKey) {
        const start = input.ExclusiveStartKey as Item;
        keyId(table, start, 'starting key');
        const startRange = rangeOf(start);
        // Items strictly after the start key in the query's direction (the start key need not exist any more).
        candidates = startRange ? candidates.filter((item) => compareOrdered(rangeOf(item)!, startRange)! * (forward ? 1 : -1) > 0) : [];
      }

      const limit = typeof input.Limit === 'number' ? input.Limit : Infinity;
      const page: Item[] = [];
      let bytes = 0;
      let lastKey: Item | undefined;
      for (const item of candidates) {
        page.push(item);
        bytes += itemSize(item);
        // DynamoDB stops at Limit or 1 MB and hands back where it stopped, even when nothing follows: callers loop
        // until LastEvaluatedKey is absent and may see an empty last page.
        if (page.length >= limit || bytes >= MAX_PAGE_BYTES) {
          lastKey = keyAttributes(table, item);
          break;
        }
      }
      return { Items: page.map(copyItem), Count: page.length, ScannedCount: page.length, ...(lastKey ? { LastEvaluatedKey: lastKey } : {}) };
    },

    async TransactWriteItems(input) {
      onlyParams('TransactWriteItems', input, ['TransactItems']);
      const entries = input.TransactItems as Record<string, Record<string, unknown> | undefined>[];
      const writes = entries.map((entry, i) => {
        const kinds = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).filter((k) => entry[k] != null);
        if (kinds.length !== 1) throw validationError(`TransactItems[${i}] must set exactly one of Put, Update, Delete, ConditionCheck`);
        const kind = kinds[0]!;
        return prepare(kind, `TransactWriteItems.TransactItems[].${kind}`, entry[kind]!);
      });
      const targets = writes.map((w) => `${w.table.name}\u0000${w.id}`);
      if (new Set(targets).size !== targets.length) throw validationError('Transaction request cannot include multiple operations on one item');

      // All conditions against the state before the transaction; any failure cancels every write.
      const outcomes = writes.map((write) => {
        try {
          return { ok: true as const, ...evaluateWrite(write) };
        } catch (error) {
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
          return { ok: false as const, item: (error as { Item?: Item }).Item };
        }
      });
      const bytes = outcomes.reduce((sum, o, i) => sum + (o.ok && o.next && writes[i]!.writes ? itemSize(o.next) : 0), 0);
      if (bytes > MAX_TRANSACTION_BYTES) throw validationError('The aggregate size of the items in the transaction exceeded 4 MB');
      if (outcomes.some((o) => !o.ok)) {
        const reasons = outcomes.map((o) =>
          o.ok ? { Code: 'None' } : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(o.item ? { Item: o.item } : {}) },
        );
        const codes = reasons.map((r) => r.Code).join(', ');
        const message = `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`;
        throw Object.assign(new TwinServiceError('TransactionCanceledException', message), { CancellationReasons: reasons });
      }
      writes.forEach((write, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) commit(write, outcome.next);
      });
      return {};
    },
  };

  return {
    model: 'dynamodb',
    clientName: 'DynamoDBClient',
    operations,
    createTable(name, key) {
      if (tables.has(name)) throw new Error(`DynamoDB twin: table ${name} exists already`);
      tables.set(name, { name, key: { ...key, hashType: key.hashType ?? 'S', ...(key.range ? { rangeType: key.rangeType ?? 'S' } : {}) }, items: new Map() });
    },
    items(name) {
      const table = tables.get(name);
      if (!table) throw new Error(`DynamoDB twin: no table ${name}`);
      const order = (a: Item, b: Item) =>
        compareOrdered(a[table.key.hash]!, b[table.key.hash]!) || (table.key.range ? compareOrdered(a[table.key.range]!, b[table.key.range]!)! : 0) || 0;
      return [...table.items.values()].sort(order).map(copyItem);
    },
    toSdkOutput: documentClientOutput,
  };
}

/**
 * For a lib-dynamodb (DocumentClient) command, the output as its `DocumentUnmarshall` middleware would return it:
 * the AttributeValue maps unmarshalled into JS values with the client's `unmarshallOptions`. lib-dynamodb's
 * `DocumentMarshall` marks the call with the `DDB_MAPPER` feature; a low-level command sent through the same
 * client (Powertools sends GetItemCommand through the DocumentClient) keeps its AttributeValues.
 */
function documentClientOutput(_operation: string, output: Record<string, unknown>, call: SdkCall): Record<string, unknown> {
  const features = (call.handlerContext.__aws_sdk_context as { features?: Record<string, unknown> } | undefined)?.features;
  if (!features?.DDB_MAPPER) return output;
  const translate = call.clientConfig.translateConfig as { unmarshallOptions?: Record<string, unknown> } | undefined;
  const options = { ...translate?.unmarshallOptions, convertWithoutMapWrapper: true };
  const native = (item: unknown) =>
    Object.fromEntries(Object.entries(item as Item).map(([name, value]) => [name, unmarshall(value as never, options)]));
  const result = { ...output };
  for (const field of ['Item', 'Attributes', 'LastEvaluatedKey']) {
    if (result[field] !== undefined) result[field] = native(result[field]);
  }
  if (Array.isArray(result.Items)) result.Items = result.Items.map(native);
  return result;
}
