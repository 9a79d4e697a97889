#!/bin/busybox sh
# /init of the qemu guest: mount what the scenarios need, make sure audit
# records reach the kernel log, run the scenarios, power off. Its output is
# the serial console (ttyS0), which tests/vm/run.sh prints.
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t securityfs securityfs /sys/kernel/security
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
# Without auditd the kernel prints audit records through printk's rate
# limit (10 per 5 s): records beyond it are dropped without a trace.
echo 0 >/proc/sys/kernel/printk_ratelimit
echo "VM: up after $(cut -d' ' -f1 /proc/uptime) s"
# hardend.scenarios=apparmor,daemon on the kernel command line (run.sh):
# which tests/vm/scenario-*.sh to run, in order.
for arg in $(cat /proc/cmdline); do
        case $arg in
        hardend.scenarios=*) scenarios=$(echo "${arg#*=}" | tr , ' ') ;;
        esac
done
for s in ${scenarios:-apparmor}; do
        echo "VM: scenario $s"
        sh /scenario-$s.sh
        echo "VM: scenario $s finished after $(cut -d' ' -f1 /proc/uptime) s"
done
sync
poweroff -f
reboot -f
