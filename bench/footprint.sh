#!/usr/bin/env bash
# Footprint of the crate users depend on: the clean build time of
# lifecycle-runtime alone (every dependency included, in a scratch target
# directory, debug and release), and the crates it pulls in.
#
#   bash bench/footprint.sh
set -euo pipefail
cd "$(dirname "$0")/.."

target=$(mktemp -d)
trap 'rm -rf "$target"' EXIT

# Download outside the timings.
cargo fetch --quiet

# Milliseconds one clean build takes.
time_build() {
    local began
    began=$(date +%s%N)
    cargo build --quiet -p lifecycle-runtime --target-dir "$target" "$@"
    echo $((($(date +%s%N) - began) / 1000000))
}

debug=$(time_build)
release=$(time_build --release)
echo "clean build of lifecycle-runtime, debug:   $((debug / 1000)).$((debug % 1000 / 100)) s"
echo "clean build of lifecycle-runtime, release: $((release / 1000)).$((release % 1000 / 100)) s"

# Every crate in the normal-dependency tree, lifecycle-runtime included
# (proc macros and their own dependencies count: users build them too).
crates=$(cargo tree -p lifecycle-runtime -e normal --prefix none --no-dedupe \
    | sed 's/ (\*)$//' | sort -u)
echo "crates in the normal-dependency tree, lifecycle-runtime included: $(echo "$crates" | wc -l)"
echo "$crates" | sed 's/^/  /'
