#!/usr/bin/env bash
# The standalone RunCompanion: a folder that runs with no Python installed (docs/install.md).
#   bash scripts/build-bundle.sh            build dist/RunCompanion/ (and, on Linux, dist/RunCompanion-VERSION-linux-ARCH.tar.gz)
#   bash scripts/build-bundle.sh --smoke    build, then start the bundle as a new user would (scripts/smoke.py)
#   bash scripts/build-bundle.sh --smoke-only   check an existing dist/RunCompanion/ without building again
# The build uses its own virtual environment, .venv-bundle, with a normal (not editable) install of the app, so
# PyInstaller sees exactly what a user's install holds. It takes several minutes of both cores: it is not part of
# `scripts/dev.sh test`; run it when packaging changes (see docs/benchmarks.md for its time and size).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="$here/.venv-bundle"
build=yes
smoke=no
for arg in "$@"; do
    case "$arg" in
        --smoke) smoke=yes ;;
        --smoke-only) smoke=yes; build=no ;;
        *) echo "usage: bash scripts/build-bundle.sh [--smoke|--smoke-only]" >&2; exit 2 ;;
    esac
done

say() { printf '%s\n' "build-bundle: $*" >&2; }
step() {
    local name="$1" started status=0
    shift
    say "$name ..."
    started=$(date +%s)
    "$@" || status=$?
    if [ "$status" -ne 0 ]; then
        say "$name FAILED after $(($(date +%s) - started)) s (exit $status)"
        exit "$status"
    fi
    say "$name done in $(($(date +%s) - started)) s"
}

python="${PYTHON:-python3}"
if [ "$build" = yes ]; then
    [ -x "$venv/bin/python" ] || step "creating .venv-bundle" "$python" -m venv "$venv"
    step "installing RunCompanion and PyInstaller into .venv-bundle" \
        "$venv/bin/python" -m pip install --quiet --progress-bar on --constraint constraints-dev.txt ".[bundle]"
    step "PyInstaller (several minutes)" "$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
        --distpath dist --workpath build/pyinstaller packaging/runcompanion.spec
    if [ "$(uname -s)" = Linux ]; then
        version="$("$venv/bin/python" -c 'from runcompanion import __version__; print(__version__)')"
        tarball="dist/RunCompanion-$version-linux-$(uname -m).tar.gz"
        # The desktop entry is written by the bundle itself, with the path where the user unpacked it:
        # RunCompanion/runcompanion-cli desktop install (the README's Install section says so).
        cp LICENSE dist/RunCompanion/LICENSE
        cp packaging/README-bundle.txt dist/RunCompanion/README.txt
        step "packing $tarball" tar -C dist -czf "$tarball" RunCompanion
        say "$(du -sh dist/RunCompanion | cut -f1) unpacked, $(du -h "$tarball" | cut -f1) packed"
    fi
fi

if [ "$smoke" = yes ]; then
    [ -x dist/RunCompanion/RunCompanion ] || { say "no dist/RunCompanion/RunCompanion: build it first"; exit 1; }
    # A minimal environment (env -i style, no Python on PATH), a fresh data folder, a real X screen (Xvfb) and a
    # PulseAudio null sink as its sound card, recorded to hear the voice.
    step "smoke test of the bundle" python3 scripts/smoke.py --app dist/RunCompanion/RunCompanion --window --speak --minimal-env
fi
