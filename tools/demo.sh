#!/bin/sh
# make demo: the agent's main job, end to end, on this machine.
# Every step runs the real binaries on the shipped policies.
set -eu
cd "$(dirname "$0")/.."
ctl=build/hardenctl
work=$(mktemp -d /tmp/hardend-demo.XXXXXX)
agent=""
cleanup() {
        if [ -n "$agent" ]; then
                kill -TERM "$agent" 2>/dev/null || true
                wait "$agent" 2>/dev/null || true
        fi
        podman rm -f -t 0 hardend-demo-careless hardend-demo-boxed >/dev/null 2>&1 || true
        rm -rf "$work"
}
trap cleanup EXIT

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

step "6. Generate each service's box: seccomp (OCI JSON, BPF, PFC), AppArmor, systemd drop-in"
run $ctl generate --mode enforce --out "$work" api frontend worker
ls "$work"
printf '\n--- %s (excerpt)\n' "api.seccomp.json"
sed -n '1,12p' "$work/api.seccomp.json"
printf '\n--- %s (excerpt)\n' "api.apparmor"
grep -v '^#' "$work/api.apparmor" | sed -n '1,16p'

step "7. enforce: the worker box runs a build step, and refuses to create a namespace"
run $ctl exec --service worker --mode enforce -- sh -c 'echo "build step: $(uname -s) $(nproc) cpus"; ls / | wc -l'
printf '$ %s exec --service worker --mode enforce -- unshare --user true\n' "$ctl"
if $ctl exec --service worker --mode enforce -- unshare --user true; then
        echo "demo: unshare was not refused" >&2
        exit 1
fi
echo "(refused: unshare(2) failed with EPERM)"

step "8. monitor vs enforce: syslog(2) is outside api's allow list (dmesg -S calls it)"
echo "Explicit deny rules (unshare above) refuse in both modes; everything else"
echo "outside the allow list is allowed and audited in monitor mode."
since=$(date +%s)
run $ctl exec --no-apparmor --service api --mode monitor -- sh -c 'dmesg -S >/dev/null && echo "dmesg -S ran"'
sleep 0.3
echo "the kernel's audit records (type 1326, code 0x7ffc0000 = SECCOMP_RET_LOG):"
# The ring buffer may be full: select by the records' own audit(EPOCH...) stamp.
dmesg | grep 'type=1326' | grep 'comm="dmesg"' |
        awk -v since="$since" 'match($0, /audit\([0-9]+/) { if (substr($0, RSTART + 6, RLENGTH - 6) + 0 >= since) print "  " $0 }' |
        tail -n 2
printf '  syscall 103 is %s\n' "$(scmp_sys_resolver -a x86_64 103)"
printf '$ %s exec --no-apparmor --service api --mode enforce -- dmesg -S\n' "$ctl"
if $ctl exec --no-apparmor --service api --mode enforce -- dmesg -S >/dev/null; then
        echo "demo: syslog(2) was not refused in enforce mode" >&2
        exit 1
fi
echo "(refused in enforce mode)"

step "9. Posture: two real containers (podman + runc) of the frontend service, checked through /proc"
mkdir -p "$work/rootfs/bin" "$work/rootfs/tmp" "$work/rootfs/run"
cp /bin/busybox "$work/rootfs/bin/"
ln -s busybox "$work/rootfs/bin/sh"
ln -s busybox "$work/rootfs/bin/sleep"
ln -s busybox "$work/rootfs/bin/dmesg"
mkdir -p "$work/monitor"
$ctl generate --mode monitor --runtime-flags no --out "$work/monitor" frontend >/dev/null
pod="podman --runtime runc run -d --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
pod="$pod --annotation io.kubernetes.container.name=frontend"
echo "careless: writable root, an extra capability, no no-new-privileges"
$pod --name hardend-demo-careless --cap-add=SYS_ADMIN --rootfs "$work/rootfs" /bin/sleep 300 >/dev/null
echo "boxed: read-only, only NET_BIND_SERVICE, no-new-privileges, frontend's own seccomp profile"
$pod --name hardend-demo-boxed --read-only --cap-drop=ALL --cap-add=NET_BIND_SERVICE \
        --security-opt no-new-privileges --security-opt seccomp="$work/monitor/frontend.seccomp.json" \
        --rootfs "$work/rootfs" /bin/sleep 300 >/dev/null
printf '$ %s check --service frontend --fail-on none\n' "$ctl"
$ctl check --service frontend --fail-on none 2>/dev/null

step "10. Events: the kernel's audit records, attributed to container and service"
echo "hardenctl events follows the kernel's audit stream; a process in the boxed container"
echo "calls syslog(2) (busybox dmesg), outside frontend's allow list: monitor mode logs it."
$ctl events --follow --service frontend >"$work/events.out" 2>"$work/events.err" &
events=$!
i=0
while ! grep -q following "$work/events.err" 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
done
printf '$ podman exec hardend-demo-boxed dmesg   (three times)\n'
for i in 1 2 3; do
        podman exec hardend-demo-boxed /bin/dmesg >/dev/null 2>&1 || true
done
sleep 1.5
kill -TERM $events
wait $events || true
printf '$ %s events --follow --service frontend\n' "$ctl"
sed 's/^/  /' "$work/events.out"
grep -q 'frontend .* seccomp  LOG  syslog' "$work/events.out" || {
        echo "demo: the container's syslog(2) was not attributed to frontend" >&2
        exit 1
}

step "11. The agent: hardend runs the loop, hardenctl steers it"
echo "A private hardend (its own state, socket and seccomp directories under $work/agent):"
echo "it writes every service's profiles, follows audit events, scans the containers."
mkdir -p "$work/agent/profiles"
cp profiles/*.yaml "$work/agent/profiles/"
printf 'profiles_dir: %s\nstate_dir: %s\nruntime_dir: %s\nseccomp_dir: %s\nscan_interval: 10s\n' \
        "$work/agent/profiles" "$work/agent/state" "$work/agent/run" "$work/agent/seccomp" \
        >"$work/agent/hardend.yaml"
start_agent() {
        build/hardend --config "$work/agent/hardend.yaml" 2>>"$work/agent/hardend.log" &
        agent=$!
        i=0
        while ! $ctl status >/dev/null 2>&1 && [ $i -lt 300 ]; do
                sleep 0.1
                i=$((i + 1))
        done
}
export HARDEND_SOCKET="$work/agent/run/control.sock"
start_agent
printf '$ podman exec hardend-demo-boxed dmesg   (frontend trips its profile again)\n'
podman exec hardend-demo-boxed /bin/dmesg >/dev/null 2>&1 || true
sleep 1.5
run $ctl status frontend
echo
echo "enforce is refused while frontend still trips its profile (quiet period):"
run $ctl enforce frontend || true
echo
run $ctl enforce api
echo
echo "the state survives a crash: SIGKILL the agent, start it again"
kill -KILL "$agent"
wait "$agent" 2>/dev/null || true
start_agent
run $ctl status api
$ctl status --json api | grep -q '"mode": *"enforce"' || {
        echo "demo: api is not in enforce mode after the restart" >&2
        exit 1
}

step "12. The closed loop: record, propose, apply, enforce; the reviewer's report"
echo "frontend is recorded for 8s: its recording profile allows nothing beforehand, so"
echo "everything its container does is logged. The container starts after the recording."
run $ctl record frontend --duration 8s --detach
rec="podman --runtime runc run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
rec="$rec --security-opt no-new-privileges --annotation io.kubernetes.container.name=frontend"
printf '$ podman run ... frontend.seccomp.json sh -c "echo hello > /tmp/index.html; sleep 1"\n'
$rec --security-opt seccomp="$work/agent/seccomp/frontend.seccomp.json" --rootfs "$work/rootfs" \
        /bin/sh -c 'echo hello > /tmp/index.html && /bin/sleep 1' >/dev/null
i=0
while $ctl status --json frontend | grep -q '"active": {' && [ $i -lt 200 ]; do
        sleep 0.1
        i=$((i + 1))
done
echo "the proposal from the recording (a @system-service base becomes the calls made):"
run $ctl propose frontend --recording --apply
echo
echo "enforce, once the quiet period since the recording's would-be denials is over (--force"
echo "here: the demo does not wait an hour); the same workload runs, anything else is refused:"
run $ctl enforce frontend --force
printf '$ podman run ... sh -c "echo hello > /tmp/index.html; sleep 1"\n'
$rec --security-opt seccomp="$work/agent/seccomp/frontend.seccomp.json" --rootfs "$work/rootfs" \
        /bin/sh -c 'echo hello > /tmp/index.html && /bin/sleep 1' && echo "  (ran cleanly)"
printf '$ podman run ... dmesg\n'
if $rec --security-opt seccomp="$work/agent/seccomp/frontend.seccomp.json" \
        --rootfs "$work/rootfs" /bin/dmesg >/dev/null 2>&1; then
        echo "demo: dmesg ran under the tightened frontend policy" >&2
        exit 1
fi
echo "  (refused)"
echo
run $ctl status frontend
echo
$ctl report --format html --output "$work/report.html"
printf '$ %s report --format html --output %s\n  %s bytes, one self-contained page\n' \
        "$ctl" "$work/report.html" "$(wc -c <"$work/report.html")"
run $ctl report --service frontend

echo
echo "what the agent logged:"
sed 's/^/  /' "$work/agent/hardend.log"

printf '\ndemo: done\n'
