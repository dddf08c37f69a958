# One customer-managed KMS key per purpose, so a key policy grants a service exactly the key it needs and a key can
# be disabled (or audited in CloudTrail) without touching the others.

locals {
  # aws-cn service endpoints and regional service principals end in amazonaws.com.cn.
  dns_suffix = var.partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"
  root_arn   = "arn:${var.partition}:iam::${var.account_id}:root"

  purposes = {
    state     = "DynamoDB lifecycle state table and idempotency records"
    audit     = "Object Lock audit ledger (must outlive its 7-year records)"
    data      = "Training data, model and pipeline artifacts, endpoint data capture, CI artifacts"
    messaging = "SQS reconcile FIFO queue and EventBridge dead-letter queues"
    notify    = "SNS topics of notices, approvals and incidents"
    logs      = "CloudWatch Logs log groups"
  }

  # Administration of the key (no cryptographic use): the account's IAM policies decide who may do it.
  admin_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
  ]

  # Symmetric encryption use. Function and SageMaker roles get these through their own IAM policies.
  use_actions = [
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
  ]

  # Statements that only some keys carry (service principals), merged over the account statements.
  service_documents = {
    logs      = [data.aws_iam_policy_document.logs.json]
    messaging = [data.aws_iam_policy_document.messaging.json]
    notify    = [data.aws_iam_policy_document.notify.json]
    data      = [data.aws_iam_policy_document.data.json]
  }

  key_arns = merge(
    { for purpose, key in aws_kms_key.this : purpose => key.arn },
    { audit = aws_kms_key.audit.arn },
  )
  key_ids = merge(
    { for purpose, key in aws_kms_key.this : purpose => key.key_id },
    { audit = aws_kms_key.audit.key_id },
  )
}

# The account (root) administers and uses every key; it delegates to IAM, so nothing is usable without an IAM
# policy that allows it. No `kms:*`: each action is named.
data "aws_iam_policy_document" "account" {
  statement {
    sid     = "AccountAdministersKey"
    actions = local.admin_actions
    # Resource "*": in a key policy "*" means this key; a key policy cannot name any other resource
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.root_arn]
    }
  }

  statement {
    sid     = "AccountUsesKeyThroughIam"
    actions = local.use_actions
    # Resource "*": in a key policy "*" means this key; a key policy cannot name any other resource
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.root_arn]
    }
  }

  # Grants only for AWS services acting for a caller (DynamoDB table encryption, SageMaker endpoint volumes,
  # CodeBuild): nobody hands out a grant on their own.
  statement {
    sid     = "AccountGrantsOnlyForAwsResources"
    actions = ["kms:CreateGrant"]
    # Resource "*": in a key policy "*" means this key; a key policy cannot name any other resource
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.root_arn]
    }

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

# CloudWatch Logs encrypts log groups of this account and region only (the encryption context names the log group).
data "aws_iam_policy_document" "logs" {
  statement {
    sid = "CloudWatchLogsEncryptsLogGroups"
    actions = [
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
    ]
    # Resource "*": in a key policy "*" means this key; a key policy cannot name any other resource
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.aws_region}.${local.dns_suffix}"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${var.partition}:logs:${var.aws_region}:${var.account_id}:log-group:*"]
    }
  }
}

# EventBridge sends to KMS-encrypted queues (target DLQs, the reconcile FIFO queue): the sender needs a data key.
# SQS gets the same for calls it makes on the queues' behalf; both only when acting for this account.
data "aws_iam_policy_document" "messaging" {
  statement {
    sid     = "ServicesSendToEncryptedQueues"
    actions = ["kms:Decrypt", "kms:GenerateDataKey"]
    # Resource "*": in a key policy "*" means this key; a key policy cannot name any other resource
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "sqs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

# CloudWatch alarms and EventBridge publish to KMS-encrypted topics. The AWS-managed alias/aws/sns key cannot be
# granted to them (aws-facts §6), hence this customer-managed key.
data "aws_iam_policy_document" "notify" {
  statement {
    sid     = "ServicesPublishToEncryptedTopics"
    actions = ["kms:Decrypt", "kms:GenerateDataKey"]
    # Resource "*": in a key policy "*" means this key; a key policy cannot name any other resource
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "sns.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

# SageMaker uses the data key for this account's principals (training, processing, endpoint volumes and data
# capture). Still subject to the caller's IAM policy: the principal is the account, not everyone.
data "aws_iam_policy_document" "data" {
  statement {
    sid = "SageMakerUsesDataKeyForAccount"
    actions = concat(local.use_actions, [
      "kms:CreateGrant",
      "kms:DescribeKey",
    ])
    # Resource "*": in a key policy "*" means this key; a key policy cannot name any other resource
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.root_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sagemaker.${var.aws_region}.${local.dns_suffix}"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [var.account_id]
    }
  }
}

data "aws_iam_policy_document" "key" {
  for_each = local.purposes

  source_policy_documents = concat(
    [data.aws_iam_policy_document.account.json],
    lookup(local.service_documents, each.key, []),
  )
}

resource "aws_kms_key" "this" {
  for_each = { for purpose, description in local.purposes : purpose => description if purpose != "audit" }

  description             = "${var.name} ${each.key}: ${each.value}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key[each.key].json

  tags = {
    purpose = each.key
  }
}

# The audit ledger's key is its own resource so that it can refuse to be destroyed: deleting it would make every
# COMPLIANCE-locked record unreadable (crypto-shredding a 7-year regulatory record). See the audit module's README
# for the deliberate tear-down.
resource "aws_kms_key" "audit" {
  description             = "${var.name} audit: ${local.purposes.audit}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key["audit"].json

  tags = {
    purpose = "audit"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "this" {
  for_each = local.purposes

  name          = "alias/${var.name}-${each.key}"
  target_key_id = local.key_ids[each.key]
}
