#!/usr/bin/env bash
# kernel-nftables-basic: the foundation in a real kernel. Compiles tests/kernel/Inputs/basic.cmnet
# (its own small catalog, one server host, one client subnet) with `cmnetc build
# --target=nftables`, loads the server host's .nft into a throw-away network namespace with
# tests/kernel/netns_probe.py and probes it with real packets from a client-subnet address,
# over IPv4 and IPv6: every port the policy opens for that client answers (TCP and UDP); the
# port below and above each opening, the other protocol, a port opened only to another host
# and the catalog default that the host overrides do not. A client outside the subnet reaches
# nothing. The expectations are written out by hand from basic.cmnet, not derived from the
# compiler's output, so a compiler that opens the wrong ports cannot agree with itself.
#
# Needs root. Without root it prints SKIP and exits 0, unless CI=true (then it fails).
# CMNETC overrides the compiler (default $BUILD_DIR/bin/cmnetc, BUILD_DIR default build).
# Prints each harness run's `N passed, M failed` and the total; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/../.."

skip_or_fail() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL: kernel-nftables-basic: $1, and CI=true does not allow skipping"
        exit 1
    fi
    echo "SKIP: kernel-nftables-basic: $1"
    exit 0
}
[ "$(id -u)" = 0 ] || skip_or_fail "needs root (network namespaces, nft)"

CMNETC=${CMNETC:-${BUILD_DIR:-build}/bin/cmnetc}
INPUT=tests/kernel/Inputs/basic.cmnet
T=$(mktemp -d /tmp/cmnet-kernel-basic.XXXXXX)
trap 'rm -rf "$T"' EXIT
PASSED=0
FAILED=0

if ! "$CMNETC" build "$INPUT" --target=nftables -o "$T/out" >"$T/build.log" 2>&1; then
    sed 's/^/    | /' "$T/build.log"
    echo "FAIL: cmnetc build $INPUT --target=nftables"
    echo "0 passed, 1 failed"
    exit 1
fi
RULESET=$T/out/nftables/srv.nft

# From a client of site A (10.1.16.0/20, fd00:16::/48) to host srv (10.1.40.1, fd00:40::1).
cat >"$T/client.spec" <<'EOF'
# Client --> Server, with http_port = 8530 on this host
open   tcp 8530
open   tcp 443
open   tcp 53
open   udp 69
open   udp 53
open   udp 5000
open   udp 5001
open   udp 5002
open   tcp 8530 v6
open   tcp 443 v6
open   udp 69 v6
open   udp 5002 v6
# the port below and above each opening
closed tcp 8529
closed tcp 8531
closed tcp 442
closed tcp 444
closed tcp 52
closed tcp 54
closed udp 68
closed udp 70
closed udp 52
closed udp 54
closed udp 4999
closed udp 5003
closed tcp 8529 v6
closed udp 5003 v6
# the other protocol
closed udp 8530
closed udp 443
closed tcp 69
closed tcp 5000
closed tcp 5002
closed udp 443 v6
# opened to the peer host only
closed tcp 445
# the catalog default, overridden on this host
closed tcp 8080
EOF

# From an address outside every client subnet: nothing.
cat >"$T/outside.spec" <<'EOF'
closed tcp 8530
closed tcp 443
closed tcp 53
closed udp 69
closed udp 53
closed udp 5001
closed tcp 445
EOF

# run LABEL SPEC ADDRESS-OPTIONS…: one harness run; its output and summary are printed.
run() {
    local label=$1 spec=$2; shift 2
    echo "== $label"
    timeout -k 5 150 python3 tests/kernel/netns_probe.py --backend nftables --ruleset "$RULESET" \
        --expect "$spec" --dynamic-neigh "$@" >"$T/$label.log" 2>&1
    local rc=$?
    [ "$rc" = 77 ] && skip_or_fail "$(tail -n 1 "$T/$label.log")"
    grep -v '^PASS ' "$T/$label.log"
    local summary want
    summary=$(tail -n 1 "$T/$label.log")
    want="$(grep -cvE '^\s*(#|$)' "$spec") passed, 0 failed"
    if [ "$rc" = 0 ] && [ "$summary" = "$want" ]; then
        PASSED=$((PASSED + ${summary%% *}))
    else
        echo "FAIL: $label: harness exit $rc, '$summary' (want '$want')"
        local ok=${summary%% passed*} bad=${summary##*, }
        [[ "$ok" =~ ^[0-9]+$ ]] || ok=0
        bad=${bad%% failed}
        [[ "$bad" =~ ^[0-9]+$ ]] && [ "$bad" != 0 ] || bad=1
        PASSED=$((PASSED + ok))
        FAILED=$((FAILED + bad))
    fi
}

run client "$T/client.spec" --server-addr 10.1.40.1/24 --client-addr 10.1.16.10/20 \
    --server-addr6 fd00:40::1/64 --client-addr6 fd00:16::10/64
run outside "$T/outside.spec" --server-addr 10.1.40.1/24 --client-addr 10.1.32.10/24

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
