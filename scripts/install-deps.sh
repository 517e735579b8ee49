#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds and tests with (root, or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libspdlog-dev libfmt-dev prometheus-cpp-dev libcpp-httplib-dev nlohmann-json3-dev
  libyaml-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev curl wrk
)

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "installing: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
