#!/usr/bin/env bash
# Sets everything up, builds, and shows wasmscope's main jobs on the bundled
# samples (scripts/quickstart-demo.sh): a WASI program run in the sandbox, a
# trap reported with the source line it came from, the leak report of a
# leaking server loop, and the top of an instruction profile.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh

bash scripts/quickstart-demo.sh build
