#!/bin/sh
# `make update-golden`: every backend keeps its own golden files and its own
# tools/update-golden-<backend>.sh; this runs them all. Review
# `git diff tests/golden` afterwards.
#   HARDENCTL=path/to/hardenctl overrides build/hardenctl.
set -eu
cd "$(dirname "$0")/.."
status=0
for script in tools/update-golden-*.sh; do
        [ -e "$script" ] || continue
        echo "$script"
        sh "$script" || status=1
done
exit $status
