#!/usr/bin/python3
"""Decrypts a debt-vault file (format v1) and writes its payload plaintext.

Written only from docs/FORMAT.md, with PyNaCl's libsodium bindings (Debian's python3-nacl,
run with /usr/bin/python3). It is a second, independent reader of the format: the Swift code
uses its own libsodium binding and Scripts/vault-format.py uses ctypes. If this script and
`vault` agree on a file, the specification in docs/FORMAT.md is complete.

Usage: pynacl-decrypt.py VAULT --passphrase-file P [--out OUT]

Exit statuses follow docs/FORMAT.md section 4.1: 0 decrypted, 64 passphrase or usage error,
65 damaged / not a vault (the error code is printed on stderr), 66 no such file,
77 wrong passphrase, 1 anything else (kdf-failed).

Keys live in ordinary Python memory: use it for tests and for recovering your own data.
"""

import argparse
import os
import struct
import sys
import unicodedata

import nacl.bindings as sodium
import nacl.exceptions

# docs/FORMAT.md section 2
MAGIC = b"\x89DVAULT\n"  # 89 44 56 41 55 4C 54 0A
HEADER = 145
CHECKSUM = 32
FIXED = HEADER + CHECKSUM  # 177
MEM_FLOOR, OPS_FLOOR = 67108864, 2
MEM_CEILING, OPS_CEILING = 4294967296, 32

EXIT = {
    "not-a-vault": 65, "truncated": 65, "unsupported-version": 65, "trailing-data": 65,
    "damaged": 65, "unknown-kdf": 65, "unknown-codec": 65, "kdf-below-floor": 65,
    "kdf-above-ceiling": 65, "payload-tampered": 65, "wrong-passphrase": 77,
    "empty-passphrase": 64, "passphrase-not-utf8": 64, "kdf-failed": 1,
}


class VaultError(Exception):
    def __init__(self, code, detail=""):
        super().__init__(code)
        self.code = code
        self.detail = detail


def passphrase_bytes(raw):
    """Section 3: one trailing CRLF, else one LF, stripped; UTF-8; not empty; NFC."""
    if raw.endswith(b"\r\n"):
        raw = raw[:-2]
    elif raw.endswith(b"\n"):
        raw = raw[:-1]
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise VaultError("passphrase-not-utf8")
    if not text:
        raise VaultError("empty-passphrase")
    return unicodedata.normalize("NFC", text).encode("utf-8")


def decrypt(f, passphrase):
    """Section 8, step by step. Returns (payload plaintext, header fields)."""
    length = len(f)
    # 1. magic
    if length < 8 or f[0:8] != MAGIC:
        raise VaultError("not-a-vault")
    # 2. version
    if length < 10:
        raise VaultError("truncated")
    (version,) = struct.unpack_from("<H", f, 8)
    if version != 1:
        raise VaultError("unsupported-version", "version %d" % version)
    # 3. fixed part
    if length < FIXED:
        raise VaultError("truncated")
    # 4. payload length, compared without overflow
    (n,) = struct.unpack_from("<Q", f, 137)
    if n > length - FIXED:
        raise VaultError("truncated")
    if n < length - FIXED:
        raise VaultError("trailing-data")
    # 5. unkeyed BLAKE2b-256 of [0, 145 + N)
    digest = sodium.crypto_generichash_blake2b_salt_personal(f[0:HEADER + n], digest_size=32, key=b"")
    if digest != f[HEADER + n:HEADER + n + CHECKSUM]:
        raise VaultError("damaged")
    # 6. ids
    if f[10] != 1:
        raise VaultError("unknown-kdf")
    (codec,) = struct.unpack_from("<H", f, 111)
    if codec != 1:
        raise VaultError("unknown-codec")
    # 7. KDF policy
    (ops,) = struct.unpack_from("<I", f, 11)
    (mem,) = struct.unpack_from("<Q", f, 15)
    if mem < MEM_FLOOR or ops < OPS_FLOOR:
        raise VaultError("kdf-below-floor")
    if mem > MEM_CEILING or ops > OPS_CEILING:
        raise VaultError("kdf-above-ceiling")
    # 8. KEK: Argon2id v1.3 with the header's parameters (never the library presets)
    try:
        kek = sodium.crypto_pwhash_alg(32, passphrase, f[23:39], ops, mem, sodium.crypto_pwhash_ALG_ARGON2ID13)
    except (nacl.exceptions.RuntimeError, nacl.exceptions.ValueError, MemoryError) as e:
        raise VaultError("kdf-failed", str(e))
    # 9. key slot: AD = [0, 39), nonce = [39, 63), sealed key = [63, 111)
    try:
        data_key = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(f[63:111], f[0:39], f[39:63], kek)
    except nacl.exceptions.CryptoError:
        raise VaultError("wrong-passphrase")
    # 10. payload: AD = [0, 10) || [111, 145), nonce = [113, 137), ciphertext = [145, 145 + N)
    ad = f[0:10] + f[111:145]
    assert len(ad) == 44
    if n < 16:
        raise VaultError("payload-tampered")
    try:
        plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(f[HEADER:HEADER + n], ad, f[113:137], data_key)
    except nacl.exceptions.CryptoError:
        raise VaultError("payload-tampered")
    fields = {"version": version, "kdf": f[10], "opslimit": ops, "memlimit": mem, "codec": codec,
              "ciphertext_length": n, "file_length": length}
    return plain, fields


def main(argv=None):
    p = argparse.ArgumentParser(description="Decrypt a debt-vault v1 file with PyNaCl (docs/FORMAT.md only).")
    p.add_argument("vault")
    p.add_argument("--passphrase-file", required=True, metavar="P")
    p.add_argument("--out", metavar="OUT", help="write the payload here (mode 0600) instead of stdout")
    a = p.parse_args(argv)
    try:
        with open(a.passphrase_file, "rb") as fh:
            raw = fh.read()
        with open(a.vault, "rb") as fh:
            data = fh.read()
    except FileNotFoundError as e:
        print("pynacl-decrypt: %s" % e, file=sys.stderr)
        return 66
    try:
        plain, fields = decrypt(data, passphrase_bytes(raw))
    except VaultError as e:
        print("pynacl-decrypt: %s%s" % (e.code, (": " + e.detail) if e.detail else ""), file=sys.stderr)
        return EXIT[e.code]
    print("pynacl-decrypt: ok " + " ".join("%s=%s" % kv for kv in fields.items())
          + " plaintext_length=%d" % len(plain), file=sys.stderr)
    if a.out:
        fd = os.open(a.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(plain)
    else:
        sys.stdout.buffer.write(plain)
        sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
