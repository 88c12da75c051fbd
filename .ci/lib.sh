# Shell functions shared by the CI scripts (sourced, not run): finding an interpreter of a given version and
# building a virtualenv for it with a pip that still supports it.
# Needs BOOTSTRAP_PYTHON: a Python 3 that may receive virtualenv<20.22, used to build 2.7 virtualenvs.

# Prints the path of an interpreter for version $1 (X.Y): the highest pyenv patch release, else pythonX.Y on PATH.
find_python() {
    local version=$1 pyenv_root candidate
    pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
    local candidates=()
    if [ -d "$pyenv_root/versions" ]; then
        while IFS= read -r candidate; do
            candidates+=("$pyenv_root/versions/$candidate/bin/python$version")
        done < <(ls "$pyenv_root/versions" | grep -E "^${version//./\\.}\\.[0-9]+$" | sort -t. -k3,3nr)
    fi
    if candidate=$(command -v "python$version" 2>/dev/null); then
        candidates+=("$candidate")
    fi
    for candidate in "${candidates[@]+"${candidates[@]}"}"; do
        # A pyenv shim exists for every version but works only for the active ones: ask the interpreter itself.
        if [ -x "$candidate" ] && [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$version" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# Builds a fresh virtualenv $2 for interpreter $1 of version $3, with a pip that still supports it.
make_virtualenv() {
    local python=$1 venv=$2 version=$3
    rm -rf "$venv"
    case "$version" in
        2.7)
            # The last virtualenv series that can still create 2.7 environments; it brings pip 20.3 along.
            "$BOOTSTRAP_PYTHON" -m pip install -q 'virtualenv<20.22' &&
                "$BOOTSTRAP_PYTHON" -m virtualenv -q --no-periodic-update -p "$python" "$venv" &&
                "$venv/bin/python" -m pip install -q 'pip<21'
            ;;
        3.6)
            "$python" -m venv "$venv" && "$venv/bin/python" -m pip install -q --upgrade 'pip<22'
            ;;
        *)
            "$python" -m venv "$venv" && "$venv/bin/python" -m pip install -q --upgrade pip
            ;;
    esac
}
