import DebtEngine
import DebtModel

/// `vault apr`: the true cost of an installment or loan offer. A calculator: no vault, no passphrase.
enum AprCommand: Command {
    static let spec = CommandSpec(
        name: "apr", abstract: "the true cost of an installment or loan offer (APR, EAR); needs no vault",
        usage: "vault apr --amount P --months N (--monthly-fee F% | --total-fee F% | --payment A) [--upfront-fee X] [--compare-revolving R] [--json]",
        discussion: """
        Installment offers (分期) quote a fee on the ORIGINAL principal, so the real rate is about 1.8x the
        advertised one. This prints the payment schedule, the total cost, the monthly IRR, the nominal
        APR (12 x IRR), the effective annual rate (EAR), the ratio to the advertised rate, and flags an APR
        above 24% (consumer finance guidance) or 36% (2017 cash-loan rules). Amounts are in CNY unless
        --currency is given. Nothing is read or written: no vault is needed.
        """,
        options: [
            OptionSpec("amount", value: "P", "the amount financed, e.g. 10000"),
            OptionSpec("months", value: "N", "number of monthly payments (1-600)"),
            OptionSpec("monthly-fee", value: "F%", "fee per month on the original principal, e.g. 0.6%"),
            OptionSpec("total-fee", value: "F%", "fee for the whole term, e.g. 8.8% (Huabei style)"),
            OptionSpec("payment", value: "A", "the monthly payment, when that is what is quoted"),
            OptionSpec("upfront-fee", value: "X", "a fee paid at the start (reduces what you really receive)"),
            OptionSpec("compare-revolving", value: "RATE", "also show paying it off on a card at this rate, e.g. 0.05%/day"),
            OptionSpec("currency", value: "CODE", "currency of the amounts (default CNY)"),
        ],
        examples: ["vault apr --amount 10000 --months 12 --monthly-fee 0.6%",
                   "vault apr --amount 6000 --months 12 --total-fee 8.8% --compare-revolving 0.05%/day",
                   "vault apr --amount 5000 --months 6 --payment 900 --upfront-fee 100 --json"],
        takesPassphrase: false, takesJSON: true)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let a = inv.args
        let currency = try a.value("currency").map { try Currency(code: $0, field: "currency") } ?? .cny
        guard let amountText = a.value("amount") else { throw CLIError.usage("--amount is required", command: spec.name) }
        guard let monthsText = a.value("months") else { throw CLIError.usage("--months is required", command: spec.name) }
        let amount = try Money.parse(amountText, currency: currency, field: "amount")
        guard amount.isPositive else { throw FieldError(field: "amount", value: amountText, reason: "must be greater than zero") }
        guard monthsText.allSatisfy(\.isASCII), let months = Int(monthsText), (1...600).contains(months) else {
            throw FieldError(field: "months", value: monthsText, reason: "must be a whole number of months between 1 and 600")
        }
        let given = ["monthly-fee", "total-fee", "payment"].filter { a.value($0) != nil }
        guard given.count == 1 else {
            throw CLIError.usage(given.isEmpty ? "say how the offer is priced" : "--\(given[0]) and --\(given[1]) cannot be combined",
                                 hint: "give exactly one of --monthly-fee F%, --total-fee F% or --payment A", command: spec.name)
        }
        let pricing: InstallmentOffer.Pricing
        switch given[0] {
        case "monthly-fee": pricing = .feePerMonth(try feePercentage(a.value("monthly-fee")!, field: "monthly-fee", allowed: .month))
        case "total-fee": pricing = .totalFee(try feePercentage(a.value("total-fee")!, field: "total-fee", allowed: .total))
        default:
            let p = try Money.parse(a.value("payment")!, currency: currency, field: "payment")
            guard p.isPositive else { throw FieldError(field: "payment", value: p.decimalString, reason: "must be greater than zero") }
            pricing = .payment(p.minorUnits)
        }
        let upfront = try a.value("upfront-fee").map { try Money.parse($0, currency: currency, field: "upfront-fee") } ?? .zero(currency)
        guard let offer = InstallmentOffer(principal: amount.minorUnits, months: months, pricing: pricing,
                                           upfrontFee: upfront.minorUnits, currency: currency) else {
            throw CLIError.usage("the upfront fee must be less than the amount", command: spec.name)
        }
        let revolvingRate = try a.value("compare-revolving").map { try Rate.parse($0, field: "compare-revolving") }
        if let r = revolvingRate, r.period == .total {
            throw FieldError(field: "compare-revolving", value: r.description, reason: "must be a periodic rate, e.g. 0.05%/day")
        }
        let revolving = revolvingRate.flatMap { Finance.revolvingPayoff(principal: amount.minorUnits, months: months, rate: $0) }
        func m(_ v: Int64) -> Money { Money(clamping: v, currency: currency) }

        if inv.json {
            var fields: [(String, JSON)] = [
                ("currency", .string(currency.code)), ("amount", DebtJSON.money(amount)), ("months", .int(Int64(months))),
                ("pricing", pricingJSON(pricing, currency: currency)), ("upfront_fee", DebtJSON.money(upfront)),
                ("payment", DebtJSON.money(m(offer.payment))), ("total_repaid", DebtJSON.money(m(offer.totalRepaid))),
                ("total_fees", DebtJSON.money(m(offer.totalFees))), ("total_cost", DebtJSON.money(m(offer.totalCost))),
            ]
            fields += costJSON(offer)
            fields.append(("schedule", .array(offer.lines.map { l in
                .object([("number", .int(Int64(l.number))), ("principal", DebtJSON.money(m(l.principal))),
                         ("fee", DebtJSON.money(m(l.fee))), ("payment", DebtJSON.money(m(l.payment)))])
            })))
            if let r = revolvingRate, let rev = revolving {
                fields.append(("revolving", .object([
                    ("rate", .string(r.description)), ("apr", percentJSON(r.apr.map(\.fraction))),
                    ("ear", percentJSON(r.effectiveAnnualFraction)), ("payment", DebtJSON.money(m(rev.payments.first ?? 0))),
                    ("total_interest", DebtJSON.money(m(rev.interest))),
                    ("difference", DebtJSON.signedMoney(m(offer.totalCost - rev.interest))),
                ])))
            } else {
                fields.append(("revolving", .null))
            }
            inv.out.line(JSON.object(fields).render())
            return .success
        }

        let out = inv.out
        out.line("\(amount.groupedString) \(currency.code) over \(months) months, \(describe(pricing, currency: currency))"
                 + (upfront.isPositive ? ", \(upfront.groupedString) upfront" : ""))
        out.line("")
        let last = offer.lines.last?.payment ?? 0
        out.write(pad("  monthly payment:", m(offer.payment).groupedString + (last != offer.payment ? " (last \(m(last).groupedString))" : ""), width: 24))
        out.write(pad("  total repaid:", m(offer.totalRepaid).groupedString, width: 24))
        out.write(pad("  total cost:", m(offer.totalCost).groupedString + (upfront.isPositive ? " (fees \(m(offer.totalFees).groupedString) + upfront \(upfront.groupedString))" : ""), width: 24))
        if let c = offer.cost {
            out.write(pad("  monthly IRR:", Finance.percentString(c.monthlyIRR, decimals: 4) + "%", width: 24))
            out.write(pad("  APR (12 x IRR):", Finance.percentString(c.apr) + "%", width: 24))
            out.write(pad("  EAR:", Finance.percentString(c.ear) + "%", width: 24))
        } else {
            out.write(pad("  APR:", "none: the payments do not repay the amount", width: 24))
        }
        if let adv = offer.advertisedAnnual {
            let ratio = offer.ratioToAdvertised.map { " — the real APR is \(Finance.percentString($0 / 100))x that" } ?? ""
            out.write(pad("  advertised:", Finance.percentString(adv) + "% a year" + ratio, width: 24))
        }
        let exceeded = offer.linesExceeded
        if exceeded.contains(36) {
            out.line("  WARNING: APR above 36%, beyond the 2017 cash-loan line (and the 24% consumer finance line)")
        } else if exceeded.contains(24) {
            out.line("  WARNING: APR above 24%, the consumer finance guidance line (to be prohibited from 2026)")
        }
        if let r = revolvingRate, let rev = revolving {
            out.line("")
            out.line("on a card at \(r) (APR \(Finance.percentString(r.apr?.fraction ?? 0))%, EAR \(Finance.percentString(r.effectiveAnnualFraction ?? 0))%) over the same \(months) months:")
            out.write(pad("  monthly payment:", m(rev.payments.first ?? 0).groupedString, width: 24))
            out.write(pad("  total interest:", m(rev.interest).groupedString, width: 24))
            let diff = offer.totalCost - rev.interest
            out.line("  " + (diff > 0 ? "the offer costs \(m(diff).groupedString) more than the card"
                                      : diff < 0 ? "the offer costs \(m(-diff).groupedString) less than the card" : "both cost the same"))
        }
        out.line("")
        var table = TextTable(header: ["#", "PRINCIPAL", "FEE", "PAYMENT"], rightAligned: [0, 1, 2, 3])
        for l in offer.lines {
            table.rows.append([String(l.number), m(l.principal).groupedString, m(l.fee).groupedString, m(l.payment).groupedString])
        }
        out.write(table.render())
        return .success
    }

    /// Parses "0.6%" (or "0.6%/month" for a monthly fee, "8.8%/total" for a total fee).
    static func feePercentage(_ text: String, field: String, allowed: RatePeriod) throws -> Percentage {
        let suffix = "/\(allowed)"
        let body = text.hasSuffix(suffix) ? String(text.dropLast(suffix.count)) : text
        return try Percentage.parse(body, field: field)
    }

    static func describe(_ pricing: InstallmentOffer.Pricing, currency: Currency) -> String {
        switch pricing {
        case let .feePerMonth(f): return "a fee of \(f) a month on the original amount"
        case let .totalFee(f): return "a total fee of \(f)"
        case let .payment(a): return "paying \(Money(clamping: a, currency: currency).groupedString) a month"
        }
    }

    static func pricingJSON(_ pricing: InstallmentOffer.Pricing, currency: Currency) -> JSON {
        switch pricing {
        case let .feePerMonth(f): return .object([("kind", .string("fee_per_month")), ("fee", .string(f.description))])
        case let .totalFee(f): return .object([("kind", .string("total_fee")), ("fee", .string(f.description))])
        case let .payment(a): return .object([("kind", .string("payment")), ("payment", DebtJSON.money(Money(clamping: a, currency: currency)))])
        }
    }

    /// A rate fraction as a percentage string with two decimals ("13.03"), or null.
    static func percentJSON(_ fraction: Double?, decimals: Int = 2) -> JSON {
        fraction.map { .string(Finance.percentString($0, decimals: decimals)) } ?? .null
    }

    /// monthly_irr (4 decimals), apr, ear, advertised_apr, ratio_to_advertised, above_24, above_36.
    static func costJSON(_ offer: InstallmentOffer) -> [(String, JSON)] {
        let c = offer.cost
        return [
            ("monthly_irr", percentJSON(c?.monthlyIRR, decimals: 4)), ("apr", percentJSON(c?.apr)), ("ear", percentJSON(c?.ear)),
            ("advertised_apr", percentJSON(offer.advertisedAnnual)),
            ("ratio_to_advertised", offer.ratioToAdvertised.map { .string(Finance.percentString($0 / 100)) } ?? .null),
            ("above_24", .bool(offer.linesExceeded.contains(24))), ("above_36", .bool(offer.linesExceeded.contains(36))),
        ]
    }
}

extension DebtJSON {
    /// A possibly negative amount as a decimal string ("-12.50").
    static func signedMoney(_ m: Money) -> JSON { .string(m.decimalString) }
}
