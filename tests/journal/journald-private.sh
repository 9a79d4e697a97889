#!/bin/sh
# A private systemd-journald for tests, beside whatever the machine runs:
# its own mount namespace, where a tmpfs hides /run/systemd (sockets,
# runtime state, config drop-in) and /var/log, and DIR is bound on
# /var/log/journal. It reads the same kernel sources as any journald
# (/dev/kmsg and the audit multicast group, both read-only), so it sees
# every record; it writes nothing outside DIR.
#
#   journald-private.sh run DIR    exec journald in the foreground; logs to stderr
#   journald-private.sh start DIR  run it in the background, wait until it has
#                                  opened its journal, print its pid
#   journald-private.sh stop DIR   SIGTERM, wait for it to exit
#
# Journal files: DIR/<machine-id>/system.journal. start/stop keep
# DIR/journald.pid and DIR/journald.log. Needs root (CAP_SYS_ADMIN for the
# namespace, CAP_SYSLOG for /dev/kmsg, CAP_AUDIT_READ for the multicast).
set -eu

journald=${JOURNALD:-/lib/systemd/systemd-journald}

usage() {
        echo "usage: $0 run|start|stop DIR" >&2
        exit 2
}

[ $# -eq 2 ] || usage
mode=$1
dir=$(cd "$2" && pwd)

# Settings, each for a reason:
#   Storage=persistent + the "flushed" flag: write to /var/log/journal (DIR)
#     at once, without waiting for `journalctl --flush`;
#   Audit= (empty): leave the kernel's audit switch as it is. systemd 252
#     defaults to Audit=no and would turn auditing OFF for the whole machine;
#   no forwarding anywhere, no rate limit (a test counts every record).
conf='[Journal]
Storage=persistent
Audit=
ForwardToSyslog=no
ForwardToKMsg=no
ForwardToConsole=no
ForwardToWall=no
RateLimitIntervalSec=0
SystemMaxUse=256M
'

case "$mode" in
run)
        [ -x "$journald" ] || { echo "$journald: not found" >&2; exit 1; }
        [ -s /etc/machine-id ] || { echo "/etc/machine-id is missing or empty" >&2; exit 1; }
        # journald's own messages go to stderr, not into the machine's
        # kernel log (its default log target is kmsg). The inner script is
        # single-quoted on purpose: it runs inside the new namespace, with
        # its arguments as $1..$3.
        # shellcheck disable=SC2016
        exec env SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL="${SYSTEMD_LOG_LEVEL:-info}" \
                unshare --mount --propagation private sh -c '
set -eu
[ -d /run/systemd ] || mkdir -p /run/systemd
mount -t tmpfs -o mode=0755,size=64m tmpfs /run/systemd
mkdir -p /run/systemd/journal /run/systemd/journald.conf.d
printf "%s" "$2" > /run/systemd/journald.conf.d/zz-hardend-test.conf
touch /run/systemd/journal/flushed
mount -t tmpfs -o mode=0755,size=1m tmpfs /var/log
mkdir /var/log/journal
mount --bind "$1" /var/log/journal
exec "$3"
' sh "$dir" "$conf" "$journald"
        ;;
start)
        sh "$0" run "$dir" >"$dir/journald.log" 2>&1 &
        pid=$!
        echo "$pid" >"$dir/journald.pid"
        i=0
        until ls "$dir"/*/system.journal >/dev/null 2>&1; do
                if ! kill -0 "$pid" 2>/dev/null || [ $i -ge 100 ]; then
                        cat "$dir/journald.log" >&2
                        kill "$pid" 2>/dev/null || true
                        echo "journald did not start" >&2
                        exit 1
                fi
                sleep 0.1
                i=$((i + 1))
        done
        echo "$pid"
        ;;
stop)
        pid=$(cat "$dir/journald.pid")
        kill -TERM "$pid" 2>/dev/null || exit 0
        i=0
        # Gone, or a zombie its new parent has not reaped yet: stopped.
        while [ -e "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
                if [ $i -ge 100 ]; then
                        kill -KILL "$pid" 2>/dev/null || true
                        break
                fi
                sleep 0.1
                i=$((i + 1))
        done
        rm -f "$dir/journald.pid"
        ;;
*)
        usage
        ;;
esac
