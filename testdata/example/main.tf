# The configuration behind plan.json, the example the README runs.
# plan.json was written by hand to match it (no provider can be downloaded here).

provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { managed_by = "terraform" }
  }
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-web-assets"
  tags   = { owner = "web", env = "prod" }
}

resource "aws_s3_bucket_acl" "assets" {
  bucket = aws_s3_bucket.assets.id
  acl    = "public-read"
}

resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { env = "prod" }
}

resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  allocated_storage = 100
  username          = "orders"
  password          = var.db_password
  storage_encrypted = false
  tags              = { owner = "orders", env = "prod" }
}

resource "aws_instance" "worker" {
  count         = 2
  ami           = "ami-0abcdef1234567890"
  instance_type = "m6i.xlarge"
  tags          = { owner = "batch", env = "prod" }
}

resource "aws_nat_gateway" "main" {
  allocation_id = "eipalloc-0123456789abcdef0"
  subnet_id     = "subnet-0123456789abcdef0"
  tags          = { Owner = "network" }
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "us-east-1a"
  size              = 500
  type              = "gp3"
  tags              = { owner = "batch" }
}
