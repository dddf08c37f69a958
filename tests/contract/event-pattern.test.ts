import { matchesPattern } from '../../shared/contracts/event-pattern';

const event = {
  source: 'aws.sagemaker',
  detail: { pipelineArn: 'arn:aws:sagemaker:eu-west-1:111122223333:pipeline/creditai-mlops-dev-training', tags: ['a', 'b'] },
};

describe('Function: matchesPattern', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['an exact value', { source: ['aws.sagemaker'] }, true],
    ['another exact value', { source: ['aws.cloudwatch'] }, false],
    ['a prefix', { detail: { pipelineArn: [{ prefix: 'arn:aws:sagemaker:' }] } }, true],
    ['a wildcard across account and region', { detail: { pipelineArn: [{ wildcard: 'arn:aws*:sagemaker:*:*:pipeline/creditai-*' }] } }, true],
    ['a wildcard for another project', { detail: { pipelineArn: [{ wildcard: 'arn:aws*:sagemaker:*:*:pipeline/other-*' }] } }, false],
    ['a wildcard treats dots literally', { source: [{ wildcard: 'aws*sagemaker' }] }, true],
    ['exists false on a present field', { detail: { pipelineArn: [{ exists: false }] } }, false],
    ['exists false on an absent field', { detail: { errorCode: [{ exists: false }] } }, true],
    ['anything-but', { source: [{ 'anything-but': ['aws.cloudwatch'] }] }, true],
    ['an array-valued field', { detail: { tags: ['b'] } }, true],
  ])('matches %s correctly', (_, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it('refuses an operator it does not implement', () => {
    expect(() => matchesPattern({ source: [{ suffix: 'maker' }] }, event)).toThrow(/Unsupported EventBridge pattern operator/);
  });
});
