#!/bin/sh
# The daemon scenario, run by /init inside the qemu guest after the
# AppArmor one (which leaves no profile loaded). The real agent,
# /usr/sbin/hardend, runs from /etc/hardend/hardend.yaml; every switch goes
# through hardenctl's daemon verbs over the control socket, and every
# verdict is read back from the kernel: apparmorfs' profile list, the
# workload's attr/apparmor/current, what its reads return, and the audit
# records it causes. The workload is the probe (/usr/local/bin/api-server)
# started in the api service's box by `hardenctl exec`. Tags as in
# scenario-apparmor.sh, plus HARDEND: the agent's own log lines.
set -u
sock=/run/hardend/control.sock
ctl="/usr/bin/hardenctl --socket $sock"
hardend=/usr/sbin/hardend
config=/etc/hardend/hardend.yaml
profiles=/etc/hardend/profiles
secret=/secret/token
allowed=/etc/api/config
log=/tmp/hardend.log
failures=0

. /scenario-lib.sh
loaded() { # PROFILE MODE: apparmorfs lists PROFILE in MODE
        grep -qx "$1 ($2)" /sys/kernel/security/apparmor/profiles
}
# The audit records of one process, as the kernel logged them.
records() { # VERDICT PID
        dmesg | grep "apparmor=\"$1\"" | grep " pid=$2 " | grep "name=\"$secret\"" |
                sed 's/^\[[ 0-9.]*\] //'
}
wait_for() { # FILE PATTERN TRIES: polls every 50 ms
        i=0
        while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt "$3" ]; do
                sleep 0.05
                i=$((i + 1))
        done
}
# Starts the agent in the background and waits until it says it is ready
# (it compiles and loads every service's profile first). Prints TIME NAME.
start_daemon() { # NAME
        : >$log
        t0=$(ms)
        env $daemon_env $hardend --config $config >>$log 2>&1 &
        daemon_pid=$!
        i=0
        while ! grep -q '^hardend: ready:' $log && kill -0 $daemon_pid 2>/dev/null &&
                [ $i -lt 1200 ]; do
                sleep 0.05
                i=$((i + 1))
        done
        t1=$(ms)
        tag HARDEND <$log
        echo "TIME: $1 $((t1 - t0)) ms"
        eval "time_$(echo "$1" | tr - _)=$((t1 - t0))"
        grep -q '^hardend: ready:' $log && kill -0 $daemon_pid 2>/dev/null
}
# Starts the probe in api's box; it reads, waits for GO, reads again.
# hardenctl exec execs it: the job's pid is the probe's.
start_workload() { # OUT GO MODE
        rm -f "$2"
        $ctl exec --service api --mode "$3" --profiles $profiles -- \
                /usr/local/bin/api-server --wait "$2" $secret $allowed >"$1" 2>&1 &
        workload_job=$!
        wait_for "$1" "read $allowed" 200
        workload_pid=$(sed -n 's/^probe: pid //p' "$1")
        tag PROBE <"$1"
}

# A sanitizer build (make SANITIZE=1): its runtime makes calls of its own
# under the agent's filter (madvise for shadow memory, sigaltstack), and
# LeakSanitizer's exit check needs ptrace, which that filter denies.
own_calls='comm="(hardend|apparmor_parser)"'
if grep -q 'libasan\.so' $hardend; then
        say "hardend is a sanitizer build: its runtime's madvise and sigaltstack are not counted"
        daemon_env=ASAN_OPTIONS=detect_leaks=0
        sanitizer_calls=' syscall=(28|131) '
else
        daemon_env=
        sanitizer_calls='^$'
fi

say "daemon: $hardend --config $config"
tag CONFIG <$config

say "D1. hardend starts: every service's profile generated and loaded in its policy's mode"
start_daemon daemon-start
verdict daemon-started $?
tag PROFILES </sys/kernel/security/apparmor/profiles
loaded hardend-api complain
verdict daemon-monitor-loaded $?
# With hardend.yaml in profiles_dir the agent confines itself with that
# policy's seccomp filter (its mode: monitor logs what the list lacks).
grep -q '^hardend: confined by its own seccomp filter' $log &&
        grep -q '^Seccomp:[[:space:]]*2$' /proc/$daemon_pid/status
verdict daemon-self-confined $?
grep '^Seccomp' /proc/$daemon_pid/status | tag CURRENT

say "D2. a workload in api's box (monitor) reads a file outside the profile: allowed, recorded"
start_workload /tmp/probe-a.out /tmp/go-a monitor
pid_a=$workload_pid
job_a=$workload_job
tag CURRENT </proc/$pid_a/attr/apparmor/current
grep -q "read $secret: ok" /tmp/probe-a.out
verdict daemon-monitor-read-succeeds $?
sleep 0.2
records ALLOWED $pid_a | tag KMSG
[ -n "$(records ALLOWED $pid_a)" ]
verdict daemon-allowed-record $?
# The agent counts the record as a would-be denial of api.
i=0
while ! $ctl status api --json 2>/dev/null | grep -q '"denials": [1-9]' && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
done
$ctl status api 2>&1 | sed -n '/^api:/,$p' | tag CTL

say "D3. enforce api: refused after a would-be denial in the quiet period, then with --force"
$ctl enforce api >/tmp/ctl.out 2>&1
rc=$?
tag CTL </tmp/ctl.out
echo "CTL: exit $rc"
[ $rc -eq 1 ] && loaded hardend-api complain
verdict daemon-enforce-refused $?
timed enforce-api $ctl enforce --force api
verdict daemon-enforce $?
# No polling: the switch is done when hardenctl returns.
tag PROFILES </sys/kernel/security/apparmor/profiles
loaded hardend-api enforce
verdict daemon-enforce-loaded $?
tag CURRENT </proc/$pid_a/attr/apparmor/current

say "D4. the running workload reads again: refused, recorded"
touch /tmp/go-a
wait $job_a
tag PROBE </tmp/probe-a.out
tail -n 2 /tmp/probe-a.out | grep -q "read $secret: Permission denied (errno 13)" &&
        tail -n 1 /tmp/probe-a.out | grep -q "read $allowed: ok"
rc=$?
sleep 0.2
records DENIED $pid_a | tag KMSG
[ $rc -eq 0 ] && [ -n "$(records DENIED $pid_a)" ]
verdict daemon-enforce-denied $?

say "D5. status: api in enforce, its AppArmor profile loaded"
start_workload /tmp/probe-b.out /tmp/go-b enforce
pid_b=$workload_pid
job_b=$workload_job
grep -q "read $secret: Permission denied (errno 13)" /tmp/probe-b.out
verdict daemon-new-workload-refused $?
$ctl status api >/tmp/status.out 2>&1
rc=$?
sed -n '/^api:/,$p' /tmp/status.out | tag CTL
[ $rc -eq 0 ] && grep -q '^api: enforce ' /tmp/status.out &&
        grep -Eq '^  AppArmor: +hardend-api loaded \(enforce\)$' /tmp/status.out
verdict daemon-status $?

say "D6. kill -9 the agent and start it again: api stays in enforce"
kill -9 $daemon_pid
wait $daemon_pid 2>/dev/null
loaded hardend-api enforce
verdict daemon-killed-profile-stays $?
start_daemon daemon-restart
rc=$?
$ctl status api >/tmp/status.out 2>&1
sed -n '/^api:/,$p' /tmp/status.out | tag CTL
tag PROFILES </sys/kernel/security/apparmor/profiles
# Straight to enforce: a restart that loaded the policy's mode first would
# leave api complaining for a moment.
[ $rc -eq 0 ] && loaded hardend-api enforce && grep -q '^api: enforce ' /tmp/status.out &&
        grep -Eq '^  AppArmor: +hardend-api loaded \(enforce\)$' /tmp/status.out &&
        ! grep -q 'service api: monitor' $log
verdict daemon-restart-keeps-mode $?
tag CURRENT </proc/$pid_b/attr/apparmor/current

say "D7. monitor api: the profile complains again, the running workload's read succeeds"
timed monitor-api $ctl monitor api
verdict daemon-monitor $?
tag PROFILES </sys/kernel/security/apparmor/profiles
tag CURRENT </proc/$pid_b/attr/apparmor/current
touch /tmp/go-b
wait $job_b
tag PROBE </tmp/probe-b.out
tail -n 2 /tmp/probe-b.out | grep -q "read $secret: ok"
rc=$?
sleep 0.2
records ALLOWED $pid_b | tag KMSG
loaded hardend-api complain && [ $rc -eq 0 ] && [ -n "$(records ALLOWED $pid_b)" ]
verdict daemon-monitor-complain $?

say "D8. reload with nothing changed changes nothing"
timed reload $ctl reload
rc=$?
[ $rc -eq 0 ] && loaded hardend-api complain
verdict daemon-reload $?

say "D8b. record api: its recording profile (complain, nothing allowed) logs all the workload does"
# The probe reads $secret, which no rule of api's allows, and $allowed,
# which /etc/api/** does: the proposal from the recording adds a rule for
# the first only, from the kernel's own ALLOWED records.
$ctl record api --duration 3s --detach >/tmp/ctl.out 2>&1
rc=$?
tag CTL </tmp/ctl.out
[ $rc -eq 0 ] && grep -q 'AppArmor too' /tmp/ctl.out && loaded hardend-api complain
verdict daemon-record-started $?
start_workload /tmp/probe-r.out /tmp/go-r monitor
touch /tmp/go-r
wait $workload_job
tag PROBE </tmp/probe-r.out
i=0
while $ctl status api --json 2>/dev/null | grep -q '"active": {' && [ $i -lt 200 ]; do
        sleep 0.1
        i=$((i + 1))
done
$ctl propose api --recording >/tmp/propose.out 2>&1
rc=$?
tag PROPOSE </tmp/propose.out
[ $rc -eq 0 ] && grep -q "^+ *- path: $secret" /tmp/propose.out &&
        ! grep -q "^+ *- path: $allowed" /tmp/propose.out && loaded hardend-api complain
verdict daemon-record-proposal $?

say "D9. the agent's own filter (monitor): nothing hardend or apparmor_parser did was logged"
# The control: a call api's policy neither allows nor denies, syslog(2)
# (dmesg), is logged by its monitor filter (type 1326), so an empty list
# below means nothing was, not that records cannot reach the log.
/usr/bin/hardenctl exec --service api --mode monitor --no-apparmor --profiles $profiles -- \
        /bin/busybox dmesg >/dev/null 2>/tmp/ctl.out
tag CTL </tmp/ctl.out
sleep 0.2
dmesg | grep 'type=1326' | sed 's/^\[[ 0-9.]*\] //' | tag KMSG
dmesg | grep 'type=1326' | grep -q 'syscall=103 ' &&
        ! dmesg | grep 'type=1326' | grep -E "$own_calls" | grep -Evq "$sanitizer_calls"
verdict daemon-self-filter-quiet $?
# The agent's processes: itself under its filter, and the readback helper
# it forks before the filter (the kernel reads filters back only for an
# unfiltered caller), which status lists as a second hardend workload.
for pid in $(pidof hardend); do
        echo "$pid ppid $(sed -n 's/^PPid:[[:space:]]*//p' /proc/$pid/status)," \
                "seccomp mode $(sed -n 's/^Seccomp:[[:space:]]*//p' /proc/$pid/status)" | tag PS
done
$ctl status hardend 2>&1 | sed -n '/^hardend:/,$p' | tag CTL

say "D10. SIGTERM: the agent stops; the profiles it loaded stay"
kill -TERM $daemon_pid
wait $daemon_pid
rc=$?
tail -n 3 $log | tag HARDEND
echo "HARDEND: exit $rc"
[ $rc -eq 0 ] && loaded hardend-api complain
verdict daemon-stopped $?

say "D11. the same kernel work without the agent, in this run: the baselines of the ratios"
# hardenctl apparmor load compiles and replaces once; the agent's enforce
# also compiles once more first (the check that refuses a profile the
# parser would not take), and its start loads the four services.
timed cli-load-enforce /usr/bin/hardenctl apparmor load --mode enforce --profiles $profiles api
timed cli-load-all /usr/bin/hardenctl apparmor load --mode monitor --profiles $profiles \
        api frontend worker hardend
ratio enforce-api cli-load-enforce
ratio monitor-api cli-load-enforce
ratio daemon-start cli-load-all
ratio daemon-restart cli-load-all
/usr/bin/hardenctl apparmor unload api frontend worker hardend 2>&1 | tag CTL

say "daemon done, $failures failure(s)"
