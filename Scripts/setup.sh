# Shared set-up for Scripts/vault and Scripts/test (sourced, not run).
# Installs libsodium-dev and pkg-config from Debian when libsodium is not visible to pkg-config.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"

ensure_libsodium() {
    if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libsodium; then
        return 0
    fi
    echo "setup: installing libsodium-dev and pkg-config with apt-get" >&2
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >&2
    $sudo apt-get install -y -qq libsodium-dev pkg-config >&2
    pkg-config --exists libsodium || { echo "setup: libsodium still not found by pkg-config" >&2; exit 1; }
}

# The .ics tests parse calendars with a real iCalendar parser: Debian's python3-icalendar, run with
# /usr/bin/python3 (it brings python3-dateutil, used to expand RRULEs).
ensure_python_icalendar() {
    if /usr/bin/python3 -c 'import icalendar, dateutil' >/dev/null 2>&1; then
        return 0
    fi
    echo "setup: installing python3-icalendar with apt-get" >&2
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >&2
    $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq python3-icalendar >&2
    /usr/bin/python3 -c 'import icalendar, dateutil' || { echo "setup: python3-icalendar still not importable" >&2; exit 1; }
}

# Scripts/pynacl-decrypt.py (the independent-decryption test) uses PyNaCl: Debian's python3-nacl,
# run with /usr/bin/python3.
ensure_python_nacl() {
    if /usr/bin/python3 -c 'import nacl.bindings' >/dev/null 2>&1; then
        return 0
    fi
    echo "setup: installing python3-nacl with apt-get" >&2
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >&2
    $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq python3-nacl >&2
    /usr/bin/python3 -c 'import nacl.bindings' || { echo "setup: python3-nacl still not importable" >&2; exit 1; }
}

ensure_swift() {
    command -v swift >/dev/null 2>&1 || { echo "setup: swift is not installed (expected at /opt/swift)" >&2; exit 1; }
}
