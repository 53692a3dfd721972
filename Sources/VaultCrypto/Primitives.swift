internal import CSodium

/// Argon2id cost parameters, exactly as stored in a vault header.
public struct KDFParameters: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Number of Argon2 passes (libsodium's opslimit).
    public var opslimit: UInt32
    /// Memory in bytes (libsodium's memlimit).
    public var memlimit: UInt64

    /// Creates parameters from raw values; no policy is applied here.
    public init(opslimit: UInt32, memlimit: UInt64) {
        self.opslimit = opslimit
        self.memlimit = memlimit
    }

    /// 64 MiB, 2 passes: the floor the command line accepts.
    public static let interactive = KDFParameters(opslimit: 2, memlimit: 64 << 20)
    /// 256 MiB, 3 passes: the default for new vaults.
    public static let moderate = KDFParameters(opslimit: 3, memlimit: 256 << 20)
    /// 1 GiB, 4 passes.
    public static let sensitive = KDFParameters(opslimit: 4, memlimit: 1 << 30)

    /// The named preset for `name` ("interactive", "moderate", "sensitive"), if any.
    public static func preset(named name: String) -> KDFParameters? {
        switch name {
        case "interactive": return .interactive
        case "moderate": return .moderate
        case "sensitive": return .sensitive
        default: return nil
        }
    }

    /// The preset name these parameters match, or nil for custom values.
    public var presetName: String? {
        switch self {
        case .interactive: return "interactive"
        case .moderate: return "moderate"
        case .sensitive: return "sensitive"
        default: return nil
        }
    }

    public var description: String {
        let mib = memlimit >= 1 << 20 ? "\(memlimit >> 20) MiB" : "\(memlimit) bytes"
        return "Argon2id v1.3, \(mib), \(opslimit) passes"
    }
}

/// Argon2id (v1.3) password hashing through libsodium's crypto_pwhash.
public enum Argon2id {
    /// Salt length in bytes.
    public static let saltLength = Int(crypto_pwhash_SALTBYTES)
    /// The smallest opslimit libsodium accepts for Argon2id.
    public static let minimumOpslimit = UInt32(crypto_pwhash_argon2id_OPSLIMIT_MIN)
    /// The smallest memlimit libsodium accepts for Argon2id.
    public static let minimumMemlimit = UInt64(crypto_pwhash_argon2id_MEMLIMIT_MIN)

    /// Derives a `length`-byte key from `passphrase` into secure memory.
    public static func deriveKey(
        length: Int = 32, passphrase: SecureBytes, salt: [UInt8], parameters: KDFParameters
    ) throws(CryptoError) -> SecureBytes {
        try Sodium.ensureInitialized()
        guard salt.count == saltLength else {
            throw .invalidLength(what: "salt", expected: saltLength, actual: salt.count)
        }
        let key = try SecureBytes(count: length)
        var empty: CChar = 0
        let rc: Int32 = key.withUnsafeMutableBytes { out in
            passphrase.withUnsafeBytes { pw in
                salt.withUnsafeBytes { s in
                    crypto_pwhash(
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(length),
                        pw.baseAddress?.assumingMemoryBound(to: CChar.self) ?? withUnsafePointer(to: &empty) { $0 }, UInt64(pw.count),
                        s.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        UInt64(parameters.opslimit), Int(clamping: parameters.memlimit),
                        crypto_pwhash_ALG_ARGON2ID13)
                }
            }
        }
        guard rc == 0 else { throw .keyDerivationFailed(memlimit: parameters.memlimit) }
        return key
    }
}

/// XChaCha20-Poly1305 (IETF) authenticated encryption with associated data.
public enum XChaCha20Poly1305 {
    /// Key length in bytes.
    public static let keyLength = Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    /// Nonce length in bytes; random nonces are safe at this size.
    public static let nonceLength = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
    /// Authentication tag length in bytes.
    public static let tagLength = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)

    /// Encrypts `plaintext`, returning ciphertext followed by the 16-byte tag.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer, key: SecureBytes, nonce: [UInt8], associatedData: [UInt8]
    ) throws(CryptoError) -> [UInt8] {
        try check(key: key, nonce: nonce)
        var out = [UInt8](repeating: 0, count: plaintext.count + tagLength)
        var outLength: UInt64 = 0
        out.withUnsafeMutableBytes { o in
            key.withUnsafeBytes { k in
                nonce.withUnsafeBytes { n in
                    associatedData.withUnsafeBytes { ad in
                        _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                            o.baseAddress!.assumingMemoryBound(to: UInt8.self), &outLength,
                            plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                            ad.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(ad.count),
                            nil,
                            n.baseAddress!.assumingMemoryBound(to: UInt8.self),
                            k.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    }
                }
            }
        }
        return out
    }

    /// Decrypts and authenticates `ciphertext` into secure memory.
    public static func open(
        _ ciphertext: UnsafeRawBufferPointer, key: SecureBytes, nonce: [UInt8], associatedData: [UInt8]
    ) throws(CryptoError) -> SecureBytes {
        try check(key: key, nonce: nonce)
        guard ciphertext.count >= tagLength else { throw .authenticationFailed }
        let plain = try SecureBytes(count: ciphertext.count - tagLength)
        var plainLength: UInt64 = 0
        let rc: Int32 = plain.withUnsafeMutableBytes { p in
            key.withUnsafeBytes { k in
                nonce.withUnsafeBytes { n in
                    associatedData.withUnsafeBytes { ad in
                        // libsodium needs a non-null output pointer even for an empty plaintext.
                        var dummy: UInt8 = 0
                        let dst = p.baseAddress?.assumingMemoryBound(to: UInt8.self)
                        return withUnsafeMutablePointer(to: &dummy) { d in
                            crypto_aead_xchacha20poly1305_ietf_decrypt(
                                dst ?? d, &plainLength, nil,
                                ciphertext.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(ciphertext.count),
                                ad.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(ad.count),
                                n.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                k.baseAddress!.assumingMemoryBound(to: UInt8.self))
                        }
                    }
                }
            }
        }
        guard rc == 0 else { throw .authenticationFailed }
        return plain
    }

    private static func check(key: SecureBytes, nonce: [UInt8]) throws(CryptoError) {
        try Sodium.ensureInitialized()
        guard key.count == keyLength else { throw .invalidLength(what: "key", expected: keyLength, actual: key.count) }
        guard nonce.count == nonceLength else {
            throw .invalidLength(what: "nonce", expected: nonceLength, actual: nonce.count)
        }
    }
}

/// Unkeyed BLAKE2b (libsodium's crypto_generichash), used as an integrity checksum.
public enum BLAKE2b {
    /// Returns the 32-byte BLAKE2b-256 digest of `bytes`.
    public static func hash256(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        try? Sodium.ensureInitialized()
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { o in
            _ = crypto_generichash(
                o.baseAddress!.assumingMemoryBound(to: UInt8.self), 32,
                bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count), nil, 0)
        }
        return out
    }
}

/// Process hardening applied once at start-up.
public enum ProcessHardening {
    /// Disables core dumps (RLIMIT_CORE 0) and ptrace attach / core files (PR_SET_DUMPABLE 0).
    /// Returns true when both took effect.
    @discardableResult
    public static func apply() -> Bool {
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        let coreOK = setrlimit(Int32(RLIMIT_CORE.rawValue), &limit) == 0
        let dumpOK = dv_disable_dumpable() == 0
        return coreOK && dumpOK
    }

    /// Whether the process is currently dumpable (1) or not (0).
    public static var isDumpable: Bool { dv_is_dumpable() != 0 }
}
