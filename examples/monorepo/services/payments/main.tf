provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "api" {
  count         = 3
  ami           = "ami-0abcdef1234567890"
  instance_type = "c6i.2xlarge"
  tags          = { owner = "payments", env = "prod" }
}

resource "aws_db_instance" "ledger" {
  identifier          = "ledger"
  engine              = "postgres"
  instance_class      = "db.r6g.xlarge"
  allocated_storage   = 500
  storage_encrypted   = true
  multi_az            = true
  publicly_accessible = false
  username            = "ledger"
  password            = var.ledger_password
  tags                = { owner = "payments", env = "prod" }
}

resource "aws_s3_bucket" "scratch" {
  bucket = "payments-load-test-scratch"
  tags   = { env = "dev" }
}

resource "aws_s3_bucket" "receipts" {
  bucket = "payments-receipts"
  tags   = { owner = "payments", env = "production" }
}
