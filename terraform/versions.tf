terraform {
  required_version = ">= 1.7.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # Remote state: S3 with native locking. Values come from `terraform init -backend-config=envs/<env>.backend.hcl`
  # (see README, "Deploy to AWS"); nothing about the state bucket is hard-coded here.
  backend "s3" {}
}
