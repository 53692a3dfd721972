import Testing
@testable import DebtModel

@Suite("Money")
struct MoneyTests {
    @Test("accepts strict amounts", arguments: [
        ("0", 0), ("12", 1200), ("12.3", 1230), ("12.34", 1234), ("0.50", 50), ("8884.88", 888488), ("007", 700),
    ])
    func accepts(_ text: String, _ minor: Int64) throws {
        #expect(try Money.parse(text, currency: .cny, field: "principal").minorUnits == minor)
    }

    @Test("rejects malformed amounts naming the field", arguments: [
        "12.34abc", "1,5", "1,000", "1e3", "", "-1", "+1", " 1", "1 ", ".5", "5.", "1.234", "1..2", "1.2.3",
        "１２", "12.3 4", "0x10", "NaN", "inf", "99999999999999999999",
    ])
    func rejects(_ text: String) {
        do {
            _ = try Money.parse(text, currency: .cny, field: "principal")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.field == "principal")
            #expect(error.value == text)
            #expect(error.description.hasPrefix("principal: "))
        }
    }

    @Test func zeroDecimalCurrency() throws {
        #expect(try Money.parse("1200", currency: .jpy, field: "amount").minorUnits == 1200)
        #expect(throws: FieldError.self) { try Money.parse("1200.5", currency: .jpy, field: "amount") }
        #expect(throws: FieldError.self) { try Money.parse("1200.", currency: .jpy, field: "amount") }
        #expect(Money(minorUnits: 1_234_567, currency: .jpy)!.groupedString == "1,234,567")
        let kwd = try Currency(code: "KWD")
        #expect(try Money.parse("1.234", currency: kwd, field: "a").minorUnits == 1234)
    }

    @Test func rangeLimit() throws {
        #expect(throws: FieldError.self) { try Money.parse("100000000001", currency: .cny, field: "a") }
        #expect(try Money.parse("100000000000", currency: .cny, field: "a").minorUnits == Money.maximumMinorUnits)
    }

    @Test func formatting() {
        let m = Money(minorUnits: 888488, currency: .cny)!
        #expect(m.decimalString == "8884.88")
        #expect(m.groupedString == "8,884.88")
        #expect(m.description == "8884.88 CNY")
        #expect(Money(minorUnits: -5, currency: .usd)!.decimalString == "-0.05")
        #expect(Money(minorUnits: 123456789012, currency: .cny)!.groupedString == "1,234,567,890.12")
        #expect(Money(minorUnits: 100, currency: .cny)!.groupedString == "1.00")
        #expect(Money(minorUnits: 0, currency: .cny)!.decimalString == "0.00")
    }

    @Test func checkedArithmetic() throws {
        let a = Money(minorUnits: 100, currency: .cny)!
        #expect(try a.adding(a).minorUnits == 200)
        #expect(try a.subtracting(Money(minorUnits: 150, currency: .cny)!).minorUnits == -50)
        #expect(throws: MoneyError.currencyMismatch("CNY", "USD")) { try a.adding(Money(minorUnits: 1, currency: .usd)!) }
        let big = Money(minorUnits: Money.maximumMinorUnits, currency: .cny)!
        #expect(throws: MoneyError.overflow) { try big.adding(a) }
        #expect(throws: MoneyError.overflow) { try big.multiplied(by: Int64.max) }
    }

    @Test func currencies() throws {
        #expect(try Currency(code: "CNY").minorUnits == 2)
        #expect(try Currency(code: "JPY").minorUnits == 0)
        #expect(try Currency(code: "KRW").minorUnits == 0)
        #expect(try Currency(code: "HKD").code == "HKD")
        for bad in ["cny", "RMB", "CN", "CNYY", "", "C1Y"] {
            #expect(throws: FieldError.self) { try Currency(code: bad) }
        }
        #expect(Currency.known.contains("EUR"))
    }

    @Test func mulDiv() {
        #expect(ExactMath.mulDivRoundHalfUp(5, 1, 2) == 3)
        #expect(ExactMath.mulDivRoundHalfUp(-5, 1, 2) == -3)
        #expect(ExactMath.mulDivRoundHalfUp(4, 1, 3) == 1)
        #expect(ExactMath.mulDivRoundHalfUp(Int64.max, Int64.max, Int64.max) == Int64.max)
        #expect(ExactMath.mulDivRoundHalfUp(Int64.max, 2, 1) == nil)
    }
}

@Suite("Rates")
struct RateTests {
    @Test func parsesQuotes() throws {
        #expect(try Rate.parse("18%", field: "rate") == Rate(Percentage(basisPoints: 1800), per: .year))
        #expect(try Rate.parse("18%/year", field: "rate") == Rate(Percentage(basisPoints: 1800), per: .year))
        #expect(try Rate.parse("0.05%/day", field: "rate") == Rate(Percentage(basisPoints: 5), per: .day))
        #expect(try Rate.parse("0.6%/month", field: "rate") == Rate(Percentage(basisPoints: 60), per: .month))
        #expect(try Rate.parse("8.8%/total", field: "fee") == Rate(Percentage(basisPoints: 880), per: .total))
        #expect(try Rate.parse("0.00000001%/day", field: "rate").percentage.scaled == 1)
        #expect(try Rate.parse("4.35%", field: "rate").description == "4.35%/year")
    }

    @Test("rejects malformed rates", arguments: [
        "18", "18 %", "%", "-1%", "+1%", "18%/yr", "18%/Year", "18%/", "1e2%", "18%%", ".5%", "5.%", "0.000000001%",
        "18%/year/x", " 18%", "", "1,5%",
    ])
    func rejects(_ text: String) {
        #expect(throws: FieldError.self) { try Rate.parse(text, field: "rate") }
        do { _ = try Rate.parse(text, field: "rate") } catch { #expect(error.field == "rate") }
    }

    @Test func conversions() throws {
        let daily = try Rate.parse("0.05%/day", field: "r")
        #expect(daily.apr?.description == "18.25%")
        #expect(abs(daily.effectiveAnnualFraction! - 0.2002) < 0.00005)
        #expect(try Rate.parse("0.04%/day", field: "r").apr?.description == "14.6%")
        #expect(try Rate.parse("1%/month", field: "r").apr?.description == "12%")
        #expect(try Rate.parse("8.8%/total", field: "r").apr == nil)
        #expect(try Rate.parse("12%", field: "r").monthlyInterest(on: 10_000_000) == 100_000)
    }

    @Test func multiplier() throws {
        #expect(try Multiplier.parse("1.5", field: "m").thousandths == 1500)
        #expect(try Multiplier.parse("2", field: "m").description == "2")
        #expect(throws: FieldError.self) { try Multiplier.parse("1.2345", field: "m") }
        #expect(throws: FieldError.self) { try Multiplier.parse("-1", field: "m") }
        #expect(throws: FieldError.self) { try Multiplier.parse("101", field: "m") }
    }
}

@Suite("Civil dates")
struct CivilDateTests {
    func d(_ s: String) -> CivilDate { try! CivilDate.parse(s, field: "date") }

    @Test func parsing() throws {
        #expect(d("2026-02-28").description == "2026-02-28")
        for bad in ["2026-02-29", "2026-2-28", "2026-13-01", "2026-00-10", "26-02-28", "2026/02/28", "2026-02-28 ",
                    "", "0000-01-01", "2026-04-31", "２０２６-01-01", "2026-02-2x"] {
            #expect(throws: FieldError.self) { try CivilDate.parse(bad, field: "first-due") }
        }
        #expect(d("2028-02-29").day == 29)
    }

    @Test func leapYears() {
        #expect(CivilDate.isLeapYear(2028))
        #expect(CivilDate.isLeapYear(2000))
        #expect(!CivilDate.isLeapYear(1900))
        #expect(!CivilDate.isLeapYear(2026))
        #expect(CivilDate.daysInMonth(year: 2028, month: 2) == 29)
        #expect(CivilDate.daysInMonth(year: 2026, month: 2) == 28)
    }

    @Test func monthArithmeticClampsToMonthEnd() {
        let jan31 = d("2026-01-31")
        #expect(jan31.adding(months: 1) == d("2026-02-28"))
        #expect(jan31.adding(months: 3) == d("2026-04-30"))
        #expect(jan31.adding(months: 2) == d("2026-03-31"))
        #expect(d("2028-01-31").adding(months: 1) == d("2028-02-29"))
        #expect(jan31.adding(months: -2) == d("2025-11-30"))
        #expect(CivilDate.monthly(from: d("2026-01-31"), day: 31, offset: 1) == d("2026-02-28"))
        #expect(CivilDate.monthly(from: d("2026-02-28"), day: 31, offset: 1) == d("2026-03-31"))
    }

    @Test func dayArithmeticAndWeekdays() {
        #expect(d("1970-01-01").dayNumber == 0)
        #expect(d("1970-01-01").weekday == .thursday)
        #expect(d("2026-03-14").weekday == .saturday)
        #expect(d("2026-03-15").weekday == .sunday)
        #expect(d("2026-03-16").weekday == .monday)
        #expect(d("2026-02-28").adding(days: 1) == d("2026-03-01"))
        #expect(d("2028-02-28").adding(days: 1) == d("2028-02-29"))
        #expect(d("2026-01-01").days(until: d("2027-01-01")) == 365)
        #expect(d("2028-01-01").days(until: d("2029-01-01")) == 366)
        #expect(d("0001-01-01").adding(days: -1) == nil)
        #expect(d("9999-12-31").adding(days: 1) == nil)
        for n in stride(from: -719162, through: 2932896, by: 997) {
            #expect(CivilDate(dayNumber: n)!.dayNumber == n)
        }
    }

    @Test func weekendShift() {
        #expect(WeekendShift.before.apply(to: d("2026-03-14")) == d("2026-03-13"))
        #expect(WeekendShift.before.apply(to: d("2026-03-15")) == d("2026-03-13"))
        #expect(WeekendShift.after.apply(to: d("2026-03-14")) == d("2026-03-16"))
        #expect(WeekendShift.after.apply(to: d("2026-03-15")) == d("2026-03-16"))
        #expect(WeekendShift.none.apply(to: d("2026-03-14")) == d("2026-03-14"))
        #expect(WeekendShift.after.apply(to: d("2026-03-12")) == d("2026-03-12"))
    }
}

@Suite("Debt fields")
struct DebtFieldTests {
    @Test func ids() {
        for good in ["card1", "loan-2", "a", "huabei_x"] { #expect(throws: Never.self) { try Debt.validateID(good) } }
        for bad in ["", "1card", "Card1", "card 1", "卡1", String(repeating: "a", count: 25)] {
            #expect(throws: FieldError.self) { try Debt.validateID(bad) }
        }
    }

    @Test func leadDays() throws {
        #expect(try Debt.parseLeadDays("0,3,1") == [3, 1, 0])
        #expect(try Debt.parseLeadDays("7") == [7])
        for bad in ["", "3,,1", "-1", "a", "3;1", "400"] {
            #expect(throws: FieldError.self) { try Debt.parseLeadDays(bad) }
        }
    }

    @Test func defaults() throws {
        let card = Debt(id: "card1", name: "Bank", terms: .card(CardTerms(statementDay: 5, dueDay: 25,
            statementBalance: Money(minorUnits: 500_000, currency: .cny)!, statementDate: CivilDate(year: 2026, month: 3, day: 5)!)),
            createdDate: CivilDate(year: 2026, month: 3, day: 5)!)
        #expect(card.penaltyMultiplier.description == "1.5")
        #expect(card.leadDays == [3, 1, 0])
        #expect(card.graceDays == 3)
        #expect(card.tolerance.decimalString == "10.00")
        #expect(card.dailyRate?.description == "0.05%/day")
        #expect(card.latePenalty == .cardDefault)
        #expect(card.weekendShift == .none)
        #expect(card.overdueReminderCapDays == 30)
        try card.validate()
    }

    @Test func minimumPaymentRules() throws {
        let rule = try MinimumPaymentRule.parse("10%", currency: .cny, floor: Money(minorUnits: 10_000, currency: .cny))
        #expect(rule.minimum(on: 500_000) == 50_000)
        #expect(rule.minimum(on: 50_000) == 10_000)
        #expect(rule.minimum(on: 5_000) == 5_000)
        #expect(try MinimumPaymentRule.parse("90", currency: .cny).minimum(on: 500_000) == 9_000)
        #expect(throws: FieldError.self) { try MinimumPaymentRule.parse("ten", currency: .cny) }
    }

    @Test func otherEnumsParse() throws {
        #expect(try LatePenaltyRule.parse("5%", currency: .cny) == .cardDefault)
        #expect(try LatePenaltyRule.parse("none", currency: .cny) == LatePenaltyRule.none)
        #expect(try LatePenaltyRule.parse("50", currency: .cny) == .fixed(Money(minorUnits: 5000, currency: .cny)!))
        #expect(LatePenaltyRule.cardDefault.penalty(onUnpaid: 50_000) == 2_500)
        #expect(try CloseReason.parse("settled") == .settled)
        #expect(try DebtKind.parse("card") == .card)
        #expect(try RepaymentMethod.parse("equal-principal") == .equalPrincipal)
        #expect(try WeekendShift.parse("after") == .after)
        for bad in ["Card", "cards", ""] { #expect(throws: FieldError.self) { try DebtKind.parse(bad) } }
        #expect(throws: FieldError.self) { try RepaymentMethod.parse("annuity") }
        #expect(throws: FieldError.self) { try CloseReason.parse("done") }
    }
}
