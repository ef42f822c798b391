# Source-mapping fixture: plan.json beside it was written by hand to match.

module "logs" {
  source = "../modules/bucket"
  name   = "logs"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"

  tags = {
    env = "prod"
  }
}

resource "aws_s3_bucket" "replicas" {
  count  = 2
  bucket = "acme-replica-${count.index}"
  tags   = { env = "prod", owner = "web" }
}

resource "aws_s3_bucket" "by_team" {
  for_each = toset(["a", "b"])
  bucket   = "acme-${each.key}"
  tags     = { env = "prod" }
}
