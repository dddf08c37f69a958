import type { SmokeTestLimits } from '../../../shared/lifecycle/actions';
import type { SmokeTestResult } from '../../../shared/lifecycle/model';
import { type SmokeResponse, judgeSmokeTest, parseScores, withSmokeTest } from '../../../shared/lifecycle/smoke-test';
import { GROUP, NOW, aVersion, configOf } from '../../support/lifecycle-fixtures';

const LIMITS: SmokeTestLimits = { maxLatencyMs: 200, minScore: 0, maxScore: 1 };
const CONFIG = configOf(3, 'staging');

const ok = (body: string, sent: number, latencyMs = 84): SmokeResponse => ({ sent, latencyMs, body, failed: false });
const failedCall = (body: string): SmokeResponse => ({ sent: 3, latencyMs: 1500, body, failed: true });

describe('Function: parseScores', () => {
  it.each<[string, string, number[]]>([
    ['newline-separated scores', '0.12\n0.47\n0.08', [0.12, 0.47, 0.08]],
    ['comma-separated scores with blanks and a trailing newline', ' 0.5 , 0.6,\n', [0.5, 0.6]],
    ['integers, negatives and exponents', '1\n-0.2\n3.5e-2', [1, -0.2, 0.035]],
    ['an empty body', '', []],
  ])('reads %s', (_, body, scores) => {
    expect(parseScores(body)).toEqual(scores);
  });

  it.each([['a JSON object', '{"score":0.3}'], ['a word', 'error'], ['a leading dot', '.5']])('reads %s as NaN', (_, body) => {
    expect(parseScores(body).every(Number.isNaN)).toBe(true);
  });
});

describe('Function: judgeSmokeTest', () => {
  type Check = { name: string; passed: boolean; message: string };
  const check = (name: string, passed: boolean, message: string): Check => ({ name, passed, message });

  it.each<[string, SmokeResponse[], boolean, Check[]]>([
    [
      'passes every check when each call answers one in-range score per application in time',
      [ok('0.12\n0.47\n0.08', 3), ok('0.91', 1, 131.4)],
      true,
      [
        check('invocations', true, '2 call(s) answered'),
        check('response-schema', true, 'One score per application'),
        check('score-range', true, '4 score(s) in [0, 1]'),
        check('latency', true, 'Slowest call 131 ms (limit 200 ms)'),
      ],
    ],
    [
      'fails when no sample was sent',
      [],
      false,
      [check('invocations', false, 'No sample was sent'), check('response-schema', false, 'One score per application'), check('score-range', false, '0 score(s) in [0, 1]'), check('latency', true, 'Slowest call 0 ms (limit 200 ms)')],
    ],
    [
      'fails invocations with the first error when a call failed',
      [ok('0.12\n0.47\n0.08', 3), failedCall('ModelError: Received server error (500) from primary with message "feature count mismatch"')],
      false,
      [
        check('invocations', false, '1 call(s) failed: ModelError: Received server error (500) from primary with message "feature count mismatch"'),
        check('response-schema', true, 'One score per application'),
        check('score-range', true, '3 score(s) in [0, 1]'),
        check('latency', false, 'Slowest call 1500 ms (limit 200 ms)'),
      ],
    ],
    [
      'fails the schema when a response has fewer scores than applications',
      [ok('0.12\n0.47', 3)],
      false,
      [check('invocations', true, '1 call(s) answered'), check('response-schema', false, '1 response(s) without one score per application'), check('score-range', true, '2 score(s) in [0, 1]'), check('latency', true, 'Slowest call 84 ms (limit 200 ms)')],
    ],
    [
      'fails the range with an example when a score is outside [min, max]',
      [ok('0.12\n1.7\n0.08', 3)],
      false,
      [check('invocations', true, '1 call(s) answered'), check('response-schema', true, 'One score per application'), check('score-range', false, '1 score(s) outside [0, 1], e.g. 1.7'), check('latency', true, 'Slowest call 84 ms (limit 200 ms)')],
    ],
    [
      'fails the range when a score is not a number',
      [ok('{"score":0.3}', 1)],
      false,
      [check('invocations', true, '1 call(s) answered'), check('response-schema', true, 'One score per application'), check('score-range', false, '1 score(s) outside [0, 1], e.g. NaN'), check('latency', true, 'Slowest call 84 ms (limit 200 ms)')],
    ],
    [
      'fails latency when the slowest call is over the limit, rounded',
      [ok('0.12', 1, 84), ok('0.33', 1, 412.6)],
      false,
      [check('invocations', true, '2 call(s) answered'), check('response-schema', true, 'One score per application'), check('score-range', true, '2 score(s) in [0, 1]'), check('latency', false, 'Slowest call 413 ms (limit 200 ms)')],
    ],
  ])('%s', (_, responses, passed, checks) => {
    expect(judgeSmokeTest(responses, LIMITS, CONFIG, NOW)).toEqual({ endpointConfigName: CONFIG, passed, checks, at: NOW });
  });

  it('holds scores against the limits it is given', () => {
    const result = judgeSmokeTest([ok('620\n710', 2)], { maxLatencyMs: 200, minScore: 300, maxScore: 850 }, CONFIG, NOW);

    expect(result.passed).toBe(true);
  });
});

describe('Function: withSmokeTest', () => {
  it('records the result on its version only, without touching the input', () => {
    const status = { group: GROUP, versions: [aVersion(2, 'Live'), aVersion(3, 'DeployingStaging')] };
    const before = structuredClone(status);
    const result: SmokeTestResult = judgeSmokeTest([ok('0.2', 1)], LIMITS, CONFIG, NOW);

    const next = withSmokeTest(status, 3, result);

    expect(next.versions.map((v) => v.smokeTest)).toEqual([undefined, result]);
    expect(next.group).toBe(GROUP);
    expect(status).toEqual(before);
  });
});
