#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Parallel
import VaultCrypto

/// What `vault info` shows: read from the header alone, without a passphrase.
public struct VaultInfo: Sendable, Equatable {
    /// Path of the vault file.
    public var path: String
    /// Format version.
    public var version: UInt16
    /// Argon2id parameters.
    public var kdf: KDFParameters
    /// Payload codec id.
    public var codec: UInt16
    /// Total file size in bytes.
    public var fileSize: Int
    /// Payload ciphertext size in bytes.
    public var payloadSize: Int
    /// Last modification time (seconds since the epoch) of the vault file.
    public var lastSaved: Int
    /// Whether a backup generation exists next to the vault.
    public var hasBackup: Bool
    /// Whether the whole-file checksum was checked (`info(verify: true)`).
    public var checksumVerified: Bool
}

/// An unlocked vault: its keys, its decrypted payload and a fingerprint of the bytes it came from.
public final class VaultSession: @unchecked Sendable {
    /// The passphrase-derived key of the current key slot.
    public fileprivate(set) var passphraseKey: PassphraseKey
    /// The data key.
    public fileprivate(set) var dataKey: DataKey
    /// The decrypted payload (secure memory).
    public fileprivate(set) var payload: SecureBytes
    /// The payload codec id.
    public fileprivate(set) var codec: UInt16
    /// The checksum of the file bytes the payload came from.
    fileprivate var fingerprint: [UInt8]
    /// Inode, size and modification time of the file the payload came from. Every save renames a
    /// new file into place, so an unchanged identity means unchanged bytes and no re-read is needed.
    fileprivate var identity: FileIdentity?

    fileprivate init(passphraseKey: PassphraseKey, dataKey: DataKey, payload: SecureBytes, codec: UInt16, fingerprint: [UInt8], identity: FileIdentity?) {
        self.passphraseKey = passphraseKey
        self.dataKey = dataKey
        self.payload = payload
        self.codec = codec
        self.fingerprint = fingerprint
        self.identity = identity
    }
}

/// What identifies one version of the vault file on disk.
struct FileIdentity: Equatable {
    var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        seconds = Int(st.st_mtim.tv_sec)
        nanoseconds = Int(st.st_mtim.tv_nsec)
    }

    static func of(_ path: String) -> FileIdentity? {
        var st = stat()
        return lstat(path, &st) == 0 ? FileIdentity(st) : nil
    }
}

/// The result of `VaultStore.verify`.
public struct VerifyReport: Sendable {
    /// Size of the vault's payload in bytes.
    public var payloadBytes: Int
    /// nil when there is no backup; otherwise whether it opened, or the error it gave.
    public var backup: Result<Int, VaultFormatError>?
}

/// Reads and writes one vault file and its backup generation, safely.
///
/// Saves go to a new 0600 file in the same directory, are fsync'd, renamed over the vault and
/// followed by an fsync of the directory; the previous vault becomes `<vault>.bak`. Every
/// read-modify-write holds an exclusive lock on `<vault>.lock`; the slow KDF runs before it.
public final class VaultStore: @unchecked Sendable {
    /// Path of the vault file.
    public let path: String
    /// Acceptance rules for KDF parameters.
    public let policy: KDFPolicy
    /// How long to wait for another process's lock before failing with `.busy`.
    public var lockWaitSeconds: Double
    /// Called after the new file is written and before it replaces the vault (tests use it to
    /// simulate a foreign writer).
    public var beforeCommit: (@Sendable () -> Void)?
    /// When set, the duration of each storage stage is recorded here (`vault --timings`).
    public var timings: StageTimings?
    /// From this file size on, ``readFileDeferringChecksum()`` leaves the checksum to be checked during
    /// the KDF (256 KiB: about 0.5 ms of BLAKE2b here; tests lower it to cover that path with small files).
    public var concurrentChecksumMinimumSize = 256 * 1024
    /// The KDF parameters under which the checksum may be checked during the KDF: the three presets
    /// (a single damaged bit cannot turn one into another).
    public var concurrentChecksumParameters: [KDFParameters] = [.interactive, .moderate, .sensitive]

    /// Creates a store for the vault at `path`.
    public init(path: String, policy: KDFPolicy = .release, lockWaitSeconds: Double = 10) {
        self.path = path
        self.policy = policy
        self.lockWaitSeconds = lockWaitSeconds
    }

    /// Path of the backup generation.
    public var backupPath: String { path + ".bak" }
    /// Path of the lock file.
    public var lockPath: String { path + ".lock" }
    var directory: String { POSIX.parent(of: path) }
    var tempPrefix: String { "." + POSIX.fileName(of: path) + ".tmp-" }

    /// Whether a vault file exists at `path`.
    public var exists: Bool { POSIX.exists(path) }

    // MARK: - Reading

    /// Reads and integrity-checks the vault file.
    public func readFile() throws -> (file: VaultFile, bytes: [UInt8], stat: stat) {
        guard let (bytes, st) = try timings.measure("read file", { try POSIX.readFile(path) }) else { throw StorageError.noVault(path: path) }
        return (try timings.measure("verify checksum") { try VaultFile(parsing: bytes, policy: policy) }, bytes, st)
    }

    /// Reads the vault file and checks its layout and header. When the file has at least
    /// ``concurrentChecksumMinimumSize`` bytes and its KDF parameters are one of
    /// ``concurrentChecksumParameters`` (the presets), its whole-file checksum is left pending, for
    /// ``unlock(passphrase:read:checksumPending:)`` to check while the KDF runs. Otherwise it is checked now:
    /// a small file takes microseconds, and damaged KDF fields must not cost a KDF run of whatever size
    /// they now say before the damage is reported.
    public func readFileDeferringChecksum() throws -> (read: (file: VaultFile, bytes: [UInt8], stat: stat), checksumPending: Bool) {
        guard let (bytes, st) = try timings.measure("read file", { try POSIX.readFile(path) }) else { throw StorageError.noVault(path: path) }
        let file = try timings.measure("check header") { try VaultFile(parsing: bytes, policy: policy, verifyingChecksum: false) }
        let pending = bytes.count >= concurrentChecksumMinimumSize && concurrentChecksumParameters.contains(file.kdf)
        if !pending {
            guard timings.measure("verify checksum", { VaultFile.checksumMatches(bytes) }) else { throw VaultFormatError.damaged }
        }
        return ((file, bytes, st), pending)
    }

    /// Checks the checksum of bytes read by ``readFileDeferringChecksum()`` (when a passphrase cannot be had,
    /// damage is still reported as damage).
    public func verifyChecksum(of read: (file: VaultFile, bytes: [UInt8], stat: stat)) throws {
        guard timings.measure("verify checksum", { VaultFile.checksumMatches(read.bytes) }) else { throw VaultFormatError.damaged }
    }

    /// Header facts, without a passphrase.
    /// With `verify`, the whole file is read and its checksum checked; otherwise only the header is read,
    /// so the answer costs the same for any vault size.
    public func info(verify: Bool = false) throws -> VaultInfo {
        if verify {
            let (file, bytes, st) = try readFile()
            return VaultInfo(path: path, version: VaultFile.currentVersion, kdf: file.kdf, codec: file.codec,
                             fileSize: bytes.count, payloadSize: file.payloadCiphertext.count,
                             lastSaved: Int(st.st_mtim.tv_sec), hasBackup: POSIX.exists(backupPath), checksumVerified: true)
        }
        guard let (prefix, st) = try POSIX.readPrefix(path, count: VaultFile.headerLength) else { throw StorageError.noVault(path: path) }
        let header = try VaultFile.parseHeader(prefix, fileSize: Int(st.st_size), policy: policy)
        return VaultInfo(path: path, version: VaultFile.currentVersion, kdf: header.kdf, codec: header.codec,
                         fileSize: Int(st.st_size), payloadSize: Int(header.payloadLength),
                         lastSaved: Int(st.st_mtim.tv_sec), hasBackup: POSIX.exists(backupPath), checksumVerified: false)
    }

    /// Unlocks the vault: runs Argon2id, opens the key slot, decrypts the payload. Takes no lock.
    /// Pass what `readFile()` returned to avoid reading the file twice, or what `readFileDeferringChecksum()`
    /// returned with `checksumPending`: the checksum is then checked on another thread during the KDF, and
    /// a mismatch is reported as damage (before anything is decrypted) whatever the KDF gave.
    public func unlock(passphrase: SecureBytes, read: (file: VaultFile, bytes: [UInt8], stat: stat)? = nil,
                       checksumPending: Bool = false) throws -> VaultSession {
        let (file, bytes, st) = try read ?? readFile()
        let pk: PassphraseKey
        if checksumPending {
            let timings = self.timings
            let (checked, derived) = Concurrently.run(background: { () -> (Bool, Double) in
                let t0 = StageTimings.now()
                return (VaultFile.checksumMatches(bytes), StageTimings.now() - t0)
            }, foreground: {
                Result { try timings.measure("kdf") { try PassphraseKey.derive(passphrase: passphrase, kdf: file.kdf, salt: file.salt) } }
            })
            timings?.addConcurrent("verify checksum during kdf", checked.1)
            guard checked.0 else { throw VaultFormatError.damaged }
            pk = try derived.get()
        } else {
            pk = try timings.measure("kdf") { try PassphraseKey.derive(passphrase: passphrase, kdf: file.kdf, salt: file.salt) }
        }
        let dk = try timings.measure("open key slot") { try DataKey.open(file, with: pk) }
        let payload = try timings.measure("decrypt") { try dk.openPayload(file) }
        return VaultSession(passphraseKey: pk, dataKey: dk, payload: payload, codec: file.codec,
                            fingerprint: Array(bytes.suffix(VaultFile.checksumLength)), identity: FileIdentity(st))
    }

    /// Unlocks the vault and its backup generation and checks that both decrypt.
    /// `decode` is run over each decrypted payload and may throw to report a bad payload.
    public func verify(passphrase: SecureBytes, read: (file: VaultFile, bytes: [UInt8], stat: stat)? = nil,
                       decode: (SecureBytes) throws -> Void) throws -> (VaultSession, VerifyReport) {
        let session = try unlock(passphrase: passphrase, read: read)
        try decode(session.payload)
        var report = VerifyReport(payloadBytes: session.payload.count, backup: nil)
        if let (bytes, _) = try POSIX.readFile(backupPath) {
            do {
                let file = try VaultFile(parsing: bytes, policy: policy)
                let pk = session.passphraseKey.matches(file)
                    ? session.passphraseKey
                    : try PassphraseKey.derive(passphrase: passphrase, kdf: file.kdf, salt: file.salt)
                let dk = try DataKey.open(file, with: pk)
                let plain = try dk.openPayload(file)
                try decode(plain)
                report.backup = .success(plain.count)
            } catch let error as VaultFormatError {
                report.backup = .failure(error)
            }
        }
        return (session, report)
    }

    // MARK: - Writing

    /// Creates a new vault holding `payload`. Refuses to replace an existing file.
    public func create(payload: UnsafeRawBufferPointer, passphrase: SecureBytes, kdf: KDFParameters) throws -> VaultSession {
        try policy.validate(kdf)
        let pk = try PassphraseKey.derive(passphrase: passphrase, kdf: kdf)
        let dk = try DataKey.generate(under: pk)
        let file = try dk.sealPayload(payload)
        let bytes = file.serialized()
        if exists { throw StorageError.alreadyExists(path: path) }
        try POSIX.makeDirectories(directory)
        let lock = try VaultLock(path: lockPath, waitSeconds: lockWaitSeconds)
        defer { withExtendedLifetime(lock) {} }
        if exists { throw StorageError.alreadyExists(path: path) }
        let temp = newTempPath()
        try POSIX.createAndWrite(temp, bytes)
        defer { unlink(temp) }
        // link(2) never replaces an existing name, so a vault that appeared meanwhile is kept.
        if link(temp, path) != 0 {
            let code = errno
            if code == EEXIST { throw StorageError.alreadyExists(path: path) }
            // File systems without hard links: fall back to rename after the existence check under the lock.
            try POSIX.rename(temp, path)
        }
        try POSIX.fsyncDirectory(directory)
        removeStaleTemporaries()
        return VaultSession(passphraseKey: pk, dataKey: dk, payload: try SecureBytes(copying: payload), codec: file.codec,
                            fingerprint: Array(bytes.suffix(VaultFile.checksumLength)), identity: FileIdentity.of(path))
    }

    /// Read-modify-write under the lock. `change` receives the latest decrypted payload (re-read
    /// under the lock, so concurrent writers never lose each other's changes) and returns the new
    /// payload, or nil to leave the vault untouched. The previous vault becomes the backup.
    @discardableResult
    public func modify<R>(_ session: VaultSession, _ change: (SecureBytes) throws -> (payload: [UInt8], result: R)?) throws -> R? {
        let lock = try VaultLock(path: lockPath, waitSeconds: lockWaitSeconds)
        defer { withExtendedLifetime(lock) {} }
        var current = stat()
        guard lstat(path, &current) == 0 else { throw StorageError.noVault(path: path) }
        let latest: SecureBytes
        let codec: UInt16
        if let known = session.identity, known == FileIdentity(current) {
            // Unchanged since it was unlocked: no need to read and decrypt it again.
            latest = session.payload
            codec = session.codec
        } else {
            let (file, bytes, st) = try readFile()
            current = st
            codec = file.codec
            if Array(bytes.suffix(VaultFile.checksumLength)) == session.fingerprint {
                latest = session.payload
            } else if session.dataKey.isSlot(of: file) {
                latest = try session.dataKey.openPayload(file)
            } else {
                // The key slot changed (a passphrase change by another process): our key no longer applies.
                throw StorageError.changedOnDisk(path: path)
            }
        }
        guard let changed = try change(latest) else { return nil }
        var newPayload = changed.payload
        let result = changed.result
        defer { Sodium.zero(&newPayload) }
        let newBytes = try timings.measure("encrypt") {
            try newPayload.withUnsafeBytes { try session.dataKey.sealPayload($0, codec: codec) }.serialized()
        }
        try timings.measure("write+fsync") { try commit(newBytes, replacing: current, backup: .previousVault) }
        session.payload = try SecureBytes(copying: newPayload)
        session.codec = codec
        session.fingerprint = Array(newBytes.suffix(VaultFile.checksumLength))
        session.identity = FileIdentity.of(path)
        removeStaleTemporaries()
        return result
    }

    /// Re-seals the data key under a new passphrase and/or KDF parameters. The payload ciphertext is
    /// kept byte for byte, unless `rotateKey` is set: then a new data key re-encrypts everything.
    /// The backup generation is re-sealed the same way (or replaced by a copy of the new vault when it
    /// cannot be), so no file on disk opens with the old passphrase afterwards.
    public func changePassphrase(_ session: VaultSession, newPassphrase: SecureBytes, kdf: KDFParameters, rotateKey: Bool) throws {
        try policy.validate(kdf)
        let newPK = try PassphraseKey.derive(passphrase: newPassphrase, kdf: kdf)
        let lock = try VaultLock(path: lockPath, waitSeconds: lockWaitSeconds)
        defer { withExtendedLifetime(lock) {} }
        let (file, _, st) = try readFile()
        guard session.dataKey.isSlot(of: file) else { throw StorageError.changedOnDisk(path: path) }
        let oldKey = session.dataKey
        let newKey = try DataKey.seal(rotateKey ? SecureBytes.random(count: XChaCha20Poly1305.keyLength) : oldKey.key, under: newPK)
        func convert(_ f: VaultFile) throws -> VaultFile {
            if !rotateKey { return newKey.rewrapping(f) }
            let plain = try oldKey.openPayload(f)
            return try plain.withUnsafeBytes { try newKey.sealPayload($0, codec: f.codec) }
        }
        let newVault = try convert(file).serialized()
        // Backup first: if we are killed between the two renames, each file still opens with one of the passphrases.
        var newBackup = newVault
        if let (bytes, _) = try POSIX.readFile(backupPath),
           let old = try? VaultFile(parsing: bytes, policy: .testing),
           let converted = try? convert(old) {
            newBackup = converted.serialized()
        }
        if POSIX.exists(backupPath) { try writeReplacing(backupPath, newBackup) }
        try commit(newVault, replacing: st, backup: .keep)
        session.passphraseKey = newPK
        session.dataKey = newKey
        session.fingerprint = Array(newVault.suffix(VaultFile.checksumLength))
        session.identity = FileIdentity.of(path)
        removeStaleTemporaries()
    }

    enum BackupMode { case previousVault, keep }

    /// Replaces the vault with `bytes`: temp file, fsync, (backup), rename, fsync(dir).
    private func commit(_ bytes: [UInt8], replacing expected: stat, backup: BackupMode) throws {
        let temp = newTempPath()
        try POSIX.createAndWrite(temp, bytes)
        var committed = false
        defer { if !committed { unlink(temp) } }
        beforeCommit?()
        // Refuse if the vault changed on disk since we read it under the lock (a writer that ignores the lock).
        guard FileIdentity.of(path) == FileIdentity(expected) else { throw StorageError.changedOnDisk(path: path) }
        if backup == .previousVault {
            let tempBackup = newTempPath()
            if link(path, tempBackup) != 0 {
                // No hard links here: copy the current bytes instead.
                guard let (old, _) = try POSIX.readFile(path) else { throw StorageError.changedOnDisk(path: path) }
                try POSIX.createAndWrite(tempBackup, old)
            }
            do { try POSIX.rename(tempBackup, backupPath) } catch { unlink(tempBackup); throw error }
        }
        try POSIX.rename(temp, path)
        committed = true
        try POSIX.fsyncDirectory(directory)
    }

    private func writeReplacing(_ target: String, _ bytes: [UInt8]) throws {
        let temp = newTempPath()
        try POSIX.createAndWrite(temp, bytes)
        do { try POSIX.rename(temp, target) } catch { unlink(temp); throw error }
        try POSIX.fsyncDirectory(directory)
    }

    private func newTempPath() -> String {
        let suffix = Sodium.randomBytes(6).map { String($0, radix: 16) }.joined()
        return directory + "/" + tempPrefix + "\(getpid())-" + suffix
    }

    /// Removes temp files left by processes killed mid-save. Only called while holding the lock.
    private func removeStaleTemporaries() {
        for name in POSIX.listDirectory(directory) where name.hasPrefix(tempPrefix) {
            unlink(directory + "/" + name)
        }
    }
}
