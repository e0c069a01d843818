#!/usr/bin/env bash
# Git pre-commit hook: lint the staged .cmnet files as they are staged (not as the working tree
# has them) and refuse the commit when lint reports an error.
#
#   ln -s ../../tools/pre-commit-hook.sh .git/hooks/pre-commit
#
# CMNETC: the compiler (default: cmnetc on PATH, else build/bin/cmnetc in the repository).
# CMNET_LINT_FLAGS: extra lint flags, e.g. "--Werror --disable=CM001".
# CMNET_LINT_PATHSPEC: which staged files to lint (default: '*.cmnet').
# `git commit --no-verify` skips the hook.
set -euo pipefail
top=$(git rev-parse --show-toplevel)
cmnetc=${CMNETC:-$(command -v cmnetc || echo "$top/build/bin/cmnetc")}
if [ ! -x "$cmnetc" ]; then
  echo "pre-commit: cannot run '$cmnetc'; build cmnet or set CMNETC" >&2
  exit 1
fi

mapfile -t files < <(git diff --cached --name-only --diff-filter=ACMR -- "${CMNET_LINT_PATHSPEC:-*.cmnet}")
[ ${#files[@]} -eq 0 ] && exit 0

# The whole index, so that imports resolve to their staged versions too.
staged=$(mktemp -d)
trap 'rm -rf "$staged"' EXIT
git checkout-index --all --prefix="$staged/"

# Word splitting of the flags is intended.
# shellcheck disable=SC2086
if (cd "$staged" && "$cmnetc" lint ${CMNET_LINT_FLAGS:-} "${files[@]}"); then
  exit 0
fi
echo "pre-commit: cmnetc lint found errors in the staged policy; fix them or commit with --no-verify" >&2
exit 1
