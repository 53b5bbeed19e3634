#!/usr/bin/env bash
# Build llama.cpp's llama-server from the llama.cpp that the installed llama-cpp-python
# vendors (its source distribution on PyPI), so the batching benchmark compares OKLA with
# the very same kernels. About 5 minutes on 2 cores. Prints the binary's path.
#   bench/build_llama_server.sh [build-dir]      then: LLAMA_SERVER=<path> bench/batching_bench.py
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(realpath -m "${1:-.bench-build/llama-server}")"
version="$(.venv/bin/python -c 'from importlib.metadata import version; print(version("llama-cpp-python"))')"
# The same CPU flags as okla's own build of llama.cpp (scripts/setup), so both run alike.
mapfile -t cmake_args < <(scripts/cmake-args)
build="$dir/build-$version-$(printf '%s\n' "${cmake_args[@]}" | sha256sum | cut -c1-8)"
binary="$build/bin/llama-server"
if [ ! -x "$binary" ]; then
    mkdir -p "$dir"
    .venv/bin/python -m pip download --quiet --no-deps --no-binary :all: \
        --dest "$dir" "llama-cpp-python==$version" >&2
    [ -d "$dir/llama_cpp_python-$version" ] || tar -xzf "$dir/llama_cpp_python-$version.tar.gz" -C "$dir"
    src="$dir/llama_cpp_python-$version/vendor/llama.cpp"
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF \
        -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
        -DBUILD_SHARED_LIBS=OFF "${cmake_args[@]}" >&2
    cmake --build "$build" --target llama-server -j "$(nproc)" >&2
fi
echo "$binary"
