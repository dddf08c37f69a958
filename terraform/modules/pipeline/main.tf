# The training pipeline (creditai-training): its definition, generated from scripts/pipeline/definition.ts into
# pipeline/definition.json with ${...} placeholders this module fills; the default step scripts (the CodeUri
# parameter's default; every push's build uploads its own); its execution role, which may read exactly the prefixes
# the steps read (tests/pipeline proves it against the definition).

locals {
  pipeline_name = "${var.name}-training"
  # Not <name>-pipeline: that is CodePipeline's role (module cicd).
  role_name = "${var.name}-training-exec"

  # The S3 layout of scripts/pipeline/definition.ts (S3_LAYOUT): raw data in the data bucket (applications/<group>/),
  # the step scripts (pipeline/code/<commit>/ from the builds, pipeline/code/default/ from here) and every step
  # output in the artifacts bucket.
  input_prefix        = "applications/"
  code_prefix         = "pipeline/code/"
  default_code_prefix = "pipeline/code/default/"
  executions_prefix   = "pipeline/executions/"

  # What the steps run or read from CodeUri (CODE_FILES of scripts/pipeline/definition.ts); synthetic.py is for
  # tests and stays out.
  code_files = toset(["prep.py", "evaluate.py", "config.json", "analysis_config.json"])

  # SageMaker images per region, generated from scripts/pipeline/images.ts. An unknown region gets empty values
  # and the preconditions below stop the plan with a message naming it.
  no_image = { account = "", repository = "", uri = "" }
  images   = lookup(jsondecode(file("${var.pipeline_dir}/images.json")).regions, var.aws_region, { sklearn = local.no_image, xgboost = local.no_image, clarify = local.no_image })
  image_repository_arns = [
    for image in values(local.images) : "arn:${var.partition}:ecr:${var.aws_region}:${image.account}:repository/${image.repository}"
  ]

  definition = templatefile("${var.pipeline_dir}/definition.json", {
    role_arn         = aws_iam_role.this.arn
    artifacts_bucket = var.artifacts_bucket_name
    kms_key_arn      = var.kms_key_arn
    sklearn_image    = local.images.sklearn.uri
    xgboost_image    = local.images.xgboost.uri
    clarify_image    = local.images.clarify.uri
  })

  # The build compares it with its commit's pipeline/definition.json before it starts training (buildspec.yml):
  # new scripts must not run in an older step graph. Carriage returns dropped on both sides (a Windows checkout).
  definition_sha256 = sha256(replace(file("${var.pipeline_dir}/definition.json"), "\r", ""))

  sagemaker_arn = "arn:${var.partition}:sagemaker:${var.aws_region}:${var.account_id}"
  logs_arn      = "arn:${var.partition}:logs:${var.aws_region}:${var.account_id}:log-group"
  # SageMaker Pipelines names what a step creates pipelines-<execution id>-<step>-<suffix>.
  job_prefix = "pipelines-"
  # Clarify's shadow endpoints (and their configs) are named from endpoint_name_prefix of
  # pipeline/steps/analysis_config.json (CLARIFY_ENDPOINT_PREFIX).
  clarify_endpoint_prefix = "creditai-clarify"
  # SageMaker lower-cases resource names in its ARNs.
  model_package_arns = flatten([
    for group in var.model_group_names : [
      "${local.sagemaker_arn}:model-package-group/${lower(group)}",
      "${local.sagemaker_arn}:model-package/${lower(group)}/*",
    ]
  ])
  dns_suffix = var.partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"
}

# ---------------------------------------------------------------------------------------------------------------
# Execution role

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "SageMakerOfThisAccount"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }

    # Confused-deputy guard: only SageMaker acting for this account may assume the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = local.role_name
  description          = "Execution role of the ${local.pipeline_name} SageMaker pipeline, its jobs and Clarify's shadow endpoint."
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "permissions" {
  # Every S3 input of every step: the applications CSVs, the step scripts (any commit's, and the default),
  # earlier steps' outputs (train and validation channels, the model artifact, the test set, the Clarify
  # configuration and dataset).
  statement {
    sid     = "ReadStepInputs"
    actions = ["s3:GetObject"]
    resources = [
      "${var.data_bucket_arn}/${local.input_prefix}*",
      "${var.artifacts_bucket_arn}/${local.code_prefix}*",
      "${var.artifacts_bucket_arn}/${local.executions_prefix}*",
    ]
  }

  statement {
    sid       = "WriteStepOutputs"
    actions   = ["s3:PutObject"]
    resources = ["${var.artifacts_bucket_arn}/${local.executions_prefix}*"]
  }

  # SageMaker lists an S3Prefix input before it downloads it: listing is limited to the prefixes read.
  statement {
    sid       = "ListInputData"
    actions   = ["s3:ListBucket"]
    resources = [var.data_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.input_prefix}*"]
    }
  }

  statement {
    sid       = "ListStepArtifacts"
    actions   = ["s3:ListBucket"]
    resources = [var.artifacts_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.code_prefix}*", "${local.executions_prefix}*"]
    }
  }

  # The buckets are SSE-KMS and the jobs write with the same key: only through S3 and SageMaker.
  statement {
    sid       = "UseDataKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "s3.${var.aws_region}.${local.dns_suffix}",
        "sagemaker.${var.aws_region}.${local.dns_suffix}",
      ]
    }
  }

  # Job volumes are encrypted with the key (VolumeKmsKeyId): SageMaker creates a grant for the instance's volume.
  statement {
    sid       = "GrantDataKeyToJobVolumes"
    actions   = ["kms:CreateGrant"]
    resources = [var.kms_key_arn]

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }

  statement {
    sid = "RunProcessingSteps"
    actions = [
      "sagemaker:AddTags",
      "sagemaker:CreateProcessingJob",
      "sagemaker:DescribeProcessingJob",
      "sagemaker:StopProcessingJob",
    ]
    resources = ["${local.sagemaker_arn}:processing-job/${local.job_prefix}*"]
  }

  statement {
    sid = "RunTrainingStep"
    actions = [
      "sagemaker:AddTags",
      "sagemaker:CreateTrainingJob",
      "sagemaker:DescribeTrainingJob",
      "sagemaker:StopTrainingJob",
    ]
    resources = ["${local.sagemaker_arn}:training-job/${local.job_prefix}*"]
  }

  # The ClarifyModel step creates the model; Clarify reads it to start its shadow endpoint.
  statement {
    sid       = "CreateClarifyModel"
    actions   = ["sagemaker:AddTags", "sagemaker:CreateModel", "sagemaker:DescribeModel"]
    resources = ["${local.sagemaker_arn}:model/${local.job_prefix}*"]
  }

  # Clarify creates a temporary endpoint for the model, scores the test set and SHAP samples, then deletes it.
  statement {
    sid = "ClarifyShadowEndpoint"
    actions = [
      "sagemaker:AddTags",
      "sagemaker:CreateEndpoint",
      "sagemaker:CreateEndpointConfig",
      "sagemaker:DeleteEndpoint",
      "sagemaker:DeleteEndpointConfig",
      "sagemaker:DescribeEndpoint",
      "sagemaker:DescribeEndpointConfig",
      "sagemaker:InvokeEndpoint",
    ]
    resources = [
      "${local.sagemaker_arn}:endpoint/${local.clarify_endpoint_prefix}*",
      "${local.sagemaker_arn}:endpoint-config/${local.clarify_endpoint_prefix}*",
    ]
  }

  # The Register step: only into the configured model package groups (ModelPackageGroupName parameter).
  dynamic "statement" {
    for_each = length(local.model_package_arns) > 0 ? [local.model_package_arns] : []

    content {
      sid       = "RegisterModelPackages"
      actions   = ["sagemaker:CreateModelPackage", "sagemaker:DescribeModelPackage"]
      resources = statement.value
    }
  }

  # The pipeline passes this role to every job and to the model it creates.
  statement {
    sid       = "PassRoleToSageMakerOnly"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.this.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }

  # The registry login token is account-wide; the image pulls below are scoped to the three repositories.
  statement {
    sid     = "EcrLogin"
    actions = ["ecr:GetAuthorizationToken"]
    # Resource "*": ecr:GetAuthorizationToken has no resource-level permissions
    resources = ["*"]
  }

  statement {
    sid       = "PullStepImages"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = local.image_repository_arns
  }

  statement {
    sid = "WriteJobLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    # A log group ARN followed by * also covers its streams (…:log-group:<name>:log-stream:<stream>).
    resources = [
      "${local.logs_arn}:/aws/sagemaker/ProcessingJobs:*",
      "${local.logs_arn}:/aws/sagemaker/TrainingJobs:*",
      "${local.logs_arn}:/aws/sagemaker/Endpoints/${local.clarify_endpoint_prefix}*",
    ]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = local.role_name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.permissions.json

  lifecycle {
    precondition {
      condition     = local.images.sklearn.uri != "" && local.images.xgboost.uri != "" && local.images.clarify.uri != ""
      error_message = "No SageMaker images are known for region ${var.aws_region}: add its registry accounts to scripts/pipeline/images.ts (from the SageMaker Python SDK's image_uri_config) and run `npm run pipeline:definition`."
    }
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Step scripts

# The CodeUri default, so an execution started without it (by hand, before the first push) runs the scripts of the
# last apply. Each push's build uploads its own to pipeline/code/<commit>/ and passes that instead.
# source_hash, not etag: with SSE-KMS the ETag is not the content's MD5, so only the hash notices an edit.
resource "aws_s3_object" "code" {
  for_each = local.code_files

  bucket                 = var.artifacts_bucket_name
  key                    = "${local.default_code_prefix}${each.key}"
  source                 = "${var.pipeline_dir}/steps/${each.key}"
  source_hash            = filemd5("${var.pipeline_dir}/steps/${each.key}")
  content_type           = endswith(each.key, ".json") ? "application/json" : "text/x-python"
  server_side_encryption = "aws:kms"
  kms_key_id             = var.kms_key_arn
}

# ---------------------------------------------------------------------------------------------------------------
# The pipeline

resource "aws_sagemaker_pipeline" "this" {
  pipeline_name         = local.pipeline_name
  pipeline_display_name = local.pipeline_name
  # The hash is what the build reads (DescribePipeline) to know which definition is deployed.
  pipeline_description = "creditai-training: prep, built-in XGBoost, evaluation (AUC, KS), Clarify bias and SHAP, quality and fairness gate, model registration. Generated by scripts/pipeline/generate.ts; pipeline/definition.json sha256:${local.definition_sha256}"
  role_arn             = aws_iam_role.this.arn
  # Decoded and re-encoded: a malformed file fails the plan here rather than at CreatePipeline.
  pipeline_definition = jsonencode(jsondecode(local.definition))

  # An execution started right after apply must find its permissions and scripts in place.
  depends_on = [aws_iam_role_policy.this, aws_s3_object.code]

  lifecycle {
    precondition {
      condition     = local.images.sklearn.uri != "" && local.images.xgboost.uri != "" && local.images.clarify.uri != ""
      error_message = "No SageMaker images are known for region ${var.aws_region}: add its registry accounts to scripts/pipeline/images.ts and run `npm run pipeline:definition`."
    }
  }
}
