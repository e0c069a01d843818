#!/usr/bin/python3
"""Validate aws-sg and azure-nsg outputs with the vendors' own SDK models, offline.

    vendor_models.py --backend aws-sg DIR_OR_FILE...
    vendor_models.py --backend azure-nsg DIR_OR_FILE...

aws-sg: each CloudFormation template becomes the EC2 API calls it stands for —
CreateManagedPrefixList per AWS::EC2::PrefixList, CreateSecurityGroup, then
AuthorizeSecurityGroupIngress / AuthorizeSecurityGroupEgress per rule — and every call's
parameters are checked by botocore's ParamValidator against the input shape of that operation
in botocore's EC2 service model (types, required members, unknown members, lengths and ranges).
A template property that maps to no API parameter is an error too.

azure-nsg: each ARM template's Microsoft.Network/networkSecurityGroups resource is loaded into
azure.mgmt.network's NetworkSecurityGroup model with the SDK's own Deserializer and serialized
back with its Serializer (client-side validation on); a property the model drops or changes
on the way (unknown, misspelt, wrong type) is an error, as is a value outside the model's enum
(protocol, access, direction) or outside a `_validation` constraint of the model.

Uses the Debian packages python3-botocore and python3-azure (run with /usr/bin/python3).
Prints one line per problem and a summary; exits 1 on any problem, 2 when the SDK is missing.
"""

import argparse
import glob
import inspect
import json
import os
import re
import sys

# Stand-ins for what CloudFormation resolves at deploy time (Ref, the ids it creates): any
# well-formed id does, the API model only types them as strings.
PLACEHOLDER = {"VpcId": "vpc-0123456789abcdef0", "GroupId": "sg-0123456789abcdef0",
               "PrefixListId": "pl-0123456789abcdef0"}


def files_of(paths):
    out = []
    for p in paths:
        out.extend(sorted(glob.glob(os.path.join(p, "*.json"))) if os.path.isdir(p) else [p])
    return out


# --- aws-sg -------------------------------------------------------------------------------

def aws_permission(rule, egress, problems, where):
    """One CloudFormation ingress/egress rule -> one EC2 IpPermission."""
    rule = dict(rule)
    perm = {}
    for key in ("IpProtocol", "FromPort", "ToPort"):
        if key in rule:
            perm[key] = rule.pop(key)
    description = rule.pop("Description", None)
    peer_key = "DestinationPrefixListId" if egress else "SourcePrefixListId"
    targets = {"CidrIp": ("IpRanges", "CidrIp"), "CidrIpv6": ("Ipv6Ranges", "CidrIpv6"),
               peer_key: ("PrefixListIds", "PrefixListId")}
    for key, (listKey, itemKey) in targets.items():
        if key not in rule:
            continue
        value = rule.pop(key)
        if isinstance(value, dict) and set(value) <= {"Ref", "Fn::GetAtt"}:
            value = PLACEHOLDER["PrefixListId"]
        item = {itemKey: value}
        if description is not None:
            item["Description"] = description
        perm.setdefault(listKey, []).append(item)
    for key in rule:
        problems.append(f"{where}: property {key!r} maps to no parameter of the EC2 API")
    return perm


def validate_aws(path, model, validator, problems):
    with open(path) as f:
        template = json.load(f)
    calls = 0

    def check(operation, params, where):
        nonlocal calls
        calls += 1
        report = validator.validate(params, model.operation_model(operation).input_shape)
        if report.has_errors():
            for line in report.generate_report().splitlines():
                problems.append(f"{where}: {operation}: {line}")

    for name, resource in sorted(template.get("Resources", {}).items()):
        props = dict(resource.get("Properties", {}))
        where = f"{path}: {name}"
        kind = resource.get("Type")
        if kind == "AWS::EC2::PrefixList":
            check("CreateManagedPrefixList", props, where)
        elif kind == "AWS::EC2::SecurityGroup":
            ingress = props.pop("SecurityGroupIngress", [])
            egress = props.pop("SecurityGroupEgress", [])
            create = {"Description": props.pop("GroupDescription", None), "GroupName": f"cmnet-{name}"}
            if "VpcId" in props:
                props.pop("VpcId")
                create["VpcId"] = PLACEHOLDER["VpcId"]
            if "Tags" in props:
                create["TagSpecifications"] = [{"ResourceType": "security-group", "Tags": props.pop("Tags")}]
            for key in props:
                problems.append(f"{where}: property {key!r} maps to no parameter of CreateSecurityGroup")
            check("CreateSecurityGroup", create, where)
            for i, rule in enumerate(ingress):
                perm = aws_permission(rule, False, problems, f"{where}: ingress {i}")
                check("AuthorizeSecurityGroupIngress", {"GroupId": PLACEHOLDER["GroupId"], "IpPermissions": [perm]},
                      f"{where}: ingress {i}")
            for i, rule in enumerate(egress):
                perm = aws_permission(rule, True, problems, f"{where}: egress {i}")
                check("AuthorizeSecurityGroupEgress", {"GroupId": PLACEHOLDER["GroupId"], "IpPermissions": [perm]},
                      f"{where}: egress {i}")
        else:
            problems.append(f"{where}: resource type {kind!r} is not one the aws-sg target writes")
    return calls


# --- azure-nsg ------------------------------------------------------------------------------

def azure_enum(cls, attr, models):
    """The enum a model attribute takes: the attribute map types it `str`, the constructor's
    annotation names the enum (`Union[str, "_models.SecurityRuleProtocol"]`)."""
    annotation = inspect.signature(cls.__init__).parameters.get(attr)
    match = annotation and re.search(r"_models\.(\w+)", str(annotation.annotation))
    enum = getattr(models, match.group(1), None) if match else None
    return enum if isinstance(enum, type) and hasattr(enum, "__members__") else None


def azure_enum_problems(obj, models, where):
    """Values of enum-typed attributes that the model's enum does not list, and values outside
    the model's `_validation` constraints."""
    out = []
    for attr, spec in getattr(obj, "_attribute_map", {}).items():
        value = getattr(obj, attr, None)
        if value is None:
            continue
        enum = azure_enum(type(obj), attr, models)
        if enum is not None:
            allowed = {m.value for m in enum}
            if value not in allowed:
                out.append(f"{where}: {spec['key']} {value!r} is not one of {sorted(allowed)}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                out.extend(azure_enum_problems(item, models, f"{where}: {spec['key']}[{i}]"))
        elif hasattr(value, "_attribute_map"):
            out.extend(azure_enum_problems(value, models, f"{where}.{spec['key']}"))
        for rule, bound in getattr(obj, "_validation", {}).get(attr, {}).items():
            if rule == "required" and bound and value is None:
                out.append(f"{where}: {spec['key']} is required")
            if rule == "maximum" and value > bound or rule == "minimum" and value < bound:
                out.append(f"{where}: {spec['key']} {value} is outside the model's {rule} {bound}")
    return out


def canonical(value):
    """JSON value with the order of object keys made irrelevant."""
    return json.loads(json.dumps(value, sort_keys=True))


def validate_azure(path, models, serialization, problems):
    with open(path) as f:
        template = json.load(f)
    classes = {k: v for k, v in vars(models).items() if isinstance(v, type)}
    count = 0
    for i, resource in enumerate(template.get("resources", [])):
        where = f"{path}: resources[{i}]"
        if resource.get("type") != "Microsoft.Network/networkSecurityGroups":
            problems.append(f"{where}: resource type {resource.get('type')!r} is not one the azure-nsg target writes")
            continue
        count += 1
        # name and location are ARM template expressions, resolved at deployment.
        body = {"location": "westeurope", "properties": resource.get("properties", {})}
        try:
            deserializer = serialization.Deserializer(classes)
            nsg = deserializer._deserialize("NetworkSecurityGroup", body)
            serializer = serialization.Serializer(classes)
            serializer.client_side_validation = True
            back = serializer.body(nsg, "NetworkSecurityGroup")
        except Exception as e:  # the SDK's (De)SerializationError, TypeError, ValueError
            problems.append(f"{where}: the NetworkSecurityGroup model rejects it: {type(e).__name__}: {str(e)[:300]}")
            continue
        problems.extend(azure_enum_problems(nsg, models, where))
        if canonical(back.get("properties", {})) != canonical(body["properties"]):
            got, want = back.get("properties", {}), body["properties"]
            for j, (a, b) in enumerate(zip(want.get("securityRules", []), got.get("securityRules", []))):
                if canonical(a) != canonical(b):
                    problems.append(f"{where}: securityRules[{j}] does not survive the model: {json.dumps(a)} "
                                    f"became {json.dumps(b)}")
                    break
            else:
                problems.append(f"{where}: properties do not survive the model: {sorted(want)} became {sorted(got)}")
    return count


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", required=True, choices=("aws-sg", "azure-nsg"))
    ap.add_argument("paths", nargs="+", help="output files or directories of the backend")
    args = ap.parse_args()
    problems = []
    files = files_of(args.paths)
    try:
        if args.backend == "aws-sg":
            import botocore.session
            from botocore.validate import ParamValidator
            model = botocore.session.get_session().get_service_model("ec2")
            validator = ParamValidator()
            checked = sum(validate_aws(p, model, validator, problems) for p in files)
            what = f"EC2 calls (botocore {botocore.__version__})"
        else:
            from azure.mgmt.network import _serialization as serialization
            from azure.mgmt.network import models
            from azure.mgmt.network._version import VERSION
            checked = sum(validate_azure(p, models, serialization, problems) for p in files)
            what = f"network security groups (azure-mgmt-network {VERSION})"
    except ImportError as e:
        print(f"vendor_models: {args.backend}: the vendor SDK is missing: {e}")
        return 2
    for p in problems:
        print(f"vendor_models: {args.backend}: {p}")
    print(f"vendor_models: {args.backend}: {len(files)} files, {checked} {what}, {len(problems)} problems")
    return 1 if problems or not files else 0


if __name__ == "__main__":
    sys.exit(main())
