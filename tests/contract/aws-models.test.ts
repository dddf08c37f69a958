/**
 * The extracted AWS models (aws-models/) cover what the code calls: every listed operation is extracted, and
 * every SDK command used under shared/aws/ and scripts/ is an operation of the extracted copy of its service.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DOCUMENT_CLIENT_OPERATIONS } from '../support/aws-model-validator';

const root = join(__dirname, '..', '..');
const modelsDir = join(root, 'aws-models');
const listed = JSON.parse(readFileSync(join(root, 'scripts', 'aws-models', 'operations.json'), 'utf8')) as Record<string, string[]>;

interface ExtractedModel {
  metadata: { protocol: string };
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, { type: string; members?: Record<string, { shape: string }>; member?: { shape: string }; key?: { shape: string }; value?: { shape: string } }>;
}
const modelOf = (service: string) => JSON.parse(readFileSync(join(modelsDir, `${service}.json`), 'utf8')) as ExtractedModel;

/**
 * SDK package → model folder. null: client-lambda, whose model is not in the source (botocore) snapshot, so its
 * calls cannot be validated; it is allowed only under scripts/ (tools run by a person), never in the adapters.
 */
const PACKAGE_SERVICE: Record<string, string | null> = {
  '@aws-sdk/client-sagemaker': 'sagemaker',
  '@aws-sdk/client-sagemaker-runtime': 'sagemaker-runtime',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
  '@aws-sdk/client-lambda': null,
};

interface CommandUse {
  pkg: string;
  command: string;
}

/**
 * SDK commands a source file uses: `XxxCommand` names imported or re-exported from an `@aws-sdk/client-*` or
 * `@aws-sdk/lib-dynamodb` package, and `new ns.XxxCommand(` through a namespace import of one. A `new XxxCommand(`
 * imported from a relative module is counted in the module that imports it from the SDK (that file is scanned too).
 */
function sdkCommandsIn(source: string): CommandUse[] {
  const uses = new Map<string, CommandUse>();
  const use = (pkg: string, command: string) => uses.set(`${pkg} ${command}`, { pkg, command });
  const namespaces = new Map<string, string>();
  const importRe = /\b(?:import|export)\s+(?:type\s+)?(\*\s+as\s+\w+|\{[^}]*\}|\w+\s*,\s*\{[^}]*\}|\w+)\s*from\s*['"](@aws-sdk\/(?:client-[\w-]+|lib-dynamodb))['"]/g;
  for (const [, clause = '', pkg = ''] of source.matchAll(importRe)) {
    const ns = /^\*\s+as\s+(\w+)$/.exec(clause)?.[1];
    if (ns) namespaces.set(ns, pkg);
    for (const [, name = ''] of clause.matchAll(/(?:^|[{,])\s*(?:type\s+)?(\w+)/g)) {
      if (/^\w+Command$/.test(name) && name !== 'Command') use(pkg, name);
    }
  }
  for (const [, ns = '', name = ''] of source.matchAll(/\bnew\s+(\w+)\.(\w+Command)\s*\(/g)) {
    const pkg = namespaces.get(ns);
    if (pkg) use(pkg, name);
  }
  return [...uses.values()];
}

/** Problems of one file (path relative to the repo root): commands whose operation is not extracted. */
function problemsIn(file: string, source: string): string[] {
  const problems: string[] = [];
  for (const { pkg, command } of sdkCommandsIn(source)) {
    const service = PACKAGE_SERVICE[pkg];
    if (service === undefined) {
      problems.push(`${file}: ${command} from ${pkg}: no AWS model is mapped for this package`);
      continue;
    }
    if (service === null) {
      if (!file.startsWith('scripts/')) problems.push(`${file}: ${command} from ${pkg}: not in the source AWS models, allowed only under scripts/`);
      continue;
    }
    const base = command.replace(/Command$/, '');
    const operation = pkg === '@aws-sdk/lib-dynamodb' ? (DOCUMENT_CLIENT_OPERATIONS[base] ?? base) : base;
    if (!existsSync(join(modelsDir, `${service}.json`)) || !modelOf(service).operations[operation]) {
      problems.push(
        `${file}: ${command} (${pkg}) needs ${service}:${operation}, which is not in aws-models/${service}.json; ` +
          'add it to scripts/aws-models/operations.json and run npx tsx scripts/aws-models/extract.ts',
      );
    }
  }
  return problems;
}

function tsFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : tsFilesUnder(path);
    return entry.endsWith('.ts') ? [path] : [];
  });
}

describe('extracted AWS models (aws-models/)', () => {
  const files = readdirSync(modelsDir).filter((f) => f.endsWith('.json'));

  it('holds exactly the services listed in scripts/aws-models/operations.json', () => {
    expect(files.map((f) => f.slice(0, -'.json'.length)).sort()).toEqual(Object.keys(listed).sort());
  });

  it.each(Object.entries(listed))('%s.json parses and has every listed operation, and every shape they reference', (service, operations) => {
    const model = modelOf(service);
    expect(model.metadata.protocol).toEqual(expect.any(String));
    expect(operations.filter((op) => !model.operations[op])).toEqual([]);
    const dangling = Object.entries(model.shapes).flatMap(([name, s]) =>
      [...Object.values(s.members ?? {}), s.member, s.key, s.value].filter((r) => r && !model.shapes[r.shape]).map((r) => `${name} → ${r!.shape}`),
    );
    expect(dangling).toEqual([]);
  });

  it('keeps the license and notice of the source models', () => {
    expect(readFileSync(join(modelsDir, 'LICENSE.txt'), 'utf8')).toContain('Apache License');
    expect(readFileSync(join(modelsDir, 'NOTICE'), 'utf8')).toContain('Botocore');
  });
});

describe('SDK commands used in shared/aws/ and scripts/', () => {
  it('are all operations of the extracted models', () => {
    const files = [...tsFilesUnder(join(root, 'shared', 'aws')), ...tsFilesUnder(join(root, 'scripts'))]
      .map((path) => relative(root, path).split('\\').join('/'))
      .filter((file) => !file.startsWith('scripts/aws-models/'));
    const problems = files.flatMap((file) => problemsIn(file, readFileSync(join(root, file), 'utf8')));
    expect(problems).toEqual([]);
  });

  describe('the scanner (self-test on inline sources)', () => {
    const source = `
      import { SageMakerClient, CreateEndpointConfigCommand, DescribeEndpointCommand as Describe } from '@aws-sdk/client-sagemaker';
      import type { UpdateEndpointCommandInput } from '@aws-sdk/client-sagemaker';
      import * as ddb from '@aws-sdk/lib-dynamodb';
      import { Command } from 'commander';
      import { LocalCommand } from './local';
      export { PublishCommand } from '@aws-sdk/client-sns';

      await client.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'c', ProductionVariants: [] }));
      await doc.send(new ddb.PutCommand({ TableName: 't', Item: {} }));
      new Command('mlops');
      new LocalCommand();
    `;

    it('finds commands by named, aliased, namespace and re-export imports, and nothing else', () => {
      expect(sdkCommandsIn(source)).toEqual([
        { pkg: '@aws-sdk/client-sagemaker', command: 'CreateEndpointConfigCommand' },
        { pkg: '@aws-sdk/client-sagemaker', command: 'DescribeEndpointCommand' },
        { pkg: '@aws-sdk/client-sns', command: 'PublishCommand' },
        { pkg: '@aws-sdk/lib-dynamodb', command: 'PutCommand' },
      ]);
      expect(problemsIn('shared/aws/example.ts', source)).toEqual([]);
    });

    it('names the file and the missing operation', () => {
      const uses = `import { ListEndpointsCommand } from '@aws-sdk/client-sagemaker';\nimport { ScanCommand } from '@aws-sdk/lib-dynamodb';`;
      expect(problemsIn('shared/aws/sagemaker.ts', uses)).toEqual([
        expect.stringMatching(/^shared\/aws\/sagemaker\.ts: ListEndpointsCommand \(@aws-sdk\/client-sagemaker\) needs sagemaker:ListEndpoints, which is not in/),
        expect.stringMatching(/^shared\/aws\/sagemaker\.ts: ScanCommand \(@aws-sdk\/lib-dynamodb\) needs dynamodb:Scan, which is not in/),
      ]);
    });

    it('allows client-lambda only under scripts/ and refuses unmapped packages', () => {
      const lambda = `import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';`;
      expect(problemsIn('scripts/twin/run.ts', lambda)).toEqual([]);
      expect(problemsIn('shared/aws/lambda.ts', lambda)).toEqual([
        'shared/aws/lambda.ts: InvokeCommand from @aws-sdk/client-lambda: not in the source AWS models, allowed only under scripts/',
      ]);
      expect(problemsIn('shared/aws/x.ts', `import { CreateScheduleCommand } from "@aws-sdk/client-scheduler";`)).toEqual([
        'shared/aws/x.ts: CreateScheduleCommand from @aws-sdk/client-scheduler: no AWS model is mapped for this package',
      ]);
    });
  });
});
