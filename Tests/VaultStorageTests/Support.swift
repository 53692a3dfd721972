import Foundation
import VaultCrypto
@testable import VaultStorage

/// Paths and helpers shared by the storage tests.
enum TestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fastKDF = KDFParameters(opslimit: 1, memlimit: 8192)

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    static func passphrase(_ text: String) throws -> SecureBytes { try SecureBytes(copying: Array(text.utf8)) }

    static func passphraseFile(_ url: URL) throws -> SecureBytes {
        try PassphraseBytes.fromFileContents(SecureBytes(copying: bytes(url)))
    }

    static func plaintext(_ s: SecureBytes) -> [UInt8] { s.withUnsafeBytes { Array($0) } }

    /// A fresh private directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dv-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func names(in dir: URL) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
