/**
 * terraform/modules/pipeline against the pipeline definition it deploys. The central check: the execution role can
 * read every S3 input of every step and write every output ("Data download failed for channel 'train'" cannot
 * happen by construction). The module is parsed with @cdktf/hcl2json and its policy document evaluated with
 * sample values (tests/support/terraform.ts); the definition's S3 URIs are resolved with the same bucket names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseS3Uri, placeholdersIn, s3Accesses, type S3Access, type SampleValues } from '../../scripts/pipeline/check';
import { CODE_FILES, PARAMETERS, PLACEHOLDERS, S3_LAYOUT, commitCodePrefix, groupInputPrefix } from '../../scripts/pipeline/definition';
import { imagesDocument, imageUri } from '../../scripts/pipeline/images';
import type { PipelineDefinition, ProcessingStep } from '../../scripts/pipeline/schema';
import {
  Scope,
  TF_MODULES,
  TF_ROOT,
  dataOf,
  documentStatements,
  isUnresolved,
  loadModule,
  loadModuleFromText,
  type Statement,
  type TfModule,
  type Value,
} from '../support/terraform';
import { REPO } from './python';

const MODULE_DIR = join(TF_MODULES, 'pipeline');
const definition = JSON.parse(readFileSync(join(REPO, 'pipeline', 'definition.json'), 'utf8')) as PipelineDefinition;

const ACCOUNT = '123456789012';
const DATA_BUCKET = `creditai-mlops-dev-data-${ACCOUNT}`;
const ARTIFACTS_BUCKET = `creditai-mlops-dev-artifacts-${ACCOUNT}`;
const KMS_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** The module's variables as the root passes them, with sample values. */
const VARS: Record<string, Value> = {
  name: 'creditai-mlops-dev',
  partition: 'aws',
  account_id: ACCOUNT,
  aws_region: 'eu-west-1',
  data_bucket_name: DATA_BUCKET,
  data_bucket_arn: `arn:aws:s3:::${DATA_BUCKET}`,
  artifacts_bucket_name: ARTIFACTS_BUCKET,
  artifacts_bucket_arn: `arn:aws:s3:::${ARTIFACTS_BUCKET}`,
  kms_key_arn: KMS_KEY,
  model_group_names: ['credit-risk-retail'],
  pipeline_dir: join(REPO, 'pipeline'),
};

/** The same names for the definition's placeholders, so both sides talk about the same buckets. */
const SAMPLE: SampleValues = {
  placeholders: {
    role_arn: `arn:aws:iam::${ACCOUNT}:role/creditai-mlops-dev-training-exec`,
    artifacts_bucket: ARTIFACTS_BUCKET,
    kms_key_arn: KMS_KEY,
    sklearn_image: imageUri('sklearn', 'eu-west-1'),
    xgboost_image: imageUri('xgboost', 'eu-west-1'),
    clarify_image: imageUri('clarify', 'eu-west-1'),
  },
  execution: { PipelineExecutionId: 'k3xz9q1m2abc', PipelineExecutionArn: `arn:aws:sagemaker:eu-west-1:${ACCOUNT}:pipeline/creditai-mlops-dev-training/execution/k3xz9q1m2abc` },
  trainingJobName: 'pipelines-k3xz9q1m2abc-Train-AbCdEf1234',
};

const GROUP = 'credit-risk-retail';
const COMMIT = '3f2c9a1e7b5d4c8a9e0f1a2b3c4d5e6f7a8b9c0d';

/**
 * The parameter values an execution can run with, each checked on its own: CodeUri resolves to its default (a run
 * started by hand: Terraform's scripts) and to a push's pipeline/code/<commit>/ (what buildspec.yml passes, checked
 * by buildspec.test.ts); InputDataUri, which has no default, to a group's applications/<group>/ and to a single file
 * in it.
 */
const RUNS: { label: string; parameters: Record<string, string> }[] = [
  { label: 'by hand, CodeUri default', parameters: { InputDataUri: `s3://${DATA_BUCKET}/${groupInputPrefix(GROUP)}` } },
  {
    label: 'by a push',
    parameters: { InputDataUri: `s3://${DATA_BUCKET}/${groupInputPrefix(GROUP)}`, CodeUri: `s3://${ARTIFACTS_BUCKET}/${commitCodePrefix(COMMIT)}` },
  },
  { label: 'one file', parameters: { InputDataUri: `s3://${DATA_BUCKET}/${groupInputPrefix(GROUP)}2026-05.csv` } },
];
const sampleOf = (run: (typeof RUNS)[number]): SampleValues => ({ ...SAMPLE, parameters: run.parameters });

const scopeOf = (mod: TfModule) => new Scope(mod, { vars: async (name) => VARS[name] });

/** The allow statements of the execution role's policy, evaluated with the sample variables. */
async function roleStatements(mod: TfModule): Promise<Statement[]> {
  const doc = dataOf(mod, 'aws_iam_policy_document').find((d) => d.name === 'permissions');
  if (!doc) throw new Error(`${mod.rel} has no data.aws_iam_policy_document.permissions`);
  return (await documentStatements(doc, scopeOf(mod), `${mod.rel} permissions`, 'identity')).filter((s) => s.effect === 'Allow');
}

const strings = (values: Value[] | undefined) => (values ?? []).filter((v): v is string => typeof v === 'string');

/**
 * Does an IAM resource or condition pattern match every string starting with `prefix`? Exact patterns match only
 * themselves; `literal*` matches when the prefix starts with the literal; other wildcards are not trusted.
 */
function coversPrefix(pattern: string, prefix: string): boolean {
  const star = pattern.indexOf('*');
  if (star === -1 && !pattern.includes('?')) return false;
  if (star !== pattern.length - 1 || pattern.includes('?')) return false;
  return prefix.startsWith(pattern.slice(0, -1));
}

const allows = (s: Statement, action: string) => s.actions.some((a) => a === action || a === `${action.split(':')[0]}:*` || a === '*');

/** Why the statements do not let the role perform `access` (empty: they do). */
function accessProblems(statements: Statement[], access: S3Access): string[] {
  const { bucket, key } = parseS3Uri(access.uri);
  const what = `${access.step}${access.at} ${access.uri}`;
  const object = `arn:aws:s3:::${bucket}/${key}`;
  const action = access.access === 'read' ? 's3:GetObject' : 's3:PutObject';
  const problems: string[] = [];
  const objectOk = statements.some((s) => allows(s, action) && s.conditions.length === 0 && strings(s.resources).some((r) => coversPrefix(r, object)));
  if (!objectOk) problems.push(`${what}: no ${action} on ${object}*`);
  if (access.access === 'read') {
    // SageMaker lists an S3Prefix input (ListObjectsV2 with Prefix = the key) before downloading it.
    const listOk = statements.some((s) => {
      if (!allows(s, 's3:ListBucket') || !strings(s.resources).includes(`arn:aws:s3:::${bucket}`)) return false;
      const prefixConditions = s.conditions.filter((c) => c.variable === 's3:prefix');
      if (s.conditions.length !== prefixConditions.length) return false;
      return prefixConditions.every((c) => c.test === 'StringLike' && strings(c.values).some((v) => coversPrefix(v, key)));
    });
    if (!listOk) problems.push(`${what}: no s3:ListBucket on arn:aws:s3:::${bucket} for prefix "${key}"`);
  }
  return problems;
}

/** Every S3 access of the definition the statements do not allow, in any of RUNS (prefixed with the run). */
function uncovered(def: PipelineDefinition, statements: Statement[]): string[] {
  return RUNS.flatMap((run) => s3Accesses(def, sampleOf(run)).flatMap((a) => accessProblems(statements, a).map((p) => `[${run.label}] ${p}`)));
}

describe('Pipeline module: the role can read every S3 input of every step', () => {
  let mod: TfModule;
  let statements: Statement[];
  beforeAll(async () => {
    mod = await loadModule(MODULE_DIR);
    statements = await roleStatements(mod);
  });

  it('finds the inputs and outputs of every step, from the raw data to the registered reports', () => {
    const accesses = s3Accesses(definition, sampleOf(RUNS[0]!));
    const reads = accesses.filter((a) => a.access === 'read');
    const steps = new Set(reads.map((a) => a.step));
    expect([...steps].sort()).toEqual(['ClarifyModel', 'Clarify', 'Evaluate', 'Prep', 'Register', 'Train'].sort());
    expect(reads.map((a) => a.uri)).toEqual(
      expect.arrayContaining([
        `s3://${DATA_BUCKET}/${S3_LAYOUT.inputPrefix}${GROUP}/`,
        `s3://${ARTIFACTS_BUCKET}/${S3_LAYOUT.defaultCodePrefix}`,
        `s3://${ARTIFACTS_BUCKET}/${S3_LAYOUT.executionsPrefix}k3xz9q1m2abc/Prep/train`,
        `s3://${ARTIFACTS_BUCKET}/${S3_LAYOUT.executionsPrefix}k3xz9q1m2abc/Train/model/${SAMPLE.trainingJobName}/output/model.tar.gz`,
      ]),
    );
    expect(accesses.filter((a) => a.access === 'write').length).toBeGreaterThanOrEqual(9);
  });

  it('resolves CodeUri to its default and to a push’s commit prefix, both under the code prefix the role reads', () => {
    const codeReads = (run: (typeof RUNS)[number]) =>
      s3Accesses(definition, sampleOf(run))
        .filter((a) => a.access === 'read' && a.uri.startsWith(`s3://${ARTIFACTS_BUCKET}/${S3_LAYOUT.codePrefix}`))
        .map((a) => `${a.step} ${a.uri}`);
    expect(codeReads(RUNS[0]!)).toEqual([`Prep s3://${ARTIFACTS_BUCKET}/pipeline/code/default/`, `Evaluate s3://${ARTIFACTS_BUCKET}/pipeline/code/default/`]);
    expect(codeReads(RUNS[1]!)).toEqual([`Prep s3://${ARTIFACTS_BUCKET}/pipeline/code/${COMMIT}/`, `Evaluate s3://${ARTIFACTS_BUCKET}/pipeline/code/${COMMIT}/`]);
    // Nothing without a default is left out of the runs (resolving would throw otherwise).
    const required = PARAMETERS.filter((p) => p.DefaultValue === undefined).map((p) => p.Name);
    expect(required.sort()).toEqual(['CommitId', 'InputDataUri', 'ModelPackageGroupName']);
  });

  it('allows s3:GetObject and a prefix-scoped s3:ListBucket on every input, s3:PutObject on every output', () => {
    expect(uncovered(definition, statements)).toEqual([]);
  });

  it('the check fails for an input outside the granted prefixes (negative self-test)', () => {
    const d = structuredClone(definition);
    const prep = d.Steps.find((s) => s.Name === 'Prep') as ProcessingStep;
    prep.Arguments.ProcessingInputs.push({
      InputName: 'extra',
      S3Input: { S3Uri: `s3://${DATA_BUCKET}/elsewhere/`, LocalPath: '/opt/ml/processing/input/extra', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated', S3CompressionType: 'None' },
    });
    expect(uncovered(d, statements)).toEqual(
      RUNS.flatMap((run) => [
        `[${run.label}] Prep.Arguments.ProcessingInputs[2].S3Input.S3Uri s3://${DATA_BUCKET}/elsewhere/: no s3:GetObject on arn:aws:s3:::${DATA_BUCKET}/elsewhere/*`,
        `[${run.label}] Prep.Arguments.ProcessingInputs[2].S3Input.S3Uri s3://${DATA_BUCKET}/elsewhere/: no s3:ListBucket on arn:aws:s3:::${DATA_BUCKET} for prefix "elsewhere/"`,
      ]),
    );
  });

  it('the check fails for a CodeUri outside the code prefix (negative self-test)', () => {
    const elsewhere = { label: 'elsewhere', parameters: { ...RUNS[1]!.parameters, CodeUri: `s3://${ARTIFACTS_BUCKET}/builds/${COMMIT}/` } };
    const problems = s3Accesses(definition, sampleOf(elsewhere)).flatMap((a) => accessProblems(statements, a));
    expect(problems).toEqual([
      `Prep.Arguments.ProcessingInputs[1].S3Input.S3Uri s3://${ARTIFACTS_BUCKET}/builds/${COMMIT}/: no s3:GetObject on arn:aws:s3:::${ARTIFACTS_BUCKET}/builds/${COMMIT}/*`,
      `Prep.Arguments.ProcessingInputs[1].S3Input.S3Uri s3://${ARTIFACTS_BUCKET}/builds/${COMMIT}/: no s3:ListBucket on arn:aws:s3:::${ARTIFACTS_BUCKET} for prefix "builds/${COMMIT}/"`,
      `Evaluate.Arguments.ProcessingInputs[2].S3Input.S3Uri s3://${ARTIFACTS_BUCKET}/builds/${COMMIT}/: no s3:GetObject on arn:aws:s3:::${ARTIFACTS_BUCKET}/builds/${COMMIT}/*`,
      `Evaluate.Arguments.ProcessingInputs[2].S3Input.S3Uri s3://${ARTIFACTS_BUCKET}/builds/${COMMIT}/: no s3:ListBucket on arn:aws:s3:::${ARTIFACTS_BUCKET} for prefix "builds/${COMMIT}/"`,
    ]);
  });

  it('the check fails when the policy loses a prefix a step reads: the train channel (negative self-test)', async () => {
    const text = readFileSync(join(MODULE_DIR, 'main.tf'), 'utf8');
    const broken = text.replace('      "${var.artifacts_bucket_arn}/${local.executions_prefix}*",\n    ]', '    ]');
    expect(broken).not.toBe(text);
    const files = Object.fromEntries(['variables.tf', 'outputs.tf', 'versions.tf'].map((f) => [`x/${f}`, readFileSync(join(MODULE_DIR, f), 'utf8')]));
    const brokenModule = await loadModuleFromText('x', { ...files, 'x/main.tf': broken }, MODULE_DIR);
    const problems = uncovered(definition, await roleStatements(brokenModule));
    expect(problems).toContainEqual(expect.stringMatching(/^\[by a push\] Train\.Arguments\.InputDataConfig\[0\]\.DataSource\.S3DataSource\.S3Uri .*\/Prep\/train: no s3:GetObject/));
    expect(problems.some((p) => / Prep\./.test(p))).toBe(false);
  });

  it('the prefix matcher trusts only a trailing wildcard', () => {
    expect(coversPrefix('arn:aws:s3:::b/applications/*', 'arn:aws:s3:::b/applications/')).toBe(true);
    expect(coversPrefix('arn:aws:s3:::b/applications/*', 'arn:aws:s3:::b/applications/2026/x.csv')).toBe(true);
    expect(coversPrefix('arn:aws:s3:::b/applications/*', 'arn:aws:s3:::b/applications')).toBe(false);
    expect(coversPrefix('arn:aws:s3:::b/applications/x.csv', 'arn:aws:s3:::b/applications/x.csv')).toBe(false);
    expect(coversPrefix('arn:aws:s3:::b/*/train/*', 'arn:aws:s3:::b/e1/train/')).toBe(false);
  });
});

describe('Pipeline module: least privilege', () => {
  let statements: Statement[];
  beforeAll(async () => {
    statements = await roleStatements(await loadModule(MODULE_DIR));
  });

  it('names every action (no wildcard) and uses Resource "*" only for ecr:GetAuthorizationToken', () => {
    for (const s of statements) {
      for (const a of s.actions) expect(typeof a === 'string' && !a.includes('*') ? 'named' : `${s.origin}: ${String(a)}`).toBe('named');
      if (strings(s.resources).includes('*')) expect({ origin: s.origin, actions: s.actions }).toEqual({ origin: s.origin, actions: ['ecr:GetAuthorizationToken'] });
    }
  });

  it('writes only under the executions prefix, reads only the three prefixes', () => {
    const resourcesOf = (action: string) => statements.filter((s) => s.actions.includes(action)).flatMap((s) => strings(s.resources));
    expect(resourcesOf('s3:PutObject')).toEqual([`arn:aws:s3:::${ARTIFACTS_BUCKET}/${S3_LAYOUT.executionsPrefix}*`]);
    expect(resourcesOf('s3:GetObject').sort()).toEqual(
      [
        `arn:aws:s3:::${DATA_BUCKET}/${S3_LAYOUT.inputPrefix}*`,
        `arn:aws:s3:::${ARTIFACTS_BUCKET}/${S3_LAYOUT.codePrefix}*`,
        `arn:aws:s3:::${ARTIFACTS_BUCKET}/${S3_LAYOUT.executionsPrefix}*`,
      ].sort(),
    );
  });

  it('scopes the SageMaker actions to pipeline-created jobs and models and to Clarify’s shadow endpoints', () => {
    const sagemaker = statements.filter((s) => s.actions.some((a) => typeof a === 'string' && a.startsWith('sagemaker:')));
    for (const s of sagemaker) {
      for (const r of s.resources ?? []) {
        const text = isUnresolved(r) ? r.text : String(r);
        expect(text).toMatch(/^arn:aws:sagemaker:eu-west-1:123456789012:(processing-job|training-job|model)\/pipelines-\*$|:endpoint(-config)?\/creditai-clarify\*$|model-package/);
      }
    }
    const actions = new Set(sagemaker.flatMap((s) => s.actions));
    for (const a of ['sagemaker:CreateProcessingJob', 'sagemaker:CreateTrainingJob', 'sagemaker:CreateModel', 'sagemaker:CreateModelPackage', 'sagemaker:CreateEndpoint', 'sagemaker:InvokeEndpoint']) expect(actions).toContain(a);
  });

  it('passes the role only to SageMaker and pulls only the three images of the region', () => {
    const pass = statements.find((s) => s.actions.includes('iam:PassRole'))!;
    expect(pass.conditions).toEqual([{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['sagemaker.amazonaws.com'] }]);
    const pull = statements.find((s) => s.actions.includes('ecr:BatchGetImage'))!;
    const images = imagesDocument().regions['eu-west-1']!;
    expect(strings(pull.resources).sort()).toEqual(Object.values(images).map((i) => `arn:aws:ecr:eu-west-1:${i.account}:repository/${i.repository}`).sort());
  });
});

describe('Pipeline module: wiring', () => {
  let mod: TfModule;
  beforeAll(async () => {
    mod = await loadModule(MODULE_DIR);
  });

  it('fills exactly the placeholders the definition holds (templatefile variables)', () => {
    const raw = String(mod.locals.get('definition')?.value);
    const vars = /templatefile\([^,]+,\s*\{([\s\S]*?)\}\)/.exec(raw)?.[1] ?? '';
    const names = [...vars.matchAll(/^\s*(\w+)\s*=/gm)].map((m) => m[1]).sort();
    expect(names).toEqual(placeholdersIn(readFileSync(join(REPO, 'pipeline', 'definition.json'), 'utf8')));
    expect(raw).toContain('${var.pipeline_dir}/definition.json');
  });

  it('uses the S3 layout and the code files of scripts/pipeline/definition.ts', async () => {
    const scope = scopeOf(mod);
    expect(await scope.local('input_prefix')).toBe(S3_LAYOUT.inputPrefix);
    expect(await scope.local('code_prefix')).toBe(S3_LAYOUT.codePrefix);
    expect(await scope.local('default_code_prefix')).toBe(S3_LAYOUT.defaultCodePrefix);
    expect(await scope.local('executions_prefix')).toBe(S3_LAYOUT.executionsPrefix);
    expect(((await scope.local('code_files')) as string[]).slice().sort()).toEqual([...CODE_FILES].sort());
    for (const file of CODE_FILES) expect(() => readFileSync(join(REPO, 'pipeline', 'steps', file))).not.toThrow();
  });

  it('reads the region’s images from pipeline/images.json', async () => {
    const images = (await scopeOf(mod).local('images')) as Record<string, { uri: string }>;
    expect(images.sklearn!.uri).toBe(imageUri('sklearn', 'eu-west-1'));
    expect(images.xgboost!.uri).toBe(imageUri('xgboost', 'eu-west-1'));
    expect(images.clarify!.uri).toBe(imageUri('clarify', 'eu-west-1'));
  });

  it('is called from the root with every variable it requires and nothing else', async () => {
    const root = await loadModule(TF_ROOT);
    const call = root.modules.get('pipeline');
    expect(call?.file).toBe('terraform/pipeline.tf');
    const passed = Object.keys(call!.body).filter((k) => k !== 'source');
    const declared = [...mod.variables.keys()];
    expect(passed.filter((k) => !declared.includes(k))).toEqual([]);
    const required = declared.filter((v) => !('default' in mod.variables.get(v)!.body));
    expect(required.filter((v) => !passed.includes(v))).toEqual([]);
    expect(call!.body.pipeline_dir).toBe('${path.root}/../pipeline');
    for (const [name, block] of mod.variables) expect({ name, description: typeof block.body.description, type: 'type' in block.body }).toEqual({ name, description: 'string', type: true });
  });

  it('deploys the pipeline with the generated definition, after its permissions and scripts', () => {
    const pipeline = mod.resources.find((r) => r.address === 'aws_sagemaker_pipeline.this')!;
    expect(pipeline.body.pipeline_definition).toBe('${jsonencode(jsondecode(local.definition))}');
    expect(pipeline.body.role_arn).toBe('${aws_iam_role.this.arn}');
    expect(String(pipeline.body.depends_on)).toMatch(/aws_iam_role_policy\.this.*aws_s3_object\.code/);
  });

  it('uploads the step scripts where the CodeUri default points, in the bucket the definition names', async () => {
    const code = mod.resources.find((r) => r.address === 'aws_s3_object.code')!;
    expect(code.body.key).toBe('${local.default_code_prefix}${each.key}');
    expect(code.body.bucket).toBe('${var.artifacts_bucket_name}');
    expect(String(mod.locals.get('definition')?.value)).toMatch(/artifacts_bucket\s*=\s*var\.artifacts_bucket_name/);
    const codeUri = PARAMETERS.find((p) => p.Name === 'CodeUri');
    expect(codeUri).toEqual({ Name: 'CodeUri', Type: 'String', DefaultValue: `s3://${PLACEHOLDERS.artifactsBucket}/${S3_LAYOUT.defaultCodePrefix}` });
    expect(await scopeOf(mod).local('default_code_prefix')).toBe(S3_LAYOUT.defaultCodePrefix);
    // A prefix input downloads everything under it: the default must not be the parent of the commits' folders.
    expect(S3_LAYOUT.defaultCodePrefix).not.toBe(S3_LAYOUT.codePrefix);
    expect(S3_LAYOUT.defaultCodePrefix.startsWith(S3_LAYOUT.codePrefix) && S3_LAYOUT.defaultCodePrefix.endsWith('/')).toBe(true);
  });
});
