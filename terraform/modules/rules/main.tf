# EventBridge routing of the control plane: one rule per catalogue entry (pattern read from its file in events/),
# one Lambda target each with retries and a DLQ, the permission that lets the rule invoke the function, the DLQ's
# queue policy, and the EventBridge Scheduler schedules.

locals {
  rules = { for r in var.catalogue.rules : r.name => r }

  # The catalogue names the project bus by its default name; the deployed bus carries var.project_bus_name.
  rule_bus = { for k, r in local.rules : k => r.bus == "default" ? "default" : var.project_bus_name }

  # Account, region and partition of the DLQ, which is where everything here lives (no data source round trip).
  dlq_arn_parts = split(":", var.dlq_arn)
  partition     = local.dlq_arn_parts[1]
  region        = local.dlq_arn_parts[3]
  account_id    = local.dlq_arn_parts[4]

  # EventBridge's delivery to a target: retried with backoff for an hour, then the DLQ. Lambda's own async retries
  # (aws_lambda_function_event_invoke_config, terraform/functions.tf) come on top for function errors.
  retry = {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 10
  }

  # lookup, not an index: an unknown function is reported by the schedule's precondition, by name.
  scheduled_function_arns = distinct(compact([for s in values(var.schedules) : lookup(var.function_arns, s.function, "")]))
}

# ---------------------------------------------------------------------------------------------------------------
# Rules, targets, permissions
# ---------------------------------------------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "this" {
  for_each = local.rules

  name           = "${var.name}-${each.key}"
  description    = try(each.value.description, null)
  event_bus_name = local.rule_bus[each.key]
  # The file IS the pattern: the tests and the local twin read the same file, so what is tested is what is deployed.
  event_pattern = file("${var.events_dir}/${each.value.pattern}")
  # ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS for the approval trail: plain ENABLED may miss CloudTrail
  # management events such as UpdateModelPackage (aws-facts 1.10).
  state = each.value.state

  lifecycle {
    precondition {
      condition     = length("${var.name}-${each.key}") <= 64
      error_message = "Rule name ${var.name}-${each.key} is longer than EventBridge's 64 characters."
    }
  }
}

resource "aws_cloudwatch_event_target" "this" {
  for_each = local.rules

  rule           = aws_cloudwatch_event_rule.this[each.key].name
  event_bus_name = aws_cloudwatch_event_rule.this[each.key].event_bus_name
  target_id      = each.value.target
  arn            = var.function_arns[each.value.target]

  retry_policy {
    maximum_event_age_in_seconds = local.retry.maximum_event_age_in_seconds
    maximum_retry_attempts       = local.retry.maximum_retry_attempts
  }

  # Events EventBridge could not deliver (throttling past the retries, a missing permission) are kept here.
  dead_letter_config {
    arn = var.dlq_arn
  }

  lifecycle {
    precondition {
      condition     = contains(keys(var.function_arns), each.value.target)
      error_message = "Catalogue rule ${each.key} targets ${each.value.target}, which is not a function of the control plane."
    }
  }
}

# A Lambda target is authorised by the function's resource policy, not by a role: only this rule may invoke it.
resource "aws_lambda_permission" "this" {
  for_each = local.rules

  statement_id  = "AllowEventBridge-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = var.function_arns[each.value.target]
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.this[each.key].arn
}

# ---------------------------------------------------------------------------------------------------------------
# DLQ queue policy
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "dlq" {
  # EventBridge writes dead letters as the service principal: only for our rules.
  statement {
    sid       = "EventBridgeDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [var.dlq_arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [for r in aws_cloudwatch_event_rule.this : r.arn]
    }
  }

  # The scheduler role and the functions' roles (Lambda on-failure destination) write through their own IAM
  # policies; nobody may use the queue over plain HTTP.
  statement {
    sid       = "DenyPlainHttp"
    effect    = "Deny"
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:PurgeQueue"]
    resources = [var.dlq_arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "dlq" {
  queue_url = var.dlq_url
  policy    = data.aws_iam_policy_document.dlq.json
}

# ---------------------------------------------------------------------------------------------------------------
# Schedules (EventBridge Scheduler)
# ---------------------------------------------------------------------------------------------------------------

resource "aws_scheduler_schedule_group" "this" {
  name = var.name
}

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    sid     = "SchedulerAssumesRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    # Confused-deputy guard: only schedules of this account.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  count = length(var.schedules) > 0 ? 1 : 0

  name               = "${var.name}-scheduler"
  description        = "EventBridge Scheduler: invokes the scheduled functions of ${var.name}, dead-letters to the rules DLQ."
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
}

data "aws_iam_policy_document" "scheduler" {
  count = length(var.schedules) > 0 ? 1 : 0

  statement {
    sid       = "InvokeScheduledFunctions"
    actions   = ["lambda:InvokeFunction"]
    resources = local.scheduled_function_arns
  }

  # Scheduler delivers dead letters with this role, not as a service principal.
  statement {
    sid       = "DeadLetter"
    actions   = ["sqs:SendMessage"]
    resources = [var.dlq_arn]
  }

  # The DLQ is SSE-KMS. This module is not given the key's ARN, so the grant names this account's keys and is
  # narrowed by SQS's encryption context to the DLQ alone.
  statement {
    sid       = "DeadLetterEncryption"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sqs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:sqs:arn"
      values   = [var.dlq_arn]
    }
  }
}

resource "aws_iam_role_policy" "scheduler" {
  count = length(var.schedules) > 0 ? 1 : 0

  name   = "${var.name}-scheduler"
  role   = aws_iam_role.scheduler[0].id
  policy = data.aws_iam_policy_document.scheduler[0].json
}

resource "aws_scheduler_schedule" "this" {
  for_each = var.schedules

  name                         = each.key
  group_name                   = aws_scheduler_schedule_group.this.name
  description                  = "Invokes ${each.value.function} on ${each.value.expression} (UTC)."
  schedule_expression          = each.value.expression
  schedule_expression_timezone = "UTC"
  state                        = "ENABLED"

  # Exactly on time: a sweep has no load to spread.
  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = var.function_arns[each.value.function]
    role_arn = aws_iam_role.scheduler[0].arn

    retry_policy {
      maximum_event_age_in_seconds = local.retry.maximum_event_age_in_seconds
      maximum_retry_attempts       = local.retry.maximum_retry_attempts
    }

    dead_letter_config {
      arn = var.dlq_arn
    }
  }

  lifecycle {
    precondition {
      condition     = contains(keys(var.function_arns), each.value.function)
      error_message = "Schedule ${each.key} invokes ${each.value.function}, which is not a function of the control plane."
    }
  }

  # The role must be able to invoke before the first run.
  depends_on = [aws_iam_role_policy.scheduler]
}
