/// Why a vault file could not be read. Each case has a stable `code` (used by the fixture
/// corpus, `--json` and docs/FORMAT.md) and maps to one exit status in the CLI.
public enum VaultFormatError: Error, Equatable, Sendable {
    /// The file does not start with the vault magic bytes.
    case notAVault
    /// The file ends before the structure it declares.
    case truncated
    /// The format version is not one this program reads.
    case unsupportedVersion(UInt16)
    /// Bytes follow the end of the vault.
    case trailingData(extra: UInt64)
    /// The integrity checksum does not match: the bytes were changed (accidental damage).
    case damaged
    /// The key-derivation algorithm id is unknown.
    case unknownKDF(UInt8)
    /// The payload codec id is unknown.
    case unknownCodec(UInt16)
    /// The stored KDF parameters are weaker than the accepted floor.
    case kdfBelowFloor(opslimit: UInt32, memlimit: UInt64)
    /// The stored KDF parameters exceed the accepted ceiling.
    case kdfAboveCeiling(opslimit: UInt32, memlimit: UInt64)
    /// The key slot did not open: the passphrase is wrong.
    case wrongPassphrase
    /// The checksum is intact but the payload did not authenticate: deliberate modification.
    case payloadTampered

    /// The stable error code, as in docs/FORMAT.md.
    public var code: String {
        switch self {
        case .notAVault: return "not-a-vault"
        case .truncated: return "truncated"
        case .unsupportedVersion: return "unsupported-version"
        case .trailingData: return "trailing-data"
        case .damaged: return "damaged"
        case .unknownKDF: return "unknown-kdf"
        case .unknownCodec: return "unknown-codec"
        case .kdfBelowFloor: return "kdf-below-floor"
        case .kdfAboveCeiling: return "kdf-above-ceiling"
        case .wrongPassphrase: return "wrong-passphrase"
        case .payloadTampered: return "payload-tampered"
        }
    }

    /// A one-line, lowercase message for the user.
    public var message: String {
        switch self {
        case .notAVault: return "not a debt-vault file (bad magic bytes)"
        case .truncated: return "vault is damaged: the file is truncated"
        case .unsupportedVersion(let v): return "unsupported vault format version \(v) (this program reads version 1)"
        case .trailingData(let extra): return "vault is damaged: \(extra) unexpected bytes after the end of the vault"
        case .damaged: return "vault is damaged: its checksum does not match (the file was changed on disk)"
        case .unknownKDF(let id): return "vault uses unknown key-derivation algorithm id \(id)"
        case .unknownCodec(let id): return "vault uses unknown payload codec id \(id)"
        case .kdfBelowFloor(let ops, let mem):
            return "vault key-derivation parameters (\(mem >> 20) MiB, \(ops) passes) are below the accepted floor (64 MiB, 2 passes)"
        case .kdfAboveCeiling(let ops, let mem):
            return "vault key-derivation parameters (\(mem >> 20) MiB, \(ops) passes) are above the accepted ceiling (4096 MiB, 32 passes)"
        case .wrongPassphrase: return "wrong passphrase"
        case .payloadTampered: return "vault is damaged: the encrypted payload does not authenticate (it was modified)"
        }
    }
}

/// Why a vault could not be stored or locked.
public enum StorageError: Error, Equatable, Sendable {
    /// No vault exists at the path.
    case noVault(path: String)
    /// A vault already exists where a new one was to be created.
    case alreadyExists(path: String)
    /// A file could not be read.
    case cannotRead(path: String, reason: String)
    /// A file or directory could not be written; nothing was changed.
    case cannotWrite(path: String, reason: String)
    /// Another process holds the vault's lock.
    case busy(path: String, waitedSeconds: Double)
    /// The vault on disk changed between reading it and saving.
    case changedOnDisk(path: String)
}

extension StorageError {
    /// A one-line, lowercase message for the user.
    public var message: String {
        switch self {
        case .noVault(let p): return "no vault at \(p)"
        case .alreadyExists(let p): return "a vault already exists at \(p); refusing to overwrite it"
        case .cannotRead(let p, let r): return "cannot read \(p): \(r)"
        case .cannotWrite(let p, let r): return "cannot write \(p): \(r); the vault was not changed"
        case .busy(let p, let s): return "vault is busy: another vault process holds \(p) (waited \(Int(s)) s)"
        case .changedOnDisk(let p): return "the vault at \(p) changed on disk since it was read; nothing was saved"
        }
    }
}
