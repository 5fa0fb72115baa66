#!/usr/bin/env bash
# One entry point for people and CI:
#   bash scripts/dev.sh start [ARGS]   set everything up, then open the app (ARGS go to runcompanion)
#   bash scripts/dev.sh test  [ARGS]   set everything up, then run every quality gate and the whole test suite
#   bash scripts/dev.sh setup          only set up
# System packages are installed with apt-get when run as root; otherwise the exact command is printed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="$here/.venv"

# Debian packages the app and its tests need: speech (espeak-ng via pyttsx3; aplay is pyttsx3's player),
# a virtual screen and audio device for the end-to-end tests, sox to measure recorded audio, and the
# libraries Qt's xcb platform plugin loads.
apt_packages=(
    python3-venv python3-pip
    libespeak-ng1 espeak-ng espeak-ng-data alsa-utils
    xvfb xauth pulseaudio pulseaudio-utils sox strace
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0
    libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
    fonts-dejavu-core
)

say() { printf '%s\n' "dev.sh: $*" >&2; }

missing_apt_packages() {
    local missing=() pkg
    for pkg in "${apt_packages[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    printf '%s\n' "${missing[@]}"
}

setup_system() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "not a Debian-based system: install espeak-ng, Xvfb, PulseAudio and sox yourself (see README)."
        return 0
    fi
    local missing
    mapfile -t missing < <(missing_apt_packages | sed '/^$/d')
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        say "installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        say "these system packages are missing. Install them, then run this again:"
        printf '    sudo apt-get install -y %s\n' "${missing[*]}" >&2
        exit 1
    fi
}

setup_python() {
    local python="${PYTHON:-python3}"
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        say "Python 3.11 or newer is needed; $python is $("$python" --version 2>&1)."
        exit 1
    fi
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    # Reinstall only when the dependency list changed: a second start is instant.
    local stamp
    stamp="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    if [ "$(cat "$venv/.installed" 2>/dev/null)" != "$stamp" ]; then
        say "installing Python packages into .venv"
        "$venv/bin/python" -m pip install -q --upgrade pip
        "$venv/bin/python" -m pip install -q -e ".[dev]"
        echo "$stamp" >"$venv/.installed"
    fi
}

run_tests() {
    local bin="$venv/bin"
    say "ruff lint";          "$bin/ruff" check runcompanion tests bench main.py
    say "ruff format";        "$bin/ruff" format --check runcompanion tests bench main.py
    say "mypy";               "$bin/mypy"
    say "import contracts";   "$bin/lint-imports"
    say "pytest"
    local status=0
    "$bin/python" -m pytest "$@" || status=$?
    if [ "$status" -eq 5 ]; then
        say "pytest collected no tests: that is a failure, not a pass."
        return 1
    fi
    return "$status"
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
    setup) setup_system; setup_python ;;
    start) setup_system; setup_python; exec "$venv/bin/runcompanion" "$@" ;;
    test)  setup_system; setup_python; run_tests "$@" ;;
    *) echo "usage: bash scripts/dev.sh start|test|setup [ARGS]" >&2; exit 2 ;;
esac
