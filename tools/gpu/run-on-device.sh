#!/usr/bin/env bash
# Runs `book` on a GPU machine that has CUDA PyTorch but no .NET and no registry (an offline GPU server):
# unpacks the payload made here by `dotnet cake --target=DevicePayload` (the .NET runtime, the book tool and
# library, the notebooks' NuGet packages without libtorch) and takes libtorch from the PyTorch install.
# Usage: tools/gpu/run-on-device.sh run --all --device cuda      (any `book` arguments)
#        tools/gpu/run-on-device.sh bench SlidingWindowAttention  (a benchmark of benchmarks/, built into the payload)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
payload=${BOOK_DEVICE_PAYLOAD:-$root/build/device-payload.tar.xz}
home=${BOOK_DEVICE_HOME:-${TMPDIR:-/tmp}/book-device}
if [ ! -f "$home/.unpacked" ]; then
  mkdir -p "$home"
  tar -xJf "$payload" -C "$home"
  touch "$home/.unpacked"
fi
# Chapters reference ../../artifacts/lib/TransformersBook.dll, so the library goes next to them.
mkdir -p "$root/artifacts"
cp -r "$home/artifacts/." "$root/artifacts/"
export DOTNET_ROOT="$home/dotnet" PATH="$home/dotnet:$PATH" DOTNET_CLI_TELEMETRY_OPTOUT=1
export BOOK_CACHE="$home/bundle/cache" NUGET_PACKAGES="$home/bundle/nuget"
export BOOK_LIBTORCH="${BOOK_LIBTORCH:-$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')/lib}"
export BOOK_DEVICE="${BOOK_DEVICE:-cuda}"
if [ "${1:-}" = "bench" ]; then
  benchmarks=$(cd "$home/benchmarks" && ls *.runtimeconfig.json | sed 's/.runtimeconfig.json//' | tr '\n' ' ')
  name=${2:?"usage: run-on-device.sh bench <one of: $benchmarks>"}
  [ -f "$home/benchmarks/$name.runtimeconfig.json" ] || { echo "no benchmark $name in the payload; it has: $benchmarks" >&2; exit 2; }
  exec dotnet "$home/benchmarks/$name.dll" "${@:3}"
fi
exec dotnet "$root/artifacts/book/book.dll" "$@"
