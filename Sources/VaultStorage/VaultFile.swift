import VaultCrypto

/// Acceptance rules for key-derivation parameters read from or written to a vault.
public struct KDFPolicy: Sendable, Equatable {
    /// The weakest parameters accepted.
    public var floor: KDFParameters
    /// The strongest parameters accepted (memory and passes each).
    public var ceiling: KDFParameters

    /// Creates a policy.
    public init(floor: KDFParameters, ceiling: KDFParameters) {
        self.floor = floor
        self.ceiling = ceiling
    }

    /// What the command line enforces: at least interactive (64 MiB, 2 passes), at most 4 GiB and 32 passes.
    public static let release = KDFPolicy(floor: .interactive, ceiling: KDFParameters(opslimit: 32, memlimit: 4 << 30))

    /// For tests through the library API only: libsodium's own minimums. Never reachable from a flag.
    public static let testing = KDFPolicy(
        floor: KDFParameters(opslimit: Argon2id.minimumOpslimit, memlimit: Argon2id.minimumMemlimit),
        ceiling: KDFPolicy.release.ceiling)

    /// Throws when `parameters` fall outside the policy.
    public func validate(_ parameters: KDFParameters) throws(VaultFormatError) {
        if parameters.opslimit < floor.opslimit || parameters.memlimit < floor.memlimit {
            throw .kdfBelowFloor(opslimit: parameters.opslimit, memlimit: parameters.memlimit)
        }
        if parameters.opslimit > ceiling.opslimit || parameters.memlimit > ceiling.memlimit {
            throw .kdfAboveCeiling(opslimit: parameters.opslimit, memlimit: parameters.memlimit)
        }
    }
}

/// The parsed, integrity-checked layout of a format v1 vault file (see docs/FORMAT.md).
///
/// Parsing checks structure and the unkeyed checksum only; opening the key slot needs a
/// passphrase and happens in `VaultKey`.
public struct VaultFile: Sendable, Equatable {
    /// The eight magic bytes every vault starts with: "\x89DVAULT\n".
    public static let magic: [UInt8] = [0x89, 0x44, 0x56, 0x41, 0x55, 0x4C, 0x54, 0x0A]
    /// The only format version this program reads and writes.
    public static let currentVersion: UInt16 = 1
    /// KDF algorithm id for Argon2id v1.3.
    public static let argon2idV13: UInt8 = 1
    /// Payload codec id for the debt-vault binary payload v1 (docs/payload.md).
    public static let binaryPayloadV1: UInt16 = 1
    /// Bytes before the payload ciphertext.
    public static let headerLength = 145
    /// Length of the trailing checksum.
    public static let checksumLength = 32
    /// Offsets of the fields, as in docs/FORMAT.md.
    enum Offset {
        static let version = 8, kdf = 10, opslimit = 11, memlimit = 15, salt = 23
        static let slotNonce = 39, slot = 63, codec = 111, payloadNonce = 113, payloadLength = 137
    }
    /// Length of the sealed data key (key + tag).
    public static let keySlotLength = 32 + 16

    /// Argon2id parameters.
    public var kdf: KDFParameters
    /// Argon2id salt.
    public var salt: [UInt8]
    /// Nonce of the key slot.
    public var keySlotNonce: [UInt8]
    /// The data key sealed under the passphrase-derived key.
    public var keySlot: [UInt8]
    /// Payload codec id.
    public var codec: UInt16
    /// Nonce of the payload.
    public var payloadNonce: [UInt8]
    /// The payload ciphertext with its tag.
    /// A slice of the bytes read (so that parsing a large vault does not copy its payload).
    public var payloadCiphertext: ArraySlice<UInt8>

    /// Creates a file value from its fields.
    public init(kdf: KDFParameters, salt: [UInt8], keySlotNonce: [UInt8], keySlot: [UInt8],
                codec: UInt16, payloadNonce: [UInt8], payloadCiphertext: ArraySlice<UInt8>) {
        self.kdf = kdf
        self.salt = salt
        self.keySlotNonce = keySlotNonce
        self.keySlot = keySlot
        self.codec = codec
        self.payloadNonce = payloadNonce
        self.payloadCiphertext = payloadCiphertext
    }

    /// Parses and integrity-checks `bytes` in the order fixed by docs/FORMAT.md, then applies `policy`.
    public init(parsing bytes: [UInt8], policy: KDFPolicy) throws(VaultFormatError) {
        try self.init(parsing: bytes, policy: policy, verifyingChecksum: true)
    }

    /// Parses `bytes`; with `verifyingChecksum: false` the whole-file checksum is left to the caller
    /// (``checksumMatches(_:)``), who must check it before trusting anything but the header's layout.
    /// A later header check that fails is still reported as damage when the checksum does not match,
    /// so the error is the same as with the checksum checked first.
    public init(parsing bytes: [UInt8], policy: KDFPolicy, verifyingChecksum: Bool) throws(VaultFormatError) {
        let n = bytes.count
        guard n >= 8, Array(bytes[0..<8]) == Self.magic else { throw .notAVault }
        guard n >= 10 else { throw .truncated }
        let version = Self.u16(bytes, Offset.version)
        guard version == Self.currentVersion else { throw .unsupportedVersion(version) }
        guard n >= Self.headerLength + Self.checksumLength else { throw .truncated }
        let declared = Self.u64(bytes, Offset.payloadLength)
        let available = UInt64(n - Self.headerLength - Self.checksumLength)
        if declared > available { throw .truncated }
        if declared < available { throw .trailingData(extra: available - declared) }
        if verifyingChecksum {
            guard Self.checksumMatches(bytes) else { throw .damaged }
            try self.init(checkedLayout: bytes, policy: policy)
        } else {
            do { try self.init(checkedLayout: bytes, policy: policy) } catch {
                throw Self.checksumMatches(bytes) ? error : .damaged
            }
        }
    }

    /// Whether the last 32 bytes of `bytes` are the BLAKE2b-256 of everything before them.
    /// The length must already be checked (at least a header and a checksum).
    public static func checksumMatches(_ bytes: [UInt8]) -> Bool {
        let end = bytes.count - checksumLength
        guard end >= 0 else { return false }
        let sum = bytes.withUnsafeBytes { BLAKE2b.hash256(UnsafeRawBufferPointer(rebasing: $0[0..<end])) }
        return sum.elementsEqual(bytes[end...])
    }

    /// Steps after the checksum: the KDF id, the codec, the policy, then the fields.
    private init(checkedLayout bytes: [UInt8], policy: KDFPolicy) throws(VaultFormatError) {
        let end = bytes.count - Self.checksumLength
        let kdfID = bytes[Offset.kdf]
        guard kdfID == Self.argon2idV13 else { throw .unknownKDF(kdfID) }
        let codec = Self.u16(bytes, Offset.codec)
        guard codec == Self.binaryPayloadV1 else { throw .unknownCodec(codec) }
        let params = KDFParameters(opslimit: Self.u32(bytes, Offset.opslimit), memlimit: Self.u64(bytes, Offset.memlimit))
        try policy.validate(params)
        self.kdf = params
        self.salt = Array(bytes[Offset.salt..<Offset.slotNonce])
        self.keySlotNonce = Array(bytes[Offset.slotNonce..<Offset.slot])
        self.keySlot = Array(bytes[Offset.slot..<Offset.codec])
        self.codec = codec
        self.payloadNonce = Array(bytes[Offset.payloadNonce..<Offset.payloadLength])
        self.payloadCiphertext = bytes[Self.headerLength..<end]
    }

    /// Checks the header alone (steps 1-4, 6 and 7 of docs/FORMAT.md; not the checksum, which needs the
    /// whole file) given the first `headerLength` bytes (or fewer, for a short file) and the file size.
    public static func parseHeader(_ prefix: [UInt8], fileSize: Int, policy: KDFPolicy) throws(VaultFormatError) -> (kdf: KDFParameters, codec: UInt16, payloadLength: UInt64) {
        let n = prefix.count
        guard n >= 8, Array(prefix[0..<8]) == magic else { throw .notAVault }
        guard n >= 10 else { throw .truncated }
        let version = u16(prefix, Offset.version)
        guard version == currentVersion else { throw .unsupportedVersion(version) }
        guard n >= headerLength, fileSize >= headerLength + checksumLength else { throw .truncated }
        let declared = u64(prefix, Offset.payloadLength)
        let available = UInt64(fileSize - headerLength - checksumLength)
        if declared > available { throw .truncated }
        if declared < available { throw .trailingData(extra: available - declared) }
        let kdfID = prefix[Offset.kdf]
        guard kdfID == argon2idV13 else { throw .unknownKDF(kdfID) }
        let codec = u16(prefix, Offset.codec)
        guard codec == binaryPayloadV1 else { throw .unknownCodec(codec) }
        let params = KDFParameters(opslimit: u32(prefix, Offset.opslimit), memlimit: u64(prefix, Offset.memlimit))
        try policy.validate(params)
        return (params, codec, declared)
    }

    /// The serialised file: header, payload ciphertext and checksum.
    public func serialized() -> [UInt8] {
        var out = keySlotAssociatedData
        out.reserveCapacity(Self.headerLength + payloadCiphertext.count + Self.checksumLength)
        out += keySlotNonce
        out += keySlot
        out += payloadSection
        out += payloadCiphertext
        out += out.withUnsafeBytes { BLAKE2b.hash256($0) }
        return out
    }

    /// Bytes [0, 39): magic, version, KDF id and parameters, salt. The key slot's associated data.
    public var keySlotAssociatedData: [UInt8] {
        var out = Self.magic
        Self.put(&out, Self.currentVersion)
        out.append(Self.argon2idV13)
        Self.put(&out, kdf.opslimit)
        Self.put(&out, kdf.memlimit)
        out += salt
        return out
    }

    /// Bytes [111, 145): codec, payload nonce, payload length.
    var payloadSection: [UInt8] {
        var out: [UInt8] = []
        Self.put(&out, codec)
        out += payloadNonce
        Self.put(&out, UInt64(payloadCiphertext.count))
        return out
    }

    /// The payload's associated data: bytes [0, 10) followed by bytes [111, 145).
    public var payloadAssociatedData: [UInt8] {
        var out = Self.magic
        Self.put(&out, Self.currentVersion)
        return out + payloadSection
    }

    static func u16(_ b: [UInt8], _ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }
    static func u32(_ b: [UInt8], _ o: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[o + $1]) << (8 * UInt32($1)) }
    }
    static func u64(_ b: [UInt8], _ o: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[o + $1]) << (8 * UInt64($1)) }
    }
    static func put<T: FixedWidthInteger>(_ out: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }
}
