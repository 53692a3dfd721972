import VaultCrypto

/// A key derived from the passphrase with the parameters and salt of one key slot.
public struct PassphraseKey: Sendable {
    /// The key-encryption key (Argon2id output) in secure memory.
    public let kek: SecureBytes
    /// The parameters it was derived with.
    public let kdf: KDFParameters
    /// The salt it was derived with.
    public let salt: [UInt8]

    /// Runs Argon2id. This is the slow step; callers run it before taking the vault lock.
    public static func derive(passphrase: SecureBytes, kdf: KDFParameters, salt: [UInt8]) throws(CryptoError) -> PassphraseKey {
        PassphraseKey(kek: try Argon2id.deriveKey(passphrase: passphrase, salt: salt, parameters: kdf), kdf: kdf, salt: salt)
    }

    /// Derives a key for a brand-new key slot with a fresh random salt.
    public static func derive(passphrase: SecureBytes, kdf: KDFParameters) throws(CryptoError) -> PassphraseKey {
        try derive(passphrase: passphrase, kdf: kdf, salt: Sodium.randomBytes(Argon2id.saltLength))
    }

    /// Whether this key was derived for `file`'s key slot (same salt and parameters).
    public func matches(_ file: VaultFile) -> Bool { file.kdf == kdf && file.salt == salt }
}

/// The random 256-bit data key that encrypts the payload, and the key slot that wraps it.
public struct DataKey: Sendable {
    /// The data key in secure memory.
    public let key: SecureBytes
    /// The slot fields that wrap `key` under some passphrase key.
    public let kdf: KDFParameters
    /// Salt of the slot.
    public let salt: [UInt8]
    /// Nonce of the slot.
    public let slotNonce: [UInt8]
    /// Sealed key and tag.
    public let slot: [UInt8]

    /// Opens `file`'s key slot with `passphraseKey`. A slot that does not open means a wrong passphrase
    /// (the file's checksum was already verified when it was parsed).
    public static func open(_ file: VaultFile, with passphraseKey: PassphraseKey) throws(VaultFormatError) -> DataKey {
        guard passphraseKey.matches(file) else { throw .wrongPassphrase }
        let key: SecureBytes
        do {
            key = try file.keySlot.withUnsafeBytes { (raw) throws(CryptoError) -> SecureBytes in
                try XChaCha20Poly1305.open(raw, key: passphraseKey.kek, nonce: file.keySlotNonce,
                                           associatedData: file.keySlotAssociatedData)
            }
        } catch {
            throw .wrongPassphrase
        }
        guard key.count == XChaCha20Poly1305.keyLength else { throw .wrongPassphrase }
        return DataKey(key: key, kdf: file.kdf, salt: file.salt, slotNonce: file.keySlotNonce, slot: file.keySlot)
    }

    /// Seals `key` into a new slot under `passphraseKey` with a fresh nonce.
    public static func seal(_ key: SecureBytes, under passphraseKey: PassphraseKey) throws(CryptoError) -> DataKey {
        let probe = VaultFile(kdf: passphraseKey.kdf, salt: passphraseKey.salt, keySlotNonce: [], keySlot: [],
                              codec: VaultFile.binaryPayloadV1, payloadNonce: [], payloadCiphertext: [])
        let nonce = Sodium.randomBytes(XChaCha20Poly1305.nonceLength)
        let slot = try key.withUnsafeBytes { (raw) throws(CryptoError) -> [UInt8] in
            try XChaCha20Poly1305.seal(raw, key: passphraseKey.kek, nonce: nonce, associatedData: probe.keySlotAssociatedData)
        }
        return DataKey(key: key, kdf: passphraseKey.kdf, salt: passphraseKey.salt, slotNonce: nonce, slot: slot)
    }

    /// A new random data key sealed under `passphraseKey`.
    public static func generate(under passphraseKey: PassphraseKey) throws(CryptoError) -> DataKey {
        try seal(SecureBytes.random(count: XChaCha20Poly1305.keyLength), under: passphraseKey)
    }

    /// Whether `file` carries exactly this key slot.
    public func isSlot(of file: VaultFile) -> Bool {
        file.kdf == kdf && file.salt == salt && file.keySlotNonce == slotNonce && file.keySlot == slot
    }

    /// Encrypts `payload` with a fresh random nonce into a complete vault file.
    public func sealPayload(_ payload: UnsafeRawBufferPointer, codec: UInt16 = VaultFile.binaryPayloadV1) throws(CryptoError) -> VaultFile {
        var file = VaultFile(kdf: kdf, salt: salt, keySlotNonce: slotNonce, keySlot: slot, codec: codec,
                             payloadNonce: Sodium.randomBytes(XChaCha20Poly1305.nonceLength), payloadCiphertext: [])
        // The AD covers the ciphertext length, which is known before encrypting.
        file.payloadCiphertext = ArraySlice(repeating: 0, count: payload.count + XChaCha20Poly1305.tagLength)
        let ad = file.payloadAssociatedData
        file.payloadCiphertext = ArraySlice(try XChaCha20Poly1305.seal(payload, key: key, nonce: file.payloadNonce, associatedData: ad))
        return file
    }

    /// The same payload ciphertext under a different key slot (a passphrase or KDF change).
    public func rewrapping(_ file: VaultFile) -> VaultFile {
        var out = file
        out.kdf = kdf
        out.salt = salt
        out.keySlotNonce = slotNonce
        out.keySlot = slot
        return out
    }

    /// Decrypts `file`'s payload into secure memory.
    public func openPayload(_ file: VaultFile) throws(VaultFormatError) -> SecureBytes {
        do {
            return try file.payloadCiphertext.withUnsafeBytes { (raw) throws(CryptoError) -> SecureBytes in
                try XChaCha20Poly1305.open(raw, key: key, nonce: file.payloadNonce, associatedData: file.payloadAssociatedData)
            }
        } catch {
            throw .payloadTampered
        }
    }
}
