#!/usr/bin/env bash
# One entry point for people and CI:
#   bash scripts/dev.sh start [ARGS]   set up what the app needs, then open it (ARGS go to runcompanion)
#   bash scripts/dev.sh test  [ARGS]   set up the app and its test tools, then run every quality gate and the tests
#                                      (RUNCOMPANION_TEST_BUNDLE=1 also builds the standalone bundle and smoke-tests it)
#   bash scripts/dev.sh setup          set up for development (what `test` installs), run nothing
#   bash scripts/dev.sh update-tools   move the pinned development tools to their newest releases, on purpose
# System packages are installed with apt-get when run as root; otherwise the exact command is printed.
# Every step prints one line when it starts and one with its time when it ends; apt and pip show their progress.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="$here/.venv"
constraints="$here/constraints-dev.txt"

# Debian packages the app needs to run: Python, the speech engine (pyttsx3 loads libespeak-ng; the voices are in
# espeak-ng-data), the PulseAudio client library QtMultimedia plays through (it talks to PipeWire as well, so no
# sound server is installed here), and the libraries Qt's xcb platform plugin loads.
app_packages=(
    python3-venv python3-pip
    libespeak-ng1 espeak-ng-data libpulse0
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0
    libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
    fonts-dejavu-core
)
# Only the tests need these: a virtual screen, a PulseAudio daemon with a null sink as a sound card, sox to
# measure recorded audio, strace for the no-network test, the espeak-ng program and aplay for the speech tests,
# desktop-file-validate for the desktop entry. The accessibility-bus test (tests/a11y) plays a screen reader: a
# D-Bus session bus and dbus-send, the AT-SPI bus launcher, pyatspi (for the system Python: the test runs it as a
# subprocess) and xdotool to click where the bus says a control is.
test_packages=(
    xvfb xauth pulseaudio pulseaudio-utils sox strace espeak-ng alsa-utils desktop-file-utils
    dbus-daemon dbus-bin at-spi2-core python3-pyatspi xdotool
)

say() { printf '%s\n' "dev.sh: $*" >&2; }

# step NAME COMMAND...: a line before, a line with the time after; a failure names the step.
step() {
    local name="$1" started status=0
    shift
    say "$name ..."
    started=$(date +%s)
    "$@" || status=$?
    if [ "$status" -ne 0 ]; then
        say "$name FAILED after $(($(date +%s) - started)) s (exit $status)"
        return "$status"
    fi
    say "$name done in $(($(date +%s) - started)) s"
}

missing_apt_packages() {
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            printf '%s\n' "$pkg"
        fi
    done
}

pipewire_desktop() {
    # PipeWire's PulseAudio server replaces PulseAudio; installing PulseAudio there would fight over the sound card.
    dpkg-query -W -f='${Status}' pipewire-pulse 2>/dev/null | grep -q "install ok installed"
}

install_apt() {
    export DEBIAN_FRONTEND=noninteractive
    # -q keeps one line per package (Get, Unpacking, Setting up) and drops the redrawn progress bar.
    apt-get update -q
    apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "$@"
}

setup_system() {
    local with_tests="$1" wanted missing
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "not a Debian-based system: install espeak-ng and the Qt xcb libraries yourself (see README)."
        [ "$with_tests" = yes ] && say "the tests also need Xvfb, PulseAudio, sox and strace."
        return 0
    fi
    wanted=("${app_packages[@]}")
    if [ "$with_tests" = yes ]; then
        if pipewire_desktop; then
            say "this desktop runs PipeWire: PulseAudio is not installed. The end-to-end tests start their own"
            say "PulseAudio daemon; install the package pulseaudio yourself if you want to run them here."
            local pkg
            for pkg in "${test_packages[@]}"; do
                [ "$pkg" = pulseaudio ] || wanted+=("$pkg")
            done
        else
            wanted+=("${test_packages[@]}")
        fi
    fi
    mapfile -t missing < <(missing_apt_packages "${wanted[@]}" | sed '/^$/d')
    if [ "${#missing[@]}" -eq 0 ]; then
        say "system packages: all ${#wanted[@]} present"
        return 0
    fi
    if [ "$(id -u)" -eq 0 ]; then
        step "installing ${#missing[@]} system packages (${missing[*]})" install_apt "${missing[@]}"
    else
        say "these system packages are missing. Install them, then run this again:"
        printf '    sudo apt-get install -y %s\n' "${missing[*]}" >&2
        exit 1
    fi
}

pip_install() {
    # pip shows each package it collects and installs. setuptools adds a ten-line note that an editable install
    # maps the package from this folder; it is expected, so it is filtered by its message.
    PYTHONWARNINGS="ignore:Editable installation" "$venv/bin/python" -m pip install \
        --progress-bar on --constraint "$constraints" "$@"
}

setup_python() {
    local with_tests="$1" python="${PYTHON:-python3}" stamp target
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        say "Python 3.11 or newer is needed; $python is $("$python" --version 2>&1)."
        exit 1
    fi
    [ -x "$venv/bin/python" ] || step "creating the virtual environment .venv" "$python" -m venv "$venv"
    # Reinstall only when the dependency list or the pinned tools changed: a second start is instant.
    stamp="$(cat pyproject.toml "$constraints" | sha256sum | cut -d' ' -f1)"
    target=".[dev]"
    [ "$with_tests" = yes ] || target="."
    if [ "$(cat "$venv/.installed-$with_tests" 2>/dev/null)" = "$stamp" ] ||
        [ "$(cat "$venv/.installed-yes" 2>/dev/null)" = "$stamp" ]; then
        say "Python packages: up to date in .venv"
        return 0
    fi
    step "upgrading pip" pip_install --quiet --upgrade pip
    step "installing RunCompanion${target#.} and its Python packages into .venv" pip_install --editable "$target"
    echo "$stamp" >"$venv/.installed-$with_tests"
}

run_tests() {
    local bin="$venv/bin"
    step "ruff lint" "$bin/ruff" check runcompanion tests bench scripts main.py
    step "ruff format" "$bin/ruff" format --check runcompanion tests bench scripts main.py
    step "mypy" "$bin/mypy"
    step "import contracts" "$bin/lint-imports"
    step "minimum versions (the oldest allowed dependencies, a short smoke run)" \
        "$bin/python" scripts/minimum_versions.py
    say "pytest ..."
    local status=0 started
    started=$(date +%s)
    "$bin/python" -m pytest "$@" || status=$?
    say "pytest finished in $(($(date +%s) - started)) s (exit $status)"
    if [ "$status" -eq 5 ]; then
        say "pytest collected no tests: that is a failure, not a pass."
        return 1
    fi
    [ "$status" -eq 0 ] || return "$status"
    # The standalone bundle takes about six minutes of both cores to build, so it is checked on request
    # (RUNCOMPANION_TEST_BUNDLE=1) and whenever packaging changes, not on every run (docs/install.md).
    if [ "${RUNCOMPANION_TEST_BUNDLE:-}" = 1 ]; then
        step "standalone bundle: build and smoke test" bash scripts/build-bundle.sh --smoke
    fi
}

update_tools() {
    # The newest release of every pinned tool, installed and written back to the constraints file.
    local names
    mapfile -t names < <(sed -n 's/^\([A-Za-z0-9_.-]*\)==.*/\1/p' "$constraints")
    "$venv/bin/python" -m pip install --upgrade "${names[@]}"
    local name version
    for name in "${names[@]}"; do
        version="$("$venv/bin/python" -m pip show "$name" | sed -n 's/^Version: //p')"
        sed -i "s/^$name==.*/$name==$version/" "$constraints"
    done
    say "constraints-dev.txt now pins:"
    grep '==' "$constraints" >&2
    say "run 'bash scripts/dev.sh test', fix what the new versions find, and commit constraints-dev.txt with it."
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
    setup) setup_system yes; setup_python yes ;;
    start)
        setup_system no
        setup_python no
        say "opening RunCompanion"
        exec "$venv/bin/runcompanion" "$@"
        ;;
    test)
        setup_system yes
        setup_python yes
        run_tests "$@"
        ;;
    update-tools) setup_python yes; update_tools ;;
    *) echo "usage: bash scripts/dev.sh start|test|setup|update-tools [ARGS]" >&2; exit 2 ;;
esac
