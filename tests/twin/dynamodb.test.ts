/**
 * The DynamoDB twin: its expressions, its operations through real SDK clients (DocumentClient and low-level), and
 * the project's real callers on top of it: the state store, the ledger index and Powertools' idempotency records.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { makeDynamoDbLedgerIndex } from '../../shared/aws/dynamodb-ledger-index';
import { makeDynamoDbStateStore, MAX_RAW_BYTES } from '../../shared/aws/dynamodb-state-store';
import type { GroupStatus, VersionStatus } from '../../shared/lifecycle/model';
import { ConflictError, TerminalError } from '../../shared/runtime/errors';
import { createTwin } from '../../scripts/twin/core/twin';
import { makeDynamoDbTwin } from '../../scripts/twin/services/dynamodb';
import { applyUpdate, evaluate, parseCondition, parseUpdate, Placeholders } from '../../scripts/twin/services/dynamodb-expressions';
import type { AttributeValue, Item } from '../../scripts/twin/services/dynamodb-values';

const TABLE = 'creditai-state';
const REGION = 'eu-west-1';
const noCredentials = async () => {
  throw new Error('the twin must not need credentials');
};

function setup() {
  const dynamodb = makeDynamoDbTwin();
  dynamodb.createTable(TABLE, { hash: 'pk', range: 'sk' });
  const twin = createTwin({ start: '2026-03-01T09:00:00.000Z', account: '123456789012', region: REGION, services: [dynamodb] });
  const low = new DynamoDBClient({ region: REGION, credentials: noCredentials });
  // As shared/aws/clients.ts builds it.
  const doc = DynamoDBDocumentClient.from(low, { marshallOptions: { removeUndefinedValues: true } });
  twin.install(doc);
  return { dynamodb, twin, doc, low };
}

describe('the DynamoDB twin beneath the SDK', () => {
  it('sees a DocumentClient as DynamoDBClient with marshalled input, and answers it with native values', async () => {
    // Prepare
    const { twin, doc, dynamodb } = setup();
    // Act
    await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'GROUP#g', sk: 'STATUS', revision: 1, skipped: undefined } }));
    const got = await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'GROUP#g', sk: 'STATUS' } }));
    // Assess
    expect(twin.calls[0]).toEqual({
      service: 'dynamodb',
      operation: 'PutItem',
      input: { TableName: TABLE, Item: { pk: { S: 'GROUP#g' }, sk: { S: 'STATUS' }, revision: { N: '1' } } },
    });
    expect(got.Item).toEqual({ pk: 'GROUP#g', sk: 'STATUS', revision: 1 });
    expect(dynamodb.items(TABLE)).toEqual([{ pk: { S: 'GROUP#g' }, sk: { S: 'STATUS' }, revision: { N: '1' } }]);
  });

  it('keeps AttributeValues for a low-level command, also when sent through the DocumentClient', async () => {
    const { doc, low } = setup();
    await low.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'a' }, sk: { S: 'b' }, n: { N: '1.50' } } }));
    const viaDoc = await doc.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'a' }, sk: { S: 'b' } } }));
    const viaLow = await low.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'a' }, sk: { S: 'b' } } }));
    // Numbers are stored in DynamoDB's canonical form.
    expect(viaDoc.Item).toEqual({ pk: { S: 'a' }, sk: { S: 'b' }, n: { N: '1.5' } });
    expect(viaLow.Item).toEqual(viaDoc.Item);
  });
});

describe('condition expressions', () => {
  const item: Item = {
    pk: { S: 'GROUP#g' },
    sk: { S: 'STATUS' },
    revision: { N: '10' },
    name: { S: 'alpha' },
    tags: { SS: ['a', 'b'] },
    expiry: { N: '1000' },
    state: { S: 'INPROGRESS' },
  };
  const names = { '#r': 'revision', '#n': 'name', '#missing': 'missing', '#t': 'tags', '#id': 'pk', '#expiry': 'expiry', '#status': 'state', '#ipe': 'inProgressExpiry' };
  const values: Record<string, AttributeValue> = {
    ':ten': { N: '10.0' },
    ':nine': { N: '9' },
    ':eleven': { N: '11' },
    ':tenString': { S: '10' },
    ':a': { S: 'A' },
    ':z': { S: 'Z' },
    ':st': { S: 'STA' },
    ':alpha': { S: 'alpha' },
    ':ba': { SS: ['b', 'a'] },
    ':now': { N: '999.5' },
    ':later': { N: '1000.5' },
    ':inprogress': { S: 'INPROGRESS' },
  };
  const evaluateOn = (on: Item | undefined, expression: string) => evaluate(parseCondition(expression, 'ConditionExpression', new Placeholders(names, values)), on);
  const check = (expression: string) => evaluateOn(item, expression);

  it.each([
    ['attribute_exists(pk)', true],
    ['attribute_not_exists(pk)', false],
    ['attribute_not_exists(#missing)', true],
    ['#r = :ten', true], // numbers compare by value: 10 = 10.0
    ['#r <> :ten', false],
    ['#r > :nine', true], // numerically, not as strings ("10" < "9")
    ['#r < :nine', false],
    ['#r <= :ten', true],
    ['#r >= :eleven', false],
    ['#r = :tenString', false], // another type is never equal …
    ['#r <> :tenString', true],
    ['#r > :tenString', false], // … nor ordered
    ['#missing = :ten', false],
    ['#missing <> :ten', true], // an absent attribute is not equal to anything
    ['#missing < :ten', false],
    ['sk BETWEEN :a AND :z', true],
    ['#r BETWEEN :nine AND :eleven', true],
    ['#r BETWEEN :eleven AND :eleven', false],
    ['begins_with(sk, :st)', true],
    ['begins_with(pk, :st)', false],
    ['begins_with(#missing, :st)', false],
    ['#n = :alpha', true],
    ['#t = :ba', true], // sets regardless of order
    ['NOT attribute_exists(pk) OR #r = :ten', true], // NOT binds tighter than OR
    ['NOT (attribute_exists(pk) OR #r = :ten)', false],
    ['attribute_not_exists(pk) AND #r = :nine OR #r = :ten', true], // AND binds tighter than OR
    ['attribute_not_exists(pk) AND (#r = :nine OR #r = :ten)', false],
    ['attribute_exists(pk) and not #r = :nine', true], // keywords in any case
    // Powertools' idempotency condition, as DynamoDBPersistenceLayer sends it.
    ['attribute_not_exists(#id) OR #expiry < :now OR (#status = :inprogress AND attribute_exists(#ipe) AND #ipe < :now)', false],
    ['attribute_not_exists(#id) OR #expiry < :later OR (#status = :inprogress AND attribute_exists(#ipe) AND #ipe < :now)', true],
  ])('%s → %s', (expression, expected) => {
    expect(check(expression)).toBe(expected);
  });

  it('evaluates against a missing item as an item without attributes', () => {
    expect(evaluateOn(undefined, 'attribute_not_exists(pk)')).toBe(true);
    expect(evaluateOn(undefined, '#r = :ten')).toBe(false);
  });

  it.each([
    ['', 'ValidationException', /The expression can not be empty/],
    ['pk = ', 'ValidationException', /Syntax error; token: "<EOF>"/],
    ['pk == :ten', 'ValidationException', /Syntax error; token: "="/],
    ['pk $ :ten', 'ValidationException', /Syntax error; token: "\$"/],
    ['(pk = :ten', 'ValidationException', /Syntax error; token: "<EOF>"/],
    ['pk = :undefined', 'ValidationException', /An expression attribute value used in expression is not defined; attribute value: :undefined/],
    ['#undefined = :ten', 'ValidationException', /An expression attribute name used in the document path is not defined; attribute name: #undefined/],
    ['status = :ten', 'ValidationException', /Attribute name is a reserved keyword; reserved keyword: status/],
    ['foo(pk)', 'ValidationException', /Invalid function name; function: foo/],
    ['pk = if_not_exists(sk, :ten)', 'ValidationException', /not allowed to be used this way/],
    ['contains(pk, :a)', 'Error', /does not support the function contains\(\)/],
    ['pk IN (:a, :z)', 'Error', /does not support the IN operator/],
    ['size(pk) > :ten', 'Error', /does not support the function size\(\)/],
    ['a.b = :ten', 'Error', /does not support nested attribute paths/],
    ['a[0] = :ten', 'Error', /does not support nested attribute paths/],
  ])('%j is refused (%s)', (expression, name, message) => {
    const parse = () => parseCondition(expression, 'ConditionExpression', new Placeholders(names, values));
    expect(parse).toThrow(message);
    expect(() => parse()).toThrow(expect.objectContaining({ name }));
  });

  it('refuses a literal that cannot be ordered, as DynamoDB does', () => {
    const refs = new Placeholders(undefined, { ':yes': { BOOL: true } });
    expect(() => evaluate(parseCondition('pk < :yes', 'ConditionExpression', refs), item)).toThrow(/Incorrect operand type for operator or function; operator: <, operand type: BOOL/);
  });
});

describe('update expressions', () => {
  const names = { '#r': 'revision', '#req': 'request' };
  const values: Record<string, AttributeValue> = {
    ':zero': { N: '0' },
    ':one': { N: '1' },
    ':req': { S: 'rollback' },
    ':tenth': { N: '0.1' },
    ':fifth': { N: '0.2' },
    ':s': { S: 'x' },
  };
  const update = (expression: string, item: Item) => applyUpdate(parseUpdate(expression, new Placeholders(names, values)), item);
  const key: Item = { pk: { S: 'g' }, sk: { S: 'STATUS' } };

  it('SETs with if_not_exists and arithmetic, and REMOVEs, reading the item as it was before', () => {
    const expression = 'SET #req = :req, #r = if_not_exists(#r, :zero) + :one, copy = #r REMOVE gone';
    expect(update(expression, { ...key, revision: { N: '10' }, gone: { S: 'x' } })).toEqual({ ...key, revision: { N: '11' }, request: { S: 'rollback' }, copy: { N: '10' } });
    expect(() => update(expression, key)).toThrow(/refers to an attribute that does not exist in the item/);
    expect(update('SET #r = if_not_exists(#r, :zero) + :one', key)).toEqual({ ...key, revision: { N: '1' } });
  });

  it('computes numbers exactly', () => {
    expect(update('SET n = :tenth + :fifth, m = :tenth - :fifth', key)).toEqual({ ...key, n: { N: '0.3' }, m: { N: '-0.1' } });
  });

  it.each([
    ['SET a = :one SET b = :one', /The "SET" section can only be used once/],
    ['SET a = :one REMOVE a', /Two document paths overlap/],
    ['SET a = :s + :one', /An operand in the update expression has an incorrect data type/],
    ['SET a = :one,', /Syntax error/],
    ['UPDATE a = :one', /Syntax error; token: "UPDATE"/],
    ['ADD a :one', /does not support the ADD clause/],
    ['SET a = list_append(a, :one)', /does not support the function list_append\(\)/],
  ])('%j is refused', (expression, message) => {
    expect(() => update(expression, { ...key, a: { N: '1' } })).toThrow(message);
  });
});

describe('DynamoDB twin operations', () => {
  it('conditional puts: the second attribute_not_exists put fails with the SDK exception and the old item when asked', async () => {
    // Prepare
    const { doc, low } = setup();
    const put = (n: number) => new PutCommand({ TableName: TABLE, Item: { pk: 'p', sk: 's', n }, ConditionExpression: 'attribute_not_exists(pk)' });
    await doc.send(put(1));
    // Act
    const again = doc.send(put(2));
    const withOld = low.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { pk: { S: 'p' }, sk: { S: 's' } },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    // Assess
    await expect(again).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(again).rejects.toMatchObject({ message: 'The conditional request failed', $fault: 'client' });
    await expect(withOld).rejects.toMatchObject({ name: 'ConditionalCheckFailedException', Item: { pk: { S: 'p' }, sk: { S: 's' }, n: { N: '1' } } });
    expect((await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'p', sk: 's' } }))).Item).toEqual({ pk: 'p', sk: 's', n: 1 });
  });

  it('returns ALL_OLD, ALL_NEW and UPDATED_* values, unmarshalled for the DocumentClient', async () => {
    const { doc } = setup();
    const Key = { pk: 'p', sk: 's' };
    const first = await doc.send(new PutCommand({ TableName: TABLE, Item: { ...Key, a: 1, b: 'x' }, ReturnValues: 'ALL_OLD' }));
    const replaced = await doc.send(new PutCommand({ TableName: TABLE, Item: { ...Key, a: 2, b: 'x' }, ReturnValues: 'ALL_OLD' }));
    const inc = { TableName: TABLE, Key, UpdateExpression: 'SET a = a + :one', ExpressionAttributeValues: { ':one': 1 } };
    const allNew = await doc.send(new UpdateCommand({ ...inc, ReturnValues: 'ALL_NEW' }));
    const updatedOld = await doc.send(new UpdateCommand({ ...inc, ReturnValues: 'UPDATED_OLD' }));
    const deleted = await doc.send(new DeleteCommand({ TableName: TABLE, Key, ConditionExpression: 'a = :four', ExpressionAttributeValues: { ':four': 4 }, ReturnValues: 'ALL_OLD' }));
    expect(first.Attributes).toBeUndefined();
    expect(replaced.Attributes).toEqual({ ...Key, a: 1, b: 'x' });
    expect(allNew.Attributes).toEqual({ ...Key, a: 3, b: 'x' });
    expect(updatedOld.Attributes).toEqual({ a: 3 });
    expect(deleted.Attributes).toEqual({ ...Key, a: 4, b: 'x' });
    expect((await doc.send(new GetCommand({ TableName: TABLE, Key }))).Item).toBeUndefined();
  });

  it('creates the item on an update of a missing key, with the key attributes', async () => {
    const { doc } = setup();
    await doc.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: 'p', sk: 's' },
        UpdateExpression: 'SET #r = if_not_exists(#r, :zero) + :one',
        ExpressionAttributeNames: { '#r': 'revision' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
      }),
    );
    expect((await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'p', sk: 's' } }))).Item).toEqual({ pk: 'p', sk: 's', revision: 1 });
  });

  it.each([
    [
      'an unused attribute value',
      new PutCommand({ TableName: TABLE, Item: { pk: 'p', sk: 's' }, ConditionExpression: 'attribute_not_exists(pk)', ExpressionAttributeValues: { ':x': 1 } }),
      /unused in expressions: keys: \{:x\}/,
    ],
    [
      'values without an expression',
      new PutCommand({ TableName: TABLE, Item: { pk: 'p', sk: 's' }, ExpressionAttributeValues: { ':x': 1 } }),
      /ExpressionAttributeValues can only be specified when using expressions/,
    ],
    ['a key without its sort key', new GetCommand({ TableName: TABLE, Key: { pk: 'p' } }), /The provided key element does not match the schema/],
    ['a key with an extra attribute', new GetCommand({ TableName: TABLE, Key: { pk: 'p', sk: 's', x: 1 } }), /does not match the schema/],
    ['a key of the wrong type', new GetCommand({ TableName: TABLE, Key: { pk: 'p', sk: 1 } }), /does not match the schema/],
    ['an item without its sort key', new PutCommand({ TableName: TABLE, Item: { pk: 'p' } }), /Missing the key sk in the item/],
    ['an empty string key', new PutCommand({ TableName: TABLE, Item: { pk: 'p', sk: '' } }), /cannot contain an empty string value. Key: sk/],
    [
      'an update of a key attribute',
      new UpdateCommand({ TableName: TABLE, Key: { pk: 'p', sk: 's' }, UpdateExpression: 'SET sk = :x', ExpressionAttributeValues: { ':x': 't' } }),
      /Cannot update attribute sk. This attribute is part of the key/,
    ],
    ['an item over 400 KB', new PutCommand({ TableName: TABLE, Item: { pk: 'p', sk: 's', blob: 'x'.repeat(400 * 1024) } }), /Item size has exceeded the maximum allowed size/],
    ['an empty set', new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'p' }, sk: { S: 's' }, tags: { SS: [] } } }), /An string set {2}may not be empty/],
    ['a number that is not one', new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'p' }, sk: { S: 's' }, n: { N: '1.2.3' } } }), /cannot be converted into a number/],
    ['a set with duplicates', new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'p' }, sk: { S: 's' }, ns: { NS: ['1', '1.0'] } } }), /Input collection contains duplicates/],
    ['ReturnValues ALL_NEW on a put', new PutCommand({ TableName: TABLE, Item: { pk: 'p', sk: 's' }, ReturnValues: 'ALL_NEW' }), /Return values set to invalid value/],
    [
      'a value the model does not allow',
      new PutCommand({ TableName: TABLE, Item: { pk: 'p', sk: 's' }, ReturnValues: 'EVERYTHING' as never }),
      /PutItem.ReturnValues: "EVERYTHING" is not one of/,
    ],
  ])('refuses %s with ValidationException', async (_what, command, message) => {
    const { doc } = setup();
    const sent = doc.send(command as never);
    await expect(sent).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(sent).rejects.toThrow(message);
  });

  it('answers a missing table with ResourceNotFoundException and an unsupported parameter with a loud Error', async () => {
    const { doc } = setup();
    await expect(doc.send(new GetCommand({ TableName: 'nope-table', Key: { pk: 'p', sk: 's' } }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const projected = doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'p', sk: 's' }, ProjectionExpression: 'pk' }));
    await expect(projected).rejects.toThrow('The DynamoDB twin does not support GetItem.ProjectionExpression; extend scripts/twin/services/dynamodb.ts');
  });
});

describe('Query', () => {
  async function seeded() {
    const context = setup();
    for (const sk of ['A#1', 'A#2', 'A#3', 'A#4', 'A#5', 'B#1', 'STATUS', 'VERSION#0000000001']) {
      await context.doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'G', sk } }));
    }
    await context.doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'OTHER', sk: 'A#1' } }));
    return context;
  }
  const query = (doc: DynamoDBDocumentClient, expression: string, values: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    doc.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: expression, ExpressionAttributeValues: values, ...extra }));
  const sks = (items: Record<string, unknown>[] | undefined) => (items ?? []).map((item) => item.sk);

  it.each([
    ['pk = :pk', {}, ['A#1', 'A#2', 'A#3', 'A#4', 'A#5', 'B#1', 'STATUS', 'VERSION#0000000001']],
    ['pk = :pk AND begins_with(sk, :p)', { ':p': 'A#' }, ['A#1', 'A#2', 'A#3', 'A#4', 'A#5']],
    ['pk = :pk AND sk >= :from', { ':from': 'STATUS' }, ['STATUS', 'VERSION#0000000001']],
    ['sk < :to AND pk = :pk', { ':to': 'A#3' }, ['A#1', 'A#2']],
    ['pk = :pk AND sk BETWEEN :a AND :b', { ':a': 'A#2', ':b': 'B#1' }, ['A#2', 'A#3', 'A#4', 'A#5', 'B#1']],
    ['pk = :pk AND sk = :s', { ':s': 'B#1' }, ['B#1']],
  ])('%s %j', async (expression, values, expected) => {
    const { doc } = await seeded();
    const out = await query(doc, expression, { ':pk': 'G', ...values });
    expect(sks(out.Items)).toEqual(expected);
    expect(out.Count).toBe(expected.length);
    expect(out.LastEvaluatedKey).toBeUndefined();
  });

  it('reads backwards with ScanIndexForward false', async () => {
    const { doc } = await seeded();
    const out = await query(doc, 'pk = :pk AND begins_with(sk, :p)', { ':pk': 'G', ':p': 'A#' }, { ScanIndexForward: false });
    expect(sks(out.Items)).toEqual(['A#5', 'A#4', 'A#3', 'A#2', 'A#1']);
  });

  it.each([
    [true, [['A#1', 'A#2'], ['A#3', 'A#4'], ['A#5']]],
    [false, [['A#5', 'A#4'], ['A#3', 'A#2'], ['A#1']]],
  ])('pages with Limit and ExclusiveStartKey (forward: %s)', async (forward, expected) => {
    // Prepare
    const { doc } = await seeded();
    const pages: unknown[][] = [];
    let start: Record<string, unknown> | undefined;
    // Act
    do {
      const out = await query(doc, 'pk = :pk AND begins_with(sk, :p)', { ':pk': 'G', ':p': 'A#' }, { Limit: 2, ExclusiveStartKey: start, ScanIndexForward: forward });
      pages.push(sks(out.Items));
      start = out.LastEvaluatedKey;
    } while (start && pages.length < 10);
    // Assess
    expect(pages).toEqual(expected);
  });

  it('hands back LastEvaluatedKey when Limit is reached exactly at the last item', async () => {
    const { doc } = await seeded();
    const first = await query(doc, 'pk = :pk AND begins_with(sk, :p)', { ':pk': 'G', ':p': 'B#' }, { Limit: 1 });
    expect(first.LastEvaluatedKey).toEqual({ pk: 'G', sk: 'B#1' });
    const next = await query(doc, 'pk = :pk AND begins_with(sk, :p)', { ':pk': 'G', ':p': 'B#' }, { Limit: 1, ExclusiveStartKey: first.LastEvaluatedKey });
    expect(next.Items).toEqual([]);
    expect(next.LastEvaluatedKey).toBeUndefined();
  });

  it('stops a page at 1 MB', async () => {
    const { doc } = setup();
    for (let i = 1; i <= 6; i++) await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'BIG', sk: `#${i}`, blob: 'x'.repeat(300 * 1024) } }));
    const first = await query(doc, 'pk = :pk', { ':pk': 'BIG' });
    const second = await query(doc, 'pk = :pk', { ':pk': 'BIG' }, { ExclusiveStartKey: first.LastEvaluatedKey });
    expect([sks(first.Items), sks(second.Items)]).toEqual([['#1', '#2', '#3', '#4'], ['#5', '#6']]);
    expect(second.LastEvaluatedKey).toBeUndefined();
  });

  it.each([
    ['sk = :pk', /Query condition missed key schema element: pk/],
    ['pk = :pk OR sk = :pk', /Invalid operator used in KeyConditionExpression: OR/],
    ['pk = :pk AND other = :pk', /Query key condition not supported/],
    ['pk = :pk AND sk <> :pk', /Unsupported operator on KeyConditionExpression/],
    ['pk = :n', /Condition parameter type does not match schema type/],
  ])('refuses the key condition %j', async (expression, message) => {
    const { doc } = setup();
    const values = expression.includes(':n') ? { ':n': 1 } : { ':pk': 'G' };
    await expect(query(doc, expression, values)).rejects.toThrow(message);
  });
});

describe('TransactWriteItems', () => {
  const put = (sk: string, extra: Record<string, unknown> = {}) => ({ Put: { TableName: TABLE, Item: { pk: 'T', sk }, ...extra } });

  it('applies Put, Update, Delete and ConditionCheck together', async () => {
    // Prepare
    const { doc, dynamodb } = setup();
    await doc.send(new TransactWriteCommand({ TransactItems: [put('counter'), put('doomed'), put('guard')] }));
    // Act
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          put('new', { ConditionExpression: 'attribute_not_exists(pk)' }),
          {
            Update: {
              TableName: TABLE,
              Key: { pk: 'T', sk: 'counter' },
              UpdateExpression: 'SET n = if_not_exists(n, :zero) + :one',
              ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
            },
          },
          { Delete: { TableName: TABLE, Key: { pk: 'T', sk: 'doomed' } } },
          { ConditionCheck: { TableName: TABLE, Key: { pk: 'T', sk: 'guard' }, ConditionExpression: 'attribute_exists(pk)' } },
        ],
      }),
    );
    // Assess
    expect(dynamodb.items(TABLE).map((item) => [item.sk!.S, item.n?.N])).toEqual([
      ['counter', '1'],
      ['guard', undefined],
      ['new', undefined],
    ]);
  });

  it('rolls every write back when one condition fails, with CancellationReasons the SDK exposes', async () => {
    // Prepare
    const { doc, dynamodb } = setup();
    await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'T', sk: 'STATUS', revision: 2 } }));
    const before = dynamodb.items(TABLE);
    // Act
    const sent = doc.send(
      new TransactWriteCommand({
        TransactItems: [
          put('VERSION#1'),
          put('STATUS', {
            ConditionExpression: '#r = :expected',
            ExpressionAttributeNames: { '#r': 'revision' },
            ExpressionAttributeValues: { ':expected': 1 },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
          { Update: { TableName: TABLE, Key: { pk: 'T', sk: 'other' }, UpdateExpression: 'SET x = :one', ExpressionAttributeValues: { ':one': 1 } } },
        ],
      }),
    );
    // Assess
    await expect(sent).rejects.toBeInstanceOf(TransactionCanceledException);
    await expect(sent).rejects.toMatchObject({
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]',
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: { S: 'T' }, sk: { S: 'STATUS' }, revision: { N: '2' } } },
        { Code: 'None' },
      ],
    });
    expect(dynamodb.items(TABLE)).toEqual(before);
  });

  it('refuses two operations on one item and an entry that is not exactly one operation', async () => {
    const { doc } = setup();
    await expect(doc.send(new TransactWriteCommand({ TransactItems: [put('x'), { Delete: { TableName: TABLE, Key: { pk: 'T', sk: 'x' } } }] }))).rejects.toThrow(
      'Transaction request cannot include multiple operations on one item',
    );
    await expect(doc.send(new TransactWriteCommand({ TransactItems: [{ ...put('x'), Delete: { TableName: TABLE, Key: { pk: 'T', sk: 'y' } } }] }))).rejects.toThrow(
      /must set exactly one of Put, Update, Delete, ConditionCheck/,
    );
  });
});

describe('the real state store over the twin', () => {
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
  const GROUP = 'credit-card-acme';

  it('loads what it saved, bumps the revision, and refuses a save from a stale revision with ConflictError', async () => {
    // Prepare
    const { doc } = setup();
    const store = makeDynamoDbStateStore(doc, { tableName: TABLE });
    const empty = await store.load(GROUP);
    // Act
    await store.save({ ...empty, versions: [version(1), version(2, { reason: 'newer' })] }, empty);
    const first = await store.load(GROUP);
    const next: GroupStatus = { ...first, versions: [first.versions[0]!, { ...first.versions[1]!, phase: 'Gated', transitions: 2 }] };
    await store.save(next, first);
    const stale = store.save({ ...first, versions: [{ ...first.versions[0]!, phase: 'Rejected' }, first.versions[1]!] }, first);
    // Assess
    expect(empty).toEqual({ group: GROUP, revision: 0, versions: [], conditions: [] });
    expect(first).toEqual({ group: GROUP, revision: 1, versions: [version(1), version(2, { reason: 'newer' })], conditions: [] });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    const last = await store.load(GROUP);
    expect(last.revision).toBe(2);
    expect(last.versions.map((v) => v.phase)).toEqual(['Registered', 'Gated']);
  });

  it('refuses a first save when another writer got there first', async () => {
    const { doc } = setup();
    const store = makeDynamoDbStateStore(doc, { tableName: TABLE });
    const empty = await store.load(GROUP);
    await store.save({ ...empty, versions: [version(1)] }, empty);
    await expect(store.save({ ...empty, versions: [version(1, { phase: 'Gated' })] }, empty)).rejects.toBeInstanceOf(ConflictError);
  });

  it('reads every page of a status larger than 1 MB', async () => {
    const { doc, twin } = setup();
    const store = makeDynamoDbStateStore(doc, { tableName: TABLE });
    const empty = await store.load(GROUP);
    const versions = Array.from({ length: 12 }, (_, i) => version(i + 1, { reason: 'r'.repeat(100 * 1024) }));
    await store.save({ ...empty, versions }, empty);
    const loaded = await store.load(GROUP);
    expect(loaded.versions.map((v) => v.version)).toEqual(versions.map((v) => v.version));
    expect(twin.calls.filter((c) => c.operation === 'Query').length).toBeGreaterThan(2);
  });

  it('records a challenge request, round-trips a running experiment and records its verdict once', async () => {
    // Prepare
    const { doc } = setup();
    const store = makeDynamoDbStateStore(doc, { tableName: TABLE });
    const challengeRequest = { version: 2, sharePercent: 10, by: 'alice', reason: 'bureau v2', at: '2026-03-01T13:00:00.000Z' };
    const experiment = {
      version: 2,
      championVersion: 1,
      sharePercent: 10,
      startedAt: '2026-03-01T13:01:00.000Z',
      endpointConfigName: 'credit-card-acme-v1-prod-0a1b2c3d',
      plan: { challengerShare: 0.1, championDefaultRate: 0.05, minimumDetectableEffect: 0.01 },
    };
    const verdict = { decision: 'stop-harm' as const, reason: 'worse', lookAt: '2026-03-02T13:00:00.000Z', champion: { units: 900, events: 45 }, challenger: { units: 100, events: 15 } };
    // Act
    await store.requestChallenge(GROUP, challengeRequest);
    const requested = await store.load(GROUP);
    await store.save({ ...requested, experiment, challengeRequest: undefined }, requested);
    const first = await store.recordExperimentVerdict(GROUP, 2, { ...verdict });
    const again = await store.recordExperimentVerdict(GROUP, 2, { ...verdict, decision: 'keep-champion' });
    const otherVersion = await store.recordExperimentVerdict(GROUP, 3, verdict);
    // Assess
    expect(requested).toMatchObject({ revision: 1, challengeRequest });
    expect([first, again, otherVersion]).toEqual([true, false, false]);
    expect(await store.load(GROUP)).toEqual({ group: GROUP, revision: 3, versions: [], conditions: [], experiment: { ...experiment, verdict } });
  });

  it('requests a rollback with a revision bump, records approval evidence once, guards endpoint ownership', async () => {
    // Prepare
    const { doc } = setup();
    const store = makeDynamoDbStateStore(doc, { tableName: TABLE });
    const evidence = {
      modelGroup: GROUP,
      version: 2,
      modelPackageArn: 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/credit-card-acme/2',
      change: 'Approved',
      principalArn: 'arn:aws:iam::123456789012:user/alice',
      at: '2026-03-01T12:00:00.000Z',
      eventId: 'e-1',
    };
    // Act
    await store.requestRollback(GROUP, { by: 'alice', reason: 'p99', at: '2026-03-01T13:00:00.000Z' });
    await store.recordApprovalEvidence(evidence);
    await store.recordApprovalEvidence(evidence);
    await store.registerEndpoint('Credit-Prod', GROUP);
    await store.registerEndpoint('credit-prod', GROUP);
    await store.putPolicy(GROUP, { production: { approval: 'manual' } });
    const raw = 'y'.repeat(MAX_RAW_BYTES + 50_000);
    await store.recordRejectedEvent({ eventId: 'r-1', source: 'aws.sagemaker', detailType: 'x', reason: 'bad', receivedAt: '2026-03-01T14:00:00.000Z', raw });
    // Assess
    const rollbackRequest = { by: 'alice', reason: 'p99', at: '2026-03-01T13:00:00.000Z' };
    expect(await store.load(GROUP)).toEqual({ group: GROUP, revision: 1, versions: [], conditions: [], rollbackRequest });
    expect(await store.approvalEvidence(GROUP, 2)).toEqual([evidence]);
    await expect(store.registerEndpoint('credit-prod', 'another-group')).rejects.toBeInstanceOf(TerminalError);
    expect(await store.groupOfEndpoint('CREDIT-PROD')).toBe(GROUP);
    expect(await store.listGroups()).toEqual([GROUP]);
    expect(await store.policyOverrides(GROUP)).toEqual({ production: { approval: 'manual' } });
  });
});

describe('the real ledger index over the twin', () => {
  it('moves the head one writer at a time and indexes events with it, both or neither', async () => {
    // Prepare
    const { doc } = setup();
    const index = makeDynamoDbLedgerIndex(doc, { tableName: TABLE });
    // Act / Assess
    expect(await index.advance('g', { sequence: 0, hash: 'h0', eventKey: 'genesis' }, undefined)).toBe('advanced');
    expect(await index.advance('g', { sequence: 0, hash: 'other' }, undefined)).toBe('conflict');
    expect(await index.advance('g', { sequence: 1, hash: 'h1' }, 0)).toBe('advanced');
    expect(await index.advance('g', { sequence: 2, hash: 'h2' }, 0)).toBe('conflict');
    // The event is indexed already: the head must not move either.
    expect(await index.advance('g', { sequence: 2, hash: 'h2', eventKey: 'genesis' }, 1)).toBe('conflict');
    expect(await index.head('g')).toEqual({ sequence: 1, hash: 'h1' });
    expect(await index.find('g', 'genesis')).toEqual({ sequence: 0 });
    expect(await index.find('g', 'unknown')).toBeUndefined();
  });
});

describe("Powertools' idempotency records over the twin", () => {
  afterEach(() => jest.restoreAllMocks());

  it('runs the first call, answers a duplicate from the stored record, and runs again once the record expired', async () => {
    // Prepare: as shared/aws/wiring/notify.ts builds it.
    const { doc, dynamodb } = setup();
    const persistenceStore = new DynamoDBPersistenceLayer({ tableName: TABLE, keyAttr: 'pk', sortKeyAttr: 'sk', staticPkValue: 'IDEMPOTENCY#notify', awsSdkV3Client: doc as never });
    const send = jest.fn(async (payload: { key: string; n: number }) => ({ sent: payload.n }));
    const config = new IdempotencyConfig({ eventKeyJmesPath: 'key', expiresAfterSeconds: 60 });
    // As the notify handler does: bounds the in-progress record by the invocation's remaining time.
    config.registerLambdaContext({ getRemainingTimeInMillis: () => 30_000 } as never);
    const sendOnce = makeIdempotent(send, { persistenceStore, config });
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    // Act
    const first = await sendOnce({ key: 'k1', n: 1 });
    const duplicate = await sendOnce({ key: 'k1', n: 2 });
    clock.mockReturnValue(now + 61_000);
    const afterExpiry = await sendOnce({ key: 'k1', n: 3 });
    // Assess
    expect([first, duplicate, afterExpiry]).toEqual([{ sent: 1 }, { sent: 1 }, { sent: 3 }]);
    expect(send).toHaveBeenCalledTimes(2);
    const records = dynamodb.items(TABLE);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ pk: { S: 'IDEMPOTENCY#notify' }, status: { S: 'COMPLETED' }, data: { M: { sent: { N: '3' } } } });
  });
});
