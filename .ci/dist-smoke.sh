#!/usr/bin/env bash
# Builds the distributions (`make dist`: sdist, universal wheel, twine check), installs the wheel into a fresh
# virtualenv per interpreter (Python 2.7, 3.13 and 3.15 by default) and runs .ci/smoke.py there: what a user gets
# from `pip install patreon` imports, and talks to a sandbox; with pytest beside it, its plugin's fixtures work.
# 3.15, where the host has none, runs in the Debian sid tree of .ci/sid.sh (skipped with one line where it can't).
#
# Usage: bash .ci/dist-smoke.sh [X.Y ...]
# Environment:
#   SMOKE_BOOTSTRAP_PYTHON  a Python 3 that may receive virtualenv<20.22, used to build the 2.7 virtualenv
#                           (default: .dist-venv/bin/python, made by `make dist`)
#   SMOKE_DIR               where the virtualenvs go (default: .dist-smoke)
#   SMOKE_WHEEL             a wheel already built: `make dist` is skipped (how the sid tree is handed it)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SMOKE_DIR=${SMOKE_DIR:-$REPO/.dist-smoke}
BOOTSTRAP_PYTHON=${SMOKE_BOOTSTRAP_PYTHON:-$REPO/.dist-venv/bin/python}
if [ "$#" -gt 0 ]; then VERSIONS=("$@"); else VERSIONS=(2.7 3.13 3.15); fi
SID_VERSIONS=" 3.14 3.15 "

unset PYTHONPATH PYTHONHOME PYTHONSTARTUP VIRTUAL_ENV
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

if [ -z "${SMOKE_WHEEL:-}" ]; then
    make -C "$REPO" dist
fi

shopt -s nullglob
wheels=("$REPO"/dist/patreon-*-py2.py3-none-any.whl)
if [ -z "${SMOKE_WHEEL:-}" ] && [ "${#wheels[@]}" -ne 1 ]; then
    echo "dist-smoke: expected one universal wheel in dist/ found ${#wheels[@]}" >&2
    exit 1
fi
WHEEL=${SMOKE_WHEEL:-${wheels[0]}}

# shellcheck source=lib.sh
source "$REPO/.ci/lib.sh"

for version in "${VERSIONS[@]}"; do
    if [[ "$SID_VERSIONS" == *" $version "* && -z "${SMOKE_WHEEL:-}" ]] && ! find_python "$version" >/dev/null; then
        status=0
        bash "$REPO/.ci/sid.sh" ensure || status=$?
        if [ "$status" -eq 3 ]; then
            continue  # sid.sh said why in one line
        fi
        [ "$status" -eq 0 ] || exit "$status"
        bash "$REPO/.ci/sid.sh" run "$REPO" "$SMOKE_DIR" -- env SMOKE_DIR="$SMOKE_DIR" SMOKE_WHEEL="$WHEEL" \
            bash "$REPO/.ci/dist-smoke.sh" "$version"
        continue
    fi
    python=$(find_python "$version") || { echo "dist-smoke: no Python $version found" >&2; exit 1; }
    venv="$SMOKE_DIR/$version"
    echo "dist-smoke: Python $version ($python): installing $(basename "$WHEEL")"
    make_virtualenv "$python" "$venv" "$version"
    # pytest beside it, as a user testing an app would have it (4.6 is the last series for 2.7).
    if [ "$version" = 2.7 ]; then pytest_requirement='pytest>=4.6,<4.7'; else pytest_requirement='pytest'; fi
    "$venv/bin/python" -m pip install -q "$WHEEL" "$pytest_requirement"
    # From an empty directory: only the installed copy can be imported.
    workdir=$(mktemp -d)
    (cd "$workdir" && "$venv/bin/python" "$REPO/.ci/smoke.py")
    # The pytest plugin as a fresh project meets it: no conftest, no import, nothing named on the command line.
    printf 'def test_x(patreon_api):\n    assert patreon_api.get_identity().data().id()\n' > "$workdir/test_x.py"
    (cd "$workdir" && "$venv/bin/python" -m pytest -q -p no:cacheprovider test_x.py)
    rm -rf "$workdir"
done
echo "dist-smoke: passed on Python ${VERSIONS[*]}"
