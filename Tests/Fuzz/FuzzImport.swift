// libFuzzer target: `vault add --from-json` / import: JSON text -> debts through the field builder.
@testable import VaultCLI
import DebtModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImport(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let inputs = try? JSONDebtInput.read(bytes) else { return 0 }
    var doc = VaultDocument()
    let today = CivilDate(year: 2026, month: 12, day: 3)!
    for (kind, values) in inputs {
        if let debt = try? DebtFields.build(kind: kind, values: values, base: nil, document: doc, today: today) {
            _ = try? doc.addDebt(debt)
        }
    }
    // Whatever was accepted must survive the payload codec.
    precondition((try? VaultDocument(decoding: doc.encode())) == doc, "codec round trip")
    return 0
}
