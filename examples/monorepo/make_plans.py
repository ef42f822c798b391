#!/usr/bin/env python3
"""Writes plan.json for each target of this example, matching its main.tf.

No provider can be downloaded where this project is built, so the plans are
written by this script in the exact shape of `terraform show -json`.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def change(address, actions, before, after, unknown=None, sensitive=None, module=None, index=None):
    type_, name = address.split(".")[-2], address.split(".")[-1].split("[")[0]
    rc = {"address": address, "mode": "managed", "type": type_, "name": name,
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "change": {"actions": actions, "before": before, "after": after,
                     "after_unknown": unknown or {}, "before_sensitive": {} if before is not None else False,
                     "after_sensitive": sensitive or ({} if after is not None else False)}}
    if module:
        rc["module_address"] = module
    if index is not None:
        rc["index"] = index
    return rc


def provider(region):
    return {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                    "expressions": {"region": {"constant_value": region}}}}


def plan(changes, region, resources, module_calls=None):
    root = {"resources": resources}
    if module_calls:
        root["module_calls"] = module_calls
    return {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes,
            "configuration": {"provider_config": provider(region), "root_module": root},
            "applyable": True, "complete": True, "errored": False}


def block(address, exprs=None, count=None):
    type_, name = address.split(".")
    b = {"address": address, "mode": "managed", "type": type_, "name": name, "provider_config_key": "aws",
         "expressions": exprs or {}, "schema_version": 0}
    if count:
        b["count_expression"] = {"constant_value": count}
    return b


def tags(**t):
    return {"tags": t, "tags_all": t}


def payments():
    prod = {"owner": "payments", "env": "prod"}
    changes = []
    for i in range(3):
        before = {"ami": "ami-0abcdef1234567890", "instance_type": "c6i.xlarge", **tags(**prod)}
        after = dict(before, instance_type="c6i.2xlarge")
        changes.append(change(f"aws_instance.api[{i}]", ["update"], before, after, index=i))
    changes.append(change("aws_db_instance.ledger", ["create"], None,
                          {"identifier": "ledger", "engine": "postgres", "instance_class": "db.r6g.xlarge",
                           "allocated_storage": 500, "storage_type": "gp2", "storage_encrypted": True,
                           "multi_az": True, "publicly_accessible": False, "username": "ledger",
                           "password": "s3cr3t-ledger-password", **tags(**prod)},
                          {"arn": True, "id": True, "endpoint": True, "kms_key_id": True},
                          sensitive={"password": True}))
    changes.append(change("aws_s3_bucket.scratch", ["create"], None,
                          {"bucket": "payments-load-test-scratch", **tags(env="dev")}, {"arn": True, "id": True}))
    changes.append(change("aws_s3_bucket.receipts", ["create"], None,
                          {"bucket": "payments-receipts", **tags(owner="payments", env="production")},
                          {"arn": True, "id": True}))
    resources = [block("aws_instance.api", {"instance_type": {"constant_value": "c6i.2xlarge"}}, count=3),
                 block("aws_db_instance.ledger", {"password": {"references": ["var.ledger_password"]}}),
                 block("aws_s3_bucket.scratch"), block("aws_s3_bucket.receipts")]
    return plan(changes, "us-east-1", resources)


def network():
    prod = {"owner": "network", "env": "prod"}
    changes = [
        change("module.legacy.aws_security_group.open", ["no-op"],
               {"name": "legacy-open", "ingress": [{"from_port": 0, "to_port": 0, "protocol": "-1",
                                                     "cidr_blocks": ["0.0.0.0/0"]}], **tags(env="prod")},
               {"name": "legacy-open", "ingress": [{"from_port": 0, "to_port": 0, "protocol": "-1",
                                                     "cidr_blocks": ["0.0.0.0/0"]}], **tags(env="prod")},
               module="module.legacy"),
        change("module.legacy.aws_instance.nat", ["update"],
               {"ami": "ami-0123", "instance_type": "t3.micro", **tags(env="prod")},
               {"ami": "ami-0456", "instance_type": "t3.micro", **tags(env="prod")}, module="module.legacy"),
        change("aws_security_group.bastion", ["create"], None,
               {"name": "bastion", "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp",
                                                "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": []}],
                "egress": [], **tags(**prod)}, {"id": True, "arn": True}),
        change("aws_nat_gateway.core", ["create"], None,
               {"allocation_id": "eipalloc-0123456789abcdef0", "subnet_id": "subnet-0123456789abcdef0",
                "connectivity_type": "public", **tags(**prod)}, {"id": True}),
    ]
    legacy = {"source": "./modules/legacy-vpc", "module": {"resources": [
        block("aws_security_group.open"), block("aws_instance.nat")]}}
    resources = [block("aws_security_group.bastion"), block("aws_nat_gateway.core")]
    return plan(changes, "us-east-1", resources, {"legacy": legacy})


for target, make in [("services/payments", payments), ("platform/network", network)]:
    with open(os.path.join(HERE, target, "plan.json"), "w") as out:
        json.dump(make(), out, indent=2)
        out.write("\n")
