#!/usr/bin/env bash
# vendor-models: validate the aws-sg and azure-nsg outputs with the vendors' own SDK models,
# offline (tests/backends/vendor_models.py): every CloudFormation template as the EC2 calls it
# stands for, against botocore's EC2 service model with ParamValidator; every ARM template's
# network security group through azure.mgmt.network's models. Inputs: the example and every
# backend test input both targets express, with and without --outbound. Then one deliberately
# broken file per target must be rejected, so the check is shown to be able to fail.
# Needs the Debian packages python3-botocore and python3-azure (tools/install-deps.sh), which
# install for the Debian interpreter /usr/bin/python3. BUILD_DIR selects the build.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
CMNETC=${CMNETC:-$BUILD_DIR/bin/cmnetc}
PY=/usr/bin/python3
CHECK=tests/backends/vendor_models.py
T=$(mktemp -d /tmp/cmnet-vendor-models.XXXXXX)
trap 'rm -rf "$T"' EXIT
status=0
fail() { echo "FAIL $1"; status=1; }

inputs=(examples/contoso.cmnet tests/backends/Inputs/{ranges,dynamic,ipv6,empty_host,many_roles,firewall}.cmnet)
for input in "${inputs[@]}"; do
  name=$(basename "$input" .cmnet)
  for outbound in "" --outbound; do
    out="$T/$name$outbound"
    "$CMNETC" build "$input" --target=aws-sg,azure-nsg $outbound -o "$out" >"$out.log" 2>&1 ||
      { fail "cmnetc build $input $outbound"; sed 's/^/    | /' "$out.log"; continue; }
  done
done
for backend in aws-sg azure-nsg; do
  if "$PY" "$CHECK" --backend "$backend" "$T"/*/"$backend" >"$T/$backend.report"; then
    tail -n 1 "$T/$backend.report"
  else
    fail "$backend outputs do not validate"; cat "$T/$backend.report"
  fi
done

# The same check on a broken output: a port as a string (EC2's FromPort is an integer) and a
# protocol the Azure model does not know.
mkdir -p "$T/broken"
sed '0,/"FromPort": \([0-9]*\)/s//"FromPort": "\1"/' "$T/contoso/aws-sg/p01.json" >"$T/broken/aws.json"
sed '0,/"protocol": "Tcp"/s//"protocol": "TCP6"/' "$T/contoso/azure-nsg/p01.json" >"$T/broken/azure.json"
for pair in aws-sg:aws azure-nsg:azure; do
  backend=${pair%%:*} file=$T/broken/${pair#*:}.json
  if "$PY" "$CHECK" --backend "$backend" "$file" >"$T/broken.report"; then
    fail "$backend: a broken output validated"; cat "$T/broken.report"
  else
    echo "broken $backend output rejected: $(head -n 1 "$T/broken.report" | cut -c1-160)"
  fi
done
[ "$status" = 0 ] && echo "vendor-models: ok"
exit $status
