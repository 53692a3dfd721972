#!/usr/bin/env python3
"""Independent reference implementation of the debt-vault file format v1.

Written from docs/FORMAT.md only (python3 standard library + libsodium via
ctypes). It exists to cross-check the Swift implementation and to (re)generate
the known-answer fixtures under Tests/VaultStorageTests/Fixtures/.

This tool keeps keys in ordinary Python memory: use it for tests and for
recovering your own data, not on a machine you do not trust.
"""

import argparse
import ctypes
import ctypes.util
import hashlib
import json
import os
import struct
import sys
import unicodedata

# --------------------------------------------------------------------------
# Format constants (docs/FORMAT.md)

MAGIC = b"\x89DVAULT\n"
VERSION = 1
KDF_ARGON2ID13 = 1
CODEC_PAYLOAD_V1 = 1
HEADER_LEN = 145            # bytes [0, 145) precede the payload ciphertext
CHECKSUM_LEN = 32
MIN_FILE_LEN = HEADER_LEN + CHECKSUM_LEN   # 177 (N = 0; never valid, see spec)
TAG_LEN = 16
U64_MAX = 2**64 - 1

MEM_FLOOR = 64 * 1024 * 1024        # 67108864
OPS_FLOOR = 2
MEM_CEILING = 4 * 1024 * 1024 * 1024  # 4294967296
OPS_CEILING = 32

PRESETS = {
    "interactive": (2, 64 * 1024 * 1024),
    "moderate": (3, 256 * 1024 * 1024),
    "sensitive": (4, 1024 * 1024 * 1024),
}

# Exit statuses (same as the vault CLI).
EXIT_USAGE = 64
EXIT_DATA = 65
EXIT_NOINPUT = 66
EXIT_NOPERM = 77

ERROR_EXIT = {
    "not-a-vault": EXIT_DATA,
    "truncated": EXIT_DATA,
    "unsupported-version": EXIT_DATA,
    "trailing-data": EXIT_DATA,
    "damaged": EXIT_DATA,
    "unknown-kdf": EXIT_DATA,
    "unknown-codec": EXIT_DATA,
    "kdf-below-floor": EXIT_DATA,
    "kdf-above-ceiling": EXIT_DATA,
    "wrong-passphrase": EXIT_NOPERM,
    "payload-tampered": EXIT_DATA,
    "empty-passphrase": EXIT_USAGE,
    "passphrase-not-utf8": EXIT_USAGE,
    "kdf-failed": 1,
}


class VaultError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


# --------------------------------------------------------------------------
# libsodium through ctypes

_sodium = None


def sodium():
    global _sodium
    if _sodium is not None:
        return _sodium
    name = ctypes.util.find_library("sodium")
    if not name:
        sys.exit("vault-format: libsodium not found (apt-get install libsodium23)")
    lib = ctypes.CDLL(name)
    c = ctypes
    ull, sz, p, ip = c.c_ulonglong, c.c_size_t, c.c_char_p, c.c_int
    lib.sodium_init.restype = ip
    lib.crypto_pwhash.argtypes = [p, ull, p, ull, p, ull, sz, ip]
    lib.crypto_pwhash.restype = ip
    lib.crypto_aead_xchacha20poly1305_ietf_encrypt.argtypes = [
        p, c.POINTER(ull), p, ull, p, ull, c.c_void_p, p, p]
    lib.crypto_aead_xchacha20poly1305_ietf_encrypt.restype = ip
    lib.crypto_aead_xchacha20poly1305_ietf_decrypt.argtypes = [
        p, c.POINTER(ull), c.c_void_p, p, ull, p, ull, p, p]
    lib.crypto_aead_xchacha20poly1305_ietf_decrypt.restype = ip
    lib.crypto_generichash.argtypes = [p, sz, p, ull, p, sz]
    lib.crypto_generichash.restype = ip
    lib.randombytes_buf.argtypes = [p, sz]
    lib.randombytes_buf.restype = None
    for f in ("crypto_pwhash_alg_argon2id13", "crypto_pwhash_saltbytes",
              "crypto_aead_xchacha20poly1305_ietf_npubbytes",
              "crypto_aead_xchacha20poly1305_ietf_keybytes",
              "crypto_aead_xchacha20poly1305_ietf_abytes"):
        getattr(lib, f).restype = sz if f != "crypto_pwhash_alg_argon2id13" else ip
    if lib.sodium_init() < 0:
        sys.exit("vault-format: sodium_init failed")
    assert lib.crypto_pwhash_saltbytes() == 16
    assert lib.crypto_aead_xchacha20poly1305_ietf_npubbytes() == 24
    assert lib.crypto_aead_xchacha20poly1305_ietf_keybytes() == 32
    assert lib.crypto_aead_xchacha20poly1305_ietf_abytes() == TAG_LEN
    _sodium = lib
    return lib


def blake2b_256(data):
    out = ctypes.create_string_buffer(32)
    if sodium().crypto_generichash(out, 32, data, len(data), None, 0) != 0:
        raise RuntimeError("crypto_generichash failed")
    return out.raw


def derive_kek(passphrase, salt, opslimit, memlimit):
    lib = sodium()
    out = ctypes.create_string_buffer(32)
    rc = lib.crypto_pwhash(out, 32, passphrase, len(passphrase), salt,
                           opslimit, memlimit, lib.crypto_pwhash_alg_argon2id13())
    if rc != 0:
        raise VaultError("kdf-failed", "crypto_pwhash failed (out of memory or parameters outside libsodium's limits)")
    return out.raw


def aead_seal(plaintext, ad, nonce, key):
    out = ctypes.create_string_buffer(len(plaintext) + TAG_LEN)
    outlen = ctypes.c_ulonglong(0)
    rc = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(
        out, ctypes.byref(outlen), plaintext, len(plaintext), ad, len(ad), None, nonce, key)
    if rc != 0:
        raise RuntimeError("aead encrypt failed")
    return out.raw[:outlen.value]


def aead_open(ciphertext, ad, nonce, key):
    """Returns the plaintext, or None when authentication fails."""
    if len(ciphertext) < TAG_LEN:
        return None
    out = ctypes.create_string_buffer(max(1, len(ciphertext) - TAG_LEN))
    outlen = ctypes.c_ulonglong(0)
    rc = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
        out, ctypes.byref(outlen), None, ciphertext, len(ciphertext), ad, len(ad), nonce, key)
    if rc != 0:
        return None
    return out.raw[:outlen.value]


def random_bytes(n):
    buf = ctypes.create_string_buffer(n)
    sodium().randombytes_buf(buf, n)
    return buf.raw


# --------------------------------------------------------------------------
# Passphrase handling

def passphrase_from_file_bytes(raw):
    """File/fd contents -> passphrase bytes: strip one trailing \\r\\n or \\n,
    refuse invalid UTF-8 and empty, normalise to NFC, encode UTF-8."""
    if raw.endswith(b"\r\n"):
        raw = raw[:-2]
    elif raw.endswith(b"\n"):
        raw = raw[:-1]
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise VaultError("passphrase-not-utf8", "passphrase is not valid UTF-8")
    if text == "":
        raise VaultError("empty-passphrase", "passphrase is empty")
    return unicodedata.normalize("NFC", text).encode("utf-8")


def read_passphrase_file(path):
    with open(path, "rb") as f:
        return passphrase_from_file_bytes(f.read())


# --------------------------------------------------------------------------
# Parsing and validation

def parse_header(data):
    """Field view of an already length-checked file (len(data) >= 177)."""
    f = {}
    f["magic"] = data[0:8]
    f["version"], = struct.unpack_from("<H", data, 8)
    f["kdf"] = data[10]
    f["opslimit"], = struct.unpack_from("<I", data, 11)
    f["memlimit"], = struct.unpack_from("<Q", data, 15)
    f["salt"] = data[23:39]
    f["slot_nonce"] = data[39:63]
    f["slot"] = data[63:111]
    f["codec"], = struct.unpack_from("<H", data, 111)
    f["payload_nonce"] = data[113:137]
    f["payload_len"], = struct.unpack_from("<Q", data, 137)
    return f


def check_structure(data, enforce_floor=True):
    """Validation steps 1-7 (no passphrase needed). Returns the parsed fields."""
    n = len(data)
    # 1. magic
    if n < 8 or data[:8] != MAGIC:
        raise VaultError("not-a-vault", "not a debt-vault file (bad magic)")
    # 2. version
    if n < 10:
        raise VaultError("truncated", "file is truncated (%d bytes)" % n)
    version, = struct.unpack_from("<H", data, 8)
    if version != VERSION:
        raise VaultError("unsupported-version",
                         "unsupported vault format version %d (this reader supports 1)" % version)
    # 3. fixed header + checksum
    if n < MIN_FILE_LEN:
        raise VaultError("truncated", "file is truncated (%d bytes, header needs %d)" % (n, MIN_FILE_LEN))
    # 4. exact length (Python ints do not overflow; a u64 reader must compare
    #    N > length - 177 instead of 177 + N > length)
    plen, = struct.unpack_from("<Q", data, 137)
    if plen > n - MIN_FILE_LEN:
        raise VaultError("truncated", "file is truncated (payload length %d, file %d bytes)" % (plen, n))
    if plen < n - MIN_FILE_LEN:
        raise VaultError("trailing-data", "%d bytes of trailing data after the checksum" % (n - MIN_FILE_LEN - plen))
    # 5. checksum
    end = HEADER_LEN + plen
    if blake2b_256(data[:end]) != data[end:end + CHECKSUM_LEN]:
        raise VaultError("damaged", "vault is damaged (checksum mismatch)")
    f = parse_header(data)
    # 6. algorithm and codec ids
    if f["kdf"] != KDF_ARGON2ID13:
        raise VaultError("unknown-kdf", "unknown KDF algorithm id %d" % f["kdf"])
    if f["codec"] != CODEC_PAYLOAD_V1:
        raise VaultError("unknown-codec", "unknown payload codec id %d" % f["codec"])
    # 7. KDF policy
    if enforce_floor and (f["memlimit"] < MEM_FLOOR or f["opslimit"] < OPS_FLOOR):
        raise VaultError("kdf-below-floor",
                         "KDF parameters below the floor (ops %d, mem %d; need >= %d, >= %d)"
                         % (f["opslimit"], f["memlimit"], OPS_FLOOR, MEM_FLOOR))
    if f["memlimit"] > MEM_CEILING or f["opslimit"] > OPS_CEILING:
        raise VaultError("kdf-above-ceiling",
                         "KDF parameters above the ceiling (ops %d, mem %d; max %d, %d)"
                         % (f["opslimit"], f["memlimit"], OPS_CEILING, MEM_CEILING))
    return f


def payload_ad(data):
    return data[0:10] + data[111:145]


def open_vault(data, passphrase, enforce_floor=True):
    """Full validation (steps 1-9). Returns (plaintext, kek, data_key, fields)."""
    f = check_structure(data, enforce_floor)
    # 8. key slot
    kek = derive_kek(passphrase, f["salt"], f["opslimit"], f["memlimit"])
    data_key = aead_open(f["slot"], data[0:39], f["slot_nonce"], kek)
    if data_key is None or len(data_key) != 32:
        raise VaultError("wrong-passphrase", "wrong passphrase")
    # 9. payload
    ct = data[HEADER_LEN:HEADER_LEN + f["payload_len"]]
    plaintext = aead_open(ct, payload_ad(data), f["payload_nonce"], data_key)
    if plaintext is None:
        raise VaultError("payload-tampered",
                         "payload failed authentication although the checksum is intact (deliberate modification)")
    return plaintext, kek, data_key, f


def seed_derive(seed, label, n):
    """Fixture-only determinism: BLAKE2b(outlen=n, key=seed, msg="debt-vault fixture "+label)."""
    out = ctypes.create_string_buffer(n)
    msg = b"debt-vault fixture " + label.encode()
    if sodium().crypto_generichash(out, n, msg, len(msg), seed, len(seed)) != 0:
        raise RuntimeError("crypto_generichash failed")
    return out.raw


def build_vault(passphrase, plaintext, opslimit, memlimit, seed=None, codec=CODEC_PAYLOAD_V1):
    """Returns (file bytes, kek, data_key)."""
    if seed is None:
        salt, data_key = random_bytes(16), random_bytes(32)
        slot_nonce, payload_nonce = random_bytes(24), random_bytes(24)
    else:
        salt = seed_derive(seed, "salt", 16)
        data_key = seed_derive(seed, "data-key", 32)
        slot_nonce = seed_derive(seed, "key-slot-nonce", 24)
        payload_nonce = seed_derive(seed, "payload-nonce", 24)
    head = MAGIC + struct.pack("<HBIQ", VERSION, KDF_ARGON2ID13, opslimit, memlimit) + salt
    assert len(head) == 39
    kek = derive_kek(passphrase, salt, opslimit, memlimit)
    slot = aead_seal(data_key, head, slot_nonce, kek)
    tail = struct.pack("<H", codec) + payload_nonce + struct.pack("<Q", len(plaintext) + TAG_LEN)
    prefix = head + slot_nonce + slot + tail
    assert len(prefix) == HEADER_LEN
    ct = aead_seal(plaintext, prefix[0:10] + prefix[111:145], payload_nonce, data_key)
    body = prefix + ct
    return body + blake2b_256(body), kek, data_key


def with_checksum(data):
    """Recompute the trailing checksum of a file whose length field is correct."""
    plen, = struct.unpack_from("<Q", data, 137)
    end = HEADER_LEN + plen
    return data[:end] + blake2b_256(data[:end])


# --------------------------------------------------------------------------
# Commands

def fail(err):
    sys.stderr.write("%s: %s\n" % (err.code, err.message))
    return ERROR_EXIT.get(err.code, 1)


def read_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        sys.stderr.write("no-such-file: %s\n" % path)
        sys.exit(EXIT_NOINPUT)


def write_file(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def cmd_decrypt(a):
    data = read_file(a.file)
    try:
        pw = read_passphrase_file(a.passphrase_file)
        pt, _, _, _ = open_vault(data, pw, not a.allow_weak_kdf)
    except VaultError as e:
        return fail(e)
    if a.out:
        write_file(a.out, pt)
    else:
        sys.stdout.buffer.write(pt)
    return 0


def cmd_encrypt(a):
    ops, mem = PRESETS[a.kdf]
    ops = a.ops if a.ops is not None else ops
    mem = a.mem if a.mem is not None else mem
    if not a.allow_weak_kdf and (mem < MEM_FLOOR or ops < OPS_FLOOR):
        return fail(VaultError("kdf-below-floor", "refusing KDF parameters below the floor (--allow-weak-kdf for tests)"))
    if mem > MEM_CEILING or ops > OPS_CEILING:
        return fail(VaultError("kdf-above-ceiling", "refusing KDF parameters above the ceiling"))
    seed = None
    if a.deterministic_seed is not None:
        seed = bytes.fromhex(a.deterministic_seed)
        if not 16 <= len(seed) <= 64:
            sys.stderr.write("usage: --deterministic-seed must be 16..64 bytes of hex\n")
            return EXIT_USAGE
    try:
        pw = read_passphrase_file(a.passphrase_file)
    except VaultError as e:
        return fail(e)
    blob, _, _ = build_vault(pw, read_file(a.payload), ops, mem, seed)
    write_file(a.out, blob)
    return 0


def cmd_inspect(a):
    data = read_file(a.file)
    try:
        f = check_structure(data, enforce_floor=True)
        status = "ok"
    except VaultError as e:
        status = e.code
        if e.code in ("not-a-vault", "truncated", "unsupported-version", "trailing-data"):
            return fail(e)
        f = parse_header(data)
    end = HEADER_LEN + f["payload_len"]
    out = {
        "file_length": len(data),
        "magic": f["magic"].hex(),
        "format_version": f["version"],
        "kdf_algorithm": f["kdf"],
        "kdf_algorithm_name": "argon2id13" if f["kdf"] == 1 else None,
        "opslimit": f["opslimit"],
        "memlimit": f["memlimit"],
        "salt": f["salt"].hex(),
        "key_slot_nonce": f["slot_nonce"].hex(),
        "key_slot": f["slot"].hex(),
        "payload_codec": f["codec"],
        "payload_nonce": f["payload_nonce"].hex(),
        "payload_ciphertext_length": f["payload_len"],
        "payload_plaintext_length": f["payload_len"] - TAG_LEN if f["payload_len"] >= TAG_LEN else None,
        "checksum": data[end:end + CHECKSUM_LEN].hex(),
        "checksum_ok": status != "damaged",
        "status": status,
    }
    print(json.dumps(out, indent=2))
    return 0 if status == "ok" else ERROR_EXIT.get(status, 1)


# ---- fixtures --------------------------------------------------------------

FIXTURE_SEED = bytes(range(32))
FIXTURE_PASSPHRASE = "correct horse 電池 café staple"
FIXTURE_PLAINTEXT = b"debt-vault format v1 known-answer payload\n"
WRONG_PASSPHRASE = "correct horse 電池 cafe staple"


def broken_cases(good):
    """(name, bytes, error, what[, passphrase_file]) derived from the good fixture."""
    n = len(good)
    plen = n - MIN_FILE_LEN

    def flip(data, off, mask=0x01):
        b = bytearray(data)
        b[off] ^= mask
        return bytes(b)

    def put(data, off, fmt, value, recompute=True):
        b = bytearray(data)
        struct.pack_into(fmt, b, off, value)
        return with_checksum(bytes(b)) if recompute else bytes(b)

    c = []
    add = lambda name, data, err, what: c.append((name, data, err, what))
    add("empty", b"", "not-a-vault", "empty file (0 bytes)")
    add("bad-magic", b"PK\x03\x04" + good[4:], "not-a-vault", "first 4 magic bytes replaced by a ZIP signature")
    add("text-file", b"hello, this is not a vault\n" * 8, "not-a-vault", "a plain text file")
    add("version-2", put(good, 8, "<H", 2), "unsupported-version", "format version 2 (checksum recomputed); message must name version 2")
    add("version-65535", put(good, 8, "<H", 65535), "unsupported-version", "format version 65535 (checksum recomputed); message must name version 65535")
    add("version-0", put(good, 8, "<H", 0), "unsupported-version", "format version 0 (checksum recomputed)")
    add("truncated-5", good[:5], "not-a-vault", "first 5 bytes only: shorter than the magic, so step 1 says not-a-vault")
    add("truncated-magic-only", good[:8], "truncated", "magic only (8 bytes), version missing")
    add("truncated-9", good[:9], "truncated", "9 bytes: magic and half of the version")
    add("truncated-in-header", good[:60], "truncated", "60 bytes: cut inside the key slot nonce")
    add("truncated-after-header", good[:HEADER_LEN], "truncated", "145 bytes: complete header, no payload, no checksum")
    add("truncated-in-payload", good[:HEADER_LEN + plen // 2], "truncated", "cut in the middle of the payload ciphertext")
    add("truncated-no-checksum", good[:HEADER_LEN + plen], "truncated", "payload complete, 32-byte checksum missing")
    add("truncated-1", good[:-1], "truncated", "last byte of the checksum missing")
    add("trailing-1", good + b"\x00", "trailing-data", "one zero byte appended after the checksum")
    add("trailing-100", good + bytes(range(100)), "trailing-data", "100 bytes appended after the checksum")
    add("trailing-copy", good + good, "trailing-data", "the vault concatenated twice")
    # one flipped byte (bit 0) in each region, checksum NOT recomputed (accidental damage)
    regions = [
        ("magic", 3, "not-a-vault", "magic byte 3 flipped: not a vault any more"),
        ("version", 8, "unsupported-version", "version low byte flipped (1 -> 0): version is checked before the checksum"),
        ("version-high", 9, "unsupported-version", "version high byte flipped (1 -> 257)"),
        ("kdf-id", 10, "damaged", "KDF algorithm id flipped (1 -> 0), checksum catches it first"),
        ("opslimit", 11, "damaged", "opslimit low byte flipped"),
        ("memlimit", 17, "damaged", "memlimit byte 2 flipped"),
        ("salt", 30, "damaged", "salt byte flipped"),
        ("key-slot-nonce", 50, "damaged", "key slot nonce byte flipped"),
        ("key-slot", 80, "damaged", "key slot ciphertext byte flipped"),
        ("key-slot-tag", 110, "damaged", "last byte of the key slot tag flipped"),
        ("codec", 111, "damaged", "payload codec id flipped (1 -> 0), checksum catches it first"),
        ("payload-nonce", 120, "damaged", "payload nonce byte flipped"),
        ("payload-ciphertext", HEADER_LEN + 3, "damaged", "payload ciphertext byte flipped"),
        ("payload-tag", HEADER_LEN + plen - 1, "damaged", "last byte of the payload tag flipped"),
        ("checksum", n - 1, "damaged", "last checksum byte flipped"),
    ]
    for name, off, err, what in regions:
        add("flip-" + name, flip(good, off), err, what)
    # payload length field (checksum not recomputed): becomes a length error
    up = next(m for m in (0x01, 0x02, 0x04, 0x08, 0x10, 0x20) if not plen & m)
    add("flip-payload-length-up", flip(good, 137, up), "truncated",
        "payload length low byte flipped upwards: declared payload longer than the file")
    low = next(m for m in (0x01, 0x02, 0x04, 0x08, 0x10, 0x20) if plen & m)
    add("flip-payload-length-down", flip(good, 137, low), "trailing-data",
        "payload length low byte flipped downwards: bytes left over after the declared checksum")
    add("flip-payload-length-high", flip(good, 144, 0x80), "truncated",
        "payload length top bit flipped (N >= 2^63): must not overflow")
    add("payload-length-max", put(good, 137, "<Q", U64_MAX, recompute=False), "truncated",
        "payload length 2^64-1: 177 + N overflows a u64")
    add("payload-length-wraps", put(good, 137, "<Q", 2**64 - MIN_FILE_LEN, recompute=False), "truncated",
        "payload length 2^64-177: 177 + N wraps to exactly 0 in u64 arithmetic")
    # well-formed (checksum recomputed) but refused by steps 6-7
    add("kdf-id-2", put(good, 10, "<B", 2), "unknown-kdf", "KDF algorithm id 2, checksum recomputed")
    add("kdf-id-0", put(good, 10, "<B", 0), "unknown-kdf", "KDF algorithm id 0, checksum recomputed")
    add("codec-2", put(good, 111, "<H", 2), "unknown-codec", "payload codec id 2, checksum recomputed")
    add("codec-0", put(good, 111, "<H", 0), "unknown-codec", "payload codec id 0, checksum recomputed")
    add("kdf-id-2-and-mem-low", put(put(good, 10, "<B", 2), 15, "<Q", 32 * 2**20), "unknown-kdf",
        "KDF id 2 and memlimit 32 MiB: the id is checked before the parameters")
    add("mem-32mib", put(good, 15, "<Q", 32 * 2**20), "kdf-below-floor", "memlimit 32 MiB, checksum recomputed")
    add("mem-floor-minus-1", put(good, 15, "<Q", MEM_FLOOR - 1), "kdf-below-floor", "memlimit 67108863 (one byte below the floor)")
    add("ops-1", put(good, 11, "<I", 1), "kdf-below-floor", "opslimit 1, checksum recomputed")
    add("ops-0", put(good, 11, "<I", 0), "kdf-below-floor", "opslimit 0, checksum recomputed")
    add("mem-8gib", put(good, 15, "<Q", 8 * 2**30), "kdf-above-ceiling", "memlimit 8 GiB, checksum recomputed")
    add("mem-ceiling-plus-1", put(good, 15, "<Q", MEM_CEILING + 1), "kdf-above-ceiling", "memlimit 4 GiB + 1 byte")
    add("mem-max", put(good, 15, "<Q", U64_MAX), "kdf-above-ceiling", "memlimit 2^64-1 (does not fit a 32-bit size_t)")
    add("ops-100", put(good, 11, "<I", 100), "kdf-above-ceiling", "opslimit 100, checksum recomputed")
    add("ops-33", put(good, 11, "<I", 33), "kdf-above-ceiling", "opslimit 33 (one above the ceiling)")
    add("mem-low-ops-high", put(put(good, 15, "<Q", 32 * 2**20), 11, "<I", 100), "kdf-below-floor",
        "memlimit 32 MiB and opslimit 100: the floor is checked before the ceiling")
    # deliberate modification (checksum recomputed): key slot / payload AEAD fails
    ws = "; a modified key slot is indistinguishable from a wrong passphrase by design"
    add("key-slot-modified", with_checksum(flip(good, 80)), "wrong-passphrase", "key slot ciphertext byte flipped, checksum recomputed" + ws)
    add("key-slot-tag-modified", with_checksum(flip(good, 110)), "wrong-passphrase", "key slot tag byte flipped, checksum recomputed" + ws)
    add("key-slot-nonce-modified", with_checksum(flip(good, 50)), "wrong-passphrase", "key slot nonce byte flipped, checksum recomputed" + ws)
    add("salt-modified", with_checksum(flip(good, 30)), "wrong-passphrase", "salt byte flipped, checksum recomputed: different KEK" + ws)
    add("ops-3-modified", put(good, 11, "<I", 3), "wrong-passphrase", "opslimit 2 -> 3 (within policy), checksum recomputed: different KEK" + ws)
    add("mem-plus-1-modified", put(good, 15, "<Q", MEM_FLOOR + 1), "wrong-passphrase",
        "memlimit +1 byte, checksum recomputed: libsodium derives the SAME KEK (it uses memlimit/1024 KiB), only the key slot AD catches it" + ws)
    add("payload-modified", with_checksum(flip(good, HEADER_LEN + 3)), "payload-tampered", "payload ciphertext byte flipped, checksum recomputed")
    add("payload-tag-modified", with_checksum(flip(good, HEADER_LEN + plen - 1)), "payload-tampered", "payload tag byte flipped, checksum recomputed")
    add("payload-nonce-modified", with_checksum(flip(good, 120)), "payload-tampered", "payload nonce byte flipped (codec id kept 1), checksum recomputed")
    return c


def cmd_make_fixtures(a):
    d = a.dir
    os.makedirs(os.path.join(d, "broken"), exist_ok=True)
    pw_file = (FIXTURE_PASSPHRASE + "\n").encode("utf-8")
    assert unicodedata.is_normalized("NFC", FIXTURE_PASSPHRASE)
    nfd_file = unicodedata.normalize("NFD", FIXTURE_PASSPHRASE).encode("utf-8") + b"\r\n"
    assert nfd_file[:-2] != pw_file[:-1]
    pw = passphrase_from_file_bytes(pw_file)
    ops, mem = PRESETS["interactive"]
    good, kek, dk = build_vault(pw, FIXTURE_PLAINTEXT, ops, mem, FIXTURE_SEED)
    files = {
        "v1-interactive.dv": good,
        "v1-interactive.passphrase": pw_file,
        "v1-interactive.nfd.passphrase": nfd_file,
        "v1-interactive.plaintext": FIXTURE_PLAINTEXT,
        "broken/wrong.passphrase": (WRONG_PASSPHRASE + "\n").encode("utf-8"),
    }
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    desc = {
        "description": "debt-vault format v1 known-answer fixture (docs/FORMAT.md, worked example)",
        "vault": "v1-interactive.dv",
        "vault_sha256": hashlib.sha256(good).hexdigest(),
        "passphrase_file": "v1-interactive.passphrase",
        "passphrase_utf8_hex": pw.hex(),
        "equivalent_passphrase_files": ["v1-interactive.nfd.passphrase"],
        "equivalent_passphrase_note": "NFD form with a CRLF ending; must open the vault because passphrases are NFC-normalised and one trailing CRLF is stripped",
        "wrong_passphrase_file": "broken/wrong.passphrase",
        "plaintext_file": "v1-interactive.plaintext",
        "format_version": VERSION,
        "kdf_algorithm": KDF_ARGON2ID13,
        "opslimit": ops,
        "memlimit": mem,
        "payload_codec": CODEC_PAYLOAD_V1,
        "payload_codec_note": "the plaintext is arbitrary bytes, NOT a valid codec-1 payload; compare bytes only",
        "kek_hex": kek.hex(),
        "data_key_hex": dk.hex(),
        "deterministic_seed_hex": FIXTURE_SEED.hex(),
        "regenerate": "Scripts/vault-format.py make-fixtures Tests/VaultStorageTests/Fixtures",
    }
    with open(os.path.join(d, "v1-interactive.json"), "w") as f:
        json.dump(desc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    manifest = []
    pf = "../v1-interactive.passphrase"
    for name, data, err, what in broken_cases(good):
        fn = name + ".dv"
        with open(os.path.join(d, "broken", fn), "wb") as f:
            f.write(data)
        manifest.append({"file": fn, "error": err, "what": what, "passphrase_file": pf})
    manifest.append({"file": "../v1-interactive.dv", "error": "wrong-passphrase",
                     "what": "the intact good vault opened with a different passphrase (wrong.passphrase: 'cafe' without the accent)",
                     "passphrase_file": "wrong.passphrase"})
    with open(os.path.join(d, "broken", "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print("wrote %d broken cases to %s" % (len(manifest), os.path.join(d, "broken")))
    return 0


def cmd_selftest(a):
    d = a.fixture_dir
    failures = 0

    def report(ok, label, detail=""):
        nonlocal failures
        if not ok:
            failures += 1
        print("%s %s%s" % ("ok  " if ok else "FAIL", label, (" - " + detail) if detail else ""))

    with open(os.path.join(d, "v1-interactive.json"), encoding="utf-8") as f:
        desc = json.load(f)
    good = read_file(os.path.join(d, desc["vault"]))
    expected = read_file(os.path.join(d, desc["plaintext_file"]))
    for pf in [desc["passphrase_file"]] + desc.get("equivalent_passphrase_files", []):
        try:
            pt, kek, dk, f = open_vault(good, read_passphrase_file(os.path.join(d, pf)))
            ok = pt == expected and kek.hex() == desc["kek_hex"] and dk.hex() == desc["data_key_hex"]
            report(ok, "%s with %s" % (desc["vault"], pf), "" if ok else "plaintext/kek/data key differ")
        except VaultError as e:
            report(False, "%s with %s" % (desc["vault"], pf), e.code)
    # the encryptor reproduces the committed file from the recorded seed
    pw = read_passphrase_file(os.path.join(d, desc["passphrase_file"]))
    again, _, _ = build_vault(pw, expected, desc["opslimit"], desc["memlimit"],
                              bytes.fromhex(desc["deterministic_seed_hex"]))
    report(again == good, "re-encryption from the seed is byte-identical")
    report(hashlib.sha256(good).hexdigest() == desc["vault_sha256"], "vault sha256 matches")

    bdir = os.path.join(d, "broken")
    with open(os.path.join(bdir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    for entry in manifest:
        data = read_file(os.path.join(bdir, entry["file"]))
        pfile = os.path.join(bdir, entry.get("passphrase_file", "../v1-interactive.passphrase"))
        try:
            open_vault(data, read_passphrase_file(pfile))
            got = "ok"
        except VaultError as e:
            got = e.code
        report(got == entry["error"], entry["file"], "expected %s, got %s" % (entry["error"], got)
               if got != entry["error"] else entry["error"])
    print("%d checks failed" % failures if failures else "all %d checks passed" % (len(manifest) + 4))
    return 1 if failures else 0


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, "%s: error: %s\n" % (self.prog, message))


def main(argv=None):
    ap = _Parser(
        prog="vault-format.py",
        description="Independent reference implementation of the debt-vault file format v1 (docs/FORMAT.md).",
        epilog="Errors are printed as 'CODE: message' on stderr. Exit statuses: 0 ok, 64 usage/passphrase "
               "input, 65 not a vault/damaged/refused, 66 no such file, 77 wrong passphrase.")
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("decrypt", help="decrypt a vault and print its payload plaintext")
    p.add_argument("file")
    p.add_argument("--passphrase-file", required=True, metavar="P")
    p.add_argument("--out", metavar="OUT", help="write the plaintext here (mode 0600) instead of stdout")
    p.add_argument("--allow-weak-kdf", action="store_true", help="do not apply the KDF floor (tests only)")
    p.set_defaults(fn=cmd_decrypt)

    p = sub.add_parser("encrypt", help="create a vault from a payload plaintext file")
    p.add_argument("--passphrase-file", required=True, metavar="P")
    p.add_argument("--payload", required=True, metavar="FILE")
    p.add_argument("--out", required=True, metavar="OUT")
    p.add_argument("--kdf", choices=sorted(PRESETS), default="moderate")
    p.add_argument("--ops", type=int, metavar="N", help="Argon2 passes (overrides --kdf)")
    p.add_argument("--mem", type=int, metavar="BYTES", help="Argon2 memory in bytes (overrides --kdf)")
    p.add_argument("--allow-weak-kdf", action="store_true", help="allow parameters below the floor (tests only)")
    p.add_argument("--deterministic-seed", metavar="HEX",
                   help="derive salt, nonces and data key from this 16-64 byte seed (FIXTURES ONLY: never for real data)")
    p.set_defaults(fn=cmd_encrypt)

    p = sub.add_parser("inspect", help="print the header fields as JSON (no passphrase needed)")
    p.add_argument("file")
    p.set_defaults(fn=cmd_inspect)

    p = sub.add_parser("selftest", help="check the known-answer fixture and every broken-corpus entry")
    p.add_argument("fixture_dir", metavar="FIXTURE_DIR")
    p.set_defaults(fn=cmd_selftest)

    p = sub.add_parser("make-fixtures", help="(re)generate the fixtures deterministically into DIR")
    p.add_argument("dir", metavar="DIR")
    p.set_defaults(fn=cmd_make_fixtures)

    a = ap.parse_args(argv)
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
