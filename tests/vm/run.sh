#!/bin/sh
# Boots Debian's stock kernel (AppArmor on by default) under qemu, software
# emulation, into a busybox initramfs that carries the project's hardenctl,
# hardend and apparmor_parser with their shared libraries, runs
# tests/vm/scenario-apparmor.sh (hardenctl alone) and
# tests/vm/scenario-daemon.sh (the agent, driven by hardenctl over its
# control socket) as part of /init and prints the serial console. The test
# suite apparmor-vm asserts on that output.
#
#   tests/vm/run.sh [HARDENCTL [HARDEND]]
#       default build/hardenctl, and hardend next to HARDENCTL
#
# Environment: HARDEND_VM_DIR (cache, default build/vm), HARDEND_VM_KERNEL
# (a vmlinuz to boot instead of linux-image-amd64's), HARDEND_VM_TIMEOUT
# (seconds, default 240), HARDEND_VM_SCENARIOS (which scenarios /init
# runs, in order: default "apparmor daemon"). The initramfs is rebuilt only
# when one of its inputs changed, so a repeated run costs the boot and the
# scenarios only.
# Exit status: 0 the guest ran and powered off; 77 a component is missing
# (the message names the Debian package); 1 anything else.
set -eu
cd "$(dirname "$0")/../.."
ctl=${1:-build/hardenctl}
daemon=${2:-$(dirname "$ctl")/hardend}
cache=${HARDEND_VM_DIR:-build/vm}
timeout_s=${HARDEND_VM_TIMEOUT:-240}
scenarios=${HARDEND_VM_SCENARIOS:-apparmor daemon}

skip() {
        echo "vm: SKIP: $*" >&2
        exit 77
}
fail() {
        echo "vm: $*" >&2
        exit 1
}

command -v qemu-system-x86_64 >/dev/null 2>&1 ||
        skip "qemu-system-x86_64 is not installed (Debian package qemu-system-x86)"
command -v cpio >/dev/null 2>&1 || skip "cpio is not installed (Debian package cpio)"
busybox=/bin/busybox
[ -x "$busybox" ] || skip "$busybox is missing (Debian package busybox-static)"
# The guest has no libc for busybox: it must be the static build.
if ldd "$busybox" >/dev/null 2>&1; then
        skip "$busybox is dynamically linked (Debian package busybox-static)"
fi
parser=""
for p in /usr/sbin/apparmor_parser /sbin/apparmor_parser; do
        [ -x "$p" ] && parser=$p && break
done
[ -n "$parser" ] || skip "apparmor_parser is not installed (Debian package apparmor)"
[ -x "$ctl" ] || skip "$ctl is not built (make all)"
[ -x "$daemon" ] || skip "$daemon is not built (make all)"
for s in $scenarios; do
        [ -f "tests/vm/scenario-$s.sh" ] || fail "no scenario tests/vm/scenario-$s.sh"
done
command -v cc >/dev/null 2>&1 || skip "no C compiler for the guest's probe (build-essential)"
setpriv=$(command -v setpriv 2>/dev/null) || skip "setpriv is not installed (Debian package util-linux)"

# The kernel: the one the installed linux-image-amd64 depends on (dpkg's
# own record, which needs no apt lists), else the one apt resolves it to.
kernel=${HARDEND_VM_KERNEL:-}
if [ -z "$kernel" ]; then
        pkg=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
                sed -n 's/^\(linux-image-[0-9][^ ,]*\).*/\1/p')
        [ -n "$pkg" ] || pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
                sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
        [ -n "$pkg" ] || skip "linux-image-amd64 is not installed (make deps)"
        kernel=/boot/vmlinuz-${pkg#linux-image-}
        [ -r "$kernel" ] || skip "$kernel is missing (Debian package $pkg)"
fi
[ -r "$kernel" ] || skip "cannot read kernel $kernel"

mkdir -p "$cache"
img=$cache/initramfs.cpio.gz
probe=$cache/probe
root=$cache/root
here=tests/vm
inputs="$ctl $daemon $parser $setpriv $busybox $here/init.sh $here/scenario-apparmor.sh \
$here/scenario-daemon.sh $here/scenario-lib.sh $here/probe.c $here/run.sh profiles/api.yaml profiles/frontend.yaml \
profiles/worker.yaml profiles/hardend.yaml /etc/apparmor.d"

need=0
[ -f "$img" ] || need=1
[ "$(cat "$cache/inputs" 2>/dev/null || true)" = "$inputs" ] || need=1
for f in $inputs; do
        [ "$f" -nt "$img" ] && need=1
done

# Copies a program and every shared object ldd names, the loader included,
# to the same paths under the guest root.
copy_program() {
        mkdir -p "$root$(dirname "$2")"
        cp -L "$1" "$root$2"
        ldd "$1" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' |
                while read -r lib; do
                        mkdir -p "$root$(dirname "$lib")"
                        cp -L "$lib" "$root$lib"
                done
}

if [ "$need" -eq 1 ]; then
        echo "vm: building the initramfs in $cache" >&2
        if [ ! -x "$probe" ] || [ "$here/probe.c" -nt "$probe" ]; then
                cc -static -O2 -Wall -Wextra -o "$probe" "$here/probe.c" ||
                        skip "cannot link a static probe (libc6-dev)"
        fi
        rm -rf "$root"
        mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
                "$root/usr/local/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" \
                "$root/etc/hardend/profiles" "$root/etc/hardend/broken" "$root/etc/api" \
                "$root/etc/apparmor.d" "$root/etc/apparmor" "$root/secret" "$root/usr/share" \
                "$root/var/lib" "$root/run"
        cp "$busybox" "$root/bin/busybox"
        copy_program "$ctl" /usr/bin/hardenctl
        # Where profiles/hardend.yaml's match.executables expects the agent,
        # so that its scans find itself as the hardend service's workload.
        copy_program "$daemon" /usr/sbin/hardend
        copy_program "$parser" /sbin/apparmor_parser
        copy_program "$setpriv" /usr/bin/setpriv
        cp "$probe" "$root/usr/local/bin/api-server"
        # What include <tunables/global> and <abstractions/base> pull in.
        cp -a /etc/apparmor.d/abi /etc/apparmor.d/tunables /etc/apparmor.d/abstractions \
                "$root/etc/apparmor.d/"
        [ -f /etc/apparmor/parser.conf ] && cp /etc/apparmor/parser.conf "$root/etc/apparmor/"
        [ -d /usr/share/apparmor-features ] &&
                cp -a /usr/share/apparmor-features "$root/usr/share/"
        # hardend.yaml too, as `make install` puts it there: the agent then
        # confines itself with that policy's seccomp filter.
        cp profiles/api.yaml profiles/frontend.yaml profiles/worker.yaml profiles/hardend.yaml \
                "$root/etc/hardend/profiles/"
        # The agent's configuration: every directory spelled out (the
        # defaults, which profiles/hardend.yaml's AppArmor rules name), and
        # the default quiet period, so that enforce is refused after a
        # would-be denial until --force.
        cat >"$root/etc/hardend/hardend.yaml" <<EOF
profiles_dir: /etc/hardend/profiles
state_dir: /var/lib/hardend
runtime_dir: /run/hardend
seccomp_dir: /var/lib/hardend/seccomp
sources:
  netlink: true
  journal: false
scan_interval: 5s
quiet_period: 1d
watchdog: false
EOF
        "$daemon" --config "$root/etc/hardend/hardend.yaml" --print-config >/dev/null ||
                fail "hardend refuses the guest's configuration"
        # The same service with a bad glob (a one-item alternation), to show
        # that a bad edit never replaces a loaded profile.
        sed 's|^  files:$|  files:\n    - path: /srv/{www}/**\n      access: r|' profiles/api.yaml \
                >"$root/etc/hardend/broken/api.yaml"
        grep -q '{www}' "$root/etc/hardend/broken/api.yaml" || fail "cannot build broken/api.yaml"
        # The benchmark floor: a hand-written profile as large as the
        # rendered api profile, with the same includes and literal rules.
        size=$("$ctl" apparmor render --mode enforce profiles/api.yaml | wc -c)
        {
                printf 'abi <abi/3.0>,\ninclude <tunables/global>\nprofile bench-floor {\n'
                printf '  include <abstractions/base>\n'
                i=0
                while [ $((95 + (i + 1) * 28)) -le "$size" ]; do
                        printf '  "/hand/written/%06d" r,\n' "$i"
                        i=$((i + 1))
                done
                printf '}\n'
        } >"$root/etc/hardend/floor.apparmor"
        echo "not for api-server" >"$root/secret/token"
        echo "listen: 8080" >"$root/etc/api/config"
        cp "$here/init.sh" "$root/init"
        cp "$here/scenario-apparmor.sh" "$root/scenario-apparmor.sh"
        cp "$here/scenario-daemon.sh" "$root/scenario-daemon.sh"
        cp "$here/scenario-lib.sh" "$root/scenario-lib.sh"
        chmod 0755 "$root/init" "$root"/scenario-*.sh
        (cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$img.tmp"
        mv "$img.tmp" "$img"
        echo "$inputs" >"$cache/inputs"
fi

echo "vm: booting $kernel" >&2
log=$cache/console.log
start=$(date +%s%N)
set +e
timeout "$timeout_s" qemu-system-x86_64 -m 512 -smp 1 -nographic -no-reboot -net none \
        -kernel "$kernel" -initrd "$img" \
        -append "console=ttyS0 panic=-1 quiet hardend.scenarios=$(echo $scenarios | tr ' ' ,)" \
        </dev/null >"$log" 2>&1
rc=$?
set -e
end=$(date +%s%N)
tr -d '\r' <"$log"
elapsed_ms=$(((end - start) / 1000000))
echo "VM: qemu ran $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000))) s"
[ "$rc" -ne 124 ] || fail "qemu timed out after ${timeout_s}s"
[ "$rc" -eq 0 ] || fail "qemu exited with status $rc"
