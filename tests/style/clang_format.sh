# Every C++ file of the repository is formatted as the root .clang-format says, so that formatting never
# drifts unnoticed (clang-format -i on the files named fixes it).
set -euo pipefail
SRC=${1:?usage: clang_format.sh SOURCE_DIR}
command -v clang-format >/dev/null || { echo "FAIL: needs clang-format (Debian package clang-format)"; exit 1; }
cd "$SRC"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.h')
else
  mapfile -t files < <(find src tests fuzz bench \( -name node_modules -prune \) -o \( -name '*.cpp' -o -name '*.h' \) -print)
fi
[ "${#files[@]}" -gt 100 ] || { echo "FAIL: only ${#files[@]} C++ files found under $SRC"; exit 1; }
clang-format --dry-run --Werror "${files[@]}"
echo "ok: ${#files[@]} files formatted"
