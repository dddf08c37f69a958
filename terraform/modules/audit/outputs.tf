output "bucket_name" {
  description = "Name of the Object Lock (COMPLIANCE) audit-ledger bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the audit-ledger bucket, for IAM policies."
  value       = aws_s3_bucket.this.arn
}
