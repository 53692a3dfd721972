#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// `vault add` with no flags, and `vault remove` without --yes, on a real pseudo-terminal
/// (``TerminalDriver``): it waits for each prompt and types the answer.
@Suite struct InteractiveAddTests {
    /// Runs `vault ARGS` (after the vault's own arguments) on a pty, typing each answer of `steps` and Enter.
    static func onTerminal(_ v: DebtTestVault, _ args: [String], steps: [(String, String)]) throws -> TerminalOutcome {
        try TerminalDriver.run([try DebtCLI.binary()] + v.vaultArguments + args,
                               environment: v.environment.merging(["TERM": "dumb"]) { a, _ in a },
                               steps: steps.map { ($0.0, $0.1 + "\n") }, in: v.root)
    }

    @Test func addAsksForEachFieldOfALoanOnATerminal() throws {
        let v = try DebtTestVault()
        let name = "Typed Bank \(UUID().uuidString.prefix(8))"
        // The order of Interview.ask: kind, then the fields of DebtFields.all that are required for the kind
        // or listed in Interview.asked, in that table's order; optional ones can be skipped with Enter.
        let steps: [(String, String)] = [
            ("kind (loan, installment, card, informal) [loan]: ", "boat"),   // not a kind: asked again
            ("kind (loan, installment, card, informal) [loan]: ", "loan"),
            ("name — ", name),
            ("currency — ", ""),                       // default: the vault's currency (CNY)
            ("principal — ", "100000"),
            ("rate — ", "12%"),
            ("months — ", "12"),
            ("method — ", ""),                         // default shown in brackets: equal-installment
            ("first-due — ", "2027-01-10"),
            ("due-day — ", ""),                        // optional: defaults to the first due date's day
            ("account — ", ""),
            ("note — ", "typed on a terminal"),
        ]
        let out = try Self.onTerminal(v, ["add", "--today", "2026-12-01"], steps: steps)
        #expect(out.missing == nil, "\(out)")
        #expect(out.exit == 0, "\(out)")
        #expect(out.transcript.contains("[equal-installment]"), "the method's default is shown: \(out)")
        #expect(out.transcript.contains("loan1"), "the new id is printed: \(out)")

        let list = try v.list(today: "2026-12-01")
        try #require(list.count == 1, "\(list)")
        let debt = list[0]
        #expect(debt["name"] as? String == name)
        #expect(debt["kind"] as? String == "loan")
        #expect(debt["currency"] as? String == "CNY")
        #expect(debt["balance"] as? String == "100000.00")
        #expect(debt["next_due_date"] as? String == "2027-01-10")
        #expect(debt["next_due_amount"] as? String == "8884.88")
        let terms = try #require(try v.show(debt["id"] as! String, today: "2026-12-01")["terms"] as? [String: Any])
        #expect(terms["method"] as? String == "equal-installment", "\(terms)")
        #expect(terms["months"] as? String == "12" && terms["rate"] as? String == "12%/year", "\(terms)")
        #expect(terms["note"] as? String == "typed on a terminal", "\(terms)")
    }

    @Test func addAsksForACardWithTheMinimumPaymentDefault() throws {
        let v = try DebtTestVault()
        let steps: [(String, String)] = [
            ("kind (loan, installment, card, informal) [loan]: ", "card"),
            ("name — ", "Typed Card"),
            ("currency — ", "USD"),
            ("balance — ", "1234.50"),
            ("statement-day — ", "1"),
            ("due-day — ", "20"),
            ("credit-limit — ", ""),
            ("min-payment — ", ""),                    // default 10%
            ("min-payment-floor — ", ""),
            ("account — ", ""),
            ("note — ", ""),
        ]
        let out = try Self.onTerminal(v, ["add", "--today", "2026-12-05"], steps: steps)
        #expect(out.missing == nil && out.exit == 0, "\(out)")
        #expect(out.transcript.contains("[10%]"), "\(out)")
        let debt = try #require(try v.list(today: "2026-12-05").first)
        #expect(debt["kind"] as? String == "card" && debt["currency"] as? String == "USD", "\(debt)")
        #expect(debt["balance"] as? String == "1234.50", "\(debt)")
        #expect(debt["next_due_date"] as? String == "2026-12-20" && debt["next_due_amount"] as? String == "123.45", "\(debt)")
    }

    @Test func aMistypedAmountOnTheTerminalIsAskedAgainKeepingTheOtherAnswers() throws {
        let v = try DebtTestVault()
        let steps: [(String, String)] = [
            ("kind (loan, installment, card, informal) [loan]: ", "informal"),
            ("name — ", "Typo"),
            ("currency — ", ""),
            ("rate — ", ""),
            ("balance — ", "12.34abc"),
            ("due — ", ""),
            ("account — ", ""),
            ("note — ", "kept"),
            ("please try again", ""),                  // the error names the field, then asks for it again
            ("balance — ", "12.34"),
        ]
        let out = try Self.onTerminal(v, ["add", "--today", "2026-12-05"], steps: steps)
        #expect(out.missing == nil, "\(out)")
        #expect(out.exit == 0 && out.transcript.contains("balance: '12.34abc'"), "\(out)")
        let debt = try #require(try v.list(today: "2026-12-05").first)
        #expect(debt["balance"] as? String == "12.34" && debt["name"] as? String == "Typo", "\(debt)")
        let terms = try #require(try v.show(debt["id"] as! String, today: "2026-12-05")["terms"] as? [String: Any])
        #expect(terms["note"] as? String == "kept", "\(terms)")
    }

    @Test func removeAsksForConfirmationOnATerminal() throws {
        let v = try DebtTestVault()
        let id = try v.add(["--kind", "informal", "--name", "Friend", "--balance", "50"])
        let prompt = "remove debt \(id)"
        let no = try Self.onTerminal(v, ["remove", id], steps: [(prompt, "n")])
        #expect(no.missing == nil && no.exit == 1 && no.transcript.contains("nothing removed"), "\(no)")
        #expect(try v.listed(id, today: "2026-12-05") != nil, "answering no keeps the debt")
        let yes = try Self.onTerminal(v, ["remove", id], steps: [(prompt, "y")])
        #expect(yes.missing == nil && yes.exit == 0, "\(yes)")
        #expect(try v.listed(id, today: "2026-12-05", all: true) == nil, "answering yes removes it")
        try v.ok(["undo"])
        #expect(try v.listed(id, today: "2026-12-05") != nil, "undo brings it back")
    }
}
