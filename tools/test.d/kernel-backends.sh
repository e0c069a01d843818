#!/usr/bin/env bash
# kernel-backends: prove the Linux backends in a real kernel. Compiles examples/contoso.cmnet
# (and the backend test inputs) to nftables and iptables, has `nft -c -f`,
# `iptables-restore --test` and `ip6tables-restore --test` accept every file (in a scratch
# network namespace), then loads the rules of a few hosts into throw-away namespaces with
# tests/kernel/netns_probe.py and probes them from a client-subnet address: every port the
# placed IR opens for that client is open; the port below and above each range and the other
# protocol are closed; a client outside every source reaches nothing. Neighbour discovery is
# left dynamic, so IPv6 works only through the rules the backends emit for it.
#
# Needs root. Without root it prints SKIP and exits 0, unless CI is set (then it fails).
# CMNETC overrides the compiler (default build/bin/cmnetc). Prints `N passed, M failed`.
set -u
cd "$(dirname "$0")/../.."

if [ "$(id -u)" != 0 ]; then
    if [ -n "${CI:-}" ] && [ "${CI}" != "false" ] && [ "${CI}" != "0" ]; then
        echo "FAIL: kernel-backends needs root, and CI=${CI} does not allow skipping it"
        exit 1
    fi
    echo "SKIP: kernel-backends needs root (network namespaces, nft, iptables)"
    exit 0
fi

CMNETC=${CMNETC:-build/bin/cmnetc}
PROBE=tests/kernel/netns_probe.py
SPEC=tests/backends/probe_spec.py
HOSTS=(p01 p01dp p01sup s01)   # management point, PXE distribution point, dual stack, secondary
OUTSIDE_HOST=p01
PASSED=0
FAILED=0
T=$(mktemp -d /tmp/cmnet-kernel-backends.XXXXXX)
NS="cmnet-kb-$$"
NS_CREATED=0

cleanup() {
    [ "$NS_CREATED" = 1 ] && timeout 15 ip netns del "$NS" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pass() { PASSED=$((PASSED + 1)); }
fail() {
    FAILED=$((FAILED + 1)); echo "FAIL $1"
    if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/    | /' "$2" | head -40; fi
}

# 1. Compile. The example plus the backend test inputs that every Linux target can express.
inputs=(examples/contoso.cmnet tests/backends/Inputs/{ranges,dynamic,icmp,ipv6,empty_host,many_roles}.cmnet)
for input in "${inputs[@]}"; do
    name=$(basename "$input" .cmnet)
    if ! "$CMNETC" build "$input" --target=nftables,iptables -o "$T/$name" >"$T/$name.log" 2>&1; then
        fail "cmnetc build $input" "$T/$name.log"
    fi
done
if ! "$CMNETC" build examples/contoso.cmnet --emit=ir-json >"$T/contoso.json" 2>"$T/ir.err"; then
    fail "cmnetc build --emit=ir-json" "$T/ir.err"
fi

# 2. The vendors' own checkers accept every file (in a scratch namespace: nothing is loaded
#    into the caller's).
if timeout 15 ip netns add "$NS" 2>"$T/ns.err"; then
    NS_CREATED=1
    files=0
    for f in "$T"/*/nftables/*.nft; do
        files=$((files + 1))
        if timeout 60 ip netns exec "$NS" nft -c -f "$f" >"$T/check.log" 2>&1; then pass; else fail "nft -c -f $f" "$T/check.log"; fi
    done
    for f in "$T"/*/iptables/*.rules; do
        files=$((files + 2))
        if timeout 60 ip netns exec "$NS" iptables-restore --test <"$f" >"$T/check.log" 2>&1; then pass
        else fail "iptables-restore --test $f" "$T/check.log"; fi
        if timeout 60 ip netns exec "$NS" ip6tables-restore --test <"${f}6" >"$T/check.log" 2>&1; then pass
        else fail "ip6tables-restore --test ${f}6" "$T/check.log"; fi
    done
    echo "vendor checks: $files files"
    # Loading twice leaves what loading once did: one table, one jump from INPUT, same rules.
    nsx() { timeout 60 ip netns exec "$NS" "$@"; }
    host=$T/contoso/iptables/p01dp
    if nsx iptables-restore <"$host.rules" && nsx iptables-save >"$T/once" &&
       nsx iptables-restore <"$host.rules" && nsx iptables-save >"$T/twice" &&
       diff <(grep '^-A' "$T/once") <(grep '^-A' "$T/twice") >"$T/reload.diff" &&
       [ "$(grep -c -- '^-A INPUT -j CMNET-INPUT$' "$T/twice")" = 1 ]; then
        pass; echo "iptables reload: $(grep -c '^-A' "$T/twice") rules, one jump from INPUT"
    else
        fail "iptables-restore twice changed the rules" "$T/reload.diff"
    fi
    if nsx nft -f "$T/contoso/nftables/p01dp.nft" && nsx nft list table inet cmnet >"$T/once" &&
       nsx nft -f "$T/contoso/nftables/p01dp.nft" && nsx nft list table inet cmnet >"$T/twice" &&
       diff "$T/once" "$T/twice" >"$T/reload.diff" && [ "$(nsx nft list tables | grep -c '^table inet cmnet$')" = 1 ]; then
        pass; echo "nftables reload: one table inet cmnet, same ruleset"
    else
        fail "nft -f twice changed the ruleset" "$T/reload.diff"
    fi
    timeout 15 ip netns del "$NS" && NS_CREATED=0
else
    fail "cannot create scratch namespace $NS" "$T/ns.err"
fi

# 3. Real packets. probe LABEL BACKEND HOST SPEC [netns_probe options…]
probe() {
    local label=$1 backend=$2 host=$3 spec=$4; shift 4
    local log="$T/probe-$label-$backend-$host.log" rules
    if [ "$backend" = nftables ]; then
        rules=(--ruleset "$T/contoso/nftables/$host.nft")
    else
        rules=(--ruleset "$T/contoso/iptables/$host.rules" --ruleset6 "$T/contoso/iptables/$host.rules6")
    fi
    timeout -k 5 150 python3 "$PROBE" --backend "$backend" "${rules[@]}" --expect "$spec" --dynamic-neigh "$@" \
        >"$log" 2>&1
    local rc=$? want
    want="$(grep -cvE '^\s*(#|$)' "$spec") passed, 0 failed"
    if [ "$rc" = 0 ] && [ "$(tail -n 1 "$log")" = "$want" ]; then
        pass
        echo "probe $label $backend $host: $want"
    else
        fail "probe $label $backend $host (rc=$rc)" "$log"
    fi
}

# addresses HOST [--outside]: netns_probe address options for the host and a chosen client.
addresses() {
    local s4 c4 s6 c6
    read -r s4 c4 s6 c6 < <(python3 "$SPEC" --ir "$T/contoso.json" --host "$@" --addresses)
    ADDRS=(--server-addr "$s4" --client-addr "$c4")
    [ "$s6" != - ] && ADDRS+=(--server-addr6 "$s6" --client-addr6 "$c6")
}

for host in "${HOSTS[@]}"; do
    if ! python3 "$SPEC" --ir "$T/contoso.json" --host "$host" --max 40 >"$T/$host.spec" 2>"$T/spec.err"; then
        fail "probe_spec $host" "$T/spec.err"
        continue
    fi
    addresses "$host"
    for backend in nftables iptables; do
        probe client "$backend" "$host" "$T/$host.spec" "${ADDRS[@]}"
    done
done
python3 "$SPEC" --ir "$T/contoso.json" --host "$OUTSIDE_HOST" --outside --max 30 >"$T/outside.spec"
addresses "$OUTSIDE_HOST" --outside
for backend in nftables iptables; do
    probe outside "$backend" "$OUTSIDE_HOST" "$T/outside.spec" "${ADDRS[@]}"
done

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
