output "bucket_names" {
  description = "Bucket names keyed data, artifacts and capture."
  value       = { for purpose, bucket in aws_s3_bucket.this : purpose => bucket.id }
}

output "bucket_arns" {
  description = "Bucket ARNs keyed data, artifacts and capture, for IAM policies."
  value       = { for purpose, bucket in aws_s3_bucket.this : purpose => bucket.arn }
}
