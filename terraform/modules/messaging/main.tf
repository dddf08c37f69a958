# The control plane's messaging: the project bus (domain events), the reconcile FIFO queue that serialises work
# per model group, and the dead-letter queues. The rules DLQ's queue policy is in modules/rules, which knows the
# rule ARNs allowed to write to it.

locals {
  # At least 6 times the reconcile function's timeout (300 s): Lambda's guidance for SQS event sources, so a
  # message is not redelivered while a slow batch (and its retries by the poller) is still being worked on.
  reconcile_visibility_timeout_seconds = 1800

  # Deliveries before a reconcile request is parked in the DLQ. Each failure is retried only after the visibility
  # timeout, and the sweep re-requests every group anyway, so 5 covers transient errors without looping for hours.
  reconcile_max_receive_count = 5

  # SQS's maximum: the time on-call has to look at a dead letter and redrive it.
  dlq_retention_seconds = 1209600

  # One data key per hour instead of per 5 minutes: fewer KMS calls (and costs) on every send and receive.
  kms_data_key_reuse_period_seconds = 3600

  # Message-handling actions refused over plain HTTP (the SDKs always use TLS; this closes the door explicitly).
  tls_only_actions = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:PurgeQueue"]
}

# ---------------------------------------------------------------------------------------------------------------
# Project bus
# ---------------------------------------------------------------------------------------------------------------

# Encrypted at rest with an AWS-owned key (EventBridge's default). Not with var.kms_key_arn: EventBridge needs
# kms:DescribeKey on a bus key, which the messaging key's policy does not grant events.amazonaws.com (README).
resource "aws_cloudwatch_event_bus" "this" {
  name        = var.bus_name
  description = "Domain events of the creditai-mlops control plane (source creditai.mlops)."
}

# The allow-list of principals that may put events on the bus. Within one account either the principal's IAM
# policy or this resource policy is enough to allow PutEvents, so this policy cannot shut out a principal whose
# own IAM grants events:PutEvents on the bus: the gate is IAM (only the functions' roles are granted PutEvents on
# this bus, and only for source creditai.mlops). The policy documents who is expected to publish and is what
# would admit a principal of another account (none is listed).
data "aws_iam_policy_document" "bus" {
  statement {
    sid       = "ControlPlaneFunctionsPublish"
    actions   = ["events:PutEvents"]
    resources = [aws_cloudwatch_event_bus.this.arn]

    principals {
      type        = "AWS"
      identifiers = var.bus_publisher_arns
    }
  }
}

resource "aws_cloudwatch_event_bus_policy" "this" {
  event_bus_name = aws_cloudwatch_event_bus.this.name
  policy         = data.aws_iam_policy_document.bus.json
}

# ---------------------------------------------------------------------------------------------------------------
# Reconcile queue (FIFO, one message group per model group)
# ---------------------------------------------------------------------------------------------------------------

resource "aws_sqs_queue" "reconcile" {
  name       = "${var.name}-reconcile.fifo"
  fifo_queue = true

  # The ingress sets MessageDeduplicationId = sha256(group, triggering event id): a redelivered trigger is
  # enqueued once, while two different triggers with the same body both count.
  content_based_deduplication = false

  # High-throughput FIFO: ordering and deduplication per model group is all the control plane needs.
  deduplication_scope   = "messageGroup"
  fifo_throughput_limit = "perMessageGroupId"

  visibility_timeout_seconds = local.reconcile_visibility_timeout_seconds
  # A request older than 4 days is stale; the sweep has re-requested the group many times since.
  message_retention_seconds = 345600

  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = local.kms_data_key_reuse_period_seconds

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.reconcile_dlq.arn
    maxReceiveCount     = local.reconcile_max_receive_count
  })
}

# A FIFO queue's DLQ must be FIFO too.
resource "aws_sqs_queue" "reconcile_dlq" {
  name       = "${var.name}-reconcile-dlq.fifo"
  fifo_queue = true

  content_based_deduplication = false
  message_retention_seconds   = local.dlq_retention_seconds

  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = local.kms_data_key_reuse_period_seconds
}

# Only the reconcile queue may use it as its DLQ (and so be the target of a redrive). A separate resource: inline,
# the DLQ would reference the queue that references the DLQ.
resource "aws_sqs_queue_redrive_allow_policy" "reconcile_dlq" {
  queue_url = aws_sqs_queue.reconcile_dlq.url

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.reconcile.arn]
  })
}

data "aws_iam_policy_document" "reconcile_tls_only" {
  for_each = {
    reconcile     = aws_sqs_queue.reconcile.arn
    reconcile_dlq = aws_sqs_queue.reconcile_dlq.arn
  }

  statement {
    sid       = "DenyPlainHttp"
    effect    = "Deny"
    actions   = local.tls_only_actions
    resources = [each.value]

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

resource "aws_sqs_queue_policy" "reconcile" {
  queue_url = aws_sqs_queue.reconcile.url
  policy    = data.aws_iam_policy_document.reconcile_tls_only["reconcile"].json
}

resource "aws_sqs_queue_policy" "reconcile_dlq" {
  queue_url = aws_sqs_queue.reconcile_dlq.url
  policy    = data.aws_iam_policy_document.reconcile_tls_only["reconcile_dlq"].json
}

# ---------------------------------------------------------------------------------------------------------------
# Rules DLQ (standard): undeliverable EventBridge target invocations, schedule invocations, and Lambda async
# invocations that failed every retry (the functions' on-failure destination).
# ---------------------------------------------------------------------------------------------------------------

resource "aws_sqs_queue" "rules_dlq" {
  name = "${var.name}-rules-dlq"

  message_retention_seconds = local.dlq_retention_seconds

  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = local.kms_data_key_reuse_period_seconds
}
