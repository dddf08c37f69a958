# One Lambda function of the control plane: the function, its log group and its own role. Everything the function
# may do is in `policy_statements` (and `managed_policy_statements`); the module adds only writing to its own logs.

# ---------------------------------------------------------------------------------------------------------------
# Logs
# ---------------------------------------------------------------------------------------------------------------

# Created by Terraform (not by Lambda on first write) so it has a retention and a KMS key from the start, and the
# role needs no logs:CreateLogGroup.
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

# ---------------------------------------------------------------------------------------------------------------
# Role
# ---------------------------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "LambdaAssumesRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    # Confused-deputy guard: Lambda may assume the role only for functions of this account.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  description        = "Execution role of the Lambda function ${var.name}: only what its code calls."
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "this" {
  # Its own log group only (the `:*` covers the group's log streams).
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  dynamic "statement" {
    for_each = var.policy_statements

    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = statement.value.conditions

        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = var.name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

data "aws_iam_policy_document" "managed" {
  for_each = var.managed_policy_statements

  dynamic "statement" {
    for_each = each.value

    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = statement.value.conditions

        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

# Customer-managed rather than inline: all inline policies of a role share 10,240 characters, which per-model-group
# ARNs outgrow at a few dozen groups; each managed policy has its own 6,144.
resource "aws_iam_policy" "managed" {
  for_each = var.managed_policy_statements

  name        = "${var.name}-${each.key}"
  description = "Part of the permissions of the Lambda function ${var.name} (${each.key})."
  policy      = data.aws_iam_policy_document.managed[each.key].json
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each = var.managed_policy_statements

  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.managed[each.key].arn
}

# ---------------------------------------------------------------------------------------------------------------
# Function
# ---------------------------------------------------------------------------------------------------------------

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.this.arn

  runtime       = "nodejs22.x"
  architectures = ["arm64"]
  handler       = "index.handler"

  # The bundle built by `npm run build`; the hash makes a rebuilt bundle a new deployment.
  filename         = var.zip_path
  source_code_hash = filebase64sha256(var.zip_path)

  timeout                        = var.timeout_seconds
  memory_size                    = var.memory_mb
  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = var.environment
  }

  # Powertools writes structured JSON already; JSON format lets Lambda filter by level and keeps its own
  # platform records structured too.
  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  # No X-Ray sampling of our own; an upstream trace header is passed on.
  tracing_config {
    mode = "PassThrough"
  }

  # The log group must exist before the first invocation writes to it, and the permissions before anything (an
  # event source mapping, an on-failure destination) is validated against the role.
  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.this,
    aws_iam_role_policy_attachment.managed,
  ]
}
