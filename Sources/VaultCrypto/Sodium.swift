internal import CSodium

/// Errors raised by the cryptographic primitives.
public enum CryptoError: Error, Equatable, Sendable {
    /// libsodium could not be initialised.
    case initializationFailed
    /// Secure memory could not be allocated.
    case outOfSecureMemory(bytes: Int)
    /// Argon2id failed, most often because the memory limit could not be allocated.
    case keyDerivationFailed(memlimit: UInt64)
    /// An AEAD ciphertext did not authenticate under the given key, nonce and associated data.
    case authenticationFailed
    /// An input had the wrong length.
    case invalidLength(what: String, expected: Int, actual: Int)
}

extension CryptoError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .initializationFailed: return "libsodium could not be initialised"
        case .outOfSecureMemory(let bytes): return "could not allocate \(bytes) bytes of secure memory"
        case .keyDerivationFailed(let mem):
            return "Argon2id key derivation failed (could not use \(mem / 1_048_576) MiB of memory?)"
        case .authenticationFailed: return "ciphertext did not authenticate"
        case .invalidLength(let what, let expected, let actual):
            return "\(what) must be \(expected) bytes, got \(actual)"
        }
    }
}

/// Process-wide libsodium set-up.
public enum Sodium {
    private static let initResult: Int32 = sodium_init()

    /// Initialises libsodium once; safe to call from any thread, any number of times.
    public static func ensureInitialized() throws(CryptoError) {
        if initResult < 0 { throw .initializationFailed }
    }

    /// The libsodium version string, e.g. "1.0.18".
    public static var version: String { String(cString: sodium_version_string()) }

    /// Fills a new array with cryptographically secure random bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        _ = initResult
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) }
        return bytes
    }

    /// Overwrites a buffer with zeros in a way the optimiser cannot remove.
    public static func zero(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        sodium_memzero(base, buffer.count)
    }

    /// Overwrites an array's storage with zeros.
    public static func zero(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { zero($0) }
    }

    /// Constant-time comparison of two equal-length buffers.
    public static func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        if a.count == 0 { return true }
        return sodium_memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
    }
}
