# S3 backend of the prod state: `terraform init -backend-config=envs/prod.backend.hcl`.
# The bucket is created once, by hand or by a bootstrap stack, before the first init (docs/deploy.md): versioned,
# SSE-KMS or SSE-S3 encrypted, public access blocked. Replace <account-id> with the prod account's id.
bucket       = "creditai-terraform-state-<account-id>"
key          = "creditai-mlops/prod/terraform.tfstate"
region       = "eu-west-1"
encrypt      = true
use_lockfile = true # S3-native locking (Terraform >= 1.10); no DynamoDB lock table
