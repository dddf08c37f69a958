# The audit ledger: one immutable JSON record per decision, kept under Object Lock in COMPLIANCE mode.

resource "aws_s3_bucket" "this" {
  bucket = var.bucket_name

  # Object Lock can only be switched on when the bucket is created (ForceNew); it turns versioning on with it.
  object_lock_enabled = true

  lifecycle {
    # COMPLIANCE-locked versions cannot be deleted by anyone, the root user included, until their retention ends,
    # so `terraform destroy` of a bucket holding records fails by design. Refuse the plan up front instead of
    # half-destroying the stack. Tear-down: README, "Tearing down".
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "this" {
  bucket              = aws_s3_bucket.this.id
  object_lock_enabled = "Enabled"

  # Default retention for every new record version; records written with a longer retention keep theirs.
  rule {
    default_retention {
      mode  = "COMPLIANCE"
      years = var.retention_years
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

data "aws_iam_policy_document" "this" {
  statement {
    sid    = "DenyInsecureTransport"
    effect = "Deny"
    # A Deny, not a grant: it must cover every S3 action, so it names them all with s3:*.
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
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

  # COMPLIANCE retention cannot be bypassed at all; this also rules out any GOVERNANCE-mode version someone might
  # write with an explicit retention: nobody may shorten or remove a record's lock.
  statement {
    sid       = "DenyRetentionBypass"
    effect    = "Deny"
    actions   = ["s3:BypassGovernanceRetention"]
    resources = ["${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.this.json

  # S3 refuses a bucket policy while the public access block is being written; order them.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

# Records are read rarely after the first year: Glacier Flexible Retrieval, and never expired (retention is the
# regulation's, not a lifecycle rule's, to end).
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "archive-after-one-year"
    status = "Enabled"

    filter {}

    transition {
      days          = 365
      storage_class = "GLACIER"
    }

    noncurrent_version_transition {
      noncurrent_days = 365
      storage_class   = "GLACIER"
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}
