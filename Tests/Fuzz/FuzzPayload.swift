// libFuzzer target: the decrypted payload decoder, fed plaintext directly (past the AEAD).
import DebtModel
import DebtEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPayload(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    if let doc = try? VaultDocument(decoding: raw) {
        // A document that decodes must re-encode to the same bytes and be usable by the engine.
        precondition(doc.encode() == Array(raw), "decode/encode round trip differs")
        _ = DebtCalculator.states(of: doc, asOf: CivilDate(year: 2026, month: 12, day: 3)!)
    }
    return 0
}
