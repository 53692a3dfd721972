#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// The debt commands (add, list, show, pay, edit, close, remove, undo, redo, demo) driven through
/// the real `vault` binary against a real encrypted vault.
@Suite struct DebtCommandTests {
    static let summaryKeys = ["id", "name", "kind", "currency", "balance", "next_due_date", "next_due_amount", "status", "days_overdue"]

    // MARK: - add and list/show --json

    @Test func addsOneOfEachKindWithFlagsAndListsThemAsJSON() throws {
        let v = try DebtTestVault()
        let today = "2026-12-01"
        let ids = [
            try v.add(["--kind", "loan", "--name", "Bank EI", "--principal", "100000", "--rate", "12%", "--months", "12", "--first-due", "2027-01-10"]),
            try v.add(["--kind", "loan", "--name", "Bank EP", "--principal", "120000", "--rate", "12%/year", "--months", "12",
                       "--first-due", "2027-01-31", "--method", "equal-principal"]),
            try v.add(["--kind", "installment", "--name", "Phone", "--principal", "10000", "--months", "12", "--fee", "0.6%/month",
                       "--first-due", "2027-01-15"]),
            try v.add(["--kind", "installment", "--name", "Huabei 12", "--principal", "1200", "--months", "12", "--fee", "8.8%/total",
                       "--first-due", "2027-01-10"]),
            try v.add(["--kind", "card", "--name", "Card pct", "--balance", "500", "--statement-day", "1", "--due-day", "20",
                       "--min-payment", "10%", "--min-payment-floor", "100"]),
            try v.add(["--kind", "card", "--name", "Card fixed", "--balance", "3000", "--statement-day", "1", "--due-day", "25",
                       "--min-payment", "90"]),
            try v.add(["--kind", "informal", "--name", "Uncle", "--balance", "3000", "--due", "2027-06-30"]),
            try v.add(["--kind", "informal", "--name", "Aunt", "--balance", "500"]),
        ]
        #expect(Set(ids).count == 8, "ids must be unique: \(ids)")
        #expect(ids.allSatisfy { $0.count <= 16 && $0.allSatisfy { $0.isASCII && !$0.isWhitespace } }, "ids must be easy to type: \(ids)")

        // Without --json, add prints only the new id.
        let plain = try v.ok(["add", "--kind", "informal", "--name", "Friend", "--balance", "20.50", "--currency", "USD"], today: today)
        let usdID = plain.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!usdID.isEmpty && !usdID.contains(" ") && !usdID.contains("\n"), "add prints the id alone: \(plain)")

        let listed = try v.ok(["list", "--json"], today: today)
        let list = try listed.jsonArray()
        #expect(list.count == 9)
        // Integers are JSON numbers, amounts JSON strings.
        #expect(listed.stdout.matches(of: /"days_overdue": [0-9]+[,\n]/).count == 9, "\(listed.stdout)")
        #expect(listed.stdout.matches(of: /"balance": "[0-9]+\.[0-9]{2}"/).count == 9, "\(listed.stdout)")
        for item in list {
            for key in Self.summaryKeys { #expect(item.keys.contains(key), "list --json entry lacks \(key): \(item)") }
            #expect(DebtAmount.isDecimalString(item["balance"]), "balance must be a decimal string: \(item)")
            #expect(item["next_due_amount"] is NSNull || DebtAmount.isDecimalString(item["next_due_amount"]), "\(item)")
            #expect(item["next_due_date"] is NSNull || DebtAmount.isDate(item["next_due_date"]), "\(item)")
            #expect((item["days_overdue"] as? Int).map { $0 >= 0 } == true, "days_overdue must be an integer: \(item)")
            #expect(item["status"] is String)
        }
        func entry(_ id: String) throws -> [String: Any] { try #require(list.first { $0["id"] as? String == id }, "\(id) not listed") }

        let expected: [(String, String, String, String?, String?)] = [
            // id, kind, balance, next due date, next due amount
            (ids[0], "loan", "100000.00", "2027-01-10", "8884.88"),
            (ids[1], "loan", "120000.00", "2027-01-31", "11200.00"),
            (ids[2], "installment", "10000.00", "2027-01-15", "893.33"),
            (ids[3], "installment", "1200.00", "2027-01-10", "108.80"),
            (ids[4], "card", "500.00", "2026-12-20", "100.00"),   // 10% is 50.00, the floor makes it 100.00
            (ids[5], "card", "3000.00", "2026-12-25", "90.00"),
            (ids[6], "informal", "3000.00", "2027-06-30", "3000.00"),
            (ids[7], "informal", "500.00", nil, nil),
        ]
        for (id, kind, balance, date, amount) in expected {
            let e = try entry(id)
            #expect(e["kind"] as? String == kind, "\(e)")
            #expect(e["currency"] as? String == "CNY", "\(e)")
            #expect(e["balance"] as? String == balance, "\(e)")
            if let date { #expect(e["next_due_date"] as? String == date, "\(e)") } else { #expect(e["next_due_date"] is NSNull, "\(e)") }
            if let amount { #expect(e["next_due_amount"] as? String == amount, "\(e)") } else { #expect(e["next_due_amount"] is NSNull, "\(e)") }
            #expect(e["status"] as? String == "ok", "\(e)")
            #expect((e["days_overdue"] as? Int) == 0, "\(e)")
        }
        let usd = try entry(usdID)
        #expect(usd["currency"] as? String == "USD" && usd["balance"] as? String == "20.50", "\(usd)")
        #expect(try entry(ids[0])["name"] as? String == "Bank EI")

        // Installment fees: 0.6%/month of 10,000 is 60.00 a month; 8.8%/total of 1,200 is 105.60, 8.80 a month.
        let phone = try v.show(ids[2], today: today)
        let phoneSchedule = try #require(phone["schedule"] as? [[String: Any]])
        #expect(phoneSchedule.count == 12)
        #expect(phoneSchedule.allSatisfy { $0["fee"] as? String == "60.00" }, "\(phoneSchedule)")
        #expect(phoneSchedule.compactMap { DebtAmount.cents($0["principal"]) }.reduce(0, +) == 1_000_000)
        let huabei = try #require(try v.show(ids[3], today: today)["schedule"] as? [[String: Any]])
        #expect(huabei.compactMap { DebtAmount.cents($0["fee"]) }.reduce(0, +) == 10_560, "total fee 8.8% of 1,200: \(huabei)")

        // show --json: the summary fields plus schedule and payments, for every kind.
        for id in ids {
            let s = try v.show(id, today: today)
            for key in Self.summaryKeys { #expect(s.keys.contains(key), "show --json of \(id) lacks \(key)") }
            #expect(s["schedule"] is [Any], "show --json of \(id) lacks a schedule array: \(s)")
            #expect((s["payments"] as? [Any])?.isEmpty == true, "show --json of \(id): \(s)")
            for line in (s["schedule"] as? [[String: Any]]) ?? [] {
                #expect(DebtAmount.isDate(line["due_date"]) && DebtAmount.isDecimalString(line["amount"]), "\(line)")
            }
        }
        // The informal debt without a due date has nothing scheduled; the one with a date has one line.
        #expect((try v.show(ids[6], today: today)["schedule"] as? [[String: Any]])?.count == 1)
        // The card terms keep the minimum-payment rule.
        let cardTerms = try #require(try v.show(ids[4], today: today)["terms"] as? [String: Any])
        #expect(cardTerms["min_payment"] as? String == "10%" && cardTerms["min_payment_floor"] as? String == "100.00", "\(cardTerms)")
        let fixedTerms = try #require(try v.show(ids[5], today: today)["terms"] as? [String: Any])
        #expect(fixedTerms["min_payment"] as? String == "90.00", "\(fixedTerms)")

        // The text list: one line per debt, totals per currency.
        let text = try v.ok(["list"], today: today).stdout
        for id in ids + [usdID] { #expect(text.contains(id), "list lacks \(id): \(text)") }
        #expect(text.contains("total CNY: 238,200.00"), "\(text)")
        #expect(text.contains("total USD: 20.50"), "\(text)")
    }

    // MARK: - acceptance numbers (domain.md)

    @Test func acceptanceLoanSchedulesToTheCent() throws {
        let v = try DebtTestVault()
        let today = "2026-12-01"
        let ei = try v.add(["--kind", "loan", "--name", "EI", "--principal", "100000", "--rate", "12%", "--months", "12", "--first-due", "2027-01-10"])
        let ep = try v.add(["--kind", "loan", "--name", "EP", "--principal", "120000", "--rate", "12%", "--months", "12",
                            "--first-due", "2027-01-31", "--method", "equal-principal"])

        let eiSchedule = try #require(try v.show(ei, today: today)["schedule"] as? [[String: Any]])
        try #require(eiSchedule.count == 12)
        #expect(eiSchedule[0]["amount"] as? String == "8884.88")
        #expect(eiSchedule[0]["interest"] as? String == "1000.00")
        #expect(eiSchedule[0]["principal"] as? String == "7884.88")
        #expect(eiSchedule[1]["amount"] as? String == "8884.88")
        #expect(eiSchedule[1]["interest"] as? String == "921.15")
        #expect(eiSchedule.compactMap { DebtAmount.cents($0["principal"]) }.reduce(0, +) == 10_000_000, "principal repaid in full")
        #expect(eiSchedule.last?["balance_after"] as? String == "0.00")

        let epSchedule = try #require(try v.show(ep, today: today)["schedule"] as? [[String: Any]])
        try #require(epSchedule.count == 12)
        #expect(epSchedule.map { $0["amount"] as? String ?? "?" } ==
                ["11200.00", "11100.00", "11000.00", "10900.00", "10800.00", "10700.00",
                 "10600.00", "10500.00", "10400.00", "10300.00", "10200.00", "10100.00"])
        #expect(epSchedule.compactMap { DebtAmount.cents($0["interest"]) }.reduce(0, +) == 780_000, "total interest 7,800.00")
        // Due day 31 falls on the last day of shorter months.
        #expect(epSchedule.map { $0["due_date"] as? String ?? "?" }.prefix(5) ==
                ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"])

        // Leap years, and an explicit --due-day 31 with a first due date in February.
        let leap = try v.add(["--kind", "loan", "--name", "Leap", "--principal", "3000", "--rate", "6%", "--months", "3", "--first-due", "2028-01-31"])
        let leapDates = try #require(try v.show(leap, today: today)["schedule"] as? [[String: Any]]).map { $0["due_date"] as? String ?? "?" }
        #expect(leapDates == ["2028-01-31", "2028-02-29", "2028-03-31"])
        let inst = try v.add(["--kind", "installment", "--name", "Feb", "--principal", "3000", "--months", "3", "--fee", "0.5%/month",
                              "--first-due", "2027-02-28", "--due-day", "31"])
        let instDates = try #require(try v.show(inst, today: today)["schedule"] as? [[String: Any]]).map { $0["due_date"] as? String ?? "?" }
        #expect(instDates == ["2027-02-28", "2027-03-31", "2027-04-30"])
    }

    // MARK: - pay

    @Test func payRecordsAndSaysWhatItWasAppliedToAndWhatIsStillDue() throws {
        let v = try DebtTestVault()
        let loan = try v.add(["--kind", "loan", "--name", "Bank", "--principal", "100000", "--rate", "12%", "--months", "12", "--first-due", "2027-01-10"])

        let first = try v.ok(["pay", loan, "8884.88", "--date", "2027-01-10", "--note", "January"], today: "2027-01-10")
        #expect(first.stdout.contains("8,884.88"), "\(first)")
        #expect(first.stdout.contains("installment #1"), "says what the payment was applied to: \(first)")
        #expect(first.stdout.contains("still due: 8,884.88 on 2027-02-10"), "says what is still due: \(first)")

        let second = try v.ok(["pay", loan, "1000", "--json", "--date", "2027-02-01"], today: "2027-02-01").jsonObject()
        #expect(second["next_due_amount"] as? String == "7884.88", "\(second)")
        #expect(second["next_due_date"] as? String == "2027-02-10", "\(second)")
        let payment = try #require(second["payment"] as? [String: Any], "\(second)")
        #expect(payment["amount"] as? String == "1000.00" && payment["date"] as? String == "2027-02-01", "\(payment)")
        let applied = try #require(payment["applied_to"] as? [[String: Any]])
        #expect(applied.count == 1 && applied.first?["number"] as? Int == 2 && applied.first?["amount"] as? String == "1000.00", "\(applied)")

        // Malformed or non-positive amounts: 64, naming the field, nothing recorded.
        for bad in ["0", "-5", "12.34abc", "1,5", "1e3", "1.234", "", " 5", "0.00"] {
            let r = try v.run(["pay", loan, bad], today: "2027-02-01")
            #expect(r.status == 64, "pay \(bad.debugDescription) must be refused: \(r)")
            #expect(r.stderr.contains("amount"), "the error names the field: \(r)")
        }
        // Unknown id: 64 with a hint.
        let unknown = try v.run(["pay", "nosuch", "5"], today: "2027-02-01")
        #expect(unknown.status == 64 && unknown.stderr.contains("nosuch") && unknown.stderr.contains("hint:"), "\(unknown)")

        // More than owed: refused unless --allow-overpay.
        let owed = try v.run(["pay", loan, "200000"], today: "2027-02-01")
        #expect(owed.status == 64 && owed.stderr.contains("--allow-overpay"), "\(owed)")

        let shown = try v.show(loan, today: "2027-02-01")
        let payments = try #require(shown["payments"] as? [[String: Any]])
        #expect(payments.count == 2, "refused payments must not be recorded: \(payments)")
        #expect(payments.first?["note"] as? String == "January" && payments.first?["amount"] as? String == "8884.88", "\(payments)")
        #expect(shown["total_paid"] as? String == "9884.88", "\(shown)")
        // Within a line interest comes first: of the 1,000 toward month 2, 921.15 is interest, 78.85 principal.
        #expect(shown["balance"] as? String == "92036.27", "principal left: 100,000 - 7,884.88 - 78.85: \(shown)")
        let schedule = try #require(shown["schedule"] as? [[String: Any]])
        #expect(schedule[0]["settled_on"] as? String == "2027-01-10" && schedule[0]["unpaid"] as? String == "0.00", "\(schedule[0])")
        #expect(schedule[1]["paid"] as? String == "1000.00" && schedule[1]["unpaid"] as? String == "7884.88", "\(schedule[1])")

        // An informal debt: overpaying is refused, then allowed with --allow-overpay; paid off leaves the list.
        let small = try v.add(["--kind", "informal", "--name", "Shop", "--balance", "500"], today: "2027-02-01")
        let over = try v.run(["pay", small, "600"], today: "2027-02-01")
        #expect(over.status == 64, "\(over)")
        #expect(try v.listed(small, today: "2027-02-01")?["balance"] as? String == "500.00")
        try v.ok(["pay", small, "600", "--allow-overpay"], today: "2027-02-01")
        #expect(try v.listed(small, today: "2027-02-01") == nil, "a paid-off debt leaves 'vault list'")
        let paidOff = try #require(try v.listed(small, today: "2027-02-01", all: true))
        #expect(paidOff["status"] as? String == "paid_off" && paidOff["balance"] as? String == "0.00", "\(paidOff)")
    }

    @Test func statusesMoveWithTodayThroughDueSoonDueTodayGraceAndOverdue() throws {
        let v = try DebtTestVault()
        let loan = try v.add(["--kind", "loan", "--name", "Bank", "--principal", "100000", "--rate", "12%", "--months", "12",
                              "--first-due", "2027-03-10"], today: "2027-02-01")
        let expected: [(String, String, Int)] = [
            ("2027-03-06", "ok", 0),
            ("2027-03-07", "due_soon", 0),   // within the largest lead time (3 days)
            ("2027-03-09", "due_soon", 0),
            ("2027-03-10", "due_today", 0),
            ("2027-03-11", "in_grace", 0),   // up to 3 days after the due date still counts as on time
            ("2027-03-13", "in_grace", 0),
            ("2027-03-14", "overdue", 4),    // after grace: overdue, counted from the due date
            ("2027-03-20", "overdue", 10),
        ]
        for (today, status, days) in expected {
            let e = try #require(try v.listed(loan, today: today))
            #expect(e["status"] as? String == status, "on \(today): \(e)")
            #expect(e["days_overdue"] as? Int == days, "on \(today): \(e)")
        }
        let overdue = try #require(try v.listed(loan, today: "2027-03-14"))
        #expect(overdue["status_text"] as? String == "overdue 4 days", "\(overdue)")
        #expect(overdue["overdue_amount"] as? String == "8884.88", "\(overdue)")
        #expect((DebtAmount.cents(overdue["penalty_interest"]) ?? 0) > 0, "penalty interest accrues once overdue: \(overdue)")
        let grace = try v.ok(["list"], today: "2027-03-12").stdout
        #expect(grace.contains("in grace"), "\(grace)")
        let graceShow = try v.ok(["show", loan], today: "2027-03-12").stdout
        #expect(graceShow.contains("2027-03-13"), "show says when to pay by: \(graceShow)")
        #expect(try v.ok(["list"], today: "2027-03-20").stdout.contains("overdue 10 days"))

        // Paying the installment in grace makes it on time: the next one is then the one due.
        try v.ok(["pay", loan, "8884.88", "--date", "2027-03-12"], today: "2027-03-12")
        let after = try #require(try v.listed(loan, today: "2027-03-20"))
        #expect(after["status"] as? String == "ok" && after["next_due_date"] as? String == "2027-04-10", "\(after)")
        let line = try #require((try v.show(loan, today: "2027-03-20")["schedule"] as? [[String: Any]])?.first)
        #expect(line["settled_late"] as? Bool == false, "paid within grace is on time: \(line)")
    }

    @Test func toleranceCountsAnUnpaidRemainderOfTenOrLessAsPaid() throws {
        let v = try DebtTestVault()
        let args = ["--kind", "loan", "--principal", "100000", "--rate", "12%", "--months", "12", "--first-due", "2027-01-10"]
        let within = try v.add(args + ["--name", "Within"])
        let beyond = try v.add(args + ["--name", "Beyond"])
        try v.ok(["pay", within, "8874.88", "--date", "2027-01-10"], today: "2027-01-10")   // 10.00 short
        try v.ok(["pay", beyond, "8874.87", "--date", "2027-01-10"], today: "2027-01-10")  // 10.01 short

        let w = try #require(try v.listed(within, today: "2027-01-20"))
        #expect(w["status"] as? String != "overdue" && w["days_overdue"] as? Int == 0, "a 10.00 remainder counts as paid: \(w)")
        let wLine = try #require((try v.show(within, today: "2027-01-20")["schedule"] as? [[String: Any]])?.first)
        #expect(wLine["settled_on"] as? String == "2027-01-10", "\(wLine)")

        let b = try #require(try v.listed(beyond, today: "2027-01-20"))
        #expect(b["status"] as? String == "overdue" && b["days_overdue"] as? Int == 10, "a 10.01 remainder is overdue: \(b)")
        let bLine = try #require((try v.show(beyond, today: "2027-01-20")["schedule"] as? [[String: Any]])?.first)
        #expect(bLine["settled_on"] is NSNull, "\(bLine)")
    }

    // MARK: - edit, close, remove, undo, redo

    @Test func editCloseRemoveUndoAndRedo() throws {
        let v = try DebtTestVault()
        let today = "2027-02-01"
        let loan = try v.add(["--kind", "loan", "--name", "Bank", "--principal", "100000", "--rate", "12%", "--months", "12", "--first-due", "2027-01-10"], today: today)
        let friend = try v.add(["--kind", "informal", "--name", "Friend", "--balance", "500"], today: today)
        try v.ok(["pay", loan, "8884.88", "--date", "2027-01-10", "--note", "jan"], today: today)
        try v.ok(["pay", loan, "100", "--date", "2027-01-20"], today: today)

        // edit
        let edited = try v.ok(["edit", friend, "--balance", "700", "--name", "Old friend", "--json"], today: today).jsonObject()
        #expect(edited["balance"] as? String == "700.00" && edited["name"] as? String == "Old friend", "\(edited)")
        #expect(try v.listed(friend, today: today)?["balance"] as? String == "700.00")
        try v.ok(["edit", loan, "--rate", "6%"], today: today)
        let rerated = try #require(try v.show(loan, today: today)["schedule"] as? [[String: Any]])
        #expect(rerated.first?["interest"] as? String == "500.00", "the schedule follows the edited rate: \(rerated.first ?? [:])")
        let notApplicable = try v.run(["edit", loan, "--balance", "5"], today: today)
        #expect(notApplicable.status == 64 && notApplicable.stderr.contains("--balance"), "\(notApplicable)")

        // close: leaves the list, appears with --all; undo reopens it.
        try v.ok(["close", friend], today: today)
        #expect(try v.listed(friend, today: today) == nil)
        let closed = try #require(try v.listed(friend, today: today, all: true))
        #expect(closed["status"] as? String == "closed" && closed["closed"] as? String == today, "\(closed)")
        try v.ok(["undo"])
        #expect(try v.listed(friend, today: today)?["status"] as? String == "ok")

        // remove without --yes and without a terminal: refused, nothing removed.
        let refused = try v.run(["remove", loan])
        #expect(refused.status == 64 && refused.stderr.contains("--yes"), "\(refused)")
        #expect(try v.listed(loan, today: today) != nil)
        // with --yes: removed; show then fails with 64.
        try v.ok(["remove", loan, "--yes"])
        #expect(try v.listed(loan, today: today, all: true) == nil)
        #expect(try v.run(["show", loan], today: today).status == 64)
        // undo brings it back with its payments.
        try v.ok(["undo"])
        let restored = try v.show(loan, today: today)
        let payments = try #require(restored["payments"] as? [[String: Any]])
        #expect(payments.map { $0["amount"] as? String ?? "?" } == ["8884.88", "100.00"], "\(payments)")
        #expect(payments.first?["note"] as? String == "jan")
        #expect(restored["total_paid"] as? String == "8984.88")
        // redo removes it again (the undo was itself undoable); undo restores it once more.
        try v.ok(["redo"])
        #expect(try v.listed(loan, today: today, all: true) == nil)
        try v.ok(["undo"])
        #expect(try v.listed(loan, today: today)?["total_paid"] as? String == "8984.88")
        // A new change after an undo drops what could be redone.
        try v.ok(["edit", friend, "--balance", "800"], today: today)
        let nothing = try v.run(["redo"])
        #expect(nothing.status == 1 && nothing.stderr.contains("redo"), "nothing to redo: \(nothing)")
    }

    @Test func twentyOneChangesUndoOneByOne() throws {
        let v = try DebtTestVault()
        let today = "2027-02-01"
        let id = try v.add(["--kind", "informal", "--name", "Friend", "--balance", "1000"], today: today)
        for k in 1...21 { try v.ok(["edit", id, "--balance", String(1000 + k)], today: today) }
        #expect(try v.undoableCount() >= 21)
        for k in stride(from: 20, through: 0, by: -1) {
            try v.ok(["undo"])
            #expect(try v.listed(id, today: today)?["balance"] as? String == "\(1000 + k).00", "after undoing edit \(k + 1)")
        }
        // One more undo takes back the add itself.
        try v.ok(["undo"])
        #expect(try v.list(today: today, all: true).isEmpty)
        try v.ok(["redo"])
        #expect(try v.listed(id, today: today)?["balance"] as? String == "1000.00")
    }

    // MARK: - --from-json

    @Test func addFromJSONOnStandardInput() throws {
        let v = try DebtTestVault()
        let today = "2026-12-01"
        let one = #"{"kind": "loan", "name": "JSON Bank", "principal": "100000", "rate": "12%", "months": 12, "first_due": "2027-01-10"}"#
        let r1 = try v.ok(["add", "--from-json", "-", "--json"], today: today, stdin: Array(one.utf8))
        let created = try r1.jsonArray()
        #expect(created.count == 1 && created.first?["name"] as? String == "JSON Bank", "\(r1)")
        #expect(created.first?["next_due_amount"] as? String == "8884.88", "\(r1)")

        let many = """
        [{"kind": "card", "name": "JSON Card", "balance": "5200", "statement-day": "1", "due-day": "20", "min-payment": "10%"},
         {"kind": "informal", "name": "JSON Uncle", "balance": "3000", "due": "2027-06-30", "note": "from json"}]
        """
        let r2 = try v.ok(["add", "--from-json", "-"], today: today, stdin: Array(many.utf8))
        let printed = r2.stdout.split(separator: "\n").map(String.init)
        #expect(printed.count == 2, "one id per line: \(r2)")
        let list = try v.list(today: today)
        #expect(Set(list.compactMap { $0["name"] as? String }) == ["JSON Bank", "JSON Card", "JSON Uncle"])
        let card = try #require(list.first { $0["name"] as? String == "JSON Card" })
        #expect(card["next_due_amount"] as? String == "520.00" && card["kind"] as? String == "card", "\(card)")
        #expect(Set(printed).isSubset(of: Set(list.compactMap { $0["id"] as? String })))

        // Errors: not JSON, no kind, a bad field (the good debt before it is not added either),
        // combined with field flags; nothing is added.
        let cases: [(String, [String], String)] = [
            ("not json", [], "JSON"),
            (#"{"name": "No kind", "balance": "5"}"#, [], "kind"),
            (#"[{"kind": "informal", "name": "Good", "balance": "1"}, {"kind": "informal", "name": "Bad", "balance": "12.34abc"}]"#, [], "balance"),
            (#"{"kind": "informal", "name": "X", "balance": "5"}"#, ["--name", "Y"], "--from-json"),
        ]
        for (input, extra, mention) in cases {
            let r = try v.run(["add", "--from-json", "-"] + extra, today: today, stdin: Array(input.utf8))
            #expect(r.status == 64 && r.stderr.contains(mention), "input \(input): \(r)")
        }
        #expect(try v.list(today: today).count == 3)
    }

    // MARK: - nothing sensitive on disk

    @Test func sensitiveStringsNeverReachTheDiskUnencrypted() throws {
        let v = try DebtTestVault()
        let today = "2027-01-05"
        func marker(_ what: String) -> String { "MARKER-\(what)-\(UUID().uuidString)" }
        let markers = (0..<11).map { marker(String($0)) }
        let loan = try v.add(["--kind", "loan", "--name", markers[0], "--note", markers[1], "--account", markers[2], "--principal", "5000",
                              "--rate", "10%", "--months", "6", "--first-due", "2027-02-01"], today: today)
        try v.add(["--kind", "card", "--name", markers[3], "--note", markers[4], "--account", markers[5], "--balance", "1200",
                   "--statement-day", "1", "--due-day", "20"], today: today)
        let informal = try v.add(["--kind", "informal", "--name", markers[6], "--note", markers[7], "--balance", "300"], today: today)
        let json = #"{"kind": "informal", "name": "\#(markers[8])", "balance": "10"}"#
        try v.ok(["add", "--from-json", "-"], today: today, stdin: Array(json.utf8))
        try v.ok(["pay", loan, "100", "--note", markers[9]], today: today)
        try v.ok(["edit", informal, "--note", markers[10]], today: today)
        // Every marker was stored (and can be read back through the passphrase).
        var stored = ""
        for item in try v.list(today: today) { stored += try v.ok(["show", item["id"] as! String, "--json"], today: today).stdout }
        let undoList = try v.ok(["undo", "--list"]).stdout
        for (i, m) in markers.enumerated() where i != 7 {  // markers[7] was replaced by markers[10]
            #expect(stored.contains(m), "marker \(i) was not stored")
        }
        // Nothing readable on disk: not in any file's bytes, not in any file name, under the vault's
        // directory, HOME or TMPDIR of the child processes.
        for dir in [v.vaultDir, v.home, v.tmp] {
            for name in DebtCLI.entriesUnder(dir) {
                #expect(!name.contains("MARKER"), "a file name reveals a marker: \(dir)/\(name)")
            }
            for file in DebtCLI.filesUnder(dir) {
                let bytes = try #require(FileManager.default.contents(atPath: file), "cannot read \(file)")
                for m in markers {
                    #expect(bytes.range(of: Data(m.utf8)) == nil, "\(m) found in \(file)")
                    #expect(bytes.range(of: Data(m.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] })) == nil, "\(m) (UTF-16) found in \(file)")
                }
                #expect(bytes.range(of: Data("MARKER-".utf8)) == nil, "a marker prefix found in \(file)")
            }
        }
        #expect(DebtCLI.filesUnder(v.vaultDir).count >= 1, "the vault file itself exists")
        #expect(DebtCLI.entriesUnder(v.home).isEmpty, "nothing written under HOME: \(DebtCLI.entriesUnder(v.home))")
        #expect(DebtCLI.entriesUnder(v.tmp).isEmpty, "nothing written under TMPDIR: \(DebtCLI.entriesUnder(v.tmp))")
        _ = undoList
    }

    @Test func demoLeavesItsTemporaryDirectoryEmpty() throws {
        let root = try DebtCLI.makeDirectory("debt-demo-test")
        defer { DebtCLI.deleteTree(root) }
        let tmp = root + "/tmp", home = root + "/home"
        mkdir(tmp, 0o700)
        mkdir(home, 0o700)
        let r = try DebtCLI.spawn(try DebtCLI.binary(), ["demo"], environment: DebtCLI.environment(home: home, tmp: tmp))
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("$ vault list") && r.stdout.contains("$ vault show"), "the demo shows list and show: \(r.stdout)")
        #expect(r.stdout.contains("in grace"), "one card of the demo is in grace: \(r.stdout)")
        for kind in ["loan", "card", "installment", "informal"] { #expect(r.stdout.contains(kind), "the demo has a \(kind)") }
        #expect(r.stdout.contains(tmp), "the demo works under TMPDIR: \(r.stdout)")
        #expect(DebtCLI.entriesUnder(tmp).isEmpty, "demo left files in TMPDIR: \(DebtCLI.entriesUnder(tmp))")
        #expect(DebtCLI.entriesUnder(home).isEmpty, "demo wrote under HOME: \(DebtCLI.entriesUnder(home))")
        let bad = try DebtCLI.spawn(try DebtCLI.binary(), ["demo", "--bogus"], environment: DebtCLI.environment(home: home, tmp: tmp))
        #expect(bad.status == 64 && bad.stderr.contains("--bogus"), "\(bad)")
    }

    // MARK: - every command's errors

    @Test func everyCommandsUsageErrorsExit64AndNameTheProblem() throws {
        let v = try DebtTestVault()
        let today = "2027-01-05"
        try v.add(["--kind", "loan", "--id", "loan1", "--name", "Bank", "--principal", "1000", "--rate", "5%", "--months", "3",
                   "--first-due", "2027-02-01"], today: today)
        try v.add(["--kind", "informal", "--id", "inf1", "--name", "Friend", "--balance", "100"], today: today)
        let before = try v.undoableCount()
        let loanArgs = ["add", "--kind", "loan", "--name", "X", "--principal", "1000", "--rate", "5%", "--months", "3", "--first-due", "2027-02-01"]
        let informalArgs = ["add", "--kind", "informal", "--name", "X", "--balance", "5"]
        let cardArgs = ["add", "--kind", "card", "--name", "X", "--balance", "100", "--statement-day", "1", "--due-day", "20"]
        let installmentArgs = ["add", "--kind", "installment", "--name", "X", "--principal", "600", "--months", "3", "--fee", "0.5%/month",
                               "--first-due", "2027-02-01"]
        // (arguments, whether to pass --today, text stderr must contain)
        let cases: [([String], Bool, String)] = [
            // unknown flags
            (["add", "--bogus", "1"], true, "--bogus"),
            (["list", "--bogus"], true, "--bogus"),
            (["show", "loan1", "--bogus"], true, "--bogus"),
            (["pay", "loan1", "5", "--bogus"], true, "--bogus"),
            (["edit", "loan1", "--bogus", "1"], true, "--bogus"),
            (["close", "loan1", "--bogus"], true, "--bogus"),
            (["remove", "loan1", "--bogus"], false, "--bogus"),
            (["undo", "--bogus"], false, "--bogus"),
            (["redo", "--bogus"], false, "--bogus"),
            (["init", "--bogus"], false, "--bogus"),
            (["frobnicate"], false, "frobnicate"),
            // missing arguments and values
            (["show"], true, "<id>"),
            (["pay"], true, "<id>"),
            (["pay", "loan1"], true, "<amount>"),
            (["edit"], true, "<id>"),
            (["close"], true, "<id>"),
            (["remove"], false, "<id>"),
            (["show", "loan1", "extra"], true, "extra"),
            (["add", "--kind", "loan", "--name"], true, "--name"),
            (["add", "--name", "X", "--balance", "5"], true, "--kind"),
            (["add", "--kind", "loan", "--name", "X"], true, "--principal"),
            (["add", "--kind", "card", "--name", "X", "--balance", "100", "--statement-day", "1"], true, "--due-day"),
            (["add", "--kind", "installment", "--name", "X", "--principal", "600", "--months", "3", "--first-due", "2027-02-01"], true, "--fee"),
            (["edit", "loan1"], true, "--FIELD"),
            // bad dates
            (Array(loanArgs.dropLast(2)) + ["--first-due", "2027-02-30"], true, "first-due"),
            (Array(loanArgs.dropLast(2)) + ["--first-due", "2027/02/01"], true, "first-due"),
            (informalArgs + ["--due", "2027-02-29"], true, "due"),
            (["pay", "loan1", "5", "--date", "2027-13-01"], true, "date"),
            (["list", "--today", "2027-1-5"], false, "today"),
            (["show", "loan1", "--today", "tomorrow"], false, "today"),
            (["close", "loan1", "--date", "2027-02-29"], true, "date"),
            (["edit", "loan1", "--first-due", "20270201"], true, "first-due"),
            (cardArgs + ["--statement-date", "2027-00-01"], true, "statement-date"),
            // fields that do not apply to the kind
            (loanArgs + ["--fee", "0.6%/month"], true, "--fee"),
            (loanArgs + ["--balance", "5"], true, "--balance"),
            (cardArgs + ["--principal", "100"], true, "--principal"),
            (cardArgs + ["--months", "3"], true, "--months"),
            (informalArgs + ["--months", "3"], true, "--months"),
            (informalArgs + ["--min-payment", "10%"], true, "--min-payment"),
            (installmentArgs + ["--method", "bullet"], true, "--method"),
            (installmentArgs + ["--rate", "5%"], true, "--rate"),
            (["edit", "loan1", "--balance", "5"], true, "--balance"),
            (["edit", "inf1", "--fee", "1%/month"], true, "--fee"),
            // bad values
            (["add", "--kind", "boat", "--name", "X"], true, "kind"),
            (loanArgs + ["--method", "balloon"], true, "method"),
            (["add", "--kind", "loan", "--name", "X", "--principal", "1000", "--rate", "5", "--months", "3", "--first-due", "2027-02-01"], true, "rate"),
            (["add", "--kind", "loan", "--name", "X", "--principal", "1,000", "--rate", "5%", "--months", "3", "--first-due", "2027-02-01"], true, "principal"),
            (["add", "--kind", "loan", "--name", "X", "--principal", "1000", "--rate", "5%", "--months", "0", "--first-due", "2027-02-01"], true, "months"),
            (["add", "--kind", "loan", "--name", "X", "--principal", "0", "--rate", "5%", "--months", "3", "--first-due", "2027-02-01"], true, "principal"),
            (loanArgs + ["--currency", "RMB"], true, "currency"),
            (loanArgs + ["--lead-days", "3,x"], true, "lead-days"),
            (loanArgs + ["--id", "loan1"], true, "loan1"),
            (Array(installmentArgs.dropLast(4)) + ["--fee", "12%/year", "--first-due", "2027-02-01"], true, "fee"),
            (["add", "--kind", "card", "--name", "X", "--balance", "100", "--statement-day", "32", "--due-day", "20"], true, "statement-day"),
            (cardArgs + ["--min-payment", "ten"], true, "min-payment"),
            (["add", "--kind", "informal", "--name", "X", "--balance", "5", "--currency", "JPY", "--tolerance", "1.5"], true, "tolerance"),
            (["pay", "loan1", "1.234"], true, "amount"),
            // unknown ids
            (["show", "nosuch"], true, "nosuch"),
            (["edit", "nosuch", "--name", "Y"], true, "nosuch"),
            (["close", "nosuch"], true, "nosuch"),
            (["remove", "nosuch", "--yes"], false, "nosuch"),
        ]
        for (args, withToday, mention) in cases {
            let r = try v.run(args, today: withToday ? today : nil)
            #expect(r.status == 64, "vault \(args.joined(separator: " ")) must exit 64: \(r)")
            #expect(r.stderr.contains(mention), "vault \(args.joined(separator: " ")) must mention \(mention): \(r)")
            #expect(r.stdout.isEmpty, "errors go to standard error: \(r)")
        }
        #expect(try v.undoableCount() == before, "no failed command may change the vault")
        #expect(try v.list(today: today).count == 2)
    }
}
