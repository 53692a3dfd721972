import VaultCrypto

/// Why passphrase bytes were refused.
public enum PassphraseError: Error, Equatable, Sendable {
    /// Nothing left after stripping the newline.
    case empty
    /// The bytes are not UTF-8.
    case notUTF8
}

/// How a passphrase becomes key-derivation input (docs/FORMAT.md, "Passphrase to bytes"):
/// UTF-8 of the Unicode NFC form; one trailing "\n" or "\r\n" stripped when read from a file or descriptor.
public enum PassphraseBytes {
    /// Strips one trailing "\r\n", or else one "\n".
    public static func strippingNewline(_ bytes: SecureBytes) throws -> SecureBytes {
        let n = bytes.count
        let cut: Int = bytes.withUnsafeBytes { b in
            if n >= 2 && b[n - 2] == 0x0D && b[n - 1] == 0x0A { return 2 }
            if n >= 1 && b[n - 1] == 0x0A { return 1 }
            return 0
        }
        return cut == 0 ? bytes : try bytes.prefix(n - cut)
    }

    /// Validates UTF-8, refuses empty input and applies NFC. ASCII is already NFC and is returned
    /// as is, never copied out of secure memory; other text passes through a Swift String (see SECURITY.md).
    public static func normalized(_ bytes: SecureBytes) throws -> SecureBytes {
        guard bytes.count > 0 else { throw PassphraseError.empty }
        let ascii = bytes.withUnsafeBytes { $0.allSatisfy { $0 < 0x80 } }
        if ascii { return bytes }
        let decoded: String? = bytes.withUnsafeBytes { raw in
            String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self)
        }
        guard let decoded else { throw PassphraseError.notUTF8 }
        // The standard library's NFC (Unicode data built into libswiftCore; no Foundation or ICU).
        var utf8 = decoded._nfcCodeUnits
        defer { Sodium.zero(&utf8) }
        return try SecureBytes(copying: utf8)
    }

    /// The key-derivation input for passphrase bytes read from a file or descriptor.
    public static func fromFileContents(_ bytes: SecureBytes) throws -> SecureBytes {
        try normalized(strippingNewline(bytes))
    }
}
