# Source-mapping fixture: plan.json is real `terraform show -json` output of
# this configuration (Terraform 1.x, built-in terraform_data only). Remake it
# with testdata/source/real/make-plan.sh.

resource "terraform_data" "single" {
  input = "one"
}

resource "terraform_data" "counted" {
  count = 2
  input = "n-${count.index}"
}

resource "terraform_data" "keyed" {
  for_each = toset(["a.b", "c"])
  input    = each.key
}

module "app" {
  source = "./modules/app"
  name   = "web"
}

module "apps" {
  source   = "./modules/app"
  for_each = toset(["x", "y"])
  name     = each.key
}
