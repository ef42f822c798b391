provider "aws" {
  region = "us-east-1"
}

module "legacy" {
  source = "./modules/legacy-vpc"
}

resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = { owner = "network", env = "prod" }
}

resource "aws_nat_gateway" "core" {
  allocation_id = "eipalloc-0123456789abcdef0"
  subnet_id     = "subnet-0123456789abcdef0"
  tags          = { owner = "network", env = "prod" }
}
