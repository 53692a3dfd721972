import Foundation
import Testing
import VaultCrypto
@testable import VaultStorage

/// Format v1 must stay readable forever: the committed fixture was written by an independent
/// implementation (Scripts/vault-format.py) from docs/FORMAT.md alone.
@Suite struct FixtureTests {
    @Test func knownAnswerFixtureOpensWithExpectedPlaintext() throws {
        let store = VaultStore(path: TestSupport.fixtures.appendingPathComponent("v1-interactive.dv").path)
        let session = try store.unlock(passphrase: TestSupport.passphraseFile(TestSupport.fixtures.appendingPathComponent("v1-interactive.passphrase")))
        let expected = try TestSupport.bytes(TestSupport.fixtures.appendingPathComponent("v1-interactive.plaintext"))
        #expect(TestSupport.plaintext(session.payload) == expected)
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: TestSupport.fixtures.appendingPathComponent("v1-interactive.json"))) as! [String: Any]
        let dataKeyHex = session.dataKey.key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        let kekHex = session.passphraseKey.kek.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        #expect(dataKeyHex == meta["data_key_hex"] as? String)
        #expect(kekHex == meta["kek_hex"] as? String)
        let info = try store.info()
        #expect(info.kdf == .interactive)
        #expect(info.version == 1)
    }

    @Test func nfdPassphraseWithCRLFOpensTheNFCVault() throws {
        let store = VaultStore(path: TestSupport.fixtures.appendingPathComponent("v1-interactive.dv").path)
        let session = try store.unlock(passphrase: TestSupport.passphraseFile(TestSupport.fixtures.appendingPathComponent("v1-interactive.nfd.passphrase")))
        #expect(session.payload.count == 42)
    }

    @Test func reserializingTheFixtureIsByteIdentical() throws {
        let bytes = try TestSupport.bytes(TestSupport.fixtures.appendingPathComponent("v1-interactive.dv"))
        let file = try VaultFile(parsing: bytes, policy: .release)
        #expect(file.serialized() == bytes)
    }

    struct BrokenCase: Decodable, CustomTestStringConvertible {
        let file: String
        let error: String
        let what: String
        let passphrase_file: String
        var testDescription: String { "\(file): \(error)" }
    }

    static let brokenCases: [BrokenCase] = {
        let url = TestSupport.fixtures.appendingPathComponent("broken/manifest.json")
        return (try? JSONDecoder().decode([BrokenCase].self, from: Data(contentsOf: url))) ?? []
    }()

    @Test func corpusIsPresent() {
        #expect(Self.brokenCases.count >= 40)
    }

    /// Every labelled broken file produces exactly its error, in the order docs/FORMAT.md fixes.
    @Test(arguments: brokenCases)
    func brokenFileGivesItsError(_ c: BrokenCase) throws {
        let dir = TestSupport.fixtures.appendingPathComponent("broken")
        let path = dir.appendingPathComponent(c.file).standardizedFileURL.path
        let before = try TestSupport.bytes(URL(fileURLWithPath: path))
        let store = VaultStore(path: path)
        var code = "ok"
        do {
            _ = try store.unlock(passphrase: TestSupport.passphraseFile(dir.appendingPathComponent(c.passphrase_file)))
        } catch let e as VaultFormatError {
            code = e.code
        }
        #expect(code == c.error, "\(c.what)")
        #expect(try TestSupport.bytes(URL(fileURLWithPath: path)) == before)
    }

    /// The independent Python implementation agrees with the Swift one on the same corpus.
    @Test func pythonReferenceSelftestPasses() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", TestSupport.repositoryRoot.appendingPathComponent("Scripts/vault-format.py").path, "selftest", TestSupport.fixtures.path]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    /// A vault written by the Swift code decrypts with the Python reference implementation.
    @Test func pythonReferenceDecryptsASwiftVault() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("v.dv").path
        let passFile = dir.appendingPathComponent("pass")
        try Data("swift wrote this, python reads it\n".utf8).write(to: passFile)
        let payload: [UInt8] = Array("cross-implementation payload ✓".utf8)
        let store = VaultStore(path: path)
        _ = try payload.withUnsafeBytes { try store.create(payload: $0, passphrase: TestSupport.passphraseFile(passFile), kdf: .interactive) }
        let out = Pipe()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", TestSupport.repositoryRoot.appendingPathComponent("Scripts/vault-format.py").path,
                       "decrypt", path, "--passphrase-file", passFile.path]
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect([UInt8](data) == payload)
    }
}
