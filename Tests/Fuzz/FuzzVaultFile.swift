// libFuzzer target: the vault header/file parser (untrusted bytes straight from disk).
import VaultCrypto
import VaultStorage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVaultFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let file = try? VaultFile(parsing: bytes, policy: .testing) {
        // Whatever parses must re-serialise to exactly the same bytes.
        precondition(file.serialized() == bytes, "parse/serialise round trip differs")
    }
    // Also parse the same bytes with a valid checksum, so the fuzzer reaches the checks behind it.
    if bytes.count >= VaultFile.headerLength + VaultFile.checksumLength {
        var fixed = Array(bytes.dropLast(VaultFile.checksumLength))
        fixed += fixed.withUnsafeBytes { BLAKE2b.hash256($0) }
        if let file = try? VaultFile(parsing: fixed, policy: .testing) {
            precondition(file.serialized() == fixed, "parse/serialise round trip differs (fixed checksum)")
        }
    }
    return 0
}
