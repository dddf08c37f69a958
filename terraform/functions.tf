# The Lambda functions of the control plane (scripts/functions.ts): one module call each, with the environment its
# config schema reads (shared/runtime/config.ts) and a policy that allows exactly what its adapters call
# (shared/aws/wiring/*.ts → shared/aws/*.ts). Rules and schedules that invoke them are in modules/rules.

locals {
  fn_sagemaker_arn = "arn:${local.partition}:sagemaker:${var.aws_region}:${local.account_id}"
  fn_state_table   = module.state.table_arn

  # What every function reads (config.ts `common`), plus Powertools and readable stack traces.
  fn_common_environment = {
    STATE_TABLE                  = module.state.table_name
    EVENT_BUS_NAME               = module.messaging.bus_name
    POWERTOOLS_METRICS_NAMESPACE = "CreditaiMlops"
    NODE_OPTIONS                 = "--enable-source-maps"
  }

  # ingressConfigSchema: the ingress functions and the sweep.
  fn_ingress_environment = merge(local.fn_common_environment, {
    EXPECTED_ACCOUNT_ID = local.account_id
    RECONCILE_QUEUE_URL = module.messaging.reconcile_queue_url
  })

  # Functions invoked asynchronously (EventBridge rules of the catalogue; EventBridge Scheduler for the sweep, see
  # the schedules in main.tf): Lambda retries them, then sends the event to the rules DLQ. Each needs the
  # DeadLetterOnFailure statement below, which the invoke config checks.
  fn_async_invoked = toset(concat([for r in local.catalogue.rules : r.target], ["sweep", "drift-check", "judge", "experiment-judge"]))

  # --- Statements shared by several functions -----------------------------------------------------------------

  # DynamoDB encrypts the table with the state key and uses it with the caller's permissions; only through DynamoDB.
  fn_state_key_read = {
    sid       = "StateTableKeyRead"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = [module.keys.key_arns["state"]]
    conditions = [
      { test = "StringEquals", variable = "kms:ViaService", values = ["dynamodb.${var.aws_region}.amazonaws.com"] },
    ]
  }
  fn_state_key_write = {
    sid       = "StateTableKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [module.keys.key_arns["state"]]
    conditions = [
      { test = "StringEquals", variable = "kms:ViaService", values = ["dynamodb.${var.aws_region}.amazonaws.com"] },
    ]
  }

  # SendMessage to an SSE-KMS queue needs GenerateDataKey and Decrypt on its key (reconcile queue, rules DLQ).
  fn_messaging_key_send = {
    sid       = "MessagingKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [module.keys.key_arns["messaging"]]
    conditions = [
      { test = "StringEquals", variable = "kms:ViaService", values = ["sqs.${var.aws_region}.amazonaws.com"] },
    ]
  }

  # SqsReconcileQueue.request: SendMessage with MessageGroupId = model group.
  fn_send_reconcile = {
    sid       = "SendReconcileRequests"
    actions   = ["sqs:SendMessage"]
    resources = [module.messaging.reconcile_queue_arn]
  }

  # EventBridgeBus.publish: domain events, source creditai.mlops only.
  fn_publish_domain_events = {
    sid       = "PublishDomainEvents"
    actions   = ["events:PutEvents"]
    resources = [module.messaging.bus_arn]
    conditions = [
      { test = "StringEquals", variable = "events:source", values = ["creditai.mlops"] },
    ]
  }

  # Lambda's on-failure destination of async invocations writes with the function's role.
  fn_dead_letter_on_failure = {
    sid       = "DeadLetterOnFailure"
    actions   = ["sqs:SendMessage"]
    resources = [module.messaging.rules_dlq_arn]
  }

  # Ingress rejection path (rejectEvent): the raw event as evidence under REJECTED#<day>. The leading-key condition
  # keeps an ingress function away from the lifecycle state (partition keys: shared/aws/dynamodb-state-store.ts).
  fn_record_rejected_events = {
    sid       = "RecordRejectedEvents"
    actions   = ["dynamodb:PutItem"]
    resources = [local.fn_state_table]
    conditions = [
      { test = "ForAllValues:StringLike", variable = "dynamodb:LeadingKeys", values = ["REJECTED#*"] },
    ]
  }

  # groupOfEndpoint: the endpoint index (ENDPOINT#<name>), for events that name only the endpoint.
  fn_read_endpoint_index = {
    sid       = "ReadEndpointIndex"
    actions   = ["dynamodb:GetItem"]
    resources = [local.fn_state_table]
    conditions = [
      { test = "ForAllValues:StringLike", variable = "dynamodb:LeadingKeys", values = ["ENDPOINT#*"] },
    ]
  }

  # --- Audit ledger -----------------------------------------------------------------------------------------------

  # Records under ledger/ of the Object Lock bucket (shared/aws/s3-ledger-store.ts): a conditional create and a read
  # of a record, nothing else. No s3:DeleteObject, no retention actions: the function can neither hide nor unlock a
  # record (the bucket's COMPLIANCE default retention applies to every new object).
  fn_audit_ledger_statements = [
    {
      sid       = "WriteAndReadLedgerRecords"
      actions   = ["s3:PutObject", "s3:GetObject"]
      resources = ["${module.audit.bucket_arn}/ledger/*"]
    },
    {
      # Listing the ledger's prefix only (the adapter's keys()). The function reads only keys its create just found to
      # exist, so whether S3 answers a missing key NoSuchKey or AccessDenied under this prefix-scoped grant, the
      # read fails and is retried.
      sid       = "ListLedger"
      actions   = ["s3:ListBucket"]
      resources = [module.audit.bucket_arn]
      conditions = [
        { test = "StringLike", variable = "s3:prefix", values = ["ledger/*"] },
      ]
    },
    {
      # SSE-KMS with the audit key (bucket key enabled): GenerateDataKey to write, Decrypt to read; only through S3.
      sid       = "AuditKeyViaS3"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [module.keys.key_arns["audit"]]
      conditions = [
        { test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.aws_region}.amazonaws.com"] },
      ]
    },
    {
      # LedgerIndex (shared/aws/dynamodb-ledger-index.ts): find/head (GetItem), advance (UpdateItem, alone or in a
      # TransactWriteItems authorised per item with the EVENT# PutItem), in the ledger's own partitions only. Query
      # (a chain's index items) is not called yet.
      sid       = "LedgerIndex"
      actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
      resources = [local.fn_state_table]
      conditions = [
        { test = "ForAllValues:StringLike", variable = "dynamodb:LeadingKeys", values = ["LEDGER#*"] },
      ]
    },
  ]

  # --- Reconcile: grants per managed model group ----------------------------------------------------------------

  # SageMaker ARNs carry resource names in lower case. Names follow shared/lifecycle/names.ts: models
  # <group>-v<n>-<hash>, endpoint configs <group>-v<n>-<env>-<hash>, endpoints <group>-staging / <group>-prod.
  # Six groups per customer-managed policy keeps each under IAM's 6,144 characters even with 41-character group
  # names; inline, 30 groups would outgrow the role's 10,240 (10 policies, i.e. 60 groups, before the
  # managed-policies-per-role quota must be raised).
  fn_reconcile_group_policies = {
    for i, groups in chunklist(sort(keys(var.model_groups)), 6) : "model-groups-${i + 1}" => [
      {
        sid       = "RegistryOfManagedGroups"
        actions   = ["sagemaker:DescribeModelPackage", "sagemaker:UpdateModelPackage"]
        resources = [for g in groups : "${local.fn_sagemaker_arn}:model-package/${lower(g)}/*"]
      },
      {
        # CreateModel/CreateEndpointConfig/CreateEndpoint send Tags, which SageMaker authorises as AddTags.
        sid = "EndpointsOfManagedGroups"
        actions = [
          "sagemaker:CreateModel",
          "sagemaker:CreateEndpointConfig",
          "sagemaker:CreateEndpoint",
          "sagemaker:UpdateEndpoint",
          "sagemaker:DescribeEndpoint",
          "sagemaker:DeleteEndpoint",
          "sagemaker:AddTags",
        ]
        resources = flatten([for g in groups : [
          "${local.fn_sagemaker_arn}:model/${lower(g)}-v*",
          "${local.fn_sagemaker_arn}:endpoint-config/${lower(g)}-v*",
          "${local.fn_sagemaker_arn}:endpoint/${lower(local.staging_endpoints[g])}",
          "${local.fn_sagemaker_arn}:endpoint/${lower(local.production_endpoints[g])}",
        ]])
      },
      {
        # A/B tests: all traffic to the winner's variant before its clean config (production endpoints only).
        sid       = "ExperimentWeightsOfManagedGroups"
        actions   = ["sagemaker:UpdateEndpointWeightsAndCapacities"]
        resources = [for g in groups : "${local.fn_sagemaker_arn}:endpoint/${lower(local.production_endpoints[g])}"]
      },
      {
        # The smoke test scores the sample applications on staging only; production traffic is not ours to send.
        sid       = "SmokeTestStagingEndpoints"
        actions   = ["sagemaker:InvokeEndpoint"]
        resources = [for g in groups : "${local.fn_sagemaker_arn}:endpoint/${lower(local.staging_endpoints[g])}"]
      },
    ]
  }

  # --- The functions ----------------------------------------------------------------------------------------------

  functions = {
    "pipeline-execution" = {
      timeout              = 30
      memory               = 256
      reserved_concurrency = null
      environment          = merge(local.fn_ingress_environment, { POWERTOOLS_SERVICE_NAME = "pipeline-execution" })
      managed_statements   = {}
      statements = [
        # SageMakerPipelines.describeExecution; execution ARNs are pipeline/<pipeline>/execution/<id>, and the
        # project's pipelines are named <name>-… (the training pipeline is <name>-training, scripts/pipeline).
        {
          sid = "DescribePipelineExecutions"
          actions = [
            "sagemaker:DescribePipelineExecution",
            "sagemaker:ListPipelineExecutionSteps",
            "sagemaker:ListPipelineParametersForExecution",
          ]
          resources = ["${local.fn_sagemaker_arn}:pipeline/${lower(local.name)}-*"]
        },
        local.fn_send_reconcile,
        local.fn_publish_domain_events,
        local.fn_record_rejected_events,
        local.fn_state_key_write,
        local.fn_messaging_key_send,
        local.fn_dead_letter_on_failure,
      ]
    }

    "model-package" = {
      timeout              = 30
      memory               = 256
      reserved_concurrency = null
      environment          = merge(local.fn_ingress_environment, { POWERTOOLS_SERVICE_NAME = "model-package" })
      managed_statements   = {}
      statements = [
        local.fn_send_reconcile,
        local.fn_publish_domain_events,
        local.fn_record_rejected_events,
        local.fn_state_key_write,
        local.fn_messaging_key_send,
        local.fn_dead_letter_on_failure,
      ]
    }

    "endpoint" = {
      timeout              = 30
      memory               = 256
      reserved_concurrency = null
      environment          = merge(local.fn_ingress_environment, { POWERTOOLS_SERVICE_NAME = "endpoint" })
      managed_statements   = {}
      statements = [
        local.fn_send_reconcile,
        local.fn_publish_domain_events,
        local.fn_record_rejected_events,
        local.fn_read_endpoint_index,
        local.fn_state_key_write,
        local.fn_messaging_key_send,
        local.fn_dead_letter_on_failure,
      ]
    }

    "alarm" = {
      timeout              = 30
      memory               = 256
      reserved_concurrency = null
      environment          = merge(local.fn_ingress_environment, { POWERTOOLS_SERVICE_NAME = "alarm" })
      managed_statements   = {}
      statements = [
        local.fn_send_reconcile,
        local.fn_publish_domain_events,
        local.fn_record_rejected_events,
        local.fn_read_endpoint_index,
        local.fn_state_key_write,
        local.fn_messaging_key_send,
        local.fn_dead_letter_on_failure,
      ]
    }

    "approval-trail" = {
      timeout              = 30
      memory               = 256
      reserved_concurrency = null
      environment          = merge(local.fn_ingress_environment, { POWERTOOLS_SERVICE_NAME = "approval-trail" })
      managed_statements   = {}
      statements = [
        local.fn_send_reconcile,
        local.fn_publish_domain_events,
        # recordApprovalEvidence (GROUP#<g> / APPROVAL#…, conditional put) and the rejection path.
        {
          sid       = "RecordApprovalEvidence"
          actions   = ["dynamodb:PutItem"]
          resources = [local.fn_state_table]
          conditions = [
            { test = "ForAllValues:StringLike", variable = "dynamodb:LeadingKeys", values = ["GROUP#*", "REJECTED#*"] },
          ]
        },
        local.fn_state_key_write,
        local.fn_messaging_key_send,
        local.fn_dead_letter_on_failure,
      ]
    }

    "monitoring-execution" = {
      # One SageMaker describe and two small S3 reads (violations, statistics) per finished monitoring run.
      timeout              = 60
      memory               = 256
      reserved_concurrency = null
      environment          = merge(local.fn_ingress_environment, { POWERTOOLS_SERVICE_NAME = "monitoring-execution" })
      managed_statements   = {}
      statements = [
        # SageMakerMonitoring.describeProcessingJob of monitoring runs only. Their names are SageMaker's, not ours
        # (model-monitoring-<yyyymmddhhmm>-<hash>; INFERRED, run naming is UNVERIFIED in aws-facts 1.7), so this is
        # scoped to that name prefix (MONITORING_JOB_PREFIX in shared/ingress/monitoring-execution.ts; change both
        # together), not to the managed endpoints: which endpoint a run watches is only known after describing it.
        {
          sid       = "DescribeMonitoringRuns"
          actions   = ["sagemaker:DescribeProcessingJob"]
          resources = ["${local.fn_sagemaker_arn}:processing-job/model-monitoring-*"]
        },
        # StateStore: groupOfEndpoint (ENDPOINT#), policyOverrides and load (GROUP#), then recordDriftSignal (PutItem
        # of a DRIFT# item in the group's partition) and the rejection path (REJECTED#).
        {
          sid       = "ReadGroupsAndEndpointIndex"
          actions   = ["dynamodb:GetItem", "dynamodb:Query"]
          resources = [local.fn_state_table]
          conditions = [
            { test = "ForAllValues:StringLike", variable = "dynamodb:LeadingKeys", values = ["GROUP#*", "ENDPOINT#*"] },
          ]
        },
        {
          sid       = "RecordDriftAndRejectedEvents"
          actions   = ["dynamodb:PutItem"]
          resources = [local.fn_state_table]
          conditions = [
            { test = "ForAllValues:StringLike", variable = "dynamodb:LeadingKeys", values = ["GROUP#*", "REJECTED#*"] },
          ]
        },
        local.fn_state_key_write,
        # S3Documents.readJson of constraint_violations.json and statistics.json in a run's output prefix. Monitoring
        # schedules of managed endpoints write under s3://<artifacts bucket>/monitoring/ (their MonitoringOutputConfig);
        # a schedule that writes elsewhere needs its prefix added here, or its runs fail with AccessDenied (DLQ).
        {
          sid       = "ReadMonitoringOutput"
          actions   = ["s3:GetObject"]
          resources = ["${module.storage.bucket_arns["artifacts"]}/monitoring/*"]
        },
        {
          sid       = "DataKeyForMonitoringOutput"
          actions   = ["kms:Decrypt"]
          resources = [module.keys.key_arns["data"]]
          conditions = [
            { test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.aws_region}.amazonaws.com"] },
          ]
        },
        local.fn_send_reconcile,
        local.fn_publish_domain_events,
        local.fn_messaging_key_send,
        local.fn_dead_letter_on_failure,
      ]
    }

    "sweep" = {
      timeout              = 60
      memory               = 256
      reserved_concurrency = null
      environment          = merge(local.fn_ingress_environment, { POWERTOOLS_SERVICE_NAME = "sweep" })
      managed_statements   = {}
      statements = [
        # listGroups: Query of the GROUPS partition; then one reconcile request per group.
        {
          sid       = "ListManagedGroups"
          actions   = ["dynamodb:Query"]
          resources = [local.fn_state_table]
          conditions = [
            { test = "ForAllValues:StringEquals", variable = "dynamodb:LeadingKeys", values = ["GROUPS"] },
          ]
        },
        local.fn_send_reconcile,
        local.fn_state_key_read,
        local.fn_messaging_key_send,
        local.fn_dead_letter_on_failure,
      ]
    }

    "reconcile" = {
      timeout = 300
      memory  = 512
      # FIFO message groups already serialise each model group; this caps how many groups are worked on at once
      # (SageMaker API rate, blast radius of a bad release of the reconciler).
      reserved_concurrency = 5
      environment = merge(local.fn_common_environment, {
        POWERTOOLS_SERVICE_NAME      = "reconcile"
        SAGEMAKER_EXECUTION_ROLE_ARN = module.serving.execution_role_arn
        DATA_CAPTURE_S3_URI          = module.serving.data_capture_s3_uri
        ENDPOINT_KMS_KEY_ID          = module.keys.key_arns["data"]
        APPROVER_ROLES               = join(",", var.approver_role_names)
        CONTROL_PLANE_ROLES          = "${local.name}-*"
        # Drift retraining (decide, rule 6): the pipeline and the URIs the build passes a run (buildspec.yml).
        TRAINING_PIPELINE_NAME = module.pipeline.pipeline_name
        TRAINING_DATA_PREFIX   = module.pipeline.input_data_uri
        PIPELINE_CODE_PREFIX   = "s3://${module.storage.bucket_names["artifacts"]}/pipeline/code/"
      })
      managed_statements = local.fn_reconcile_group_policies
      statements = [
        # The event source mapping polls with the function's role.
        {
          sid       = "ConsumeReconcileRequests"
          actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
          resources = [module.messaging.reconcile_queue_arn]
        },
        {
          sid       = "MessagingKeyDecrypt"
          actions   = ["kms:Decrypt"]
          resources = [module.keys.key_arns["messaging"]]
          conditions = [
            { test = "StringEquals", variable = "kms:ViaService", values = ["sqs.${var.aws_region}.amazonaws.com"] },
          ]
        },
        # StateStore: load (Query), save (TransactWriteItems, authorised per contained Put as PutItem),
        # policyOverrides and groupOfEndpoint (GetItem), approvalEvidence (Query), registerEndpoint (PutItem).
        {
          sid       = "ReadWriteGroupState"
          actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
          resources = [local.fn_state_table]
          conditions = [
            { test = "ForAllValues:StringLike", variable = "dynamodb:LeadingKeys", values = ["GROUP#*", "ENDPOINT#*"] },
          ]
        },
        local.fn_state_key_write,
        local.fn_publish_domain_events,
        # RegistryOfManagedGroups (managed policies) holds the per-group registry grants; listing cannot be scoped.
        {
          sid     = "ListModelPackages"
          actions = ["sagemaker:ListModelPackages"]
          # Resource "*": sagemaker:ListModelPackages has no resource-level permissions
          resources = ["*"]
        },
        # CreateModel's ExecutionRoleArn: exactly the serving role, and only to SageMaker.
        {
          sid       = "PassServingRole"
          actions   = ["iam:PassRole"]
          resources = [module.serving.execution_role_arn]
          conditions = [
            { test = "StringEquals", variable = "iam:PassedToService", values = ["sagemaker.amazonaws.com"] },
          ]
        },
        # CloudWatchAlarms.describe asks for metric and composite rollback alarms. DescribeAlarms returns composite
        # alarms only to a caller granted it on "*" (API reference); scoped to alarm ARNs, a composite rollback
        # alarm would silently read as missing.
        {
          sid     = "DescribeRollbackAlarms"
          actions = ["cloudwatch:DescribeAlarms"]
          # Resource "*": cloudwatch:DescribeAlarms has no resource-level permissions for composite alarms
          resources = ["*"]
        },
        # S3Documents.readJson: the gate reports the training pipeline registered (evaluation, bias, explainability),
        # written under pipeline/executions/<execution id>/<step>/ (S3_LAYOUT in scripts/pipeline/definition.ts).
        {
          sid       = "ReadGateReports"
          actions   = ["s3:GetObject"]
          resources = ["${module.storage.bucket_arns["artifacts"]}/pipeline/executions/*"]
        },
        {
          sid       = "DataKeyForReports"
          actions   = ["kms:Decrypt"]
          resources = [module.keys.key_arns["data"]]
          conditions = [
            { test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.aws_region}.amazonaws.com"] },
          ]
        },
        # SageMakerPipelines: drift retraining starts the training pipeline (its own role runs it: nothing to
        # pass) and reads the run it started, to know when the cooldown begins.
        {
          sid       = "StartRetraining"
          actions   = ["sagemaker:StartPipelineExecution"]
          resources = [module.pipeline.pipeline_arn]
        },
        {
          sid       = "ReadRetrainingRuns"
          actions   = ["sagemaker:DescribePipelineExecution", "sagemaker:ListPipelineExecutionSteps", "sagemaker:ListPipelineParametersForExecution"]
          resources = ["${module.pipeline.pipeline_arn}/execution/*"]
        },
        # CreateEndpointConfig KmsKeyId (instance volumes, captured data): SageMaker checks the key and creates
        # grants on it with the caller's permissions.
        {
          sid       = "DataKeyForEndpoints"
          actions   = ["kms:DescribeKey", "kms:CreateGrant"]
          resources = [module.keys.key_arns["data"]]
          conditions = [
            { test = "StringEquals", variable = "kms:ViaService", values = ["sagemaker.${var.aws_region}.amazonaws.com"] },
          ]
        },
      ]
    }

    "notify" = {
      timeout              = 30
      memory               = 256
      reserved_concurrency = null
      environment = merge(
        local.fn_common_environment,
        {
          POWERTOOLS_SERVICE_NAME = "notify"
          # People read notices; approvers read approvals (ApprovalRequested and its outcome); incidents also page
          # through PagerDuty (not through SNS).
          NOTIFY_TOPIC_ARN    = module.alerting.topic_arns["notices"]
          APPROVALS_TOPIC_ARN = module.alerting.topic_arns["approvals"]
          RUNBOOK_BASE_URL    = var.runbook_base_url
        },
        var.pagerduty_enabled ? { PAGERDUTY_ROUTING_KEY_SECRET = module.alerting.pagerduty_secret_arn } : {},
      )
      managed_statements = {}
      statements = concat(
        [
          {
            sid       = "PublishNotices"
            actions   = ["sns:Publish"]
            resources = [module.alerting.topic_arns["notices"], module.alerting.topic_arns["approvals"]]
          },
          # Powertools idempotency records: their own partition (staticPkValue in shared/aws/wiring/notify.ts).
          {
            sid       = "IdempotencyRecords"
            actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
            resources = [local.fn_state_table]
            conditions = [
              { test = "ForAllValues:StringEquals", variable = "dynamodb:LeadingKeys", values = ["IDEMPOTENCY#notify"] },
            ]
          },
          local.fn_state_key_write,
          {
            sid       = "NotifyKey"
            actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
            resources = [module.keys.key_arns["notify"]]
            conditions = [
              {
                test     = "StringEquals"
                variable = "kms:ViaService"
                values   = ["sns.${var.aws_region}.amazonaws.com", "secretsmanager.${var.aws_region}.amazonaws.com"]
              },
            ]
          },
          local.fn_messaging_key_send,
          local.fn_dead_letter_on_failure,
        ],
        var.pagerduty_enabled ? [
          {
            sid       = "ReadPagerDutyRoutingKey"
            actions   = ["secretsmanager:GetSecretValue"]
            resources = [module.alerting.pagerduty_secret_arn]
          },
        ] : [],
      )
    }

    "audit" = {
      timeout = 60
      memory  = 256
      # One writer per chain by design: appends of a group must not race (shared/governance/append-record.ts). The
      # conditional create of each record detects a second writer anyway; this makes one impossible. Lambda queues
      # throttled async invocations (for up to the invoke config's maximum event age), then the DLQ keeps them.
      reserved_concurrency = 1
      environment = merge(local.fn_common_environment, {
        POWERTOOLS_SERVICE_NAME = "audit"
        AUDIT_BUCKET            = module.audit.bucket_name
      })
      managed_statements = {}
      statements = concat(local.fn_audit_ledger_statements, [
        local.fn_state_key_write,
        local.fn_messaging_key_send,
        local.fn_dead_letter_on_failure,
      ])
    }
    "drift-check" = {
      timeout = 900
      # A window of a million captured rows streams through in about 10 s with ~160 MB (npm run bench).
      memory               = 1024
      reserved_concurrency = 1
      environment = merge(local.fn_common_environment, {
        POWERTOOLS_SERVICE_NAME = "drift-check"
        RECONCILE_QUEUE_URL     = module.messaging.reconcile_queue_url
        DATA_CAPTURE_S3_URI     = module.serving.data_capture_s3_uri
        DRIFT_REPORTS_S3_URI    = "s3://${module.storage.bucket_names["artifacts"]}/drift"
      })
      managed_statements = {}
      statements = [
        # StateStore: listGroups (GROUPS), policyOverrides and load (GROUP#), recordDriftSignal (PutItem of DRIFT#
        # items in the group's partition).
        {
          sid       = "ReadGroupsRecordDrift"
          actions   = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"]
          resources = [local.fn_state_table]
          conditions = [
            { test = "ForAllValues:StringLike", variable = "dynamodb:LeadingKeys", values = ["GROUPS", "GROUP#*"] },
          ]
        },
        local.fn_state_key_write,
        # Registry.describePackage of the Live version: its baseline statistics and explainer URIs.
        {
          sid       = "DescribeManagedPackages"
          actions   = ["sagemaker:DescribeModelPackage"]
          resources = [for g in sort(keys(var.model_groups)) : "${local.fn_sagemaker_arn}:model-package/${lower(g)}/*"]
        },
        # The baseline and explainer the pipeline registered, and the drift reports it writes.
        {
          sid       = "ReadBaselines"
          actions   = ["s3:GetObject"]
          resources = ["${module.storage.bucket_arns["artifacts"]}/pipeline/executions/*"]
        },
        {
          sid       = "WriteDriftReports"
          actions   = ["s3:PutObject"]
          resources = ["${module.storage.bucket_arns["artifacts"]}/drift/*"]
        },
        # S3CaptureSource: list and read the capture files of the production endpoints.
        {
          sid       = "ListCapture"
          actions   = ["s3:ListBucket"]
          resources = [module.storage.bucket_arns["capture"]]
          conditions = [
            { test = "StringLike", variable = "s3:prefix", values = ["endpoints/*"] },
          ]
        },
        {
          # Endpoints capture under endpoints/ (modules/serving `capture_prefix`, DATA_CAPTURE_S3_URI).
          sid       = "ReadCapture"
          actions   = ["s3:GetObject"]
          resources = ["${module.storage.bucket_arns["capture"]}/endpoints/*"]
        },
        {
          sid       = "DataKeyViaS3"
          actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
          resources = [module.keys.key_arns["data"]]
          conditions = [
            { test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.aws_region}.amazonaws.com"] },
          ]
        },
        local.fn_publish_domain_events,
        local.fn_send_reconcile,
        local.fn_messaging_key_send,
        local.fn_dead_letter_on_failure,
      ]
    }
    judge = {
      timeout = 60
      memory  = 512
      # One look a minute: overlapping runs would only publish the same look twice.
      reserved_concurrency = 1
      environment = merge(local.fn_common_environment, {
        POWERTOOLS_SERVICE_NAME = "judge"
      })
      managed_statements = {}
      statements = [
        # StateStore: listGroups (GROUPS), policyOverrides and load (GROUP#); the canary judge writes nothing there.
        {
          sid       = "ReadGroups"
          actions   = ["dynamodb:GetItem", "dynamodb:Query"]
          resources = [local.fn_state_table]
          conditions = [
            { test = "ForAllValues:StringLike", variable = "dynamodb:LeadingKeys", values = ["GROUPS", "GROUP#*"] },
          ]
        },
        local.fn_state_key_read,
        # CloudWatchFleetMetrics: per-fleet Invocations, Invocation5XXErrors and ModelLatency of the endpoints.
        {
          sid     = "ReadFleetMetrics"
          actions = ["cloudwatch:GetMetricData"]
          # Resource "*": cloudwatch:GetMetricData has no resource-level permissions (metrics have no ARN)
          resources = ["*"]
        },
        # CloudWatchFleetMetrics.raiseCanaryHarm: CanaryHarm, which the canary-harm rollback alarms watch.
        {
          sid     = "PutCanaryHarm"
          actions = ["cloudwatch:PutMetricData"]
          # Resource "*": cloudwatch:PutMetricData has no resource-level permissions; the namespace condition limits it
          resources = ["*"]
          conditions = [
            { test = "StringEquals", variable = "cloudwatch:namespace", values = ["CreditaiMlops/Judge"] },
          ]
        },
        local.fn_publish_domain_events,
        local.fn_dead_letter_on_failure,
      ]
    }
    experiment-judge = {
      timeout = 60
      # A warm judge keeps what it parsed of each running experiment's captures and outcomes (~200 bytes a record).
      memory = 2048
      # One look a minute: overlapping runs would only publish the same look twice.
      reserved_concurrency = 1
      environment = merge(local.fn_common_environment, {
        POWERTOOLS_SERVICE_NAME = "experiment-judge"
        # Captured decisions per variant, the loan book's matured outcomes, a reconcile per verdict.
        DATA_CAPTURE_S3_URI = module.serving.data_capture_s3_uri
        OUTCOMES_S3_URI     = "s3://${module.storage.bucket_names["data"]}/outcomes"
        RECONCILE_QUEUE_URL = module.messaging.reconcile_queue_url
      })
      managed_statements = {}
      statements = [
        # StateStore: listGroups (GROUPS), policyOverrides and load (GROUP#); recordExperimentVerdict (UpdateItem of
        # STATUS) and the experiment looks (EXPERIMENT# items) in the group's partition.
        {
          sid       = "ReadGroupsRecordExperiments"
          actions   = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"]
          resources = [local.fn_state_table]
          conditions = [
            { test = "ForAllValues:StringLike", variable = "dynamodb:LeadingKeys", values = ["GROUPS", "GROUP#*"] },
          ]
        },
        local.fn_state_key_write,
        # S3ExperimentOutcomes: the production endpoints' captures and the loan book's outcomes.
        {
          sid       = "ListCaptureAndOutcomes"
          actions   = ["s3:ListBucket"]
          resources = [module.storage.bucket_arns["capture"], module.storage.bucket_arns["data"]]
          conditions = [
            { test = "StringLike", variable = "s3:prefix", values = ["endpoints/*", "outcomes/*"] },
          ]
        },
        {
          sid       = "ReadCaptureAndOutcomes"
          actions   = ["s3:GetObject"]
          resources = ["${module.storage.bucket_arns["capture"]}/endpoints/*", "${module.storage.bucket_arns["data"]}/outcomes/*"]
        },
        {
          sid       = "DataKeyViaS3"
          actions   = ["kms:Decrypt"]
          resources = [module.keys.key_arns["data"]]
          conditions = [
            { test = "StringEquals", variable = "kms:ViaService", values = ["s3.${var.aws_region}.amazonaws.com"] },
          ]
        },
        local.fn_send_reconcile,
        local.fn_messaging_key_send,
        local.fn_publish_domain_events,
        local.fn_dead_letter_on_failure,
      ]
    }
  }
}

module "functions" {
  for_each = local.functions
  source   = "./modules/function"

  name                      = "${local.name}-${each.key}"
  zip_path                  = "${var.dist_dir}/${each.key}.zip"
  timeout_seconds           = each.value.timeout
  memory_mb                 = each.value.memory
  reserved_concurrency      = each.value.reserved_concurrency
  environment               = each.value.environment
  policy_statements         = each.value.statements
  managed_policy_statements = each.value.managed_statements
  log_retention_days        = var.log_retention_days
  logs_kms_key_arn          = module.keys.key_arns["logs"]
  account_id                = local.account_id
}

# The reconcile worker consumes the FIFO queue; one message group (model group) at a time, partial batch failures
# reported per message so one stuck group does not hold back the others.
resource "aws_lambda_event_source_mapping" "reconcile" {
  event_source_arn        = module.messaging.reconcile_queue_arn
  function_name           = module.functions["reconcile"].function_arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]

  # No more pollers than the reserved concurrency: throttled batches would count as receives and reach the DLQ.
  scaling_config {
    maximum_concurrency = local.functions["reconcile"].reserved_concurrency
  }

  lifecycle {
    precondition {
      condition     = module.messaging.reconcile_visibility_timeout_seconds >= 6 * local.functions["reconcile"].timeout
      error_message = "The reconcile queue's visibility timeout must be at least 6 times the reconcile function's timeout."
    }
  }
}

# Async invocations (EventBridge, Scheduler): two Lambda retries of a function error within an hour, then the event
# goes to the rules DLQ, so nothing is lost even when no retry can help (replay it once fixed).
resource "aws_lambda_function_event_invoke_config" "this" {
  for_each = local.fn_async_invoked

  function_name                = module.functions[each.key].function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = module.messaging.rules_dlq_arn
    }
  }

  lifecycle {
    precondition {
      condition     = contains(flatten([for s in local.functions[each.key].statements : s.resources]), module.messaging.rules_dlq_arn)
      error_message = "Function ${each.key} is invoked asynchronously but its role may not send to the rules DLQ (add DeadLetterOnFailure)."
    }
  }
}
