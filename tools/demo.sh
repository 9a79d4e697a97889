#!/bin/sh
# make demo: the agent's main job, end to end, on this machine.
# Every step runs the real binaries on the shipped policies.
set -eu
cd "$(dirname "$0")/.."
ctl=build/hardenctl
work=$(mktemp -d /tmp/hardend-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "1. The shipped service policies validate"
run $ctl validate profiles/api.yaml profiles/frontend.yaml profiles/worker.yaml

step "2. The agent loads its profiles directory"
run build/hardend --check --profiles profiles

step "3. A policy with mistakes: every problem, with its line and column"
cat > "$work/payments.yaml" <<'YAML'
service: payments
mode: enforcing
match:
  units: [payments.service]
seccomp:
  base: "@system-servce"
  allow: [opne, accept4]
  deny: [ptrace, exit_group]
posture:
  capabilities:
    - name: NET_ADMN
      reason: configures its VLAN
    - name: SYS_ADMIN
YAML
printf '$ %s validate %s\n' "$ctl" "$work/payments.yaml"
if $ctl validate "$work/payments.yaml"; then
        echo "demo: the broken policy was accepted" >&2
        exit 1
fi
echo "(exit status 1: nothing was written or changed)"

step "4. What a syscall group means"
run $ctl groups @namespaces

step "5. The canonical form of a policy (hardenctl validate --print), first lines"
$ctl validate --print profiles/frontend.yaml | sed -n '1,25p'
echo "..."

if [ -x tools/demo-seccomp.sh ]; then
        tools/demo-seccomp.sh "$work"
fi
printf '\ndemo: done\n'
