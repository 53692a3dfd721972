#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// `vault export` and `vault import` through the real binary and a real encrypted vault.
@Suite struct ExportCommandTests {
    static let today = "2026-12-05"

    /// Canary strings in every free-text field (names, account references, notes, payment notes), in
    /// ASCII and Chinese.
    static let canaries = ["CANARY-LENDER-Quokka", "CANARY-ACCT-7731", "CANARY-NOTE-Wombat", "金丝雀银行", "备注金丝雀", "账号金丝雀九九",
                           "CANARY-LENDER-Axolotl", "CANARY-PAYNOTE-Numbat", "付款备注金丝雀", "CANARY-INFORMAL-Pangolin", "CANARY-NOTE-Okapi"]
    /// Distinctive amounts (as typed) that must never appear in a redacted export.
    static let amounts = ["123456.78", "8765.43", "45678.91", "7319.46", "4321.09", "2468.13", "3791.23", "1357.91", "23456.78", "9876.54"]
    /// Distinctive day-level dates.
    static let dates = ["2026-03-17", "2026-11-07", "2026-06-19", "2027-04-29", "2026-11-23", "2026-11-03"]

    /// Six debts, one of each kind at least, with canaries and distinctive figures; two payments.
    static func canaryVault() throws -> DebtTestVault {
        let v = try DebtTestVault()
        try v.ok(["add", "--kind", "loan", "--id", "loanq", "--name", "CANARY-LENDER-Quokka", "--principal", "123456.78", "--rate", "6.37%",
                  "--months", "36", "--first-due", "2026-03-17", "--account", "CANARY-ACCT-7731", "--note", "CANARY-NOTE-Wombat"], today: "2026-02-03")
        try v.ok(["add", "--kind", "card", "--id", "cardz", "--name", "金丝雀银行", "--balance", "8765.43", "--statement-day", "7",
                  "--due-day", "26", "--statement-date", "2026-11-07", "--credit-limit", "45678.91", "--account", "账号金丝雀九九",
                  "--note", "备注金丝雀"], today: "2026-02-03")
        try v.ok(["add", "--kind", "installment", "--id", "instk", "--name", "CANARY-LENDER-Axolotl", "--principal", "7319.46", "--months", "12",
                  "--fee", "0.6%/month", "--first-due", "2026-06-19"], today: "2026-05-21")
        try v.ok(["add", "--kind", "informal", "--id", "infx", "--name", "CANARY-INFORMAL-Pangolin", "--balance", "4321.09", "--due", "2027-04-29",
                  "--note", "CANARY-NOTE-Okapi"], today: "2026-02-03")
        try v.ok(["add", "--kind", "card", "--id", "card2x", "--name", "Second card", "--balance", "2468.13", "--statement-day", "3",
                  "--due-day", "22", "--statement-date", "2026-11-03"], today: "2026-02-03")
        try v.ok(["add", "--kind", "informal", "--id", "infy", "--name", "Friend", "--balance", "987.65"], today: "2026-02-03")
        try v.ok(["pay", "loanq", "3791.23", "--date", "2026-03-17", "--note", "CANARY-PAYNOTE-Numbat"], today: today)
        try v.ok(["pay", "infx", "1357.91", "--date", "2026-11-23", "--note", "付款备注金丝雀"], today: today)
        // A payment id gap and a closed debt, so that the round trip has something to get wrong.
        try v.ok(["pay", "card2x", "10.01"], today: today)
        try v.ok(["undo"])
        try v.ok(["budget", "--income", "23456.78", "--expenses", "9876.54", "--payday", "10"])
        return v
    }

    static func redacted(_ v: DebtTestVault, _ extra: [String]) throws -> String {
        try v.ok(["export", "--redacted"] + extra, today: today).stdout
    }

    static func dayLevelDate(_ text: String) -> String? {
        guard let r = text.range(of: #"[0-9]{4}-[0-9]{2}-[0-9]{2}"#, options: .regularExpression) else { return nil }
        return String(text[r])
    }

    @Test func redactedExportsHoldNoCanaryAndFullExportsRoundTrip() throws {
        let v = try Self.canaryVault()
        var outputs = 0
        for format in ["markdown", "json", "csv"] {
            for precision in ["2sf", "1sf", "100", "1000", "10000", "100000"] {
                let text = try Self.redacted(v, ["--format", format, "--precision", precision])
                outputs += 1
                #expect(!text.isEmpty)
                for c in Self.canaries { #expect(!text.contains(c), "\(format) \(precision) leaks \(c)") }
                for a in Self.amounts {
                    let whole = String(a.split(separator: ".")[0])
                    #expect(!text.contains(a) && !text.contains(whole), "\(format) \(precision) leaks \(a)")
                }
                for id in ["loanq", "cardz", "instk", "infx", "card2x", "infy"] { #expect(!text.contains(id), "\(format) \(precision) leaks \(id)") }
                #expect(Self.dayLevelDate(text) == nil, "\(format) \(precision) has a day-level date: \(Self.dayLevelDate(text) ?? "")")
                #expect(!text.contains(v.path) && !text.contains(v.passphraseFile) && !text.contains(v.root))
                #expect(text.contains("2026-12"))
                if format == "json" {
                    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
                    let problems = try SchemaValidator.redacted().validate(object)
                    #expect(problems.isEmpty, "\(problems)")
                    // The validator does reject what the schema forbids.
                    var bad = try #require(object as? [String: Any])
                    var debts = try #require(bad["debts"] as? [[String: Any]])
                    debts[0]["name"] = "x"
                    debts[0]["status"] = "overdue_17_days"
                    bad["debts"] = debts
                    #expect(try SchemaValidator.redacted().validate(bad).count == 2)
                }
            }
        }
        #expect(outputs == 18)

        // --full has every canary, amount and date, and round-trips through import byte for byte.
        let dir = v.root + "/out"
        mkdir(dir, 0o700)
        let json = dir + "/full.json", csv = dir + "/full.csv"
        let r = try v.ok(["export", "--full", "--format", "json", "--out", json], today: Self.today)
        #expect(r.stderr.contains("NOT encrypted"), "\(r)")
        try v.ok(["export", "--full", "--format", "csv", "--out", csv], today: Self.today)
        let fullJSON = try String(contentsOfFile: json, encoding: .utf8)
        let fullCSV = try String(contentsOfFile: csv, encoding: .utf8)
        for text in [fullJSON, fullCSV] {
            for c in Self.canaries { #expect(text.contains(c), "full export lacks \(c)") }
            for a in Self.amounts { #expect(text.contains(a), "full export lacks \(a)") }
            for d in Self.dates { #expect(text.contains(d), "full export lacks \(d)") }
        }
        for file in [json, csv] {
            var st = stat()
            #expect(stat(file, &st) == 0 && st.st_mode & 0o777 == 0o600, "\(file) mode \(String(st.st_mode & 0o777, radix: 8))")
        }
        #expect(fullJSON.contains("\"next_payment_id\": 4"), "the payment id gap is lost")

        let copy = try DebtTestVault()
        let imported = try copy.ok(["import", "--from-json", json])
        #expect(imported.stdout.contains("imported 6 debts and 2 payments"), "\(imported)")
        let again = copy.root + "/again.json"
        try copy.ok(["export", "--full", "--format", "json", "--out", again])
        #expect(try String(contentsOfFile: again, encoding: .utf8) == fullJSON)
        // Same vault state: the same lists, schedules and payments.
        #expect(try copy.ok(["list", "--json", "--all"], today: Self.today).stdout == v.ok(["list", "--json", "--all"], today: Self.today).stdout)
        #expect(try copy.ok(["show", "loanq", "--json"], today: Self.today).stdout == v.ok(["show", "loanq", "--json"], today: Self.today).stdout)
        // A second import is refused: the vault is no longer empty.
        let twice = try copy.run(["import", "--from-json", json])
        #expect(twice.status == 64 && twice.stderr.contains("not empty"), "\(twice)")
        // A redacted export is not importable.
        let redactedFile = dir + "/r.json"
        try v.ok(["export", "--redacted", "--format", "json", "--out", redactedFile], today: Self.today)
        let fresh = try DebtTestVault()
        let refused = try fresh.run(["import", "--from-json", redactedFile])
        #expect(refused.status == 64, "\(refused)")
    }

    @Test func pseudonymOrderIsRandomUnlessStable() throws {
        let v = try Self.canaryVault()
        func rows(_ extra: [String]) throws -> (order: [String], figures: [String]) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(Self.redacted(v, ["--format", "json"] + extra).utf8)) as? [String: Any])
            let debts = try #require(object["debts"] as? [[String: Any]])
            let sig = debts.map { d in
                "\(d["kind"]!) \((d["balance"] as? [String: Any])?["value"] ?? "") \(d["apr_percent"] ?? "") \(d["months_left"] ?? "") \(d["status"]!)"
            }
            #expect(debts.map { $0["pseudonym"] as? String } == ["Debt A", "Debt B", "Debt C", "Debt D", "Debt E", "Debt F"])
            return (sig, sig.sorted())
        }
        var orders = Set<[String]>(), figures = Set<[String]>()
        for _ in 0..<6 {
            let r = try rows([])
            orders.insert(r.order)
            figures.insert(r.figures)
        }
        #expect(orders.count > 1, "six random exports all had the same pseudonym order")
        #expect(figures.count == 1, "the figures changed between exports")

        let first = try v.ok(["export", "--redacted", "--stable", "--format", "json"], today: Self.today)
        #expect(first.stderr.contains("stored a new export salt"), "\(first)")
        var stable = Set<[String]>()
        for _ in 0..<4 { stable.insert(try rows(["--stable"]).order) }
        #expect(stable.count == 1, "--stable changed the order")
        #expect(stable.first?.sorted() == figures.first)
    }

    @Test func outputFilesAreSafe() throws {
        let v = try Self.canaryVault()
        let before = try Data(contentsOf: URL(fileURLWithPath: v.path))
        let out = v.root + "/out"
        mkdir(out, 0o700)
        // Never over the vault, its backup or lock, by any name.
        symlink(v.path, out + "/link-to-vault")
        link(v.path, out + "/hardlink-to-vault")
        for target in [v.path, v.path + ".bak", v.path + ".lock", v.vaultDir + "/../vault/v.dv", out + "/link-to-vault",
                       out + "/hardlink-to-vault", v.passphraseFile] {
            for kind in ["--redacted", "--full"] {
                let r = try v.run(["export", kind, "--format", "json", "--out", target], today: Self.today)
                #expect(r.status == 64 && r.stderr.contains("refusing"), "\(target): \(r)")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: v.path)) == before)
        #expect(try v.ok(["check"]).status == 0)
        // A directory is refused; a missing directory fails and leaves nothing.
        #expect(try v.run(["export", "--redacted", "--out", out], today: Self.today).status == 64)
        let missing = try v.run(["export", "--redacted", "--out", out + "/no/such/dir/x.md"], today: Self.today)
        #expect(missing.status == 73, "\(missing)")
        // A good file: 0600, complete, replaced atomically; no temporary left behind.
        let file = out + "/summary.md"
        try "old content".write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o644)
        let r = try v.ok(["export", "--redacted", "--out", file], today: Self.today)
        #expect(r.stdout.isEmpty)
        var st = stat()
        #expect(stat(file, &st) == 0 && st.st_mode & 0o777 == 0o600)
        let md = try String(contentsOfFile: file, encoding: .utf8)
        #expect(md.hasPrefix("# Debt summary, 2026-12") && md.contains("## Advice") && md.hasSuffix("\n"), "\(md)")
        #expect(md.split(separator: "\n").count < 60, "not a one-page summary")
        #expect(DebtCLI.entriesUnder(out).sorted() == ["hardlink-to-vault", "link-to-vault", "summary.md"])
        // Flag combinations.
        for bad in [["export"], ["export", "--redacted", "--full"], ["export", "--full", "--format", "markdown", "--out", out + "/x"],
                    ["export", "--full", "--precision", "1000", "--out", out + "/x"], ["export", "--redacted", "--precision", "7"],
                    ["export", "--redacted", "--format", "pdf"], ["import"]] {
            let b = try v.run(bad, today: Self.today)
            #expect(b.status == 64, "\(bad): \(b)")
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/x"))
    }

    @Test func previewNeedsATerminal() throws {
        let v = try Self.canaryVault()
        let file = v.root + "/preview.md"
        let r = try v.run(["export", "--redacted", "--preview", "--out", file], today: Self.today)
        #expect(r.status == 64 && r.stderr.contains("--preview needs a terminal"), "\(r)")
        #expect(!FileManager.default.fileExists(atPath: file))
        // --full to a pipe is allowed (only a terminal is refused), with the warning on stderr.
        let full = try v.ok(["export", "--full"], today: Self.today)
        #expect(full.stdout.contains("CANARY-LENDER-Quokka") && full.stderr.contains("NOT encrypted"))
    }
}

/// A validator for the subset of JSON Schema that docs/export.md uses: type, enum, required, properties,
/// additionalProperties: false, items, pattern, minimum, anyOf and local $ref. The schema is read from
/// the documentation itself, so the documented schema is the one tested.
struct SchemaValidator {
    let root: [String: Any]

    static func redacted() throws -> SchemaValidator {
        var dir = (#filePath as NSString).deletingLastPathComponent
        while !FileManager.default.fileExists(atPath: dir + "/docs/export.md") && dir != "/" { dir = (dir as NSString).deletingLastPathComponent }
        let doc = try String(contentsOfFile: dir + "/docs/export.md", encoding: .utf8)
        let begin = try #require(doc.range(of: "<!-- schema:redacted:begin -->\n```json\n"))
        let end = try #require(doc.range(of: "```\n<!-- schema:redacted:end -->"))
        let text = String(doc[begin.upperBound..<end.lowerBound])
        return SchemaValidator(root: try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]))
    }

    func validate(_ value: Any) -> [String] { check(value, root, "$") }

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/$defs/") else { return schema }
        let name = String(ref.dropFirst("#/$defs/".count))
        return ((root["$defs"] as? [String: Any])?[name] as? [String: Any]) ?? [:]
    }

    static func typeName(_ v: Any) -> String {
        if v is NSNull { return "null" }
        if let n = v as? NSNumber {
            if String(cString: n.objCType) == "c" || String(describing: type(of: n)).contains("Bool") { return "boolean" }
            return n.doubleValue == n.doubleValue.rounded() ? "integer" : "number"
        }
        if v is String { return "string" }
        if v is [Any] { return "array" }
        if v is [String: Any] { return "object" }
        return "unknown"
    }

    func check(_ v: Any, _ raw: [String: Any], _ path: String) -> [String] {
        let s = resolve(raw)
        var out: [String] = []
        let t = SchemaValidator.typeName(v)
        if let any = s["anyOf"] as? [[String: Any]] {
            if !any.contains(where: { check(v, $0, path).isEmpty }) { out.append("\(path): matches none of anyOf") }
        }
        if let type = s["type"] {
            let allowed = (type as? [String]) ?? [(type as? String) ?? ""]
            let ok = allowed.contains(t) || (t == "integer" && allowed.contains("number"))
            if !ok { out.append("\(path): type \(t), expected \(allowed)"); return out }
        }
        if let e = s["enum"] as? [Any] {
            let found = e.contains { ($0 as? NSObject)?.isEqual(v) ?? false }
            if !found { out.append("\(path): \(v) not in \(e)") }
        }
        if let pattern = s["pattern"] as? String, let str = v as? String,
           str.range(of: pattern, options: .regularExpression) == nil {
            out.append("\(path): '\(str)' does not match \(pattern)")
        }
        if let minimum = (s["minimum"] as? NSNumber)?.doubleValue, let n = v as? NSNumber, t != "boolean", n.doubleValue < minimum {
            out.append("\(path): \(n) below \(minimum)")
        }
        if let obj = v as? [String: Any], t == "object" {
            let props = (s["properties"] as? [String: Any]) ?? [:]
            for r in (s["required"] as? [String]) ?? [] where obj[r] == nil { out.append("\(path): missing \(r)") }
            if (s["additionalProperties"] as? NSNumber)?.boolValue == false {
                for k in obj.keys where props[k] == nil { out.append("\(path): unexpected \(k)") }
            }
            for (k, sub) in props { if let value = obj[k], let subSchema = sub as? [String: Any] { out += check(value, subSchema, path + "." + k) } }
        }
        if let arr = v as? [Any], let items = s["items"] as? [String: Any] {
            for (i, item) in arr.enumerated() { out += check(item, items, "\(path)[\(i)]") }
        }
        return out
    }
}
