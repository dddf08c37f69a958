# SNS topics for people (notices, approvals) and for incidents, and the secret notify reads the PagerDuty routing
# key from. Paging itself is done by the notify function through PagerDuty's Events API v2 (dedup keys, resolve),
# so no topic is subscribed to PagerDuty.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id

  # notices: releases, rejections and other news of the lifecycle (email); approvals: versions waiting for a human
  # (email); incidents: what needs on-call, the alarm action of the endpoint and control-plane alarms.
  topics = toset(["notices", "approvals", "incidents"])

  # Only people-facing topics get the email subscriptions; incidents page through PagerDuty instead.
  email_topics = ["notices", "approvals"]
  email_subscriptions = {
    for pair in setproduct(local.email_topics, var.notification_emails) : "${pair[0]}/${pair[1]}" => {
      topic = pair[0]
      email = pair[1]
    }
  }
}

resource "aws_sns_topic" "this" {
  for_each = local.topics

  name              = "${var.name}-${each.key}"
  display_name      = "creditai ${each.key}"
  kms_master_key_id = var.kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "topic" {
  for_each = local.topics

  # The account keeps the usual owner rights; IAM policies of its principals still decide who may use them.
  statement {
    sid    = "AccountOwner"
    effect = "Allow"
    actions = [
      "SNS:GetTopicAttributes",
      "SNS:ListSubscriptionsByTopic",
      "SNS:Publish",
      "SNS:Subscribe",
    ]
    resources = [aws_sns_topic.this[each.key].arn]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root"]
    }
  }

  # EventBridge rules and CloudWatch alarms of this account may publish; the SourceAccount condition keeps other
  # accounts' rules and alarms out (confused deputy).
  statement {
    sid       = "AwsServicesOfThisAccount"
    effect    = "Allow"
    actions   = ["SNS:Publish"]
    resources = [aws_sns_topic.this[each.key].arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  for_each = local.topics

  arn    = aws_sns_topic.this[each.key].arn
  policy = data.aws_iam_policy_document.topic[each.key].json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = local.email_subscriptions

  topic_arn = aws_sns_topic.this[each.value.topic].arn
  protocol  = "email"
  endpoint  = each.value.email
}

# The PagerDuty Events API v2 routing key. Terraform creates the secret only: the key is put in with
# `aws secretsmanager put-secret-value` (docs/deploy.md), so it never lands in the state or in a tfvars file.
resource "aws_secretsmanager_secret" "pagerduty" {
  count = var.pagerduty_enabled ? 1 : 0

  name                    = "${var.name}/pagerduty-routing-key"
  description             = "PagerDuty Events API v2 routing key (32 characters) of the creditai-mlops on-call service; read by the notify function. Value set outside Terraform."
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_in_days

  tags = var.tags
}
