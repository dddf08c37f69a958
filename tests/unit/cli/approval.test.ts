/**
 * `mlops approve` and `mlops reject`: refuse without a reason, then UpdateModelPackage through the Registry port
 * with the reason as ApprovalDescription and a deterministic client token.
 */
import { approvalToken } from '../../../scripts/mlops/commands/approval';
import { approve } from '../../../scripts/mlops/commands/approve';
import { reject } from '../../../scripts/mlops/commands/reject';
import { arnOf, FakeRegistry, GROUP } from './fakes';

const ARN = arnOf(GROUP, 7);

describe.each([
  ['approve', approve, 'Approved'],
  ['reject', reject, 'Rejected'],
] as const)('Command: %s', (_name, command, status) => {
  it.each([
    ['no --reason', undefined],
    ['an empty reason', ''],
    ['a blank reason', '  \n '],
  ])('refuses with exit 2 given %s, and changes nothing', async (_case, reason) => {
    // Prepare
    const registry = new FakeRegistry().add(ARN, 'PendingManualApproval');

    // Act
    const result = await command({ registry }, { packageArn: ARN, reason });

    // Assess
    expect(result.exitCode).toBe(2);
    expect(result.output).toMatch(/^Refused: --reason is required/);
    expect(registry.calls).toEqual([]);
  });

  it(`sets the package ${status} with the reason as ApprovalDescription and a deterministic token`, async () => {
    const registry = new FakeRegistry().add(ARN, 'PendingManualApproval');

    const result = await command({ registry }, { packageArn: ARN, reason: '  AUC 0.87, DI 0.93; risk committee 2026-11-27  ' });

    expect(result.exitCode).toBe(0);
    expect(registry.calls).toEqual([
      {
        modelPackageArn: ARN,
        status,
        reason: 'AUC 0.87, DI 0.93; risk committee 2026-11-27',
        clientToken: approvalToken(ARN, status, 'AUC 0.87, DI 0.93; risk committee 2026-11-27'),
      },
    ]);
    expect(result.output).toContain(`${status} ${GROUP} v7 for production (was PendingManualApproval).`);
    expect(result.output).toContain('CloudTrail');
  });

  it('sends the reason on one line, as ApprovalDescription allows', async () => {
    const registry = new FakeRegistry().add(ARN, 'PendingManualApproval');

    await command({ registry }, { packageArn: ARN, reason: 'first line\nsecond line' });

    expect(registry.calls[0]?.reason).toBe('first line second line');
  });

  it('does nothing when the package already has this status and reason', async () => {
    const registry = new FakeRegistry().add(ARN, status, 'same reason');

    const result = await command({ registry }, { packageArn: ARN, reason: 'same reason' });

    expect(result).toEqual({ exitCode: 0, output: `${GROUP} v7 is already ${status} with this reason; nothing to do.` });
    expect(registry.calls).toEqual([]);
  });

  it('fails with exit 1 for an ARN that is not a versioned model package', async () => {
    const registry = new FakeRegistry();

    const result = await command({ registry }, { packageArn: 'arn:aws:sagemaker:eu-west-1:111122223333:model-package-group/x', reason: 'r' });

    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/^Not a versioned model package ARN/);
  });

  it('fails with exit 1 for a reason longer than SageMaker keeps', async () => {
    const registry = new FakeRegistry().add(ARN, 'PendingManualApproval');

    const result = await command({ registry }, { packageArn: ARN, reason: 'x'.repeat(1025) });

    expect(result.exitCode).toBe(1);
    expect(registry.calls).toEqual([]);
  });

  it('does not support staging approvals (the Registry port has no ModelLifeCycle method)', async () => {
    const registry = new FakeRegistry().add(ARN, 'PendingManualApproval');

    const result = await command({ registry }, { packageArn: ARN, reason: 'ok', stage: 'staging' });

    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/Staging approvals are not supported/);
    expect(registry.calls).toEqual([]);
  });
});

describe('Function: approvalToken', () => {
  it('is the same for the same decision and differs when the status or the reason differs', () => {
    const token = approvalToken(ARN, 'Approved', 'because');

    expect(approvalToken(ARN, 'Approved', 'because')).toBe(token);
    expect(approvalToken(ARN, 'Rejected', 'because')).not.toBe(token);
    expect(approvalToken(ARN, 'Approved', 'because!')).not.toBe(token);
    expect(approvalToken(arnOf(GROUP, 8), 'Approved', 'because')).not.toBe(token);
  });

  it('fits ClientToken: 1..36 characters of [a-zA-Z0-9-]', () => {
    expect(approvalToken(ARN, 'Approved', 'x'.repeat(1024))).toMatch(/^[a-zA-Z0-9-]{1,36}$/);
  });
});

describe('Command: approve (registry state)', () => {
  it('refuses with exit 2 to approve a Rejected package', async () => {
    const registry = new FakeRegistry().add(ARN, 'Rejected', 'AUC 0.81 below 0.85');

    const result = await approve({ registry }, { packageArn: ARN, reason: 'override' });

    expect(result.exitCode).toBe(2);
    expect(result.output).toContain('is Rejected in the registry ("AUC 0.81 below 0.85")');
    expect(registry.calls).toEqual([]);
  });
});

describe('Command: reject (registry state)', () => {
  it('warns that rejecting an Approved package revokes the approval', async () => {
    const registry = new FakeRegistry().add(ARN, 'Approved', 'ok');

    const result = await reject({ registry }, { packageArn: ARN, reason: 'bias found in production re-check' });

    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('Warning: this revokes an approval');
    expect(registry.calls.map((c) => c.status)).toEqual(['Rejected']);
  });
});
