#!/bin/sh
# Helpers every VM scenario sources (busybox sh): tagged output lines,
# verdicts, timed steps and their ratios. A scenario sets failures=0 first.
tag() { sed "s/^/$1: /"; }
say() { echo "SCENARIO: $*"; }
ms() { echo "$EPOCHREALTIME" | awk '{printf "%.0f\n", $1 * 1000}'; }
verdict() { # NAME CONDITION-EXIT-STATUS
        if [ "$2" -eq 0 ]; then
                echo "RESULT: $1: ok"
        else
                echo "RESULT: $1: FAILED"
                failures=$((failures + 1))
        fi
}
timed() { # NAME CMD...: runs CMD, output tagged CTL, prints TIME
        name=$1
        shift
        t0=$(ms)
        "$@" >/tmp/ctl.out 2>&1
        rc=$?
        t1=$(ms)
        tag CTL </tmp/ctl.out
        echo "TIME: $name $((t1 - t0)) ms (exit $rc)"
        eval "time_$(echo "$name" | tr - _)=$((t1 - t0))"
        return $rc
}
ratio() { # A B: time of step A over time of step B
        a=$(eval echo "\$time_$(echo "$1" | tr - _)")
        b=$(eval echo "\$time_$(echo "$2" | tr - _)")
        echo "$a $b" | awk -v n="$1/$2" '$2 > 0 {printf "RATIO: %s %.2fx\n", n, $1 / $2}'
}
