// Developer tools, not part of `vault`: generates large vaults for benchmarks.
//   vault-devtools generate --out PATH --passphrase-file PATH --debts N --payments M [--seed S] [--journal PATH]
import DebtModel
import Foundation
import VaultCrypto
import VaultStorage

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("vault-devtools: \(message)\n".utf8))
    exit(64)
}

var args = Array(CommandLine.arguments.dropFirst())
guard args.first == "generate" else { fail("usage: vault-devtools generate --out PATH --passphrase-file PATH --debts N --payments M [--seed S] [--today YYYY-MM-DD] [--journal PATH] [--kdf interactive|moderate|sensitive] [--payload-out PATH]") }
args.removeFirst()
var options: [String: String] = [:]
while args.count >= 2 { options[String(args[0].dropFirst(2))] = args[1]; args.removeFirst(2) }
guard let out = options["out"], let passFile = options["passphrase-file"],
      let debtCount = Int(options["debts"] ?? ""), let paymentCount = Int(options["payments"] ?? "") else { fail("missing options") }
var rng = SplitMix64(state: UInt64(options["seed"] ?? "42") ?? 42)
let today = (try? CivilDate.parse(options["today"] ?? "2026-12-01", field: "today")) ?? CivilDate(year: 2026, month: 12, day: 1)!
let start = today.adding(months: -60)!
var doc = VaultDocument()
let kinds: [DebtKind] = [.loan, .card, .installment, .informal]
for i in 0..<debtCount {
    let kind = kinds[i % kinds.count]
    let first = start.adding(days: Int.random(in: 0..<900, using: &rng))!
    func money(_ lo: Int64, _ hi: Int64) -> Money { Money(minorUnits: Int64.random(in: lo...hi, using: &rng) * 100, currency: .cny)! }
    let terms: DebtTerms
    switch kind {
    case .loan:
        terms = .loan(LoanTerms(principal: money(10_000, 900_000), rate: try! Rate.parse("\(Int.random(in: 3...18, using: &rng))%", field: "rate"),
                                months: [36, 60, 120, 240][Int.random(in: 0..<4, using: &rng)], firstDueDate: first,
                                method: [.equalInstallment, .equalPrincipal][i % 2]))
    case .installment:
        terms = .installment(InstallmentTerms(principal: money(1_000, 20_000), months: 24, fee: try! Rate.parse("0.6%/month", field: "fee"), firstDueDate: first))
    case .card:
        let sd = Int.random(in: 1...28, using: &rng)
        terms = .card(CardTerms(statementDay: sd, dueDay: (sd + 19) % 28 + 1, statementBalance: money(500, 50_000),
                                statementDate: CardTerms.latestStatementDate(onOrBefore: today, statementDay: sd)))
    case .informal:
        terms = .informal(InformalTerms(amount: money(500, 50_000), dueDate: today.adding(days: Int.random(in: -30...400, using: &rng))))
    }
    let debt = Debt(id: "\(kind)\(i + 1)", name: "Lender \(i + 1) 银行", terms: terms, createdDate: start)
    _ = try! doc.addDebt(debt)
}
for p in 0..<paymentCount {
    let debt = doc.debts[p % max(doc.debts.count, 1)]
    let date = start.adding(days: Int(Int64(p) * 1800 / Int64(max(paymentCount, 1))))!
    _ = try! doc.addPayment(debtID: debt.id, date: date, amount: Money(minorUnits: Int64.random(in: 1_000...200_000, using: &rng), currency: debt.currency)!, note: p % 10 == 0 ? "note \(p)" : nil)
}
if let journalPath = options["journal"] {
    // The same debts and payments as a plain-text ledger journal (ledger and hledger read it).
    var journal = ""
    journal.reserveCapacity(paymentCount * 80)
    for d in doc.debts {
        journal += "\(d.createdDate) Opened \(d.id)\n    Liabilities:\(d.id)    -\(d.terms.originalAmount.decimalString) CNY\n    Equity:Opening\n\n"
    }
    for p in doc.payments {
        journal += "\(p.date) Payment \(p.debtID)\n    Liabilities:\(p.debtID)    \(p.amount.decimalString) CNY\n    Assets:Bank\n\n"
    }
    FileManager.default.createFile(atPath: journalPath, contents: Data(journal.utf8))
}
let payload = doc.encode()
if let payloadPath = options["payload-out"] {
    // The plaintext payload of this fake data, e.g. as a fuzzing seed. Never use with real data.
    FileManager.default.createFile(atPath: payloadPath, contents: Data(payload))
}
let raw = try! SecureBytes(copying: [UInt8](FileManager.default.contents(atPath: passFile) ?? Data()))
let passphrase = try! PassphraseBytes.fromFileContents(raw)
let store = VaultStore(path: out, policy: .release)
do {
    let kdf = KDFParameters.preset(named: options["kdf"] ?? "interactive") ?? .interactive
    _ = try payload.withUnsafeBytes { try store.create(payload: $0, passphrase: passphrase, kdf: kdf) }
} catch {
    fail("\(error)")
}
print("wrote \(out): \(debtCount) debts, \(paymentCount) payments, payload \(payload.count) bytes")
