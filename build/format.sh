#!/usr/bin/env bash
# Lays out this repository's C# with CSharpier 1.3.0 (the version in .config/dotnet-tools.json), at the width
# max_line_length in .editorconfig gives it; .csharpierignore leaves out the fixtures under tests/data/.
# After a merge, run it again rather than resolving layout conflicts by hand: ./build/format.sh
# `./build/format.sh --check` changes nothing and fails on a file it would change (what Lint runs).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
if [ "${1:-}" = "--check" ]; then
  exec dotnet csharpier check .
fi
exec dotnet csharpier format .
