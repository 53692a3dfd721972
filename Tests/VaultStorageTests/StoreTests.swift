import Foundation
import Testing
import VaultCrypto
@testable import VaultStorage

/// Saves, backups, passphrase changes and concurrency at the library level (fast KDF).
@Suite struct StoreTests {
    let dir: URL
    let path: String

    init() throws {
        dir = try TestSupport.temporaryDirectory()
        path = dir.appendingPathComponent("vault.dv").path
    }

    func makeStore() -> VaultStore { VaultStore(path: path, policy: .testing, lockWaitSeconds: 5) }

    func create(_ text: String, passphrase: String = "pass one") throws -> (VaultStore, VaultSession) {
        let store = makeStore()
        let session = try Array(text.utf8).withUnsafeBytes {
            try store.create(payload: $0, passphrase: TestSupport.passphrase(passphrase), kdf: TestSupport.fastKDF)
        }
        return (store, session)
    }

    func replace(_ store: VaultStore, _ session: VaultSession, with text: String) throws {
        try store.modify(session) { _ in (Array(text.utf8), ()) }
    }

    @Test func createWritesOnlyTheVaultAndLockWithMode0600() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try create("hello")
        #expect(try TestSupport.names(in: dir) == ["vault.dv", "vault.dv.lock"])
        #expect(try TestSupport.mode(path) == 0o600)
        #expect(try TestSupport.mode(path + ".lock") == 0o600)
    }

    @Test func createRefusesToOverwrite() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try create("first")
        let before = try TestSupport.bytes(URL(fileURLWithPath: path))
        #expect(throws: StorageError.alreadyExists(path: path)) { _ = try create("second") }
        #expect(try TestSupport.bytes(URL(fileURLWithPath: path)) == before)
    }

    @Test func newParentDirectoriesAre0700() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let nested = dir.appendingPathComponent("a/b/vault.dv").path
        let store = VaultStore(path: nested, policy: .testing)
        _ = try [UInt8(1)].withUnsafeBytes { try store.create(payload: $0, passphrase: TestSupport.passphrase("p"), kdf: TestSupport.fastKDF) }
        #expect(try TestSupport.mode(dir.appendingPathComponent("a").path) == 0o700)
        #expect(try TestSupport.mode(dir.appendingPathComponent("a/b").path) == 0o700)
    }

    @Test func saveKeepsThePreviousVaultAsBackupAndFreshNonce() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, session) = try create("generation 1")
        let gen1 = try TestSupport.bytes(URL(fileURLWithPath: path))
        try replace(store, session, with: "generation 2")
        #expect(try TestSupport.bytes(URL(fileURLWithPath: path + ".bak")) == gen1)
        #expect(try TestSupport.mode(path + ".bak") == 0o600)
        let reopened = try makeStore().unlock(passphrase: TestSupport.passphrase("pass one"))
        #expect(TestSupport.plaintext(reopened.payload) == Array("generation 2".utf8))
        try replace(store, session, with: "generation 2")
        let a = try VaultFile(parsing: TestSupport.bytes(URL(fileURLWithPath: path)), policy: .testing)
        let b = try VaultFile(parsing: TestSupport.bytes(URL(fileURLWithPath: path + ".bak")), policy: .testing)
        #expect(a.payloadNonce != b.payloadNonce)
        #expect(try TestSupport.names(in: dir) == ["vault.dv", "vault.dv.bak", "vault.dv.lock"])
    }

    @Test func modifyReReadsUnderTheLockSoNoUpdateIsLost() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, first) = try create("")
        let second = try makeStore().unlock(passphrase: TestSupport.passphrase("pass one"))
        try store.modify(first) { old in (TestSupport.plaintext(old) + Array("a".utf8), ()) }
        // `second` was unlocked before the first write; its change must apply on top of it.
        try makeStore().modify(second) { old in (TestSupport.plaintext(old) + Array("b".utf8), ()) }
        let final = try makeStore().unlock(passphrase: TestSupport.passphrase("pass one"))
        #expect(TestSupport.plaintext(final.payload) == Array("ab".utf8))
    }

    @Test func refusesWhenTheVaultChangedBehindTheLock() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, session) = try create("mine")
        let foreign = try TestSupport.bytes(URL(fileURLWithPath: path)) // a valid vault, written by someone ignoring the lock
        let target = path
        store.beforeCommit = {
            let tmp = target + ".foreign"
            FileManager.default.createFile(atPath: tmp, contents: Data(foreign))
            _ = rename(tmp, target)
        }
        #expect(throws: StorageError.changedOnDisk(path: path)) { try replace(store, session, with: "lost?") }
        #expect(try TestSupport.bytes(URL(fileURLWithPath: path)) == foreign)
        #expect(try TestSupport.names(in: dir) == ["vault.dv", "vault.dv.lock"])
    }

    @Test func busyLockTimesOut() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, session) = try create("x")
        let held = try VaultLock(path: path + ".lock", waitSeconds: 0)
        let store = VaultStore(path: path, policy: .testing, lockWaitSeconds: 0.2)
        do {
            try replace(store, session, with: "y")
            Issue.record("expected busy")
        } catch let StorageError.busy(_, waited) {
            #expect(waited >= 0.2 && waited < 2)
        }
        withExtendedLifetime(held) {}
    }

    @Test func passphraseChangeKeepsPayloadCiphertextAndResealsBackup() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, session) = try create("g1")
        try replace(store, session, with: "g2") // now a backup exists
        let before = try VaultFile(parsing: TestSupport.bytes(URL(fileURLWithPath: path)), policy: .testing)
        let backupBefore = try VaultFile(parsing: TestSupport.bytes(URL(fileURLWithPath: path + ".bak")), policy: .testing)
        try store.changePassphrase(session, newPassphrase: TestSupport.passphrase("pass two"), kdf: TestSupport.fastKDF, rotateKey: false)
        let after = try VaultFile(parsing: TestSupport.bytes(URL(fileURLWithPath: path)), policy: .testing)
        #expect(after.payloadCiphertext == before.payloadCiphertext)
        #expect(after.payloadNonce == before.payloadNonce)
        #expect(after.salt != before.salt)
        for p in [path, path + ".bak"] {
            let s = VaultStore(path: p, policy: .testing)
            #expect(throws: VaultFormatError.wrongPassphrase) { _ = try s.unlock(passphrase: TestSupport.passphrase("pass one")) }
            _ = try s.unlock(passphrase: TestSupport.passphrase("pass two"))
        }
        let backupAfter = try VaultFile(parsing: TestSupport.bytes(URL(fileURLWithPath: path + ".bak")), policy: .testing)
        #expect(backupAfter.payloadCiphertext == backupBefore.payloadCiphertext)
        let backupPlain = try VaultStore(path: path + ".bak", policy: .testing).unlock(passphrase: TestSupport.passphrase("pass two"))
        #expect(TestSupport.plaintext(backupPlain.payload) == Array("g1".utf8))
    }

    @Test func rotateKeyReencryptsEverything() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, session) = try create("g1")
        try replace(store, session, with: "g2")
        let oldKey = TestSupport.plaintext(session.dataKey.key)
        let before = try VaultFile(parsing: TestSupport.bytes(URL(fileURLWithPath: path)), policy: .testing)
        try store.changePassphrase(session, newPassphrase: TestSupport.passphrase("pass two"), kdf: TestSupport.fastKDF, rotateKey: true)
        let after = try VaultFile(parsing: TestSupport.bytes(URL(fileURLWithPath: path)), policy: .testing)
        #expect(after.payloadCiphertext != before.payloadCiphertext)
        let v = try makeStore().unlock(passphrase: TestSupport.passphrase("pass two"))
        #expect(TestSupport.plaintext(v.payload) == Array("g2".utf8))
        #expect(TestSupport.plaintext(v.dataKey.key) != oldKey)
        let b = try VaultStore(path: path + ".bak", policy: .testing).unlock(passphrase: TestSupport.passphrase("pass two"))
        #expect(TestSupport.plaintext(b.payload) == Array("g1".utf8))
        #expect(TestSupport.plaintext(b.dataKey.key) == TestSupport.plaintext(v.dataKey.key))
    }

    @Test func releasePolicyRefusesWeakAndAbsurdParameters() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try create("weak")
        let release = VaultStore(path: path)
        #expect(throws: VaultFormatError.kdfBelowFloor(opslimit: 1, memlimit: 8192)) { _ = try release.info() }
        #expect(throws: VaultFormatError.kdfBelowFloor(opslimit: 1, memlimit: 8192)) {
            _ = try [UInt8(0)].withUnsafeBytes { try VaultStore(path: path + "2").create(payload: $0, passphrase: TestSupport.passphrase("p"), kdf: TestSupport.fastKDF) }
        }
        #expect(throws: VaultFormatError.kdfAboveCeiling(opslimit: 3, memlimit: 8 << 30)) {
            try KDFPolicy.release.validate(KDFParameters(opslimit: 3, memlimit: 8 << 30))
        }
        #expect(throws: VaultFormatError.kdfAboveCeiling(opslimit: 33, memlimit: 64 << 20)) {
            try KDFPolicy.release.validate(KDFParameters(opslimit: 33, memlimit: 64 << 20))
        }
        try KDFPolicy.release.validate(.interactive)
        try KDFPolicy.release.validate(.sensitive)
    }

    @Test func infoReadsTheHeaderAloneUnlessAskedToVerify() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try create("payload bytes")
        var bytes = try TestSupport.bytes(URL(fileURLWithPath: path))
        bytes[VaultFile.headerLength] ^= 0x01   // a payload byte: only the checksum can tell
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let store = makeStore()
        let info = try store.info()
        #expect(!info.checksumVerified && info.fileSize == bytes.count && info.payloadSize == bytes.count - 177)
        #expect(throws: VaultFormatError.damaged) { _ = try store.info(verify: true) }
        bytes[0] ^= 0x01                        // the magic: the header check refuses it
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: VaultFormatError.notAVault) { _ = try store.info() }
        try Data(bytes.prefix(100)).write(to: URL(fileURLWithPath: path))
        #expect(throws: VaultFormatError.notAVault) { _ = try store.info() }
        bytes[0] ^= 0x01
        try Data(bytes.prefix(160)).write(to: URL(fileURLWithPath: path))
        #expect(throws: VaultFormatError.truncated) { _ = try store.info() }
        try Data(bytes + [0]).write(to: URL(fileURLWithPath: path))
        #expect(throws: VaultFormatError.trailingData(extra: 1)) { _ = try store.info() }
    }

    /// With the checksum checked on another thread during the KDF, every single-byte change and every
    /// truncation gets the same verdict as with the checksum checked first, and an intact vault opens.
    @Test func checksumDuringTheKDFGivesTheSameVerdictAsBeforeIt() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = String(repeating: "payload of a larger vault ", count: 40)
        _ = try create(text)
        let url = URL(fileURLWithPath: path)
        let good = try TestSupport.bytes(url)
        let pass = try TestSupport.passphrase("pass one")
        func verdicts(_ bytes: [UInt8]) throws -> (first: String, during: String) {
            try Data(bytes).write(to: url)
            func describe(_ body: () throws -> Void) -> String {
                do { try body(); return "opened" } catch { return "\(error)" }
            }
            let first = describe { _ = try makeStore().unlock(passphrase: pass) }
            let store = makeStore()
            store.concurrentChecksumMinimumSize = 0
            store.concurrentChecksumParameters = [TestSupport.fastKDF]
            let during = describe {
                let (read, pending) = try store.readFileDeferringChecksum()
                let session = try store.unlock(passphrase: pass, read: read, checksumPending: true)
                #expect(TestSupport.plaintext(session.payload) == Array(text.utf8))
            }
            return (first, during)
        }
        #expect(try verdicts(good) == ("opened", "opened"))
        var damaged = 0
        for i in 0..<good.count {
            var b = good
            b[i] ^= UInt8(1 << (i % 8))
            let v = try verdicts(b)
            #expect(v.first == v.during, "byte \(i)")
            #expect(v.during != "opened", "byte \(i)")
            if v.during == "\(VaultFormatError.damaged)" { damaged += 1 }
        }
        for n in stride(from: 0, to: good.count, by: 7) {
            let v = try verdicts(Array(good.prefix(n)))
            #expect(v.first == v.during && v.during != "opened", "truncated to \(n)")
        }
        // Most bytes are covered by the checksum alone (only magic, version and length are caught earlier).
        #expect(damaged >= good.count - 20)
        // Intact: pending only above the size threshold and under the listed KDF parameters.
        try Data(good).write(to: url)
        let store = makeStore()
        #expect(try store.readFileDeferringChecksum().checksumPending == false)
        store.concurrentChecksumMinimumSize = 0
        #expect(try store.readFileDeferringChecksum().checksumPending == false, "fastKDF is not a preset")
        store.concurrentChecksumParameters = [TestSupport.fastKDF]
        #expect(try store.readFileDeferringChecksum().checksumPending == true)
    }

    @Test func failedWriteLeavesNothingBehind() throws {
        defer { chmod(dir.path, 0o755); try? FileManager.default.removeItem(at: dir) }
        let (store, session) = try create("keep me")
        let before = try TestSupport.bytes(URL(fileURLWithPath: path))
        // A write that fails inside the change closure must not touch the disk.
        struct Boom: Error {}
        #expect(throws: Boom.self) { try store.modify(session) { _ -> ([UInt8], Void)? in throw Boom() } }
        #expect(try TestSupport.bytes(URL(fileURLWithPath: path)) == before)
        #expect(try TestSupport.names(in: dir) == ["vault.dv", "vault.dv.lock"])
    }

    @Test func staleTemporariesAreRemovedByTheNextSave() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, session) = try create("x")
        FileManager.default.createFile(atPath: dir.appendingPathComponent(".vault.dv.tmp-999-dead").path, contents: Data([1, 2, 3]))
        try replace(store, session, with: "y")
        #expect(try TestSupport.names(in: dir) == ["vault.dv", "vault.dv.bak", "vault.dv.lock"])
    }
}
