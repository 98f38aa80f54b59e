#!/usr/bin/env bash
# Compiles every *.bpf.c in $1 into $2/<name>.bpf.o with BTF (clang -O2 -g -target bpf).
# Headers: the directory's own, libbpf's (<bpf/bpf_helpers.h>) and the multiarch kernel UAPI.
set -euo pipefail
src=$1 out=$2
mkdir -p "$out"
command -v clang >/dev/null || { echo "clang not found: run bin/setup (apt-get install clang llvm libbpf-dev)" >&2; exit 1; }
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
shopt -s nullglob
for c in "$src"/*.bpf.c; do
  o="$out/$(basename "${c%.c}").o"
  if [ ! -e "$o" ] || [ -n "$(find "$src" -newer "$o" -name '*.[ch]' -print -quit)" ]; then
    clang -O2 -g -target bpf -Wall -Werror -I"$src" -I/usr/include/"$multiarch" -c "$c" -o "$o"
    echo "compiled $(basename "$c") -> $o"
  fi
done
# Each object's SHA-256 next to it (<name>.bpf.o.sha256, hex): the SDK identifies a pinned instance's object by it,
# and hashing 100+ KiB in a short-lived JVM (a CNI plugin run, interpreted) costs tens of milliseconds.
for o in "$out"/*.bpf.o; do
  if [ ! -e "$o.sha256" ] || [ "$o" -nt "$o.sha256" ]; then
    sha256sum "$o" | cut -d' ' -f1 > "$o.sha256"
  fi
done
