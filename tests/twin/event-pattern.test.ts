/**
 * The twin's EventBridge pattern matcher against EventBridge's documented matching examples. The cases are written
 * from these pages of the Amazon EventBridge User Guide (patterns and events as documented, expectations as the
 * pages state them):
 * - "Content filtering in Amazon EventBridge event patterns":
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 * - "Comparison operators for use in event patterns":
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * - "Matching null values and empty strings":
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 * - "Arrays in Amazon EventBridge event patterns":
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 * and, where the guide defers to it, the README of EventBridge's matching library (github.com/aws/event-ruler:
 * exists on intermediate nodes, arrays of objects, nested `$or`).
 */
import { compileEventPattern, EventPatternError, matchesEventPattern, matchesPattern, type Json } from '../../shared/contracts/event-pattern';

/** The EC2 state-change event of the guide's numeric and complex examples. */
const ec2 = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', 'instance-id': 'i-000000aaaaaa00000', state: 'running' },
};

const withDetail = (detail: Json): Json => ({ ...ec2, detail });

type Case = [string, Json, Json, boolean];

const documented: Case[] = [
  // Prefix matching
  ['prefix on time', { time: [{ prefix: '2017-10-02' }] }, ec2, true],
  ['prefix on time, another day', { time: [{ prefix: '2017-10-03' }] }, ec2, false],
  ['prefix on a European region', { source: ['aws.ec2'], region: [{ prefix: 'eu-' }] }, ec2, false],
  ['prefix only on strings', { detail: { 'c-count': [{ prefix: '5' }] } }, ec2, false],
  ['prefix ignoring case (EVENTB)', { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, withDetail({ service: 'EVENTBRIDGE' }), true],
  ['prefix ignoring case (eventb)', { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, withDetail({ service: 'eventbridge' }), true],
  ['prefix ignoring case, other value', { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, withDetail({ service: 'lambda' }), false],
  // Suffix matching
  ['suffix .png', { FileName: [{ suffix: '.png' }] }, { FileName: 'photo.png' }, true],
  ['suffix .png is case-sensitive', { FileName: [{ suffix: '.png' }] }, { FileName: 'photo.PNG' }, false],
  ['suffix ignoring case', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, withDetail({ FileName: 'photo.PNG' }), true],
  ['suffix ignoring case (tBridge)', { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] }, { service: 'EVENTBRIDGE' }, true],
  // Equals and equals-ignore-case
  ['equals', { Name: ['Alice'] }, { Name: 'Alice' }, true],
  ['equals is case-sensitive', { Name: ['Alice'] }, { Name: 'alice' }, false],
  ['equals-ignore-case', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' }, true],
  ['equals-ignore-case on detail-type', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, ec2, true],
  ['And: both fields', { Location: ['New York'], Day: ['Monday'] }, { Location: 'New York', Day: 'Monday' }, true],
  ['And: one field differs', { Location: ['New York'], Day: ['Monday'] }, { Location: 'New York', Day: 'Tuesday' }, false],
  ['Or within a field', { PaymentType: ['Credit', 'Debit'] }, { PaymentType: 'Debit' }, true],
  // Anything-but matching
  ['anything-but a string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2, true],
  ['anything-but the same string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, withDetail({ state: 'initializing' }), false],
  ['anything-but a number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2, true],
  ['anything-but the same number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, withDetail({ 'x-limit': 123 }), false],
  ['anything-but a list of strings', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, withDetail({ state: 'overloaded' }), false],
  ['anything-but a list of strings, other value', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, ec2, true],
  ['anything-but a list of numbers', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, withDetail({ 'x-limit': 200 }), false],
  ['anything-but a list of numbers, other value', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, ec2, true],
  ['anything-but prefix (init)', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, withDetail({ state: 'initializing' }), false],
  ['anything-but prefix, other value', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ec2, true],
  ['anything-but prefix: region not in the US', { Region: [{ 'anything-but': { prefix: 'us-' } }] }, { Region: 'eu-west-1' }, true],
  ['anything-but suffix .png', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'photo.png' }, false],
  ['anything-but suffix, other extension', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'notes.txt' }, true],
  ['anything-but ignoring case', { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'INITIALIZING' }, false],
  ['anything-but ignoring case, other value', { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { state: 'running' }, true],
  ['anything-but ignoring case, a list', { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] }, { state: 'stopped' }, false],
  ['anything-but wildcard /lib/', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/lib/libc.so' }, false],
  ['anything-but wildcard, other folder', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/bin/env' }, true],
  ['anything-but needs the field', { detail: { weather: [{ 'anything-but': 'Raining' }] } }, ec2, false],
  // Numeric matching
  [
    'numeric: all three fields',
    { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
    ec2,
    true,
  ],
  ['numeric: c-count out of range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, withDetail({ 'c-count': 6 }), false],
  ['numeric: lower bound is open', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, withDetail({ 'c-count': 0 }), false],
  ['numeric only on JSON numbers', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, withDetail({ 'c-count': '5' }), false],
  ['numeric: price is 100', { Price: [{ numeric: ['=', 100] }] }, { Price: 100 }, true],
  ['numeric: more than 10 and at most 20 (20)', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 20 }, true],
  ['numeric: more than 10 and at most 20 (10)', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 10 }, false],
  // IP address matching
  ['cidr 10.0.0.0/24', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, ec2, true],
  ['cidr 10.0.0.0/24, another subnet', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, withDetail({ 'source-ip': '10.0.1.7' }), false],
  ['cidr IPv6', { sourceIPAddress: [{ cidr: '2001:db8::/32' }] }, { sourceIPAddress: '2001:db8:0:0:1::1' }, true],
  ['cidr IPv6 does not match IPv4', { sourceIPAddress: [{ cidr: '2001:db8::/32' }] }, { sourceIPAddress: '10.0.0.1' }, false],
  // Exists matching
  ['exists true with the field', { detail: { state: [{ exists: true }] } }, withDetail({ 'instance-id': 'i-abcd1111', state: 'pending' }), true],
  ['exists true without the field', { detail: { state: [{ exists: true }] } }, withDetail({ 'c-count': { c1: 100 } }), false],
  ['exists false without the field', { detail: { 'c-count': [{ exists: false }] } }, withDetail({ state: 'running' }), true],
  ['exists false on an intermediate node (not a leaf)', { detail: { 'c-count': [{ exists: false }] } }, withDetail({ 'c-count': { c1: 100 } }), true],
  ['exists false on a present leaf', { detail: { 'c-count': [{ exists: false }] } }, ec2, false],
  ['exists false when the parent is absent', { detail: { errorCode: [{ exists: false }] } }, { source: 'aws.ec2' }, true],
  // Null values and empty strings
  ['empty string', { detail: { eventVersion: [''] } }, withDetail({ eventVersion: '', responseElements: null }), true],
  ['null', { detail: { responseElements: [null] } }, withDetail({ eventVersion: '', responseElements: null }), true],
  ['an empty string pattern does not match null', { detail: { responseElements: [''] } }, withDetail({ responseElements: null }), false],
  ['a null pattern does not match an empty string', { detail: { eventVersion: [null] } }, withDetail({ eventVersion: '' }), false],
  ['a null field exists', { detail: { responseElements: [{ exists: true }] } }, withDetail({ responseElements: null }), true],
  // Arrays
  [
    'arrays: the pattern and event arrays intersect',
    {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    true,
  ],
  ['arrays: no common element', { resources: ['arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] }, ec2, false],
  ['arrays: a prefix on any element', { resources: [{ prefix: 'arn:aws:ec2:' }] }, ec2, true],
  [
    'arrays of objects: one element matches',
    { employees: { firstName: ['Anna'] } },
    { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }] },
    true,
  ],
  [
    'arrays of objects: two fields never match from different elements',
    { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    { employees: [{ firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] },
    false,
  ],
  [
    'arrays of arrays of objects',
    { employees: { firstName: ['Peter'] } },
    { employees: [[{ firstName: 'John' }], [{ firstName: 'Peter' }]] },
    true,
  ],
  // Wildcard
  ['wildcard: any png in dir', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/photo.png' }, true],
  ['wildcard: not a png', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/notes.txt' }, false],
  ['wildcard: zero characters', { FileName: [{ wildcard: 'dir/*.png' }] }, { FileName: 'dir/.png' }, true],
  [
    'wildcard: an event bus in any account',
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' },
    true,
  ],
  ['wildcard: an escaped asterisk is literal', { Name: [{ wildcard: 'a\\*b' }] }, { Name: 'a*b' }, true],
  ['wildcard: an escaped asterisk matches only itself', { Name: [{ wildcard: 'a\\*b' }] }, { Name: 'axb' }, false],
  // $or
  [
    '$or: metricName',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    { source: 'aws.cloudwatch', metricName: 'ReadLatency', namespace: 'AWS/RDS' },
    true,
  ],
  [
    '$or: namespace',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    { source: 'aws.cloudwatch', metricName: 'FreeStorageSpace', namespace: 'AWS/ES' },
    true,
  ],
  [
    '$or: neither',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    { source: 'aws.cloudwatch', metricName: 'FreeStorageSpace', namespace: 'AWS/RDS' },
    false,
  ],
  [
    '$or: the And outside still applies',
    { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] },
    { source: 'aws.ec2', metricName: 'CPUUtilization' },
    false,
  ],
  [
    '$or inside detail with numeric alternatives',
    { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] } },
    withDetail({ 'c-count': 50, 'd-count': 50, 'x-limit': 301.8 }),
    true,
  ],
  [
    '$or nested in an alternative (both inner fields required)',
    {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ['Service'] },
      ],
    },
    { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 },
    true,
  ],
  [
    '$or nested: the inner $or fails',
    {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
        { scope: ['Service'] },
      ],
    },
    { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 2000 },
    false,
  ],
  // Complex example with multiple matching
  [
    'complex example',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    },
    ec2,
    true,
  ],
  [
    'complex example, initializing',
    { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': 'initializing' }], 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } },
    withDetail({ state: 'initializing', 'c-count': 5 }),
    false,
  ],
  ['a boolean value', { detail: { enabled: [true] } }, withDetail({ enabled: true }), true],
  ['a boolean is not its string', { detail: { enabled: ['true'] } }, withDetail({ enabled: true }), false],
];

describe('Function: matchesEventPattern (EventBridge documented examples)', () => {
  it.each(documented)('%s', (_, pattern, event, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });
});

describe('Function: compileEventPattern', () => {
  it.each<[string, Json]>([
    ['an unknown operator', { source: [{ regex: '^aws' }] }],
    ['two operators in one matcher', { source: [{ prefix: 'a', suffix: 'b' }] }],
    ['a numeric operator that does not exist', { n: [{ numeric: ['!=', 1] }] }],
    ['a numeric operand out of range', { n: [{ numeric: ['<', 1e12] }] }],
    ['= inside a range', { n: [{ numeric: ['=', 1, '<', 2] }] }],
    ['two lower bounds', { n: [{ numeric: ['>', 1, '>=', 2] }] }],
    ['anything-but over a mixed list', { s: [{ 'anything-but': ['a', 1] }] }],
    ['anything-but numeric', { s: [{ 'anything-but': { numeric: ['>', 1] } }] }],
    ['anything-but null', { s: [{ 'anything-but': null }] }],
    ['consecutive wildcards', { s: [{ wildcard: 'a**b' }] }],
    ['an escape other than \\* or \\\\', { s: [{ wildcard: 'a\\b' }] }],
    ['$or with one alternative', { $or: [{ a: ['x'] }] }],
    ['$or that is not an array', { $or: { a: ['x'] } }],
    ['an empty array', { source: [] }],
    ['a bare value', { source: 'aws.ec2' }],
    ['exists with a string', { s: [{ exists: 'yes' }] }],
    ['an invalid CIDR block', { ip: [{ cidr: '10.0.0.0/33' }] }],
    ['prefix ignoring case with another key', { s: [{ prefix: { 'equals-ignore-case': 'a', other: 1 } }] }],
  ])('refuses %s loudly', (_, pattern) => {
    expect(() => compileEventPattern(pattern)).toThrow(EventPatternError);
  });

  it('names the unsupported operator', () => {
    expect(() => compileEventPattern({ source: [{ regex: '^aws' }] })).toThrow(/Unsupported EventBridge pattern operator \{"regex":"\^aws"\}/);
  });

  it('compiles once and matches many events', () => {
    const isAlarm = compileEventPattern({ detail: { state: { value: [{ 'anything-but': 'OK' }] } } });
    expect([{ detail: { state: { value: 'ALARM' } } }, { detail: { state: { value: 'OK' } } }].map(isAlarm)).toEqual([true, false]);
  });
});

describe('Function: matchesPattern (the catalogue dialect)', () => {
  it.each<[string, Json]>([
    ['suffix', { s: [{ suffix: 'x' }] }],
    ['numeric', { n: [{ numeric: ['>', 1] }] }],
    ['$or', { $or: [{ a: ['x'] }, { b: ['y'] }] }],
    ['prefix ignoring case', { s: [{ prefix: { 'equals-ignore-case': 'a' } }] }],
    ['anything-but prefix', { s: [{ 'anything-but': { prefix: 'a' } }] }],
  ])('refuses %s, which the catalogue does not use', (_, pattern) => {
    expect(() => matchesPattern(pattern, {})).toThrow(/Unsupported EventBridge pattern operator/);
  });

  it('keeps the catalogue operators', () => {
    expect(matchesPattern({ source: [{ prefix: 'aws.' }], detail: { state: [{ 'anything-but': ['x'] }], e: [{ exists: false }] } }, ec2)).toBe(true);
  });
});
