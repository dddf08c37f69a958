import { SageMakerServiceException } from '@aws-sdk/client-sagemaker';
import { isAlreadyExists, isInProgress, isNotFound } from '../../../shared/aws/aws-errors';

const error = (name: string, message: string) => new SageMakerServiceException({ name, $fault: 'client', $metadata: {}, message });

describe('Function: isNotFound', () => {
  it.each([
    ['ValidationException', 'Could not find endpoint "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/x".', true],
    ['ValidationException', 'Could not find model "m".', true],
    ['ResourceNotFound', 'Pipeline execution not found', true],
    ['ValidationException', 'Cannot create already existing endpoint "x".', false],
    ['ThrottlingException', 'Could not find capacity', false],
  ])('%s "%s" → %s', (name, message, expected) => {
    expect(isNotFound(error(name, message))).toBe(expected);
  });

  it('is false for anything that is not an error object', () => {
    expect(isNotFound(undefined)).toBe(false);
    expect(isNotFound('Could not find')).toBe(false);
    expect(isNotFound({ name: 42, message: null })).toBe(false);
  });
});

describe('Function: isAlreadyExists', () => {
  it.each([
    ['ValidationException', 'Cannot create already existing model "arn:aws:sagemaker:eu-west-1:123456789012:model/m".', true],
    ['ValidationException', 'Cannot create already existing endpoint configuration "c".', true],
    ['ResourceInUse', 'Cannot create already existing endpoint', false],
    ['ValidationException', 'Could not find endpoint "x".', false],
  ])('%s "%s" → %s', (name, message, expected) => {
    expect(isAlreadyExists(error(name, message))).toBe(expected);
  });
});

describe('Function: isInProgress', () => {
  it.each([
    ['ValidationException', 'Cannot update in-progress endpoint "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/x".', true],
    ['ValidationException', 'Could not find endpoint "x".', false],
    ['ConflictException', 'Cannot update in-progress endpoint', false],
  ])('%s "%s" → %s', (name, message, expected) => {
    expect(isInProgress(error(name, message))).toBe(expected);
  });
});
