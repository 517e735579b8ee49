#!/usr/bin/env bash
# The project's test command: installs the build dependencies, then builds and runs the tests
# normally, installs the package and builds a consumer against it, then runs the tests under
# ThreadSanitizer and under AddressSanitizer+UBSan. Warnings are errors throughout.
#
#   bash scripts/test.sh            # everything
#   STAGES="normal" bash scripts/test.sh   # a subset: normal consumer thread address
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh

jobs=$(nproc)
stages=${STAGES:-"normal consumer thread address"}

configure_and_test() {  # name, extra cmake args...
  local name=$1
  shift
  local dir="build-$name"
  echo "=== $name: configure and build"
  cmake -S . -B "$dir" -DWORKER_WERROR=ON "$@" >"$dir.configure.log" 2>&1 || {
    cat "$dir.configure.log"
    return 1
  }
  cmake --build "$dir" -j "$jobs"
  echo "=== $name: test"
  (cd "$dir" && ctest --output-on-failure -j "$jobs" -LE Benchmark --timeout 300)
}

for stage in $stages; do
  case "$stage" in
    normal)
      configure_and_test normal -DCMAKE_BUILD_TYPE=RelWithDebInfo
      ;;
    consumer)
      echo "=== consumer: install the package and build a project against it"
      rm -rf _install build-consumer
      cmake --install build-normal --prefix "$root/_install" >/dev/null
      cmake -S tests/consumer -B build-consumer -DCMAKE_PREFIX_PATH="$root/_install" >/dev/null
      cmake --build build-consumer -j "$jobs"
      LD_LIBRARY_PATH="$root/_install/lib" ./build-consumer/consumer
      ;;
    thread)
      TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tests/tsan.supp" \
        configure_and_test thread -DCMAKE_BUILD_TYPE=Debug -DWORKER_SANITIZE=thread \
        -DWORKER_SPDLOG_HEADER_ONLY=ON -DWORKER_BUILD_EXAMPLES=OFF -DWORKER_BUILD_BENCHMARKS=OFF \
        -DWORKER_BUILD_APPS=OFF
      ;;
    address)
      ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
        configure_and_test address -DCMAKE_BUILD_TYPE=Debug -DWORKER_SANITIZE=address \
        -DWORKER_SPDLOG_HEADER_ONLY=ON -DWORKER_BUILD_EXAMPLES=OFF -DWORKER_BUILD_BENCHMARKS=OFF \
        -DWORKER_BUILD_APPS=OFF
      ;;
    *)
      echo "unknown stage: $stage" >&2
      exit 2
      ;;
  esac
done
echo "=== all stages passed: $stages"
