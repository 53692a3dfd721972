internal import CSodium

/// A fixed-size buffer of secret bytes kept in libsodium's guarded memory.
///
/// The storage comes from `sodium_malloc` (guard pages, `mlock` where permitted) and is
/// zeroed and released by `sodium_free` when the last reference goes away. The bytes are
/// reachable only through the `withUnsafe...` accessors, so callers decide where copies go.
public final class SecureBytes: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer?
    /// The number of bytes held.
    public let count: Int

    /// Allocates `count` zeroed secret bytes.
    public init(count: Int) throws(CryptoError) {
        try Sodium.ensureInitialized()
        self.count = count
        if count == 0 {
            pointer = nil
            return
        }
        guard let p = sodium_malloc(count) else { throw .outOfSecureMemory(bytes: count) }
        sodium_memzero(p, count)
        pointer = p
    }

    /// Copies `bytes` into new secure memory.
    public convenience init(copying bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        try self.init(count: bytes.count)
        if let dst = pointer, let src = bytes.baseAddress, bytes.count > 0 {
            dst.copyMemory(from: src, byteCount: bytes.count)
        }
    }

    /// Copies an array into new secure memory. The caller should zero the array afterwards.
    public convenience init(copying bytes: [UInt8]) throws(CryptoError) {
        try self.init(count: bytes.count)
        if let dst = pointer, !bytes.isEmpty {
            bytes.withUnsafeBytes { dst.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        }
    }

    /// Returns `count` random bytes in secure memory.
    public static func random(count: Int) throws(CryptoError) -> SecureBytes {
        let bytes = try SecureBytes(count: count)
        if let p = bytes.pointer { randombytes_buf(p, count) }
        return bytes
    }

    deinit {
        if let pointer { sodium_free(pointer) }
    }

    /// Gives read access to the secret bytes for the duration of `body`.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Gives write access to the secret bytes for the duration of `body`.
    public func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// Returns a new buffer holding the first `length` bytes.
    public func prefix(_ length: Int) throws(CryptoError) -> SecureBytes {
        let n = Swift.min(length, count)
        return try withUnsafeBytes { (raw) throws(CryptoError) -> SecureBytes in
            try SecureBytes(copying: UnsafeRawBufferPointer(rebasing: raw[0..<n]))
        }
    }

    /// Constant-time equality of the contents.
    public func isEqual(to other: SecureBytes) -> Bool {
        withUnsafeBytes { a in other.withUnsafeBytes { b in Sodium.constantTimeEqual(a, b) } }
    }
}
