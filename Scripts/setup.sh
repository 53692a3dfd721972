# Shared set-up for Scripts/vault, Scripts/test, Scripts/bench and Scripts/fuzz (sourced, not run).
# Installs from Debian's packages only what a check shows to be missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"

# apt_install_unless "CHECK COMMAND" PACKAGE...: runs apt-get install when the check fails, then
# checks again. The package lists are refreshed at most once per run.
apt_updated=""
apt_install_unless() {
    local check="$1"
    shift
    if bash -c "$check" >/dev/null 2>&1; then
        return 0
    fi
    echo "setup: installing $* with apt-get" >&2
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$apt_updated" ]; then
        $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
        apt_updated=1
    fi
    $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >&2
    bash -c "$check" >/dev/null 2>&1 || { echo "setup: $* installed, but '$check' still fails" >&2; exit 1; }
}

# libsodium, found through pkg-config by the CSodium system-library target.
ensure_libsodium() { apt_install_unless "command -v pkg-config && pkg-config --exists libsodium" libsodium-dev pkg-config; }

# The .ics tests parse calendars with a real iCalendar parser: Debian's python3-icalendar, run with
# /usr/bin/python3 (it brings python3-dateutil, used to expand RRULEs).
ensure_python_icalendar() { apt_install_unless "/usr/bin/python3 -c 'import icalendar, dateutil'" python3-icalendar; }

# Scripts/pynacl-decrypt.py (the independent-decryption test) uses PyNaCl: Debian's python3-nacl,
# run with /usr/bin/python3.
ensure_python_nacl() { apt_install_unless "/usr/bin/python3 -c 'import nacl.bindings'" python3-nacl; }

# The benchmark's peers: plain-text ledgers kept in an age-encrypted file.
ensure_bench_tools() { apt_install_unless "command -v ledger && command -v hledger && command -v age && command -v age-keygen && test -x /usr/bin/time" ledger hledger age time; }

ensure_swift() {
    command -v swift >/dev/null 2>&1 || { echo "setup: swift is not installed (expected at /opt/swift)" >&2; exit 1; }
}
