#!/bin/sh
# Regenerates the AppArmor golden files: for every shipped profile
# (profiles/*.yaml) and every AppArmor test policy (tests/golden/aa-*.yaml),
# tests/golden/<case>.monitor.apparmor and <case>.enforce.apparmor, rendered
# by the real CLI (hardenctl apparmor render). Stale .apparmor files of
# cases that no longer exist are removed. Review `git diff tests/golden`
# afterwards: the Check suite apparmor-golden compares byte for byte.
#   HARDENCTL=path/to/hardenctl overrides build/hardenctl.
set -eu
cd "$(dirname "$0")/.."
ctl=${HARDENCTL:-build/hardenctl}
if [ ! -x "$ctl" ]; then
        echo "update-golden-apparmor: $ctl is not built (make all)" >&2
        exit 1
fi

cases=""
for policy in profiles/*.yaml tests/golden/aa-*.yaml; do
        [ -e "$policy" ] || continue
        case_name=$(basename "$policy" .yaml)
        cases="$cases $case_name"
        for mode in monitor enforce; do
                out="tests/golden/$case_name.$mode.apparmor"
                "$ctl" apparmor render --mode "$mode" "$policy" >"$out.tmp"
                if cmp -s "$out.tmp" "$out"; then
                        rm -f "$out.tmp"
                else
                        mv "$out.tmp" "$out"
                        echo "  GOLDEN $out"
                fi
        done
done

for golden in tests/golden/*.monitor.apparmor tests/golden/*.enforce.apparmor; do
        [ -e "$golden" ] || continue
        name=$(basename "$golden")
        name=${name%%.*}
        case " $cases " in
        *" $name "*) ;;
        *)
                rm -f "$golden"
                echo "  REMOVED $golden (no such case)"
                ;;
        esac
done
