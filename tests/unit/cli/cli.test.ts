/**
 * The `mlops` program end to end over fake wiring: argument parsing, global options, output streams and exit codes.
 */
import type { Command } from 'commander';
import { buildProgram, type CliEnvironment } from '../../../scripts/mlops/cli';
import { CliEnvironmentError, type GlobalOptions, type Wiring } from '../../../scripts/mlops/wiring';
import { appendRecord } from '../../../shared/governance/append-record';
import { MemoryLedgerIndex, MemoryLedgerStore, sampleDomainEvent } from '../../support/ledger';
import { arnOf, FakeQueue, FakeRegistry, FakeStateStore, fixedClock, GROUP, groupStatus, superseded, version } from './fakes';

/** A ledger with one whole chain of `GROUP` (genesis and two decisions). */
async function ledgerStore(): Promise<MemoryLedgerStore> {
  const store = new MemoryLedgerStore();
  const deps = { store, index: new MemoryLedgerIndex(), clock: fixedClock };
  for (const dir of ['model-gated', 'model-approved']) {
    const { event, envelope } = sampleDomainEvent(dir);
    await appendRecord(deps, event, envelope);
  }
  return store;
}

/** Runs `mlops <args>` over fakes; commander's own exits are turned into exceptions (and exit codes). */
async function mlops(args: string[], overrides: Partial<Wiring> = {}, ledger?: MemoryLedgerStore) {
  const ledgerSources: { from?: string; bucket?: string }[] = [];
  const state = new FakeStateStore(groupStatus([superseded(4), version(5, 'Live')]));
  const registry = new FakeRegistry().add(arnOf(GROUP, 5), 'PendingManualApproval');
  const queue = new FakeQueue();
  const out: string[] = [];
  const err: string[] = [];
  const seenOptions: GlobalOptions[] = [];
  let exitCode: number | undefined;
  const env: CliEnvironment = {
    wiring: (options) => {
      seenOptions.push(options);
      return {
        status: () => ({ state, clock: fixedClock }),
        approval: () => ({ registry }),
        rollback: () => ({ state, queue, clock: fixedClock }),
        challenge: () => ({ state, queue, clock: fixedClock }),
        replay: () => {
          throw new Error('not used');
        },
        ledger: (source) => {
          ledgerSources.push(source);
          return { ledger: (ledger ?? new MemoryLedgerStore()).reader() };
        },
        dossier: () => {
          throw new Error('not used');
        },
        explain: () => {
          throw new Error('not used');
        },
        ...overrides,
      };
    },
    operator: (as) => as ?? 'os-user',
    env: {},
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    exit: (code) => {
      exitCode = code;
    },
  };
  const program = buildProgram(env);
  const overrideExits = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(overrideExits);
  };
  overrideExits(program);
  try {
    await program.parseAsync(['node', 'mlops', ...args]);
  } catch (error) {
    exitCode = (error as { exitCode?: number }).exitCode ?? 1;
  }
  return { exitCode, stdout: out.join('\n'), stderr: err.join('\n'), state, registry, queue, seenOptions, ledgerSources };
}

describe('Program: mlops', () => {
  it('refuses approve without --reason with exit 2 on stderr', async () => {
    const run = await mlops(['approve', arnOf(GROUP, 5)]);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^Refused: --reason is required/);
    expect(run.registry.calls).toEqual([]);
  });

  it('approves with a reason, printing to stdout with exit 0', async () => {
    const run = await mlops(['approve', arnOf(GROUP, 5), '--reason', 'AUC 0.87']);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`Approved ${GROUP} v5 for production`);
    expect(run.registry.calls.map((c) => [c.status, c.reason])).toEqual([['Approved', 'AUC 0.87']]);
  });

  it('rejects an unknown --stage value as a usage error', async () => {
    const run = await mlops(['approve', arnOf(GROUP, 5), '--reason', 'x', '--stage', 'qa']);

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/Allowed choices are production, staging/);
  });

  it('accepts global options before or after the command', async () => {
    const before = await mlops(['--table', 't1', '--region', 'eu-central-1', 'status']);
    const after = await mlops(['status', '--table', 't2', '--queue-url', 'q']);

    expect(before.seenOptions[0]).toMatchObject({ table: 't1', region: 'eu-central-1' });
    expect(after.seenOptions[0]).toMatchObject({ table: 't2', queueUrl: 'q' });
  });

  it('prints the status of one group as JSON', async () => {
    const run = await mlops(['status', GROUP, '--json']);

    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ group: GROUP, versions: [{ version: 4 }, { version: 5 }] });
  });

  it('records the --as identity on a rollback request', async () => {
    const run = await mlops(['rollback', GROUP, '--reason', 'p99', '--as', 'arn:aws:iam::111122223333:user/alice']);

    expect(run.exitCode).toBe(0);
    expect(run.state.rollbackRequests[0]?.request.by).toBe('arn:aws:iam::111122223333:user/alice');
    expect(run.queue.requests).toHaveLength(1);
  });

  it('prints an environment error as its one line, with exit 1', async () => {
    const run = await mlops(['status'], {
      status: () => {
        throw new CliEnvironmentError('No AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or run `aws sso login`).');
      },
    });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('No AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or run `aws sso login`).');
  });

  it('prints an unexpected error as one line without a stack, with exit 1', async () => {
    const run = await mlops(['status'], {
      status: () => ({ state: { load: async () => Promise.reject(new TypeError('boom')), listGroups: async () => ['g'] }, clock: fixedClock }),
    });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('Unexpected error (TypeError): boom');
  });

  it('verifies the audit ledger with exit 0 when every chain is whole, reading the source it was given', async () => {
    const run = await mlops(['audit', 'verify', '--bucket', 'creditai-mlops-prod-audit-111122223333', '--region', 'eu-west-1'], {}, await ledgerStore());

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^${GROUP}: 3 records, chain whole \\(head 2, sha256 [0-9a-f]{64}\\)`));
    expect(run.ledgerSources).toEqual([{ bucket: 'creditai-mlops-prod-audit-111122223333' }]);
    expect(run.seenOptions[0]).toMatchObject({ region: 'eu-west-1' });
  });

  it('reports a broken chain on stderr with exit 2', async () => {
    const store = await ledgerStore();
    store.objects.delete(`ledger/${GROUP}/000000000001.json`);

    const run = await mlops(['audit', 'verify', '--from', '/tmp/copy', '--group', GROUP], {}, store);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${GROUP}: BROKEN at ledger/${GROUP}/000000000002.json: record 1 is missing`);
    expect(run.ledgerSources).toEqual([{ from: '/tmp/copy' }]);
  });

  it('routes audit dossier with its source, output and --model-card to the command', async () => {
    const written = new Map<string, string>();
    const sources: { from?: string; bucket?: string }[] = [];
    const store = await ledgerStore();
    const run = await mlops(['audit', 'dossier', arnOf(GROUP, 7), '--from', '/tmp/copy', '--out', 'v7.html'], {
      dossier: (source) => {
        sources.push(source);
        return {
          ledger: store.reader(),
          modelCards: () => {
            throw new Error('not asked for');
          },
          writeFile: async (path, text) => void written.set(path, text),
          clock: fixedClock,
          modelInput: { label: 'default_90d', protectedAttribute: 'age_group' },
        };
      },
    });

    expect(run.exitCode).toBe(0);
    expect(sources).toEqual([{ from: '/tmp/copy', bucket: undefined }]);
    expect([...written.keys()]).toEqual(['v7.json', 'v7.html']);
    expect(run.stdout).toContain(`Dossier of ${GROUP} v7`);
  });

  it('routes explain with its options to the command', async () => {
    const run = await mlops(['explain', arnOf(GROUP, 7), '--input', 'app.json', '--top', '2'], {
      explain: () => ({
        readText: async () => {
          throw new Error('ENOENT');
        },
        explainerUri: async () => undefined,
        readJson: async () => undefined,
        protectedAttributes: ['age_group'],
      }),
    });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('Cannot read the application file app.json: ENOENT');
  });

  it('explains in the audit verify help what the exit codes mean', async () => {
    const run = await mlops(['audit', 'verify', '--help']);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Exit codes: 0 every chain whole; 2 a chain is broken');
  });

  it('explains in the approve help that CloudTrail records the approver', async () => {
    const run = await mlops(['approve', '--help']);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Approver of record: the AWS identity that runs this command. CloudTrail records');
  });
});
