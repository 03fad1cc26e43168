#!/usr/bin/env bash
# Rewrites tests/ci/golden/*.{junit.xml,md,report.json,annotations.txt} from
# the current report writers, after a change to a report that is intended.
# Review the diff (git diff tests/ci/golden) before committing it.
#   tests/ci/refresh_golden.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cmake --build "$build" --target ci_tests
WASMSCOPE_REFRESH_GOLDEN=1 "$build/tests/ci/ci_tests" --gtest_filter='CiGolden.*'
"$build/tests/ci/ci_tests" --gtest_filter='CiGolden.*'
git status --short tests/ci/golden
