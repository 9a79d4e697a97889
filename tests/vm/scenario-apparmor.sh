#!/bin/sh
# The AppArmor scenario, run as part of /init inside the qemu guest (busybox
# sh). Everything AppArmor-related goes through the project's own binary,
# /usr/bin/hardenctl; apparmor_parser is only the compiler it runs. Every
# line meant for the test starts with a tag:
#   SCENARIO: what happens next      CTL: output of hardenctl
#   PROBE: output of the workload     KMSG: kernel audit records
#   PROFILES: apparmorfs' profiles    CURRENT: a process's attr/apparmor/current
#   TIME: milliseconds of a step      RESULT: the scenario's own verdicts
#   RATIO: a step's time over the hand-written floor's
set -u
ctl=/usr/bin/hardenctl
profiles=/etc/hardend/profiles
secret=/secret/token
allowed=/etc/api/config
failures=0

. /scenario-lib.sh
kmsg() { # PATTERN: audit records mentioning it, once each
        dmesg | grep 'apparmor=' | grep -e "$1" | sed 's/^\[[ 0-9.]*\] //' | tag KMSG
}

say "kernel $(uname -r); LSMs $(cat /sys/kernel/security/lsm)"
say "printk_ratelimit $(cat /proc/sys/kernel/printk_ratelimit)"

say "0. the event source follows the kernel's audit stream from the start"
$ctl events --follow --json --profiles $profiles >/tmp/events.json 2>/tmp/events.err &
events_pid=$!
i=0
while ! grep -q following /tmp/events.err 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
done
tag CTL </tmp/events.err

say "1. load api in monitor mode (complain)"
timed load-monitor $ctl apparmor load --mode monitor --profiles $profiles api
verdict load-monitor $?
tag PROFILES </sys/kernel/security/apparmor/profiles

say "1b. the floor: apparmor_parser -r/-R of a hand-written profile of the same size"
timed floor-load apparmor_parser -r -K -q /etc/hardend/floor.apparmor
verdict floor-load $?
timed floor-replace apparmor_parser -r -K -q /etc/hardend/floor.apparmor
timed floor-remove apparmor_parser -R -K -q /etc/hardend/floor.apparmor
ratio load-monitor floor-load

say "2. a process confined by hardend-api reads a file outside the profile"
rm -f /tmp/go
$ctl apparmor exec api -- /usr/local/bin/api-server --wait /tmp/go $secret $allowed \
        >/tmp/probe.out 2>&1 &
probe_pid=$!
i=0
while ! grep -q "read $allowed" /tmp/probe.out 2>/dev/null && [ $i -lt 200 ]; do
        sleep 0.05
        i=$((i + 1))
done
tag PROBE </tmp/probe.out
grep -q "read $secret: ok" /tmp/probe.out
verdict monitor-read-succeeds $?
pid=$(sed -n 's/^probe: pid //p' /tmp/probe.out)
tag CURRENT </proc/$pid/attr/apparmor/current
sleep 0.2
kmsg "apparmor=\"ALLOWED\".*name=\"$secret\""
dmesg | grep -q "apparmor=\"ALLOWED\".*profile=\"hardend-api\".*name=\"$secret\""
verdict allowed-record $?
$ctl apparmor status 2>&1 | tag CTL

say "3. switch api to enforce: the loaded profile is replaced in place"
timed load-enforce $ctl apparmor load --mode enforce --profiles $profiles api
verdict load-enforce $?
$ctl apparmor status api 2>&1 | tag CTL
$ctl apparmor status api 2>&1 | grep -q "hardend-api: enforce (enforce), 1 process: $pid"
verdict running-process-now-enforced $?
tag CURRENT </proc/$pid/attr/apparmor/current

ratio load-enforce floor-replace

say "4. the same read, by the process that was already running, and by a new one"
touch /tmp/go
wait $probe_pid
tag PROBE </tmp/probe.out
tail -n 2 /tmp/probe.out | grep -q "read $secret: Permission denied (errno 13)"
verdict running-process-refused $?
$ctl apparmor exec api -- /usr/local/bin/api-server $secret $allowed >/tmp/probe2.out 2>&1
echo "probe exit $?" >>/tmp/probe2.out
tag PROBE </tmp/probe2.out
grep -q "read $secret: Permission denied (errno 13)" /tmp/probe2.out &&
        grep -q "read $allowed: ok" /tmp/probe2.out
verdict new-process-refused-and-allowed $?
sleep 0.2
kmsg "apparmor=\"DENIED\".*name=\"$secret\""
dmesg | grep -q "apparmor=\"DENIED\".*profile=\"hardend-api\".*name=\"$secret\""
verdict denied-record $?

say "4b. the same under no_new_privs, as hardenctl exec starts programs"
setpriv --no-new-privs $ctl apparmor exec api -- /usr/local/bin/api-server $secret $allowed \
        >/tmp/probe3.out 2>&1
echo "probe exit $?" >>/tmp/probe3.out
tag PROBE </tmp/probe3.out
grep -q "read $secret: Permission denied (errno 13)" /tmp/probe3.out &&
        grep -q "read $allowed: ok" /tmp/probe3.out
verdict no-new-privs-exec-confined $?

say "4c. hardenctl exec: the service's whole box (AppArmor profile + seccomp filter)"
$ctl exec --service api --profiles $profiles -- /usr/local/bin/api-server $secret $allowed \
        >/tmp/probe4.out 2>&1
echo "probe exit $?" >>/tmp/probe4.out
tag PROBE </tmp/probe4.out
grep -q "read $secret: Permission denied (errno 13)" /tmp/probe4.out &&
        grep -q "read $allowed: ok" /tmp/probe4.out
verdict hardenctl-exec-confined $?

say "5. a policy apparmor_parser refuses never reaches the kernel"
timed load-broken $ctl apparmor load --mode monitor --profiles /etc/hardend/broken api
[ $? -eq 1 ]
verdict broken-refused $?
$ctl apparmor status api 2>&1 | tag CTL
$ctl apparmor status api 2>&1 | grep -q "hardend-api: enforce (enforce)"
verdict previous-profile-kept $?

say "6. other services, several at once"
timed load-two $ctl apparmor load --mode enforce --profiles $profiles frontend worker
verdict load-two $?
$ctl apparmor status 2>&1 | tag CTL
tag PROFILES </sys/kernel/security/apparmor/profiles

say "7. unload"
timed unload $ctl apparmor unload api frontend worker
verdict unload $?
ratio unload floor-remove
$ctl apparmor status 2>&1 | tag CTL
$ctl apparmor status 2>&1 | grep -q "no hardend profile is loaded"
verdict status-after-unload $?
! grep -q hardend- /sys/kernel/security/apparmor/profiles
verdict kernel-list-empty $?
$ctl apparmor exec api -- /usr/local/bin/api-server $secret 2>&1 | tag CTL
$ctl apparmor unload api 2>&1 | tag CTL
$ctl exec --service api --profiles $profiles -- /bin/true >/tmp/exec.out 2>&1
[ $? -eq 1 ] && grep -q "the AppArmor profile hardend-api is not loaded" /tmp/exec.out
verdict hardenctl-exec-needs-profile $?
tag CTL </tmp/exec.out

kmsg 'apparmor="STATUS".*hardend-'

say "8. the events hardenctl saw: parsed and attributed to the api service"
sleep 0.2
kill -TERM $events_pid
wait $events_pid
echo "events exit $?" | tag CTL
tag CTL </tmp/events.err
grep "/secret/token" /tmp/events.json | tag EVENTS
grep '"verdict":"ALLOWED"' /tmp/events.json | grep '"service":"api"' |
        grep '"operation":"open"' | grep -q '"name":"/secret/token"'
verdict events-allowed-api $?
grep '"verdict":"DENIED"' /tmp/events.json | grep '"service":"api"' |
        grep '"profile":"hardend-api"' | grep -q '"name":"/secret/token"'
verdict events-denied-api $?
grep '"verdict":"STATUS"' /tmp/events.json | grep -q '"service":"api"'
verdict events-status-api $?

say "done, $failures failure(s)"
