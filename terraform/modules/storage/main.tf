# The working buckets: training data, artifacts (models, pipeline outputs, function zips, CI artifacts) and endpoint
# data capture. Same guarantees for all three; only their lifecycle differs.

locals {
  buckets = {
    data = {
      purpose = "training and evaluation data"
      # Data sets are kept as long as models trained on them may need to be reproduced; old versions go.
      capture_retention = false
    }
    artifacts = {
      purpose           = "model and pipeline artifacts, function zips"
      capture_retention = false
    }
    capture = {
      purpose = "endpoint data capture"
      # Captured requests feed drift checks and investigations for about a year, then expire.
      capture_retention = true
    }
  }
}

resource "aws_s3_bucket" "this" {
  for_each = local.buckets

  # The account id makes the (global) bucket name unique without a random suffix.
  bucket = "${var.name}-${each.key}-${var.account_id}"

  tags = {
    purpose = each.value.purpose
  }
}

# ACLs disabled: the bucket owner owns every object, whoever wrote it (SageMaker, CodeBuild).
resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = aws_s3_bucket.this

  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    # S3 Bucket Keys cut KMS requests (and cost) by orders of magnitude for SageMaker's many small objects.
    bucket_key_enabled = true
  }
}

data "aws_iam_policy_document" "tls_only" {
  for_each = aws_s3_bucket.this

  statement {
    sid    = "DenyInsecureTransport"
    effect = "Deny"
    # A Deny, not a grant: it must cover every S3 action, so it names them all with s3:*.
    actions = ["s3:*"]
    resources = [
      each.value.arn,
      "${each.value.arn}/*",
    ]

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

resource "aws_s3_bucket_policy" "this" {
  for_each = aws_s3_bucket.this

  bucket = each.value.id
  policy = data.aws_iam_policy_document.tls_only[each.key].json

  # S3 refuses a bucket policy while the public access block is being written; order them.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = local.buckets

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # Data and artifacts: an overwritten or deleted object stays recoverable for 90 days.
  dynamic "rule" {
    for_each = each.value.capture_retention ? [] : [1]

    content {
      id     = "expire-noncurrent-versions"
      status = "Enabled"

      filter {}

      noncurrent_version_expiration {
        noncurrent_days = 90
      }
    }
  }

  # Capture: infrequent access after 30 days, gone after 400 (a year of drift history plus a margin). Captures are
  # never overwritten, so the noncurrent version an expiration leaves behind is removed the day after.
  dynamic "rule" {
    for_each = each.value.capture_retention ? [1] : []

    content {
      id     = "capture-retention"
      status = "Enabled"

      filter {}

      transition {
        days          = 30
        storage_class = "STANDARD_IA"
      }

      expiration {
        days = 400
      }

      noncurrent_version_expiration {
        noncurrent_days = 1
      }
    }
  }

  # Lifecycle rules act on versions: versioning must be on first.
  depends_on = [aws_s3_bucket_versioning.this]
}
