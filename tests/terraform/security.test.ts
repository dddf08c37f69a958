/**
 * Issue 3, "Checks", security: least-privilege IAM (no wildcard actions; `Resource "*"` only for actions AWS cannot
 * scope), everything encrypted, buckets private and TLS-only, the audit ledger under Object Lock COMPLIANCE for at
 * least 7 years, the state table recoverable, the functions on the runtime and architecture we build for.
 */
import {
  blockInstances,
  environments,
  dataOf,
  evaluate,
  expressionOf,
  instances,
  instanceStatements,
  isUnresolved,
  isTypeWideResource,
  isWildcardResource,
  jsonStatements,
  documentStatements,
  loadModuleFromText,
  nestedBlocks,
  references,
  resourcesOf,
  Scope,
  show,
  textOf,
  type Block,
  type Instance,
  type Statement,
  type TfModule,
  type Value,
} from '../support/terraform';

/**
 * Actions that have no resource-level permissions (the Service Authorization Reference lists no resource type for
 * them): `Resource "*"` is the only way to grant them. Anything else with `"*"` fails.
 */
const UNSCOPABLE_ACTIONS = new Set([
  // ECR login: the token is for the registry, not a repository.
  'ecr:GetAuthorizationToken',
  // CloudWatch metrics have no ARN; PutMetricData is limited with the cloudwatch:namespace condition instead.
  'cloudwatch:PutMetricData',
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:ListMetrics',
  // DescribeAlarms returns composite alarms only to a caller granted it on "*" (CloudWatch API reference,
  // DescribeAlarms): scoped to alarm ARNs, a composite rollback alarm would read as missing.
  'cloudwatch:DescribeAlarms',
  // X-Ray segments and sampling rules are account-wide.
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
  // SageMaker List*/Search calls have no resource type: the listing is filtered by its request parameters.
  'sagemaker:ListModelPackages',
  'sagemaker:ListModelPackageGroups',
  'sagemaker:ListEndpoints',
  'sagemaker:ListEndpointConfigs',
  'sagemaker:ListModels',
  'sagemaker:ListPipelines',
  'sagemaker:ListTrainingJobs',
  'sagemaker:ListProcessingJobs',
  'sagemaker:Search',
  // CloudTrail event history lookups are account-wide (the approver identity of UpdateModelPackage).
  'cloudtrail:LookupEvents',
  // EC2 Describe* calls (VPC configuration of jobs and builds) have no resource-level permissions.
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeVpcs',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeDhcpOptions',
  // Account-wide listings.
  'sns:ListTopics',
  'sqs:ListQueues',
  'kms:ListAliases',
  'kms:ListKeys',
  's3:ListAllMyBuckets',
  'lambda:ListFunctions',
  'secretsmanager:ListSecrets',
  'ssm:DescribeParameters',
  'tag:GetResources',
  'codestar-connections:ListConnections',
  'codeconnections:ListConnections',
  // The caller's own identity.
  'sts:GetCallerIdentity',
]);

/** The environments checked: each `terraform/envs/<env>.tfvars` (their switches add or drop statements). */
const ENVS = environments();

/** Every statement of every module instance (root, each module call, each function) in every environment. */
let statements: Statement[] = [];
/** The instances with the first environment's variables (resources do not depend on the environment here). */
let all: Instance[] = [];

beforeAll(async () => {
  for (const env of ENVS.length > 0 ? ENVS : [undefined]) {
    for (const instance of await instances(env)) {
      for (const s of await instanceStatements(instance)) statements.push({ ...s, origin: `${env ? `[${env}] ` : ''}${s.origin}` });
    }
  }
  // A statement shared by several functions (or seen in functions.tf and again in the function module) is
  // reported once, where it is first found.
  const content = (s: Statement) => JSON.stringify([s.kind, s.effect, s.actions, s.notActions, s.resources, s.notResources, s.principals, s.conditions]);
  statements = [...new Map(statements.reverse().map((s) => [content(s), s])).values()].reverse();
  all = await instances(ENVS[ENVS.length - 1]);
});

const str = (v: Value): string | undefined => (typeof v === 'string' ? v : undefined);

/** Problems of one statement: wildcard or unreadable actions, `*` resources outside the allow-list, public grants. */
export function statementProblems(s: Statement): string[] {
  const problems: string[] = [];
  const effect = str(s.effect);
  if (effect !== 'Allow' && effect !== 'Deny') return [`${s.origin}: effect ${show(s.effect)} is neither Allow nor Deny`];
  // A Deny may be broad (the TLS-only deny is s3:* on everything); only what is allowed must be narrow.
  if (effect === 'Deny') return [];
  if (s.notActions.length > 0) problems.push(`${s.origin}: Allow with not_actions/NotAction allows everything else`);
  if (s.notResources.length > 0) problems.push(`${s.origin}: Allow with not_resources/NotResource allows every other resource`);
  if (s.actions.length === 0 && s.notActions.length === 0) problems.push(`${s.origin}: no actions`);
  for (const action of s.actions) {
    if (typeof action !== 'string') problems.push(`${s.origin}: action ${show(action)} cannot be read statically (name actions one by one)`);
    else if (action.includes('*') || action.includes('?')) problems.push(`${s.origin}: wildcard action ${action} (name every action)`);
  }
  const wildcard = (s.resources ?? []).filter(isWildcardResource);
  // In a key policy "*" means "this key", in a secret's resource policy "this secret": nothing broader exists.
  if (wildcard.length > 0 && s.kind !== 'kms-key' && s.kind !== 'secret') {
    const unscopable = s.actions.filter((a): a is string => typeof a === 'string' && UNSCOPABLE_ACTIONS.has(a));
    const scopable = s.actions.filter((a) => typeof a !== 'string' || !UNSCOPABLE_ACTIONS.has(a));
    if (scopable.length > 0) {
      problems.push(
        `${s.origin}: resource ${wildcard.map(show).join(', ')} for ${scopable.map(show).join(', ')}, which can be scoped to ARNs` +
          (unscopable.length > 0 ? ` (put the unscopable ${unscopable.join(', ')} in a statement of their own)` : ''),
      );
    }
  }
  // "Every key of the account" is as broad as "*" unless a condition (encryption context, ViaService, tag) narrows it.
  const typeWide = (s.resources ?? []).filter(isTypeWideResource);
  if (typeWide.length > 0 && s.conditions.length === 0 && s.kind === 'identity') {
    problems.push(`${s.origin}: resource ${typeWide.map(show).join(', ')} is every resource of its type in the account; scope it by name or prefix, or narrow it with a condition`);
  }
  if (s.principals.some((p) => p === '*') && s.conditions.length === 0) problems.push(`${s.origin}: allows any principal ("*") without a condition`);
  return problems;
}

describe('Terraform security: the checks themselves', () => {
  it('flag wildcard actions, NotAction, "*" resources on scopable actions and public grants; accept the rest', async () => {
    const mod = await loadModuleFromText('fixture', {
      'fixture/main.tf': `
data "aws_iam_policy_document" "bad" {
  statement {
    actions   = ["s3:*", "sagemaker:Describe*"]
    resources = ["\${var.bucket_arn}/*"]
  }
  statement {
    actions   = ["ecr:GetAuthorizationToken", "s3:GetObject"]
    resources = ["*"]
  }
  statement {
    actions   = ["sagemaker:DescribeEndpoint"]
    resources = ["arn:aws:sagemaker:eu-west-1:123456789012:*"]
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["arn:\${local.partition}:kms:eu-west-1:123456789012:key/*"]
  }
  dynamic "statement" {
    for_each = var.extra
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}
data "aws_iam_policy_document" "good" {
  # Resource "*": ecr:GetAuthorizationToken has no resource-level permissions
  statement {
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    actions   = ["logs:CreateLogStream"]
    resources = ["\${aws_cloudwatch_log_group.this.arn}:*"]
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["arn:aws:kms:eu-west-1:123456789012:key/*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sqs.eu-west-1.amazonaws.com"]
    }
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::creditai-data/*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_iam_role_policy" "inline" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:*", Resource = "*" }]
  })
}
variable "extra" {
  description = "x"
  type        = any
  default     = [{ actions = ["iam:PassRole"], resources = ["*"] }]
}
`,
    });
    const found = await instanceStatements({ module: mod, label: 'fixture', scope: new Scope(mod) });
    const problems = found.flatMap(statementProblems);
    expect(problems).toEqual([
      expect.stringMatching(/data\.aws_iam_policy_document\.bad statement\[0\]: wildcard action s3:\*/),
      expect.stringMatching(/statement\[0\]: wildcard action sagemaker:Describe\*/),
      expect.stringMatching(/statement\[1\]: resource \* for s3:GetObject, which can be scoped .*put the unscopable ecr:GetAuthorizationToken/),
      expect.stringMatching(/statement\[2\]: resource arn:aws:sagemaker:eu-west-1:123456789012:\* for sagemaker:DescribeEndpoint/),
      expect.stringMatching(/statement\[3\]: resource arn:\$\{local.partition\}:kms:eu-west-1:123456789012:key\/\* is every resource of its type/),
      expect.stringMatching(/dynamic statement\[0\]\[0\]: resource \* for iam:PassRole/),
      expect.stringMatching(/aws_iam_role_policy\.inline\.policy Statement\[0\]: wildcard action kms:\*/),
      expect.stringMatching(/aws_iam_role_policy\.inline\.policy Statement\[0\]: resource \* for kms:\*/),
    ]);
  });
});

describe('Terraform security: IAM', () => {
  it('finds the policies (the role policies of every function among them)', () => {
    expect(statements.length).toBeGreaterThan(0);
    const functionStatements = statements.filter((s) => s.origin.includes('module.functions[')).length;
    expect(functionStatements > 0 ? 'function policies found' : 'no statement found in module.functions').toBe('function policies found');
  });

  it('every policy statement can be read statically (dynamic statements expand)', () => {
    expect(statements.filter((s) => / not evaluated\)/.test(s.origin)).map((s) => `${s.origin}: cannot check what it allows`)).toEqual([]);
  });

  it('no statement allows a wildcard action, and "*" resources are only for actions AWS cannot scope', () => {
    expect(statements.flatMap(statementProblems)).toEqual([]);
  });

  it('every trust policy limits who may assume the role (a service, an account root or an OIDC subject)', () => {
    const problems = statements
      .filter((s) => s.actions.some((a) => typeof a === 'string' && a.startsWith('sts:AssumeRole')) && str(s.effect) === 'Allow')
      .filter((s) => s.principals.length === 0 || s.principals.some((p) => p === '*'))
      .map((s) => `${s.origin}: sts:AssumeRole* for ${s.principals.length === 0 ? 'no principal' : 'any principal'}`);
    expect(problems).toEqual([]);
  });
});

// -----------------------------------------------------------------------------------------------------------------
// Resources

/** The companion resources of `type` whose `bucket` (or for_each) points to `bucket`. */
function companions(mod: TfModule, type: string, bucket: Block): Block[] {
  return resourcesOf(mod, type).filter((r) => references(r.body.bucket, `aws_s3_bucket.${bucket.name}`) || references(r.body.for_each, `aws_s3_bucket.${bucket.name}`));
}

/** The statements of the policy a resource attribute holds: a policy document's `.json` or a `jsonencode`. */
async function policyOf(mod: TfModule, raw: unknown, scope: Scope, origin: string): Promise<Statement[]> {
  const out: Statement[] = [];
  const visited = new Set<string>();
  const follow = async (value: unknown): Promise<void> => {
    for (const doc of dataOf(mod, 'aws_iam_policy_document')) {
      if (visited.has(doc.name) || !references(value, `data.aws_iam_policy_document.${doc.name}`)) continue;
      visited.add(doc.name);
      for (const each of await blockInstances(doc, scope)) out.push(...(await documentStatements(doc, each.scope, `${doc.file} ${each.label}`, 'resource')));
      // source_policy_documents / override_policy_documents merge other documents in.
      await follow(doc.body.source_policy_documents);
      await follow(doc.body.override_policy_documents);
    }
  };
  await follow(raw);
  if (textOf(raw).includes('jsonencode(')) out.push(...jsonStatements(await evaluate(raw, scope), origin, 'resource'));
  return out;
}

/** Is this the TLS-only statement: Deny s3:* when aws:SecureTransport is false? */
function isTlsOnly(s: Statement): boolean {
  return (
    s.effect === 'Deny' &&
    s.actions.includes('s3:*') &&
    s.conditions.some((c) => c.test === 'Bool' && c.variable === 'aws:SecureTransport' && c.values.some((v) => v === 'false' || v === false))
  );
}

const instanceOf = (mod: TfModule) => all.find((i) => i.module === mod) as Instance;

/** Every module, each once (instances of the same module share their resources). */
function modules(): TfModule[] {
  return [...new Set(all.map((i) => i.module))];
}

describe('Terraform security: S3', () => {
  const buckets = () => modules().flatMap((m) => resourcesOf(m, 'aws_s3_bucket').map((b) => ({ mod: m, bucket: b })));

  it('finds the data, artifact, capture and audit buckets', () => {
    const where = buckets().map(({ bucket }) => bucket.file.split('/')[2]);
    expect(where).toEqual(expect.arrayContaining(['storage', 'audit']));
  });

  it('every bucket has server-side encryption with a KMS key', async () => {
    const problems: string[] = [];
    for (const { mod, bucket } of buckets()) {
      const sse = companions(mod, 'aws_s3_bucket_server_side_encryption_configuration', bucket);
      if (sse.length === 0) problems.push(`${bucket.file} ${bucket.address}: no aws_s3_bucket_server_side_encryption_configuration`);
      for (const c of sse) {
        const defaults = nestedBlocks(c.body, 'rule').flatMap((r) => nestedBlocks(r.body, 'apply_server_side_encryption_by_default'));
        if (!defaults.some((d) => d.body.sse_algorithm === 'aws:kms' || d.body.sse_algorithm === 'aws:kms:dsse')) {
          problems.push(`${c.file} ${c.address}: sse_algorithm is not aws:kms (${defaults.map((d) => textOf(d.body.sse_algorithm)).join() || 'none'})`);
        } else if (!defaults.some((d) => d.body.kms_master_key_id !== undefined)) problems.push(`${c.file} ${c.address}: aws:kms without kms_master_key_id (the AWS-managed key)`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every bucket is versioned (status Enabled)', async () => {
    const problems: string[] = [];
    for (const { mod, bucket } of buckets()) {
      const versioning = companions(mod, 'aws_s3_bucket_versioning', bucket);
      if (versioning.length === 0) problems.push(`${bucket.file} ${bucket.address}: no aws_s3_bucket_versioning`);
      for (const v of versioning) {
        const status = await Promise.all(nestedBlocks(v.body, 'versioning_configuration').map((c) => evaluate(c.body.status, instanceOf(mod).scope)));
        if (!status.includes('Enabled')) problems.push(`${v.file} ${v.address}: versioning status is ${status.map(show).join() || 'unset'}, not Enabled`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every bucket blocks public access (all four flags true)', async () => {
    const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
    const problems: string[] = [];
    for (const { mod, bucket } of buckets()) {
      const blocks = companions(mod, 'aws_s3_bucket_public_access_block', bucket);
      if (blocks.length === 0) problems.push(`${bucket.file} ${bucket.address}: no aws_s3_bucket_public_access_block`);
      for (const b of blocks) {
        for (const flag of flags) {
          const value = await evaluate(b.body[flag], instanceOf(mod).scope);
          if (value !== true) problems.push(`${b.file} ${b.address}: ${flag} is ${show(value)}, not true`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every bucket has a policy that denies requests without TLS (aws:SecureTransport false)', async () => {
    const problems: string[] = [];
    for (const { mod, bucket } of buckets()) {
      const policies = companions(mod, 'aws_s3_bucket_policy', bucket);
      if (policies.length === 0) problems.push(`${bucket.file} ${bucket.address}: no aws_s3_bucket_policy`);
      for (const p of policies) {
        const found = await policyOf(mod, p.body.policy, instanceOf(mod).scope, `${p.file} ${p.address}`);
        if (!found.some(isTlsOnly)) problems.push(`${p.file} ${p.address}: no Deny of s3:* with Bool aws:SecureTransport = false`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the audit bucket has Object Lock in COMPLIANCE mode for at least 7 years', async () => {
    const audit = all.find((i) => i.label === 'module.audit');
    expect(audit ? 'module.audit' : 'no module "audit"').toBe('module.audit');
    if (!audit) return;
    const problems: string[] = [];
    const auditBuckets = resourcesOf(audit.module, 'aws_s3_bucket');
    if (auditBuckets.length === 0) problems.push('terraform/modules/audit has no aws_s3_bucket');
    for (const bucket of auditBuckets) {
      const where = `${bucket.file} ${bucket.address}`;
      if ((await evaluate(bucket.body.object_lock_enabled, audit.scope)) !== true) problems.push(`${where}: object_lock_enabled is not true`);
      if ((await evaluate(bucket.body.force_destroy, audit.scope)) === true) problems.push(`${where}: force_destroy = true on the audit ledger`);
      const locks = companions(audit.module, 'aws_s3_bucket_object_lock_configuration', bucket);
      if (locks.length === 0) problems.push(`${where}: no aws_s3_bucket_object_lock_configuration`);
      for (const lock of locks) {
        const retention = nestedBlocks(lock.body, 'rule').flatMap((r) => nestedBlocks(r.body, 'default_retention'));
        if (retention.length === 0) problems.push(`${lock.file} ${lock.address}: no rule { default_retention }`);
        for (const r of retention) {
          const mode = await evaluate(r.body.mode, audit.scope);
          const years = await evaluate(r.body.years, audit.scope);
          const days = await evaluate(r.body.days, audit.scope);
          if (mode !== 'COMPLIANCE') problems.push(`${lock.file} ${lock.address}: mode is ${show(mode)}, not COMPLIANCE`);
          const enough = (typeof years === 'number' && years >= 7) || (typeof days === 'number' && days >= 2555);
          if (!enough) problems.push(`${lock.file} ${lock.address}: retention is ${show(years)} years / ${show(days)} days, at least 7 years (2555 days) required`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('Terraform security: encryption at rest', () => {
  /** Resources of a type in every module, with the scope of (one of) the instances of their module. */
  const each = (type: string) => modules().flatMap((m) => resourcesOf(m, type).map((r) => ({ r, scope: instanceOf(m).scope })));
  const present = (v: Value) => v !== null && v !== '' && v !== false;

  it('every SNS topic is encrypted with a KMS key', async () => {
    const topics = each('aws_sns_topic');
    expect(topics.length > 0 ? 'topics' : 'no aws_sns_topic anywhere').toBe('topics');
    const problems: string[] = [];
    for (const { r, scope } of topics) if (!present(await evaluate(r.body.kms_master_key_id, scope))) problems.push(`${r.file} ${r.address}: no kms_master_key_id`);
    expect(problems).toEqual([]);
  });

  it('every SQS queue is encrypted (KMS key or SQS-managed SSE)', async () => {
    const queues = each('aws_sqs_queue');
    expect(queues.length > 0 ? 'queues' : 'no aws_sqs_queue anywhere').toBe('queues');
    const problems: string[] = [];
    for (const { r, scope } of queues) {
      const kms = await evaluate(r.body.kms_master_key_id, scope);
      const managed = await evaluate(r.body.sqs_managed_sse_enabled, scope);
      if (!present(kms) && managed !== true) problems.push(`${r.file} ${r.address}: neither kms_master_key_id nor sqs_managed_sse_enabled = true`);
    }
    expect(problems).toEqual([]);
  });

  it('every KMS key rotates', async () => {
    const keys = each('aws_kms_key');
    expect(keys.length > 0 ? 'keys' : 'no aws_kms_key anywhere').toBe('keys');
    const problems: string[] = [];
    for (const { r, scope } of keys) {
      const rotation = await evaluate(r.body.enable_key_rotation, scope);
      if (rotation !== true) problems.push(`${r.file} ${r.address}: enable_key_rotation is ${show(rotation)}, not true`);
    }
    expect(problems).toEqual([]);
  });

  it('every DynamoDB table has point-in-time recovery and server-side encryption with a KMS key', async () => {
    const tables = each('aws_dynamodb_table');
    expect(tables.length > 0 ? 'tables' : 'no aws_dynamodb_table anywhere').toBe('tables');
    const problems: string[] = [];
    for (const { r, scope } of tables) {
      const where = `${r.file} ${r.address}`;
      const pitr = await Promise.all(nestedBlocks(r.body, 'point_in_time_recovery').map((b) => evaluate(b.body.enabled, scope)));
      if (!pitr.includes(true)) problems.push(`${where}: point_in_time_recovery is not enabled`);
      const sse = nestedBlocks(r.body, 'server_side_encryption');
      const enabled = await Promise.all(sse.map((b) => evaluate(b.body.enabled, scope)));
      if (!enabled.includes(true)) problems.push(`${where}: server_side_encryption is not enabled`);
      else if (!sse.some((b) => b.body.kms_key_arn !== undefined)) problems.push(`${where}: server_side_encryption without kms_key_arn (the AWS-owned key, not the state key)`);
    }
    expect(problems).toEqual([]);
  });

  it('every secret is encrypted with a customer-managed KMS key', async () => {
    const problems: string[] = [];
    for (const { r, scope } of each('aws_secretsmanager_secret')) {
      if (!present(await evaluate(r.body.kms_key_id, scope))) problems.push(`${r.file} ${r.address}: no kms_key_id (the AWS-managed key cannot be shared or audited per key)`);
    }
    expect(problems).toEqual([]);
  });
});

describe('Terraform security: functions and logs', () => {
  it('every Lambda function runs nodejs22.x on arm64', async () => {
    const problems: string[] = [];
    const lambdas = all.flatMap((i) => resourcesOf(i.module, 'aws_lambda_function').map((r) => ({ r, i })));
    expect(lambdas.length > 0 ? 'functions' : 'no aws_lambda_function anywhere').toBe('functions');
    for (const { r, i } of lambdas) {
      const where = `${i.label} ${r.file} ${r.address}`;
      const runtime = await evaluate(r.body.runtime, i.scope);
      const architectures = await evaluate(r.body.architectures, i.scope);
      if (runtime !== 'nodejs22.x') problems.push(`${where}: runtime ${show(runtime)}, expected nodejs22.x`);
      if (!Array.isArray(architectures) || architectures.length !== 1 || architectures[0] !== 'arm64') problems.push(`${where}: architectures ${show(architectures)}, expected ["arm64"]`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('every log group has a retention', async () => {
    const problems: string[] = [];
    for (const i of all) {
      for (const r of resourcesOf(i.module, 'aws_cloudwatch_log_group')) {
        const days = await evaluate(r.body.retention_in_days, i.scope);
        const ok = typeof days === 'number' ? days > 0 : isUnresolved(days) && expressionOf(r.body.retention_in_days) !== undefined;
        if (!ok) problems.push(`${i.label} ${r.file} ${r.address}: retention_in_days is ${show(days)} (never expires)`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});

