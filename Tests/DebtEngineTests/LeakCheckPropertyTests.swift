@testable import DebtEngine
import DebtModel
import Testing

/// The leak check skips most of the vault's texts with a byte-level test before searching for them. These
/// tests compare its verdicts with a plain search for every needle, on random texts built to hit the
/// edge cases of that test: non-ASCII letters next to ASCII words, case changes that leave ASCII
/// (the Kelvin sign), texts with no letters at all, words joined by '_' and '-'.
@Suite struct LeakCheckPropertyTests {
    typealias SplitMix = RobustnessTests.Gen

    static let fragments = ["Quokka", "quokka", "QUOKKA", "bank", "Bank", "招商银行", "银行", "café", "cafe", "Ωmega", "ωmega", "\u{212A}elvin",
                            "kelvin", "ﬁx", "fix", "x_y", "a-b", "!!", "??", "note", "Note", "12345", "2026", "Straße", "STRASSE", "İstanbul",
                            "istanbul", "ΣΑΣ", "σας", "Zoë", "zoe", "e\u{301}", "é", "Wombat", "wombats", "lender", "ab", "x", "月",
                            "\u{0600}1Acme", "Acme", "\u{06DD}2", "\u{3000}", "..", "\u{00A0}--"]
    static let separators = [" ", " ", "-", "_", "·", "", "/", "\n", ", ", "é", "1"]

    static func phrase(_ rng: inout SplitMix, parts: ClosedRange<Int>) -> String {
        var s = ""
        for i in 0..<Int.random(in: parts, using: &rng) {
            if i > 0 { s += separators.randomElement(using: &rng)! }
            s += fragments.randomElement(using: &rng)!
        }
        return s
    }

    /// The plain search: every needle of every text, lowercased, as a whole token (ASCII) or anywhere
    /// (non-ASCII), scanning every position and comparing Unicode scalars.
    static func referenceLeak(_ sources: [String], in haystack: String) -> Bool {
        let lower = haystack.lowercased()
        let h = Array(lower.unicodeScalars)
        func word(_ u: Unicode.Scalar) -> Bool { u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "_" || u == "-" }
        for s in sources {
            for needle in RedactionLeakCheck.needleTexts(of: s) {
                let n = Array(needle.lowercased().unicodeScalars)
                guard !n.isEmpty, n.count <= h.count else { continue }
                for i in 0...(h.count - n.count) where Array(h[i..<(i + n.count)]) == n {
                    // Non-ASCII text counts anywhere, scalar for scalar.
                    if n.contains(where: { $0.value > 0x7F }) { return true }
                    let before = i == 0 || !word(h[i - 1]) || !word(n[0])
                    let after = i + n.count == h.count || !word(h[i + n.count]) || !word(n[n.count - 1])
                    if before && after { return true }
                }
            }
        }
        return false
    }

    @Test func textVerdictsMatchAPlainSearch() throws {
        var rng = SplitMix(state: 20261203)
        var positives = 0, negatives = 0
        for round in 0..<300 {
            var doc = VaultDocument(settings: Settings())
            var sources: [String] = []
            for d in 0..<Int.random(in: 1...3, using: &rng) {
                let name = Self.phrase(&rng, parts: 1...3)
                var debt = Debt(id: "d\(d)x", name: name, terms: .informal(InformalTerms(amount: Money(minorUnits: 100_00, currency: .cny)!)),
                                createdDate: try CivilDate.parse("2026-01-01", field: "t"))
                if Bool.random(using: &rng) { debt.notes = Self.phrase(&rng, parts: 1...4) }
                try doc.addDebt(debt)
                sources += [name] + (debt.notes.map { [$0] } ?? [])
                for _ in 0..<Int.random(in: 0...3, using: &rng) {
                    let note = Self.phrase(&rng, parts: 1...3)
                    try doc.addPayment(debtID: debt.id, date: try CivilDate.parse("2026-02-01", field: "t"),
                                       amount: Money(minorUnits: 1_00, currency: .cny)!, note: note)
                    sources.append(note)
                }
            }
            let check = RedactionLeakCheck(document: doc)
            var haystacks: [String] = []
            for _ in 0..<3 {
                var hay = "Debt A " + Self.phrase(&rng, parts: 1...6) + " ≈1,200 CNY"
                // Sometimes quote a source or one of its words, in another case or inside other text.
                if Int.random(in: 0..<3, using: &rng) == 0, let s = sources.randomElement(using: &rng) {
                    let quoted = Bool.random(using: &rng) ? s : (s.split(separator: " ").randomElement(using: &rng).map(String.init) ?? s)
                    hay += Self.separators.randomElement(using: &rng)! + (Bool.random(using: &rng) ? quoted.uppercased() : quoted)
                        + Self.separators.randomElement(using: &rng)!
                }
                haystacks.append(hay)
            }
            let batch = check.findings(in: haystacks)
            for (k, hay) in haystacks.enumerated() {
                let expected = Self.referenceLeak(sources, in: hay)
                let found = check.findings(in: hay)
                #expect(found.contains("a name, account reference or note") == expected, "round \(round): \(sources) in \(hay)")
                #expect(batch[k] == found, "round \(round): the batch verdict differs for \(hay)")
                if expected { positives += 1 } else { negatives += 1 }
            }
        }
        // The generator must exercise both verdicts, or the comparison proves little.
        #expect(positives > 100 && negatives > 100, "positives \(positives), negatives \(negatives)")
    }

    @Test func amountVerdictsMatchAPlainSearch() throws {
        var rng = SplitMix(state: 77)
        var positives = 0, negatives = 0
        for round in 0..<200 {
            var doc = VaultDocument(settings: Settings())
            try doc.addDebt(Debt(id: "inf", name: "x", terms: .informal(InformalTerms(amount: Money(minorUnits: 5_000_00, currency: .cny)!)),
                                 createdDate: try CivilDate.parse("2026-01-01", field: "t")))
            var amounts: [Int64] = [5_000_00]
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                // Half of them whole amounts ("5000.00"), which the leak check must know in that spelling too.
                let m = Bool.random(using: &rng) ? Int64.random(in: 1...2_000_000_00, using: &rng) : Int64.random(in: 1...2_000_000, using: &rng) * 100
                amounts.append(m)
                try doc.addPayment(debtID: "inf", date: try CivilDate.parse("2026-02-01", field: "t"), amount: Money(minorUnits: m, currency: .cny)!, note: nil)
            }
            let check = RedactionLeakCheck(document: doc)
            let pick = amounts.randomElement(using: &rng)!
            let spellings = [Money(minorUnits: pick, currency: .cny)!.decimalString, Money(minorUnits: pick, currency: .cny)!.groupedString,
                             String(pick / 100), String(Int64.random(in: 1...99_999, using: &rng)) + ".5"]
            let text = "about " + spellings.randomElement(using: &rng)! + " CNY"
            // The reference: any number token of the text equal in value and decimals to an amount's exact
            // spelling with both decimals ("5000.00" included), or to its whole part when that is 1,000 or
            // more and not printable at 2 figures.
            let tokens = RedactionLeakCheck.HaystackTokens(lower: text.lowercased()).numbers.compactMap(RedactionLeakCheck.amountKey(token:))
            var expected = false
            for m in amounts {
                let exact: Int64? = RedactionLeakCheck.amountKey(value: m, decimals: 2)
                let whole = m / 100
                let wholeKey = whole >= 1000 && RedactionPrecision.round(whole, significantFigures: 2) != whole
                    ? RedactionLeakCheck.amountKey(value: whole, decimals: 0) : nil
                if tokens.contains(where: { $0 == exact || $0 == wholeKey }) { expected = true }
            }
            #expect(check.findings(in: text).contains("an exact amount") == expected, "round \(round): \(text)")
            if expected { positives += 1 } else { negatives += 1 }
        }
        #expect(positives > 40 && negatives > 40, "positives \(positives), negatives \(negatives)")
    }

    /// Cases found in review, each of which the cheap test once let through (or got wrong).
    @Test func reviewedEdgeCases() throws {
        func check(name: String, note: String? = nil, amount: Int64 = 100_00) throws -> RedactionLeakCheck {
            var doc = VaultDocument(settings: Settings())
            var debt = Debt(id: "dx", name: name, terms: .informal(InformalTerms(amount: Money(minorUnits: amount, currency: .cny)!)),
                            createdDate: try CivilDate.parse("2026-01-01", field: "t"))
            debt.notes = note
            try doc.addDebt(debt)
            return RedactionLeakCheck(document: doc)
        }
        let leak = "a name, account reference or note"
        // A Prepend character (U+0600) joins "1" into one Character, so the word "Acme" is a suffix of the run "1acme".
        #expect(try check(name: "\u{0600}1Acme").findings(in: "paid Acme") == [leak])
        #expect(try check(name: "\u{06DD}2Wombat").findings(in: "Wombat") == [leak])
        // The same verdict alone and in a batch whose other text has the whole run.
        let prepend = try check(name: "\u{0600}1Acme")
        #expect(prepend.findings(in: ["Acme", "1Acme"])[0] == prepend.findings(in: "Acme"))
        // Only non-ASCII whitespace around punctuation: the needle ".." has no run and no non-ASCII scalar.
        #expect(try check(name: "Somebody", note: "\u{3000}..").findings(in: "K..e") == [leak])
        // A whole amount in the spelling the program prints exact amounts in.
        let whole = try check(name: "Somebody", amount: 1_234_00)
        #expect(whole.findings(in: "about 1,234.00 CNY") == ["an exact amount"])
        #expect(whole.findings(in: "about 1234.00 CNY") == ["an exact amount"])
        #expect(whole.findings(in: "≈1,200 CNY").isEmpty)
        // A coarsened figure that equals an exact amount with its trailing zero dropped is not a leak.
        #expect(try check(name: "Somebody", amount: 3_50).findings(in: "≈3.5 CNY").isEmpty)
    }
}
