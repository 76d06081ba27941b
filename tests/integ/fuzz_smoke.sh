#!/bin/sh
# make check: a bounded fuzz run of every decoder target (FUZZ_SMOKE_SECONDS
# each, default 20). Longer runs: make fuzz FUZZ_SECONDS=600.
cd "$(dirname "$0")/../.."
exec sh tests/fuzz.sh "${FUZZ_SMOKE_SECONDS:-20}"
