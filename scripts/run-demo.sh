#!/usr/bin/env bash
# Installs the packages, builds the project and runs its main job, the worker-demo service
# (on its embedded default configuration unless arguments are given: --help lists them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
cmake -S . -B build-normal -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if [ -f apps/CMakeLists.txt ]; then
  cmake --build build-normal -j "$(nproc)" --target worker-demo
  exec ./build-normal/apps/worker-demo "$@"
fi
cmake --build build-normal -j "$(nproc)" --target example_quickstart
exec ./build-normal/examples/example_quickstart "$@"
