/**
 * buildspec.yml, the build of every push: after a successful build it uploads the commit's step code and starts the
 * training pipeline once per model group with it. Its post_build commands run here as CodeBuild runs them (bash, in
 * order, the phase stopping at the first failing command) against a stub `aws` that records every call, so what is
 * checked is the buildspec itself, not a copy of it: the upload, the definition guard, one execution per group with
 * the four parameters (each start request validated against the SageMaker API model) and a deterministic client
 * token. Also the other side of each contract: the CodeBuild project sets every variable the commands read, its role
 * may do exactly what they do, and Terraform writes the definition hash where the guard looks for it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_FILES, PARAMETERS, commitCodePrefix, groupInputPrefix } from '../../scripts/pipeline/definition';
import { validateInput } from '../support/aws-model-validator';
import { Scope, TF_MODULES, TF_ROOT, dataOf, documentStatements, loadModule, nestedBlocks, type Statement, type TfModule, type Value } from '../support/terraform';
import { REPO, STEPS_DIR } from './python';

// js-yaml 3 (a devDependency, the version jest already brings); load() reads this trusted file.
const yaml = require('js-yaml') as { load(text: string): unknown };

interface Buildspec {
  env?: { shell?: string };
  phases: Record<string, { commands: string[] }>;
}

const buildspec = yaml.load(readFileSync(join(REPO, 'buildspec.yml'), 'utf8')) as Buildspec;
const postBuild = buildspec.phases.post_build!.commands;
const definitionText = readFileSync(join(REPO, 'pipeline', 'definition.json'), 'utf8');

const ARTIFACTS_BUCKET = 'creditai-mlops-dev-artifacts-123456789012';
const DATA_BUCKET = 'creditai-mlops-dev-data-123456789012';
const PIPELINE_NAME = 'creditai-mlops-dev-training';
const PIPELINE_ARN = `arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${PIPELINE_NAME}`;
const COMMIT = '3f2c9a1e7b5d4c8a9e0f1a2b3c4d5e6f7a8b9c0d';
const GROUPS = ['credit-risk-retail', 'sme-loans'];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The hash Terraform computes (module pipeline, local.definition_sha256): the file without carriage returns. */
const DEFINITION_SHA256 = sha256(definitionText.replace(/\r/g, ''));

/** The stub: records each call (arguments separated by \x1f, calls by \x1e), answers like the AWS CLI. */
const AWS_STUB = `#!/usr/bin/env bash
{ for a in "$@"; do printf '%s\\x1f' "$a"; done; printf '\\x1e'; } >> "$AWS_STUB_LOG"
case "$1 $2" in
  "s3 cp")
    [ -f "$3" ] || { echo "The user-provided path $3 does not exist." >&2; exit 255; } ;;
  "sagemaker describe-pipeline")
    printf '%s\\n' "$AWS_STUB_DESCRIPTION" ;;
  "sagemaker start-pipeline-execution")
    for a in "$@"; do
      if [ -n "\${AWS_STUB_FAIL_GROUP:-}" ] && [ "$a" = "Name=ModelPackageGroupName,Value=$AWS_STUB_FAIL_GROUP" ]; then
        echo "An error occurred (ResourceLimitExceeded) when calling the StartPipelineExecution operation" >&2
        exit 254
      fi
    done
    echo "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/${PIPELINE_NAME}/execution/stub$RANDOM" ;;
  *)
    echo "unexpected call: aws $*" >&2
    exit 252 ;;
esac
`;

let root: string;
let workDir: string;
let binDir: string;

/** The pipeline module's description template with the hash filled in, as the deployed pipeline shows it. */
let deployedDescription: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'buildspec-'));
  workDir = join(root, 'src');
  binDir = join(root, 'bin');
  mkdirSync(join(workDir, 'dist'), { recursive: true });
  mkdirSync(join(workDir, 'pipeline', 'steps'), { recursive: true });
  mkdirSync(binDir);
  for (const zip of ['ingest.zip', 'reconcile.zip']) writeFileSync(join(workDir, 'dist', zip), 'zip');
  for (const file of [...CODE_FILES, 'synthetic.py']) copyFileSync(join(STEPS_DIR, file), join(workDir, 'pipeline', 'steps', file));
  copyFileSync(join(REPO, 'pipeline', 'definition.json'), join(workDir, 'pipeline', 'definition.json'));
  writeFileSync(join(binDir, 'aws'), AWS_STUB);
  chmodSync(join(binDir, 'aws'), 0o755);

  const pipeline = await loadModule(join(TF_MODULES, 'pipeline'));
  const template = String(pipeline.resources.find((r) => r.address === 'aws_sagemaker_pipeline.this')?.body.pipeline_description);
  deployedDescription = template.replace('${local.definition_sha256}', DEFINITION_SHA256);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  status: number;
  output: string;
  calls: string[][];
}

/** Runs the post_build commands like CodeBuild: each in bash, in order, stopping at the first that fails. */
function runPostBuild(options: { env?: Record<string, string>; description?: string; failGroup?: string } = {}): Run {
  const log = join(root, `calls-${Math.random().toString(36).slice(2)}`);
  writeFileSync(log, '');
  const env = {
    PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: root,
    CODEBUILD_BUILD_SUCCEEDING: '1',
    CODEBUILD_RESOLVED_SOURCE_VERSION: COMMIT,
    ARTIFACTS_BUCKET,
    DATA_BUCKET,
    TRAINING_PIPELINE_NAME: PIPELINE_NAME,
    MODEL_GROUPS: GROUPS.join(','),
    AWS_STUB_LOG: log,
    AWS_STUB_DESCRIPTION: options.description ?? deployedDescription,
    AWS_STUB_FAIL_GROUP: options.failGroup ?? '',
    ...options.env,
  };
  let output = '';
  let status = 0;
  for (const command of postBuild) {
    const r = spawnSync(buildspec.env?.shell ?? 'bash', ['-c', command], { cwd: workDir, env, encoding: 'utf8', timeout: 30_000 });
    output += `${r.stdout ?? ''}${r.stderr ?? ''}`;
    status = r.status ?? 1;
    if (status !== 0) break;
  }
  const calls = readFileSync(log, 'utf8')
    .split('\x1e')
    .filter((c) => c !== '')
    .map((c) => c.split('\x1f').slice(0, -1));
  return { status, output, calls };
}

const isStart = (c: string[]) => c[0] === 'sagemaker' && c[1] === 'start-pipeline-execution';
const isCopy = (c: string[]) => c[0] === 's3' && c[1] === 'cp';

/** A recorded `start-pipeline-execution` as the StartPipelineExecution request the CLI sends. */
function startRequest(call: string[]) {
  const option = (name: string) => {
    const i = call.indexOf(name);
    return i < 0 ? undefined : call[i + 1];
  };
  const from = call.indexOf('--pipeline-parameters');
  const values: string[] = [];
  for (let i = from + 1; from >= 0 && i < call.length && !call[i]!.startsWith('--'); i++) values.push(call[i]!);
  const PipelineParameters = values.map((v) => {
    const m = /^Name=([^,=]+),Value=(.*)$/.exec(v);
    if (!m) throw new Error(`Not the shorthand Name=<name>,Value=<value>: ${v}`);
    return { Name: m[1]!, Value: m[2]! };
  });
  return {
    PipelineName: option('--pipeline-name'),
    PipelineExecutionDisplayName: option('--pipeline-execution-display-name'),
    ClientRequestToken: option('--client-request-token'),
    PipelineParameters,
  };
}

const parametersOf = (request: ReturnType<typeof startRequest>) => Object.fromEntries(request.PipelineParameters.map((p) => [p.Name, p.Value]));

describe('buildspec.yml: what a push does after a successful build', () => {
  it('tests and builds, then in post_build refuses to go on after a failed build before anything else', () => {
    expect(buildspec.phases.build!.commands).toEqual(['npm test', 'npm run build']);
    expect(postBuild[0]).toMatch(/CODEBUILD_BUILD_SUCCEEDING" != "1"[\s\S]*exit 1/);
  });

  it('uploads the zips, then the commit’s step code, then starts one execution per group with the four parameters and a client token', () => {
    const run = runPostBuild({ env: { MODEL_GROUPS: ` ${GROUPS[0]}, ${GROUPS[1]} ,` } });
    expect(run.output).toContain(`Training started for 2 group(s) with commit ${COMMIT}.`);
    expect(run.status).toBe(0);

    const copies = run.calls.filter(isCopy).map((c) => [c[2], c[3]]);
    expect(copies).toEqual([
      ['dist/ingest.zip', `s3://${ARTIFACTS_BUCKET}/builds/${COMMIT}/ingest.zip`],
      ['dist/reconcile.zip', `s3://${ARTIFACTS_BUCKET}/builds/${COMMIT}/reconcile.zip`],
      // Exactly the files the steps read (CODE_FILES), where CodeUri will point.
      ...CODE_FILES.map((f) => [`pipeline/steps/${f}`, `s3://${ARTIFACTS_BUCKET}/${commitCodePrefix(COMMIT)}${f}`]),
    ]);
    // No --sse: the bucket's default key, which the pipeline's role may use.
    expect(run.calls.filter(isCopy).every((c) => !c.some((a) => a.startsWith('--sse')))).toBe(true);

    const lastCopy = run.calls.map(isCopy).lastIndexOf(true);
    const firstStart = run.calls.findIndex(isStart);
    expect(firstStart).toBeGreaterThan(lastCopy);
    expect(run.calls.filter((c) => c[1] === 'describe-pipeline')).toEqual([
      ['sagemaker', 'describe-pipeline', '--pipeline-name', PIPELINE_NAME, '--query', 'PipelineDescription', '--output', 'text'],
    ]);

    const requests = run.calls.filter(isStart).map(startRequest);
    expect(requests.map((r) => r.PipelineName)).toEqual([PIPELINE_NAME, PIPELINE_NAME]);
    expect(requests.map(parametersOf)).toEqual(
      GROUPS.map((group) => ({
        ModelPackageGroupName: group,
        CommitId: COMMIT,
        InputDataUri: `s3://${DATA_BUCKET}/${groupInputPrefix(group)}`,
        CodeUri: `s3://${ARTIFACTS_BUCKET}/${commitCodePrefix(COMMIT)}`,
      })),
    );
    expect(requests.map((r) => r.PipelineExecutionDisplayName)).toEqual(GROUPS.map((g) => `${COMMIT.slice(0, 12)}-${g}`));
    expect(requests.map((r) => r.ClientRequestToken)).toEqual(GROUPS.map((g) => sha256(`${COMMIT}/${g}`)));
    for (const r of requests) {
      expect(r.ClientRequestToken).toMatch(/^[0-9a-f]{64}$/);
      expect(validateInput('sagemaker', 'StartPipelineExecution', r)).toEqual([]);
    }
  });

  it('passes every parameter the definition requires, and only declared ones', () => {
    const [request] = runPostBuild().calls.filter(isStart).map(startRequest);
    const passed = Object.keys(parametersOf(request!)).sort();
    const required = PARAMETERS.filter((p) => p.DefaultValue === undefined).map((p) => p.Name);
    expect(required.filter((p) => !passed.includes(p))).toEqual([]);
    expect(passed.filter((p) => !PARAMETERS.some((d) => d.Name === p))).toEqual([]);
    expect(passed).toEqual(['CodeUri', 'CommitId', 'InputDataUri', 'ModelPackageGroupName']);
  });

  it('a retried build starts nothing twice: the tokens depend on the commit and the group only', () => {
    const tokens = (run: Run) => run.calls.filter(isStart).map((c) => startRequest(c).ClientRequestToken);
    const first = tokens(runPostBuild());
    expect(tokens(runPostBuild())).toEqual(first);
    expect(new Set(first).size).toBe(GROUPS.length);
    const other = tokens(runPostBuild({ env: { CODEBUILD_RESOLVED_SOURCE_VERSION: 'a'.repeat(40) } }));
    expect(other.filter((t) => first.includes(t))).toEqual([]);
  });

  it('keeps the display name valid for the longest group name the cicd module accepts (63 characters)', () => {
    const group = `g${'-x'.repeat(31)}`;
    expect(group).toHaveLength(63);
    const [request] = runPostBuild({ env: { MODEL_GROUPS: group } }).calls.filter(isStart).map(startRequest);
    expect(request!.PipelineExecutionDisplayName!.length).toBeLessThanOrEqual(82);
    expect(validateInput('sagemaker', 'StartPipelineExecution', request)).toEqual([]);
  });

  it('after a failed build uploads nothing and starts nothing', () => {
    const run = runPostBuild({ env: { CODEBUILD_BUILD_SUCCEEDING: '0' } });
    expect(run.status).not.toBe(0);
    expect(run.calls).toEqual([]);
  });

  it('does not train when the deployed definition is not the commit’s (terraform apply first)', () => {
    const stale = deployedDescription.replace(DEFINITION_SHA256, sha256('an older definition'));
    const run = runPostBuild({ description: stale });
    expect(run.status).not.toBe(0);
    expect(run.calls.filter(isStart)).toEqual([]);
    expect(run.output).toMatch(/Not training: .*pipeline\/definition\.json[\s\S]*terraform apply/);
  });

  it('tries every group before it fails, naming the ones that did not start', () => {
    const run = runPostBuild({ failGroup: GROUPS[0]! });
    expect(run.status).not.toBe(0);
    expect(run.calls.filter(isStart).map((c) => parametersOf(startRequest(c)).ModelPackageGroupName)).toEqual(GROUPS);
    expect(run.output).toContain(`Could not start training for: ${GROUPS[0]}`);
  });

  it('with no model group uploads the code and starts nothing, without failing', () => {
    const run = runPostBuild({ env: { MODEL_GROUPS: '' } });
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c[0] === 'sagemaker')).toEqual([]);
    expect(run.calls.filter(isCopy).length).toBe(2 + CODE_FILES.length);
    expect(run.output).toContain('nothing to train');
  });
});

describe('buildspec.yml and Terraform agree', () => {
  let cicd: TfModule;
  beforeAll(async () => {
    cicd = await loadModule(join(TF_MODULES, 'cicd'));
  });

  it('the CodeBuild project sets every variable the commands read (other than CodeBuild’s own)', () => {
    const project = cicd.resources.find((r) => r.address === 'aws_codebuild_project.this')!;
    const set = nestedBlocks(project.body, 'environment').flatMap((e) => nestedBlocks(e.body, 'environment_variable').map((v) => String(v.body.name)));
    const commands = Object.values(buildspec.phases).flatMap((p) => p.commands);
    const read = new Set(commands.flatMap((c) => [...c.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!)).filter((v) => !v.startsWith('CODEBUILD_')));
    expect([...read].sort()).toEqual(['ARTIFACTS_BUCKET', 'DATA_BUCKET', 'MODEL_GROUPS', 'TRAINING_PIPELINE_NAME']);
    expect([...read].filter((v) => !set.includes(v))).toEqual([]);
  });

  it('the root passes the training pipeline, the groups and the data bucket to module "cicd"', async () => {
    const call = (await loadModule(TF_ROOT)).modules.get('cicd')!;
    expect({
      training_pipeline_name: call.body.training_pipeline_name,
      training_pipeline_arn: call.body.training_pipeline_arn,
      model_groups: call.body.model_groups,
      data_bucket_name: call.body.data_bucket_name,
    }).toEqual({
      training_pipeline_name: '${module.pipeline.pipeline_name}',
      training_pipeline_arn: '${module.pipeline.pipeline_arn}',
      model_groups: '${join(",", keys(var.model_groups))}',
      data_bucket_name: '${module.storage.bucket_names["data"]}',
    });
  });

  it('the build role may describe and start exactly the training pipeline, and write the step code besides the zips and run artifacts', async () => {
    const vars: Record<string, Value> = {
      name: 'creditai-mlops-dev',
      github_repository: 'example/creditai-mlops',
      artifacts_bucket_name: ARTIFACTS_BUCKET,
      artifacts_bucket_arn: `arn:aws:s3:::${ARTIFACTS_BUCKET}`,
      kms_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      training_pipeline_name: PIPELINE_NAME,
      training_pipeline_arn: PIPELINE_ARN,
      model_groups: GROUPS.join(','),
      data_bucket_name: DATA_BUCKET,
    };
    const doc = dataOf(cicd, 'aws_iam_policy_document').find((d) => d.name === 'build')!;
    const statements: Statement[] = await documentStatements(doc, new Scope(cicd, { vars: async (n) => vars[n] }), 'cicd build', 'identity');
    const on = (action: string) => statements.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources ?? []);
    expect(on('sagemaker:StartPipelineExecution')).toEqual([PIPELINE_ARN]);
    expect(on('sagemaker:DescribePipeline')).toEqual([PIPELINE_ARN]);
    // CodePipeline's run artifacts (<first 20 characters of the name>/, substr() is not evaluated here), the zips, the step code.
    expect(on('s3:PutObject').map(String).sort()).toEqual(
      [`arn:aws:s3:::${ARTIFACTS_BUCKET}/\${substr(var.name, 0, 20)}/*`, `arn:aws:s3:::${ARTIFACTS_BUCKET}/builds/*`, `arn:aws:s3:::${ARTIFACTS_BUCKET}/pipeline/code/*`].sort(),
    );
    expect(on('kms:GenerateDataKey')).toEqual([vars.kms_key_arn]);
    // Terraform owns the pipeline: the build neither updates it nor passes its role.
    const actions = statements.flatMap((s) => s.actions);
    for (const a of ['sagemaker:CreatePipeline', 'sagemaker:UpdatePipeline', 'iam:PassRole']) expect(actions).not.toContain(a);
    expect(actions.filter((a) => typeof a !== 'string' || a.includes('*'))).toEqual([]);
  });

  it('Terraform writes the definition hash into the pipeline description, where the guard looks for it', async () => {
    const pipeline = await loadModule(join(TF_MODULES, 'pipeline'));
    expect(pipeline.locals.get('definition_sha256')?.value).toBe('${sha256(replace(file("${var.pipeline_dir}/definition.json"), "\\r", ""))}');
    expect(deployedDescription).toContain(`pipeline/definition.json sha256:${DEFINITION_SHA256}`);
    expect(deployedDescription).not.toContain('${');
    expect(postBuild.join('\n')).toContain('*"pipeline/definition.json sha256:$expected"*)');
    // The pipeline's description may hold 3072 characters.
    expect(deployedDescription.length).toBeLessThanOrEqual(3072);
  });
});
