#!/usr/bin/env bash
# CTest "install_consumer": installs the build into a temporary prefix, builds examples/consumer/
# against it (find_package(aekit) only), trains a tiny run with the installed aekit program and
# runs the consumer on it. Also checks `aekit --version`, the version header and pkg-config.
#   consumer.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log"
version=$(sed -n 's/^project(aekit VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
test -n "$version"
# The package: shared library with its SONAME link, the static one, only the public headers.
test -L "$prefix/lib/libaekit.so"
readelf -d "$prefix/lib/libaekit.so" | grep -q "SONAME.*libaekit.so.${version%.*}"
test -f "$prefix/lib/libaekit.a"
test "$(cd "$prefix/include" && find . -type f | sort | tr '\n' ' ')" = "./aekit/aekit.h ./aekit/version.h "
grep -q "AEKIT_VERSION_STRING \"$version\"" "$prefix/include/aekit/version.h"
test "$("$prefix/bin/aekit" --version)" = "aekit $version"
test "$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --modversion aekit)" = "$version"
PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags aekit | grep -q -- "-I.*prefix/lib/pkgconfig/../../include"

# Configure and build the consumer against the installed package only.
cmake -S "$src/examples/consumer" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  >"$tmp/configure.log" || { cat "$tmp/configure.log"; exit 1; }
cmake --build "$tmp/consumer" >"$tmp/build.log" || { cat "$tmp/build.log"; exit 1; }
# The same program on the static library: its dependencies come through the package too.
cmake -S "$src/examples/consumer" -B "$tmp/consumer_static" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCONSUMER_STATIC=ON >"$tmp/configure_static.log" || { cat "$tmp/configure_static.log"; exit 1; }
cmake --build "$tmp/consumer_static" >"$tmp/build_static.log" || { cat "$tmp/build_static.log"; exit 1; }
if readelf -d "$tmp/consumer_static/consumer" | grep -q 'libaekit'; then
  echo "the static consumer links libaekit.so"; exit 1
fi
# A version the package does not satisfy is refused.
sed 's/find_package(aekit 0.1 REQUIRED)/find_package(aekit 9.9 REQUIRED)/' "$src/examples/consumer/CMakeLists.txt" \
  >"$tmp/CMakeLists.txt"
mkdir -p "$tmp/wrong" && cp "$tmp/CMakeLists.txt" "$src/examples/consumer/main.cpp" "$tmp/wrong/"
if cmake -S "$tmp/wrong" -B "$tmp/wrong/b" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null 2>&1; then
  echo "find_package(aekit 9.9) was accepted"; exit 1
fi

# A tiny trained run from the installed program, then the consumer on it.
OMP_WAIT_POLICY=PASSIVE "$prefix/bin/aekit" train --config "$src/configs/vanilla_mnist.json" --data "$src/data/mnist" \
  --limit 256 --epochs 1 --quiet --no-figures --out "$tmp/run" >/dev/null
"$tmp/consumer/consumer" "$tmp/run" | tee "$tmp/consumer.out"
grep -q "^aekit $version (header $version)" "$tmp/consumer.out"
grep -q "input 784 floats, code 128 floats" "$tmp/consumer.out"
"$tmp/consumer_static/consumer" "$tmp/run" >"$tmp/consumer_static.out"
diff "$tmp/consumer.out" "$tmp/consumer_static.out"
# A missing run is an aekit::Error naming the folder: exit 2.
set +e
"$tmp/consumer/consumer" "$tmp/no_such_run" 2>"$tmp/err"; rc=$?
set -e
test $rc -eq 2
grep -q "no_such_run" "$tmp/err"
echo "install_consumer: ok"
