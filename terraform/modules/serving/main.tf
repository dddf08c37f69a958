# The role the control plane's SageMaker models and endpoints run as (CreateModel ExecutionRoleArn). Endpoints
# themselves are created by the control plane, not by Terraform (blue/green updates would fight Terraform).

locals {
  # AWS accounts that host SageMaker's built-in XGBoost image (repository sagemaker-xgboost, versions 0.90-1 to
  # 1.7-1) per region, from the SageMaker Python SDK's src/sagemaker/image_uri_config/xgboost.json (the "1"
  # version uses a different, legacy repository). Add a region here before deploying to it.
  xgboost_image_accounts = {
    "ap-northeast-1" = "354813040037"
    "ap-south-1"     = "720646828776"
    "ap-southeast-1" = "121021644041"
    "ap-southeast-2" = "783357654285"
    "ca-central-1"   = "341280168497"
    "cn-north-1"     = "450853457545"
    "cn-northwest-1" = "451049120500"
    "eu-central-1"   = "492215442770"
    "eu-north-1"     = "662702820516"
    "eu-south-1"     = "978288397137"
    "eu-west-1"      = "141502667606"
    "eu-west-2"      = "764974769150"
    "eu-west-3"      = "659782779980"
    "sa-east-1"      = "737474898029"
    "us-east-1"      = "683313688378"
    "us-east-2"      = "257758044811"
    "us-gov-east-1"  = "237065988967"
    "us-gov-west-1"  = "414596584902"
    "us-west-1"      = "746614075791"
    "us-west-2"      = "246618743249"
  }
  xgboost_image_account = lookup(local.xgboost_image_accounts, var.aws_region, "")

  dns_suffix          = var.partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"
  capture_bucket_name = regex("^arn:[a-z-]+:s3:::(.+)$", var.capture_bucket_arn)[0]
  capture_prefix      = "endpoints"
  endpoint_log_group  = "arn:${var.partition}:logs:${var.aws_region}:${var.account_id}:log-group:/aws/sagemaker/Endpoints/*"
  guardrail_alarms    = "arn:${var.partition}:cloudwatch:${var.aws_region}:${var.account_id}:alarm:creditai-*"
  xgboost_image_repo  = "arn:${var.partition}:ecr:${var.aws_region}:${local.xgboost_image_account}:repository/sagemaker-xgboost"
}

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
  name                 = "${var.name}-sagemaker-execution"
  description          = "Role the ${var.name} control plane's SageMaker models and endpoints run as."
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "permissions" {
  statement {
    sid       = "ReadModelArtifacts"
    actions   = ["s3:GetObject"]
    resources = ["${var.artifacts_bucket_arn}/*"]
  }

  statement {
    sid       = "ListModelArtifacts"
    actions   = ["s3:ListBucket"]
    resources = [var.artifacts_bucket_arn]
  }

  # Data capture writes <DestinationS3Uri>/<endpoint>/<variant>/yyyy/mm/dd/hh/…; the control plane's
  # DestinationS3Uri is the data_capture_s3_uri output, so nothing outside that prefix is writable.
  statement {
    sid       = "WriteDataCapture"
    actions   = ["s3:PutObject"]
    resources = ["${var.capture_bucket_arn}/${local.capture_prefix}/*"]
  }

  # The buckets are SSE-KMS: reading needs Decrypt, writing needs a data key; only through S3 (or SageMaker).
  statement {
    sid       = "UseDataKeys"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = var.kms_key_arns

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "s3.${var.aws_region}.${local.dns_suffix}",
        "sagemaker.${var.aws_region}.${local.dns_suffix}",
      ]
    }
  }

  # The registry login token is account-wide; the image pull below is scoped to the one repository.
  statement {
    sid     = "EcrLogin"
    actions = ["ecr:GetAuthorizationToken"]
    # Resource "*": ecr:GetAuthorizationToken has no resource-level permissions
    resources = ["*"]
  }

  statement {
    sid       = "PullBuiltInXgboostImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [local.xgboost_image_repo]
  }

  statement {
    sid = "WriteEndpointLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    # The log group ARN followed by * also covers its streams (…:log-group:<name>:log-stream:<stream>).
    resources = [local.endpoint_log_group]
  }

  # Deployment guardrails: SageMaker reads the rollback alarms as the endpoint's execution role (aws-facts §4.5).
  # Scoped to the project's alarms (rollback alarms are named creditai-{endpoint}-…); metric alarms only, as
  # composite alarms would need an unscoped DescribeAlarms.
  statement {
    sid       = "ReadGuardrailAlarms"
    actions   = ["cloudwatch:DescribeAlarms"]
    resources = [local.guardrail_alarms]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name}-sagemaker-execution"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.permissions.json

  lifecycle {
    precondition {
      condition     = local.xgboost_image_account != ""
      error_message = "No SageMaker XGBoost image account is known for region ${var.aws_region}: add it to local.xgboost_image_accounts in terraform/modules/serving/main.tf (see the SageMaker Python SDK's image_uri_config/xgboost.json)."
    }
  }
}
