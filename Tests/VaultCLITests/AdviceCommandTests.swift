#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import VaultCLI

/// `vault advice` through the real binary and a real encrypted vault.
@Suite struct AdviceCommandTests {
    static let today = "2026-06-15"

    /// An overdue card (due 2026-05-20), a card in grace (due 2026-06-13) and a stored budget.
    func vault() throws -> DebtTestVault {
        let v = try DebtTestVault()
        try v.add(["--kind", "card", "--id", "late", "--name", "Canary Bank 金丝雀", "--balance", "5000", "--statement-day", "1",
                   "--due-day", "20", "--statement-date", "2026-05-01"], today: "2026-05-01")
        try v.add(["--kind", "card", "--id", "grace", "--name", "Travel card", "--balance", "2000", "--statement-day", "25",
                   "--due-day", "13", "--statement-date", "2026-05-25"], today: "2026-05-25")
        try v.ok(["budget", "--income", "15000", "--expenses", "9000", "--payday", "10"])
        return v
    }

    @Test func jsonListsRankedItemsWithTheDocumentedFields() throws {
        let v = try vault()
        let obj = try v.ok(["advice", "--json"], today: Self.today).jsonObject()
        #expect(obj["today"] as? String == Self.today)
        #expect(obj["message"] is NSNull)
        let items = try #require(obj["advice"] as? [[String: Any]])
        #expect(items.map { $0["rank"] as? Int } == Array(1...items.count).map { Optional($0) })
        for item in items {
            #expect(Set(item.keys) == ["rank", "code", "severity", "title", "explanation", "action", "debt_ids"], "\(item.keys)")
        }
        let severities = items.compactMap { $0["severity"] as? String }
        let order = ["urgent": 0, "important": 1, "tip": 2]
        #expect(severities.map { order[$0]! } == severities.map { order[$0]! }.sorted())
        let first = items[0]
        #expect(first["code"] as? String == "overdue-pay-first")
        #expect(first["severity"] as? String == "urgent")
        #expect(first["debt_ids"] as? [String] == ["late"])
        #expect((first["explanation"] as? String)?.contains("26 days overdue: 500.00 CNY unpaid since 2026-05-20") == true, "\(first)")
        #expect(first["action"] as? String == "vault pay late 500.00")
        #expect(items[1]["code"] as? String == "in-grace-pay-by")
        #expect(items.last?["code"] as? String == "tip-of-the-day")
        let counts = try #require(obj["counts"] as? [String: Int])
        #expect(counts["urgent"] == severities.filter { $0 == "urgent" }.count)
        // Titles never carry the lender's name.
        #expect(!items.contains { ($0["title"] as? String)?.contains("Canary") == true })
    }

    @Test func textGroupsBySeverityWithWhyAndDo() throws {
        let v = try vault()
        let out = try v.ok(["advice"], today: Self.today).stdout
        #expect(out.hasPrefix("advice for 2026-06-15 ("), "\(out)")
        let urgent = try #require(out.range(of: "\nURGENT\n"), "\(out)")
        let tip = try #require(out.range(of: "\nTIP\n"), "\(out)")
        #expect(urgent.lowerBound < tip.lowerBound)
        #expect(out.contains("1. An overdue debt is costing you every day  [overdue-pay-first]"), "\(out)")
        #expect(out.contains("   why: late (Canary Bank 金丝雀) is 26 days overdue"), "\(out)")
        #expect(out.contains("   do:  vault pay late 500.00"), "\(out)")
        #expect(out.contains("[tip-of-the-day]"))
        // Same day, same advice; nothing is written: the vault file is unchanged.
        let before = try Data(contentsOf: URL(fileURLWithPath: v.path))
        let entries = DebtCLI.entriesUnder(v.vaultDir).sorted()
        let tmpEntries = DebtCLI.entriesUnder(v.tmp).sorted()
        #expect(try v.ok(["advice"], today: Self.today).stdout == out)
        #expect(try Data(contentsOf: URL(fileURLWithPath: v.path)) == before)
        #expect(DebtCLI.entriesUnder(v.vaultDir).sorted() == entries)
        #expect(DebtCLI.entriesUnder(v.tmp).sorted() == tmpEntries)
    }

    @Test func emptyAndQuietVaultsGetAFriendlyMessage() throws {
        let v = try DebtTestVault()
        let empty = try v.ok(["advice"], today: Self.today)
        #expect(empty.stdout == "No open debts — nothing to advise. Add one with 'vault add', or see 'vault demo'.\n", "\(empty)")
        let emptyJSON = try v.ok(["advice", "--json"], today: Self.today).jsonObject()
        #expect((emptyJSON["advice"] as? [Any])?.isEmpty == true)
        #expect((emptyJSON["message"] as? String)?.hasPrefix("No open debts") == true)

        try v.add(["--kind", "loan", "--id", "car", "--name", "Car loan", "--principal", "10000", "--rate", "5%", "--months", "12",
                   "--first-due", "2026-08-10"], today: "2026-06-01")
        let quiet = try v.ok(["advice"], today: Self.today).stdout
        #expect(quiet.contains("Nothing needs your attention"), "\(quiet)")
        #expect(quiet.contains("[tip-of-the-day]"), "\(quiet)")
        #expect(!quiet.contains("URGENT") && !quiet.contains("IMPORTANT"))
    }

    /// Issue 6: on the demo vault, advice shows at least one urgent, one important and one tip item,
    /// each with its numbers. In-process with the demo's own dates relative to several days.
    @Test(arguments: [(2026, 12, 3), (2027, 2, 28), (2028, 2, 29)])
    func demoShowsUrgentImportantAndTipWithNumbers(_ day: (Int, Int, Int)) throws {
        let context = CLIContext.testing(today: day)
        let status = VaultCLI.main(arguments: ["demo"], context: context)
        let out = context.stdout.captured
        try #require(status == 0, "\(day): \(out)")
        let start = try #require(out.range(of: "$ vault advice\n"), "the demo runs vault advice")
        let screen = String(out[start.upperBound...].prefix { $0 != "$" })
        for group in ["URGENT\n", "IMPORTANT\n", "TIP\n"] {
            let found = try #require(screen.range(of: group), "\(day): no \(group) in\n\(screen)")
            // The first item of the group explains itself with a figure (an amount, a date or a count).
            let item = screen[found.upperBound...].prefix(600)
            #expect(item.contains("why:") && item.contains { $0.isNumber }, "\(day): \(group) item has no numbers:\n\(item)")
        }
    }

    @Test func usageErrorsAndHelp() throws {
        let v = try DebtTestVault()
        #expect(try v.run(["advice", "--today", "2026-13-01"]).status == 64)
        #expect(try v.run(["advice", "--budget", "100"]).status == 64)
        let help = try DebtCLI.spawn(try DebtCLI.binary(), ["help", "advice"], environment: v.environment).stdout
        #expect(help.contains("docs/advice.md"), "\(help)")
    }
}
