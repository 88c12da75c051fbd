#!/usr/bin/env bash
# Runs the whole test suite on every supported interpreter, each in a virtualenv built from scratch with a regular
# (non-editable) install of the package, so that what is tested is what `pip install .` gives a user.
# 2.7 and 3.6-3.13 come from pyenv (or PATH); 3.14 and 3.15, where the host has neither, from a Debian sid tree that
# .ci/sid.sh builds once (root and debootstrap needed: without them, one line says so and the others still run).
#
# Usage: bash .ci/matrix.sh [X.Y ...]      (default: every supported version, one after the other)
# Environment:
#   MATRIX_BOOTSTRAP_PYTHON  a Python 3 that may receive virtualenv<20.22, used to build the 2.7 virtualenv
#                            (default: .venv/bin/python, made by `make test`)
#   MATRIX_DIR               where the virtualenvs go (default: .matrix)
#   MATRIX_WORKERS           pytest-xdist workers per interpreter (default: auto, one per core)
#   PYTEST_ADDOPTS           extra pytest options, as usual
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MATRIX_DIR=${MATRIX_DIR:-$REPO/.matrix}
BOOTSTRAP_PYTHON=${MATRIX_BOOTSTRAP_PYTHON:-$REPO/.venv/bin/python}
SUPPORTED_VERSIONS=(2.7 3.6 3.7 3.8 3.9 3.10 3.11 3.12 3.13 3.14 3.15)
# Versions that Debian sid provides when the host has no interpreter of its own.
SID_VERSIONS=" 3.14 3.15 "
WORKERS=${MATRIX_WORKERS:-auto}

if [ "$#" -gt 0 ]; then
    VERSIONS=("$@")
else
    VERSIONS=("${SUPPORTED_VERSIONS[@]}")
fi

# The runs must not see the caller's Python settings, nor leave bytecode in the source tree (2.7 would write it
# next to the sources), nor wait for input.
unset PYTHONPATH PYTHONHOME PYTHONSTARTUP VIRTUAL_ENV
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

log() {
    echo "matrix: $*"
}

# shellcheck source=lib.sh
source "$REPO/.ci/lib.sh"

# Installs the package (non-editable) and the test dependencies into virtualenv $1.
install_package() {
    local venv=$1
    # Recent pip builds in the source tree: a stale build/lib could smuggle deleted modules into the wheel.
    rm -rf "$REPO/build"
    "$venv/bin/python" -m pip install -q "$REPO" -r "$REPO/dev-requirements.txt" && rm -rf "$REPO/build"
}

# Warnings that this project's own code causes are errors on the newest interpreters, where deprecations land first.
# (A resource the collector finds unclosed is reported by pytest as an unraisable exception, in whichever test is
# running when it is collected: not an error yet, as a socket some test leaves open would fail an unrelated one.)
strict_warnings() {
    case "$1" in
        3.14 | 3.15) echo "-W error::DeprecationWarning -W error::ResourceWarning" ;;
    esac
}

# Where the names of version $1's failing tests are kept, for the summary: a CI log may keep only its head and tail.
failures_file() {
    echo "$MATRIX_DIR/$1.failures"
}

# Runs the suite with virtualenv $1 (version $2) from an empty directory, so that only the installed copy can be
# imported. The failing tests' names go to failures_file.
run_suite() {
    local venv=$1 version=$2 workdir status
    workdir=$(mktemp -d)
    # shellcheck disable=SC2046 # the warning options are separate words on purpose
    (cd "$workdir" && PATREON_TEST_EXPECT_INSTALLED=1 "$venv/bin/python" -m pytest \
        -c "$REPO/setup.cfg" --rootdir "$REPO" -q -p no:cacheprovider -m "not soak" -n "$WORKERS" -r fE \
        $(strict_warnings "$version") "$REPO/tests") 2>&1 | tee "$workdir.out"
    status=$?
    grep -E '^(FAILED|ERROR) |crashed while running' "$workdir.out" | cut -c1-300 | head -n 20 >"$(failures_file "$version")"
    rm -rf "$workdir" "$workdir.out"
    return "$status"
}

mkdir -p "$MATRIX_DIR"
declare -A RESULT
ran=0
failed=0
# Runs the matrix for version $1 inside the Debian sid tree, with the checkout and MATRIX_DIR at their own paths.
run_in_sid() {
    local version=$1 status
    bash "$REPO/.ci/sid.sh" ensure || return 3
    bash "$REPO/.ci/sid.sh" run "$REPO" "$MATRIX_DIR" -- env MATRIX_DIR="$MATRIX_DIR" MATRIX_WORKERS="$WORKERS" \
        MATRIX_IN_SID=1 PYTEST_ADDOPTS="${PYTEST_ADDOPTS:-}" bash "$REPO/.ci/matrix.sh" "$version"
    status=$?
    return "$status"
}

for version in "${VERSIONS[@]}"; do
    rm -f "$(failures_file "$version")"
    if [[ "$SID_VERSIONS" == *" $version "* && -z "${MATRIX_IN_SID:-}" ]] && ! find_python "$version" >/dev/null; then
        ran=$((ran + 1))
        log "Python $version: from Debian sid (.ci/sid.sh)"
        run_in_sid "$version"
        case $? in
            0) RESULT[$version]="PASSED (Debian sid)" ;;
            3) RESULT[$version]="SKIPPED (no Debian sid tree, said above)"; ran=$((ran - 1)) ;;
            *) RESULT[$version]="FAILED (Debian sid, see above)" ;;
        esac
        case "${RESULT[$version]}" in FAILED*) failed=$((failed + 1)) ;; esac
        log "Python $version: ${RESULT[$version]}"
        continue
    fi
    if ! python=$(find_python "$version"); then
        RESULT[$version]="SKIPPED (not found)"
        log "Python $version: SKIPPED (not found)"
        continue
    fi
    ran=$((ran + 1))
    venv="$MATRIX_DIR/$version"
    log "Python $version: $python"
    if ! make_virtualenv "$python" "$venv" "$version"; then
        RESULT[$version]="FAILED (virtualenv) $python"
    elif ! install_package "$venv"; then
        RESULT[$version]="FAILED (install) $python"
    else
        log "Python $version: installed $("$venv/bin/python" -m pip freeze 2>/dev/null | grep -v '^-' | tr '\n' ' ')"
        if run_suite "$venv" "$version"; then
            RESULT[$version]="PASSED $python"
        else
            RESULT[$version]="FAILED (tests) $python"
        fi
    fi
    case "${RESULT[$version]}" in FAILED*) failed=$((failed + 1)) ;; esac
    log "Python $version: ${RESULT[$version]}"
done

echo
log "summary"
for version in "${VERSIONS[@]}"; do
    log "Python $version: ${RESULT[$version]}"
    case "${RESULT[$version]}" in
        FAILED*) [ -s "$(failures_file "$version")" ] && sed "s/^/matrix:     /" "$(failures_file "$version")" ;;
    esac
done
if [ "$ran" -eq 0 ]; then
    log "no interpreter found: nothing was tested"
    exit 1
fi
if [ "$failed" -gt 0 ]; then
    log "$failed of $ran interpreters failed"
    exit 1
fi
log "all $ran interpreters found passed"
