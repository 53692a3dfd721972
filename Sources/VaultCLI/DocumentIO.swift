import VaultCrypto

/// The bridge between the vault's decrypted payload and the domain model.
enum DocumentIO {
    static func emptyPayload(_ inv: Invocation) -> [UInt8] { [1] }

    static func summary(_ payload: SecureBytes) throws -> String {
        "\(payload.count) payload bytes"
    }
}
