#!/bin/sh
# Installs every Debian package the build and the tests need; does nothing
# when they are all present. Non-interactive; needs root only to install.
set -eu

PACKAGES="
build-essential pkg-config
libseccomp-dev seccomp
libapparmor-dev apparmor
libcap-dev
libnl-3-dev
libsystemd-dev
libyaml-dev
libjansson-dev
libgcrypt20-dev
libbpf-dev
check zlib1g-dev
clang libclang-rt-14-dev
clang-format
valgrind
qemu-system-x86 linux-image-amd64 busybox-static cpio
podman runc conmon golang-github-containers-common systemd
systemd-journal-remote
diffutils patch
chromium fonts-dejavu-core
"

missing=""
for p in $PACKAGES; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
        [ "$status" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
        echo "deps: must run as root to install packages" >&2
        exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
