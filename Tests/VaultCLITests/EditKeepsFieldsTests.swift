import Foundation
import Testing

/// `vault edit` rebuilds a debt from its fields: values the command line cannot set (a percentage late
/// penalty's floor and cap, from an import) must survive an unrelated edit, and any value the model
/// accepts (grace days up to 365, no lead days, an overdue cap of 0) must not make the debt uneditable.
@Suite struct EditKeepsFieldsTests {
    @Test func anUnrelatedEditKeepsEveryImportedField() throws {
        let source = try DebtTestVault()
        let id = try source.add(["--kind", "card", "--name", "Card", "--balance", "5200", "--statement-day", "1", "--due-day", "20",
                                 "--late-penalty", "5%"])
        let exported = source.root + "/full.json"
        try source.ok(["export", "--full", "--format", "json", "--out", exported])
        var top = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: exported))) as? [String: Any])
        var debts = try #require(top["debts"] as? [[String: Any]])
        debts[0]["late_penalty_floor"] = "10.00"
        debts[0]["late_penalty_cap"] = "100.00"
        debts[0]["grace_days"] = "90"
        debts[0]["lead_days"] = "none"
        debts[0]["overdue_cap"] = "0"
        top["debts"] = debts
        let edited = source.root + "/edited.json"
        try JSONSerialization.data(withJSONObject: top).write(to: URL(fileURLWithPath: edited))

        let v = try DebtTestVault()
        try v.ok(["import", "--from-json", edited])
        let renamed = try v.run(["edit", id, "--name", "Renamed card"])
        #expect(renamed.status == 0, "\(renamed)")
        let again = v.root + "/again.json"
        try v.ok(["export", "--full", "--format", "json", "--out", again])
        let after = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: again))) as? [String: Any])
        let debt = try #require((after["debts"] as? [[String: Any]])?.first)
        #expect(debt["name"] as? String == "Renamed card")
        #expect(debt["late_penalty"] as? String == "5%")
        #expect(debt["late_penalty_floor"] as? String == "10.00", "the floor was dropped: \(debt)")
        #expect(debt["late_penalty_cap"] as? String == "100.00", "the cap was dropped: \(debt)")
        #expect(debt["grace_days"] as? String == "90")
        #expect(debt["lead_days"] as? String == "none")
        #expect(debt["overdue_cap"] as? String == "0")
        // Changing the percentage is a new rule: floor and cap go with the old one.
        try v.ok(["edit", id, "--late-penalty", "3%"])
        let third = v.root + "/third.json"
        try v.ok(["export", "--full", "--format", "json", "--out", third])
        let changed = try #require(((try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: third))) as? [String: Any])?["debts"] as? [[String: Any]])?.first)
        #expect(changed["late_penalty"] as? String == "3%")
        #expect(changed["late_penalty_floor"] == nil || changed["late_penalty_floor"] is NSNull)
    }
}
