#!/bin/sh
# Regenerates the seccomp golden files: for every shipped profile
# (profiles/*.yaml) and every seccomp test policy (tests/golden/sc-*.yaml),
# in both modes, tests/golden/<case>.<mode>.seccomp.json, .pfc and
# .systemd.conf (the drop-in), written by the real CLI
# (hardenctl generate --runtime-flags no). Stale files of cases that no
# longer exist are removed. Review `git diff tests/golden` afterwards: the
# Check suite seccomp-golden compares byte for byte.
#   HARDENCTL=path/to/hardenctl overrides build/hardenctl.
set -eu
cd "$(dirname "$0")/.."
ctl=${HARDENCTL:-build/hardenctl}
if [ ! -x "$ctl" ]; then
        echo "update-golden-seccomp: $ctl is not built (make all)" >&2
        exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

update() {
        if cmp -s "$1" "$2"; then
                return
        fi
        cp "$1" "$2"
        echo "  GOLDEN $2"
}

cases=""
for policy in profiles/*.yaml tests/golden/sc-*.yaml; do
        [ -e "$policy" ] || continue
        case_name=$(basename "$policy" .yaml)
        cases="$cases $case_name"
        for mode in monitor enforce; do
                rm -rf "$tmp/out"
                mkdir "$tmp/out"
                "$ctl" generate --runtime-flags no --mode "$mode" --out "$tmp/out" "$policy" \
                        >/dev/null
                update "$tmp/out/$case_name.seccomp.json" "tests/golden/$case_name.$mode.seccomp.json"
                update "$tmp/out/$case_name.pfc" "tests/golden/$case_name.$mode.pfc"
                update "$tmp/out/$case_name.service.d/hardend.conf" \
                        "tests/golden/$case_name.$mode.systemd.conf"
        done
done

for golden in tests/golden/*.seccomp.json tests/golden/*.pfc tests/golden/*.systemd.conf; do
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
