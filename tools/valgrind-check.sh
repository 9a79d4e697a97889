#!/bin/sh
# Runs the real programs under valgrind on valid and invalid inputs: any
# memory error or definite/indirect leak fails `make check`.
set -eu
cd "$(dirname "$0")/.."
vg="valgrind -q --suppressions=tools/valgrind-libbpf.supp --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
fail=0
check() {
        expected=$1
        shift
        printf '  VALGRIND %s\n' "$*"
        set +e
        $vg "$@" >/dev/null 2>/tmp/hardend-valgrind.$$
        status=$?
        set -e
        if [ "$status" -ne "$expected" ]; then
                cat /tmp/hardend-valgrind.$$ >&2
                echo "valgrind-check: '$*' exited $status, expected $expected" >&2
                fail=1
        fi
        rm -f /tmp/hardend-valgrind.$$
}
check 0 build/hardenctl validate --print profiles/api.yaml profiles/frontend.yaml profiles/worker.yaml tests/fixtures/policies/full.yaml
check 1 build/hardenctl validate tests/fixtures/policies/invalid/typos.yaml tests/fixtures/profiles-mixed/broken.yaml
check 1 build/hardend --check --profiles tests/fixtures/profiles-mixed
check 1 build/hardend --check --config tests/fixtures/config/typos.yaml --profiles profiles
check 0 build/hardend --print-config --config tests/fixtures/config/full.yaml
for f in tests/fuzz/corpus/policy-load/*; do
        check_status=0
        build/hardenctl validate "$f" >/dev/null 2>&1 || check_status=$?
        check "$check_status" build/hardenctl validate "$f"
done
out=$(mktemp -d)
check 0 build/hardenctl generate --runtime-flags no --mode enforce --out "$out" api frontend worker
# generate builds the architectures on several threads: helgrind reports
# any race (in libseccomp's lazily probed globals too). Enforce mode:
# under valgrind libseccomp cannot probe seccomp(2) and refuses LOG.
printf '  HELGRIND hardenctl generate\n'
set +e
valgrind -q --tool=helgrind --error-exitcode=99 build/hardenctl generate --runtime-flags no \
        --threads 4 --mode enforce --out "$out" api frontend worker >/dev/null 2>/tmp/hardend-helgrind.$$
status=$?
set -e
if [ "$status" -ne 0 ]; then
        cat /tmp/hardend-helgrind.$$ >&2
        if [ "$status" -eq 99 ]; then
                echo "valgrind-check: helgrind found races in hardenctl generate" >&2
        else
                echo "valgrind-check: hardenctl generate under helgrind exited $status" >&2
        fi
        fail=1
fi
rm -f /tmp/hardend-helgrind.$$
check 0 build/hardenctl apparmor render --mode monitor worker
# The fixture /proc tree holds findings (exit 1), hostile names and vanished PIDs.
check 1 build/hardenctl check --proc tests/fixtures/proc/host --root tests/fixtures/posture/root --profiles profiles --no-seccomp
check 1 build/hardenctl check --json --proc tests/fixtures/proc/host --root tests/fixtures/posture/root --profiles profiles --no-seccomp
# Events from log files in every format the parsers know, with a malformed line.
check 0 build/hardenctl events --input tests/fixtures/events-cli/mixed.log --summary --profiles profiles
check 0 build/hardenctl events --input tests/fixtures/events-cli/mixed.log --json --summary --profiles profiles
for f in tests/fixtures/events/*.log; do
        check 0 build/hardenctl events --input "$f" --summary --profiles profiles
done
# Proposals and reports from a log file.
check 0 build/hardenctl propose api --input tests/fixtures/events-cli/mixed.log --profiles profiles
check 0 build/hardenctl propose worker --all-events --accept-risky --json --input tests/fixtures/events-cli/mixed.log --profiles profiles
for format in text markdown html json; do
        check 0 build/hardenctl report --format "$format" --input tests/fixtures/events-cli/mixed.log --profiles profiles
done
# A live scan of this machine, seccomp filters read back and decoded.
live=0
build/hardenctl check --profiles profiles >/dev/null 2>&1 || live=$?
check "$live" build/hardenctl check --profiles profiles
rm -rf "$out"

# The agent itself: started under valgrind with private directories (and
# without its own seccomp policy: valgrind's own system calls are not the
# agent's), driven through every control verb, stopped with SIGTERM. Any
# memory error or leak in the daemon fails here.
run=$(mktemp -d)
mkdir "$run/profiles"
cp profiles/api.yaml profiles/frontend.yaml profiles/worker.yaml "$run/profiles/"
printf 'profiles_dir: %s/profiles\nstate_dir: %s/state\nruntime_dir: %s/run\nseccomp_dir: %s/seccomp\nquiet_period: 0s\n' \
        "$run" "$run" "$run" "$run" >"$run/hardend.yaml"
printf '  VALGRIND build/hardend (status, enforce, monitor, reload, events, check, propose, record, report)\n'
$vg build/hardend --config "$run/hardend.yaml" >/dev/null 2>"$run/valgrind.log" &
daemon=$!
i=0
while [ ! -S "$run/run/control.sock" ] && [ $i -lt 600 ]; do
        sleep 0.1
        i=$((i + 1))
done
# Under valgrind the start-up (loading the BPF task iterator, the first
# scan) takes seconds: wait until the daemon answers at all.
i=0
while ! build/hardenctl --socket "$run/run/control.sock" status >/dev/null 2>&1 && [ $i -lt 60 ]; do
        sleep 1
        i=$((i + 1))
done
# valgrind does not know the seccomp() system call, so libseccomp falls back
# to its API level 1 and cannot build monitor mode's log action: under
# valgrind every service is refused ("does not build"), and the switch and
# reload verbs are checked through that refusal (exit 1), and so is a
# recording, whose profile does not build either (exit 3: failed).
for step in "0 status" "0 status --json" "1 enforce api" "1 monitor --all" "1 reload" \
        "0 events --summary" "0 events --json --summary" "0 check --fail-on none" \
        "0 propose api" "0 propose api --json --accept-risky" "1 propose api --recording" \
        "3 record api --duration 2s --detach" "0 report" "0 report --format html"; do
        want=${step%% *}
        verb=${step#* }
        got=0
        # shellcheck disable=SC2086
        build/hardenctl --socket "$run/run/control.sock" $verb >/dev/null 2>>"$run/ctl.log" || got=$?
        if [ "$got" -ne "$want" ]; then
                echo "valgrind-check: hardenctl $verb exited $got against the daemon, expected $want:" >&2
                cat "$run/ctl.log" >&2
                fail=1
        fi
done
kill -TERM $daemon
status=0
wait $daemon || status=$?
if [ "$status" -ne 0 ]; then
        cat "$run/valgrind.log" >&2
        echo "valgrind-check: hardend exited $status under valgrind, expected 0" >&2
        fail=1
fi
rm -rf "$run"
exit $fail
