# S3 backend of the dev state: `terraform init -backend-config=envs/dev.backend.hcl`.
# The bucket is created once, by hand or by a bootstrap stack, before the first init (docs/deploy.md): versioned,
# SSE-KMS or SSE-S3 encrypted, public access blocked. Replace <account-id> with the dev account's id.
bucket       = "creditai-terraform-state-<account-id>"
key          = "creditai-mlops/dev/terraform.tfstate"
region       = "eu-west-1"
encrypt      = true
use_lockfile = true # S3-native locking (Terraform >= 1.10); no DynamoDB lock table
