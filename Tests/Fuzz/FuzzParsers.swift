// libFuzzer target: the amount, rate, date, multiplier and lead-day parsers (typed by users).
import DebtModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParsers(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for currency in [Currency.cny, Currency.jpy] {
        if let m = try? Money.parse(text, currency: currency, field: "amount") {
            precondition((try? Money.parse(m.decimalString, currency: currency, field: "amount")) == m, "amount round trip")
        }
    }
    if let r = try? Rate.parse(text, field: "rate") {
        precondition((try? Rate.parse(r.description, field: "rate")) == r, "rate round trip")
        _ = r.apr
        _ = r.effectiveAnnualFraction
    }
    if let d = try? CivilDate.parse(text, field: "date") {
        precondition(d.description == text, "date round trip")
        _ = d.adding(months: 1)
    }
    _ = try? Multiplier.parse(text, field: "x")
    _ = try? Percentage.parse(text, field: "p")
    return 0
}
