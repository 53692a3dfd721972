// libFuzzer target: `vault import --from-json FILE`: a full export's JSON -> the vault's contents.
@testable import VaultCLI
import DebtModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFullImport(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let contents = try? FullExport.decode(bytes) else { return 0 }
    var doc = VaultDocument()
    if (try? doc.importContents(settings: contents.settings, debts: contents.debts, payments: contents.payments,
                                nextPaymentID: contents.nextPaymentID)) != nil {
        // Whatever was imported must survive the payload codec and export again.
        precondition((try? VaultDocument(decoding: doc.encode())) == doc, "codec round trip")
        _ = FullExport.encode(doc)
    }
    return 0
}
