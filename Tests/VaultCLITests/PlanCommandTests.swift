#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// `vault plan`, `vault budget` and `vault apr` through the real binary and a real encrypted vault.
@Suite struct PlanCommandTests {
    static let today = "2026-12-01"

    /// domain.md's three debts as cards with fixed minimums. Cards carry a daily rate (APR = 365 x daily),
    /// and 24% and 12% have no exact 8-decimal daily form: A 3,000 at 0.06575343%/day (24.0000020%) min 90,
    /// B 1,500 at 0.05%/day (18.25%) min 150, C 10,000 at 0.03287672%/day (12.0000028%) min 300 — the
    /// nearest daily rates above, which post the same cents. PlannerTests pins the exact-rate example.
    static func threeDebtVault() throws -> DebtTestVault {
        let v = try DebtTestVault()
        for (id, balance, daily, minimum) in [("a", "3000", "0.06575343%/day", "90"), ("b", "1500", "0.05%/day", "150"),
                                              ("c", "10000", "0.03287672%/day", "300")] {
            try v.ok(["add", "--kind", "card", "--id", id, "--name", "Card \(id)", "--balance", balance, "--statement-day", "1",
                      "--due-day", "20", "--min-payment", minimum, "--daily-rate", daily], today: today)
        }
        return v
    }

    static func plans(_ r: DebtCLIResult) throws -> [[String: Any]] {
        try #require(try r.jsonObject()["plans"] as? [[String: Any]], "no plans in \(r)")
    }

    @Test func threeDebtExampleToTheCent() throws {
        let v = try Self.threeDebtVault()
        let avalanche = try #require(try Self.plans(v.ok(["plan", "--budget", "800", "--json"], today: Self.today)).first)
        #expect(avalanche["outcome"] as? String == "debt_free")
        #expect(avalanche["strategy"] as? String == "avalanche")
        #expect(avalanche["months"] as? Int == 21)
        #expect(avalanche["total_interest_and_fees"] as? String == "1826.38")
        #expect(avalanche["budget_source"] as? String == "option")
        #expect(avalanche["shortfall"] is NSNull)
        let debts = try #require(avalanche["debts"] as? [[String: Any]])
        #expect(debts.map { $0["payoff_month"] as? Int } == [10, 10, 21])
        #expect(debts.map { $0["id"] as? String } == ["a", "b", "c"])
        #expect(avalanche["debt_free_date"] as? String == "2028-08-01")
        let schedule = try #require(avalanche["schedule"] as? [[String: Any]])
        #expect(schedule.count == 21)
        #expect((schedule[0]["payments"] as? [[String: Any]])?.map { $0["payment"] as? String } == ["350.00", "150.00", "300.00"])

        let snowball = try #require(try Self.plans(v.ok(["plan", "--budget", "800", "--strategy", "snowball", "--json"], today: Self.today)).first)
        #expect(snowball["months"] as? Int == 21)
        #expect(snowball["total_interest_and_fees"] as? String == "1857.71")
        #expect((snowball["debts"] as? [[String: Any]])?.map { $0["payoff_month"] as? Int } == [10, 4, 21])

        // Month 3 of a plan starting in December 2026 is February 2027.
        let extra = try #require(try Self.plans(v.ok(["plan", "--budget", "800", "--extra", "1000@2027-02", "--json"], today: Self.today)).first)
        #expect(extra["months"] as? Int == 19)
        #expect(extra["total_interest_and_fees"] as? String == "1569.94")

        // --months limits the printing, not the computation.
        let short = try #require(try Self.plans(v.ok(["plan", "--budget", "800", "--months", "3", "--json"], today: Self.today)).first)
        #expect((short["schedule"] as? [Any])?.count == 3)
        #expect(short["schedule_truncated"] as? Bool == true)
        #expect(short["months"] as? Int == 21)

        let csv = try v.ok(["plan", "--budget", "800", "--csv"], today: Self.today).stdout.split(separator: "\n")
        #expect(csv.first == "currency,month,date,debt,interest_and_fees,minimum,payment,balance_after")
        #expect(csv.contains("CNY,1,2026-12-01,a,60.00,90.00,350.00,2710.00"))

        let text = try v.ok(["plan", "--budget", "800"], today: Self.today).stdout
        #expect(text.contains("debt-free in 21 months: 2028-08-01"), "\(text)")
        #expect(text.contains("total interest and fees: 1,826.38 CNY"), "\(text)")
        #expect(text.contains("month 10 (2027-09)"), "\(text)")

        let compare = try v.ok(["plan", "--budget", "800", "--compare"], today: Self.today).stdout
        #expect(compare.contains("STRATEGY"), "\(compare)")
        let rows = compare.split(separator: "\n").map(String.init)
        let avalancheRow = try #require(rows.first { $0.hasPrefix("avalanche") }, "\(compare)")
        #expect(avalancheRow.contains("21") && avalancheRow.contains("2028-08-01") && avalancheRow.contains("1,826.38"), "\(avalancheRow)")
        #expect(rows.contains { $0.hasPrefix("snowball") && $0.contains("1,857.71") }, "\(compare)")
        #expect(rows.contains { $0.hasPrefix("minimum") }, "\(compare)")
        let cmpJSON = try v.ok(["plan", "--budget", "800", "--compare", "--json"], today: Self.today).jsonObject()
        let strategies = try #require((cmpJSON["comparisons"] as? [[String: Any]])?.first?["strategies"] as? [[String: Any]])
        #expect(strategies.map { $0["strategy"] as? String } == ["avalanche", "snowball", "minimum"])
        let minimumCost = try #require(DebtAmount.cents(strategies[2]["total_interest_and_fees"]))
        #expect(DebtAmount.cents(strategies[0]["interest_saved_vs_minimum"]) == minimumCost - 182_638)
    }

    @Test func storedBudgetBelowMinimumsAndNeverEnding() throws {
        let v = try Self.threeDebtVault()
        #expect(try v.ok(["budget"]).stdout.contains("no budget stored"))
        try v.ok(["budget", "--income", "12000", "--expenses", "11200", "--payday", "1"])
        let budget = try v.ok(["budget", "--json"]).jsonObject()
        #expect(budget["available"] as? String == "800.00")
        #expect(budget["payday"] as? Int == 1)
        #expect(budget["income"] as? String == "12000.00")
        let stored = try #require(try Self.plans(v.ok(["plan", "--json"], today: Self.today)).first)
        #expect(stored["budget_source"] as? String == "settings")
        #expect(stored["total_interest_and_fees"] as? String == "1826.38")

        // 400 against 540 of minimums: a distinct outcome, the shortfall, the costliest to miss first.
        let short = try #require(try Self.plans(v.ok(["plan", "--budget", "400", "--json"], today: Self.today)).first)
        #expect(short["outcome"] as? String == "budget_below_minimums")
        let shortfall = try #require(short["shortfall"] as? [String: Any])
        #expect(shortfall["amount"] as? String == "140.00")
        #expect(shortfall["month"] as? Int == 1)
        let risks = try #require(short["overdue_first"] as? [[String: Any]])
        #expect(risks.map { $0["id"] as? String } == ["c", "b", "a"])
        #expect(risks.map { $0["unpaid"] as? String } == ["0.00", "50.00", "90.00"])
        #expect(DebtAmount.isDecimalString(short["budget_to_finish_in_5_years"]))
        #expect((short["schedule"] as? [Any])?.isEmpty == false, "still shows what the budget can do")
        let shortText = try v.ok(["plan", "--budget", "400"], today: Self.today).stdout
        #expect(shortText.contains("140.00 CNY short of this month's minimums (540.00)"), "\(shortText)")
        #expect(shortText.contains("would go overdue: b (50.00 unpaid), a (90.00 unpaid)"), "\(shortText)")

        // Money owed at 24% with no due date and minimums only: it never ends.
        try v.ok(["add", "--kind", "informal", "--id", "x", "--name", "Shop", "--balance", "2000", "--rate", "24%"], today: Self.today)
        let never = try #require(try Self.plans(v.ok(["plan", "--strategy", "minimum", "--json"], today: Self.today)).first)
        #expect(never["outcome"] as? String == "never_ends")
        #expect(never["months"] is NSNull)
        let endless = try #require(never["never_ending"] as? [[String: Any]])
        #expect(endless.map { $0["id"] as? String } == ["x"])
        // 2,000 at 2% a month over 60 months: 57.54 a month.
        #expect(endless.first?["monthly_to_end_in_5_years"] as? String == "57.54")
        #expect((never["schedule"] as? [Any])?.count == 24)
        #expect(never["schedule_truncated"] as? Bool == true)
        let neverText = try v.ok(["plan", "--strategy", "minimum"], today: Self.today).stdout
        #expect(neverText.contains("x is never paid off at this budget"), "\(neverText)")
        #expect(neverText.contains("57.54 a month would pay it off within 5 years"), "\(neverText)")
    }

    @Test func currenciesPromoAndErrors() throws {
        let v = try Self.threeDebtVault()
        try v.ok(["add", "--kind", "informal", "--id", "usd1", "--name", "Friend", "--balance", "20.50", "--currency", "USD"], today: Self.today)
        let r = try v.ok(["plan", "--budget", "800", "--json"], today: Self.today)
        let plans = try Self.plans(r)
        #expect(plans.map { $0["currency"] as? String } == ["CNY", "USD"])
        #expect(plans[1]["budget_source"] as? String == "none")
        let notes = try #require(try r.jsonObject()["notes"] as? [String])
        #expect(notes.contains { $0.contains("planned separately") }, "\(notes)")
        let both = try Self.plans(v.ok(["plan", "--budget", "800", "--budget", "USD=10", "--json"], today: Self.today))
        #expect(both[1]["outcome"] as? String == "debt_free")
        #expect(both[1]["months"] as? Int == 3)

        // A promo period makes C's interest 0 for its months.
        try v.ok(["edit", "c", "--promo-until", "2027-02-28"])
        let promo = try #require(try Self.plans(v.ok(["plan", "--budget", "800", "--json"], today: Self.today)).first)
        let c = try #require((promo["debts"] as? [[String: Any]])?.first { $0["id"] as? String == "c" })
        #expect(c["promo_months"] as? Int == 3)
        let firstMonth = try #require((promo["schedule"] as? [[String: Any]])?.first?["payments"] as? [[String: Any]])
        #expect(firstMonth.first { $0["id"] as? String == "c" }?["interest_and_fees"] as? String == "0.00")

        for (args, message) in [(["plan", "--budget", "800", "--strategy", "fastest"], "unknown strategy"),
                                (["plan", "--budget", "800", "--strategy", "custom"], "needs --order"),
                                (["plan", "--budget", "800", "--strategy", "custom", "--order", "a,zz"], "'zz'"),
                                (["plan", "--budget", "800", "--extra", "1000"], "AMOUNT@YYYY-MM"),
                                (["plan", "--budget", "800", "--extra", "1000@2026-01"], "before this month"),
                                (["plan", "--budget", "8,00"], "budget"),
                                (["plan", "--budget", "800", "--csv", "--json"], "cannot be combined")] {
            let e = try v.run(args, today: Self.today)
            #expect(e.status == 64, "\(args): \(e)")
            #expect(e.stderr.contains(message), "\(args): \(e.stderr)")
        }
        let custom = try #require(try Self.plans(v.ok(["plan", "--budget", "800", "--strategy", "custom", "--order", "c,a", "--json"], today: Self.today)).first)
        #expect(custom["order"] as? [String] == ["c", "a"])
    }

    @Test func noBudgetIsAUsageError() throws {
        let v = try DebtTestVault()
        try v.ok(["add", "--kind", "informal", "--name", "Uncle", "--balance", "3000"], today: Self.today)
        let r = try v.run(["plan"], today: Self.today)
        #expect(r.status == 64)
        #expect(r.stderr.contains("no budget"), "\(r)")
        #expect(r.stderr.contains("vault budget --income"), "\(r)")
    }

    @Test func aprNeedsNoVaultAndMatchesDomainExamples() throws {
        let env = DebtCLI.environment(home: "/nonexistent-home")
        func apr(_ args: [String]) throws -> DebtCLIResult { try DebtCLI.spawn(try DebtCLI.binary(), ["apr"] + args, environment: env) }
        let r = try apr(["--amount", "10000", "--months", "12", "--monthly-fee", "0.6%", "--json"])
        try #require(r.status == 0, "\(r)")
        let o = try r.jsonObject()
        #expect(o["payment"] as? String == "893.33")
        #expect(o["total_fees"] as? String == "720.00")
        #expect(o["monthly_irr"] as? String == "1.0862")
        #expect(o["apr"] as? String == "13.03")
        #expect(o["ear"] as? String == "13.84")
        #expect(o["advertised_apr"] as? String == "7.20")
        #expect(o["ratio_to_advertised"] as? String == "1.81")
        #expect(o["above_24"] as? Bool == false)
        #expect((o["schedule"] as? [Any])?.count == 12)
        for (months, fee, expected) in [("3", "2.5%", "14.94"), ("6", "4.5%", "15.27"), ("12", "8.8%", "15.86")] {
            let t = try apr(["--amount", "10000", "--months", months, "--total-fee", fee, "--json"]).jsonObject()
            #expect(t["apr"] as? String == expected, "\(months)/\(fee)")
        }
        let text = try apr(["--amount", "10000", "--months", "12", "--monthly-fee", "0.6%", "--compare-revolving", "0.05%/day"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("APR (12 x IRR):") && text.stdout.contains("13.03%"), "\(text)")
        #expect(text.stdout.contains("EAR:") && text.stdout.contains("13.84%"), "\(text)")
        #expect(text.stdout.contains("on a card at 0.05%/day (APR 18.25%, EAR 20.02%)"), "\(text)")
        let costly = try apr(["--amount", "5000", "--months", "6", "--payment", "1000", "--upfront-fee", "100"])
        #expect(costly.stdout.contains("WARNING: APR above 36%"), "\(costly)")
        let both = try apr(["--amount", "10000", "--months", "12", "--monthly-fee", "0.6%", "--payment", "900"])
        #expect(both.status == 64 && both.stderr.contains("cannot be combined"), "\(both)")
        let bad = try apr(["--amount", "10000abc", "--months", "12", "--payment", "900"])
        #expect(bad.status == 64 && bad.stderr.contains("amount"), "\(bad)")
    }

    @Test func lumpSumVersusInstallments() throws {
        let v = try DebtTestVault()
        try v.ok(["add", "--kind", "card", "--id", "hb", "--name", "Huabei", "--balance", "5000", "--statement-day", "1", "--due-day", "9",
                  "--min-payment", "10%", "--min-payment-floor", "100"], today: Self.today)
        let o = try v.ok(["plan", "--lump-sum-vs-installments", "hb", "--json"], today: Self.today).jsonObject()
        let options = try #require(o["options"] as? [[String: Any]])
        #expect(options.map { $0["option"] as? String } == ["full", "minimum", "installments", "installments", "installments"])
        #expect(options[0]["cost"] as? String == "0.00")
        #expect(options[2...].map { $0["cost"] as? String } == ["125.00", "225.00", "440.00"])
        #expect(options[2...].map { $0["apr"] as? String } == ["14.94", "15.27", "15.86"])
        #expect((DebtAmount.cents(options[1]["cost"]) ?? 0) > 44_000, "minimum-only costs the most: \(options[1])")
        let custom = try v.ok(["plan", "--lump-sum-vs-installments", "hb", "--fee", "12:0.6%/month"], today: Self.today).stdout
        #expect(custom.contains("12 installments, 0.6%/month fee"), "\(custom)")
        #expect(custom.contains("13.03%"), "\(custom)")
        try v.ok(["add", "--kind", "informal", "--id", "inf", "--name", "Uncle", "--balance", "100"], today: Self.today)
        let wrong = try v.run(["plan", "--lump-sum-vs-installments", "inf"], today: Self.today)
        #expect(wrong.status == 64, "\(wrong)")
    }

    @Test func compareOnARealisticVaultIsQuick() throws {
        let v = try DebtTestVault()
        let adds: [[String]] = [
            ["--kind", "loan", "--name", "Mortgage", "--principal", "800000", "--rate", "3.85%", "--months", "360", "--first-due", "2026-12-20"],
            ["--kind", "card", "--name", "Card 1", "--balance", "12000", "--statement-day", "5", "--due-day", "25"],
            ["--kind", "card", "--name", "Card 2", "--balance", "4000", "--statement-day", "15", "--due-day", "5", "--min-payment", "10%", "--min-payment-floor", "100"],
            ["--kind", "card", "--name", "Huabei", "--balance", "2500", "--statement-day", "1", "--due-day", "9"],
            ["--kind", "installment", "--name", "Phone", "--principal", "6000", "--months", "12", "--fee", "0.6%/month", "--first-due", "2026-12-15"],
            ["--kind", "informal", "--name", "Relative", "--balance", "20000", "--due", "2027-12-31"],
        ]
        for a in adds { try v.ok(["add"] + a, today: Self.today) }
        let start = Date()
        _ = try v.ok(["list"], today: Self.today)
        let unlockOnly = Date().timeIntervalSince(start)
        let start2 = Date()
        let r = try v.ok(["plan", "--budget", "9000", "--compare"], today: Self.today)
        let planTime = Date().timeIntervalSince(start2)
        #expect(planTime - unlockOnly < 1.0, "plan --compare took \(planTime) s, list \(unlockOnly) s")
        #expect(r.stdout.contains("avalanche") && r.stdout.contains("SAVED VS MINIMUM"), "\(r)")
        let full = try v.ok(["plan", "--budget", "9000"], today: Self.today).stdout
        #expect(full.contains("debt-free in"), "\(full)")
    }
}
