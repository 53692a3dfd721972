import Testing
@testable import DebtModel

/// The derived payment -> debt index cache must always match a recomputation.
func expectConsistent(_ doc: VaultDocument, sourceLocation: SourceLocation = #_sourceLocation) {
    let expected = doc.payments.map { Int32(doc.debtIndex(id: $0.debtID) ?? -1) }
    #expect(doc.paymentDebtIndices == expected, sourceLocation: sourceLocation)
    #expect(zip(doc.payments, doc.payments.dropFirst()).allSatisfy { $0.id < $1.id }, sourceLocation: sourceLocation)
}

@Suite("Vault document changes and undo")
struct UndoTests {
    func loan(_ id: String = "") -> Debt {
        Debt(id: id, name: "Bank of Somewhere", terms: .loan(LoanTerms(principal: Fixture.money(10_000_000), rate: Rate(Percentage(basisPoints: 1200), per: .year),
             months: 12, firstDueDate: CivilDate(year: 2026, month: 1, day: 31)!, method: .equalInstallment)), createdDate: CivilDate(year: 2026, month: 1, day: 1)!)
    }

    @Test func idsAreShortAndUnique() throws {
        var doc = VaultDocument()
        #expect(try doc.addDebt(loan()).debtID == "loan1")
        #expect(try doc.addDebt(loan()).debtID == "loan2")
        #expect(try doc.addDebt(loan("mortgage")).debtID == "mortgage")
        #expect(throws: VaultChangeError.duplicateDebtID("loan1")) { try doc.addDebt(loan("loan1")) }
        #expect(throws: VaultChangeError.self) { try doc.addDebt(loan("Bad Id")) }
        try doc.removeDebt(id: "loan1")
        #expect(doc.nextDebtID(for: .loan) == "loan3")
        #expect(doc.nextDebtID(for: .card) == "card1")
    }

    @Test func paymentValidation() throws {
        var doc = VaultDocument()
        try doc.addDebt(loan())
        let d = CivilDate(year: 2026, month: 2, day: 1)!
        #expect(throws: VaultChangeError.nonPositiveAmount) { try doc.addPayment(debtID: "loan1", date: d, amount: Fixture.money(0)) }
        #expect(throws: VaultChangeError.unknownDebt("nope")) { try doc.addPayment(debtID: "nope", date: d, amount: Fixture.money(1)) }
        #expect(throws: VaultChangeError.currencyMismatch(expected: "CNY", given: "USD")) { try doc.addPayment(debtID: "loan1", date: d, amount: Fixture.money(1, .usd)) }
        let change = try doc.addPayment(debtID: "loan1", date: d, amount: Fixture.money(888_488), note: "first")
        #expect(change.paymentID == 1)
        #expect(change.description == "recorded payment #1 of 8884.88 CNY to loan1 on 2026-02-01")
        try doc.closeDebt(id: "loan1", on: d)
        #expect(throws: VaultChangeError.debtClosed("loan1")) { try doc.addPayment(debtID: "loan1", date: d, amount: Fixture.money(1)) }
        #expect(throws: VaultChangeError.debtClosed("loan1")) { try doc.closeDebt(id: "loan1", on: d) }
        try doc.reopenDebt(id: "loan1")
        #expect(doc.debt(id: "loan1")?.isOpen == true)
    }

    @Test func editRejectsInvalidAndImmutable() throws {
        var doc = VaultDocument()
        try doc.addDebt(loan())
        var d = doc.debt(id: "loan1")!
        d.graceDays = 1000
        #expect(throws: VaultChangeError.self) { try doc.editDebt(d) }
        d = doc.debt(id: "loan1")!
        #expect(try doc.editDebt(d).description == "no change to loan1")
        #expect(doc.undoHistory.count == 1)
        d.terms = .informal(InformalTerms(amount: Fixture.money(1)))
        #expect(throws: VaultChangeError.immutableField("kind")) { try doc.editDebt(d) }
    }

    @Test func undoTwentyFiveDeepAndRedo() throws {
        var doc = VaultDocument()
        var states: [VaultDocument] = []
        func snapshot() -> VaultDocument { var s = doc; s.undoHistory = []; s.redoHistory = []; s.nextPaymentID = 0; return s }
        states.append(snapshot())
        try doc.addDebt(loan()); states.append(snapshot())
        try doc.addDebt(loan()); states.append(snapshot())
        for i in 0..<20 {
            try doc.addPayment(debtID: i % 2 == 0 ? "loan1" : "loan2", date: CivilDate(year: 2026, month: 2, day: 1 + i)!, amount: Fixture.money(1000 + i))
            states.append(snapshot())
        }
        var edited = doc.debt(id: "loan2")!
        edited.notes = "secret note"
        edited.graceDays = 5
        try doc.editDebt(edited); states.append(snapshot())
        try doc.closeDebt(id: "loan2", on: CivilDate(year: 2026, month: 3, day: 1)!); states.append(snapshot())
        try doc.removeDebt(id: "loan1"); states.append(snapshot())
        try doc.removePayment(id: 2); states.append(snapshot())
        try doc.updateSettings(Settings(defaultCurrency: .usd)); states.append(snapshot())
        #expect(states.count == 28)
        #expect(doc.undoHistory.count == 27)

        // Walk back through every change.
        for k in stride(from: states.count - 2, through: 0, by: -1) {
            try doc.undo()
            expectConsistent(doc)
            #expect(snapshot() == states[k], "after undo back to state \(k)")
        }
        #expect(throws: VaultChangeError.nothingToUndo) { try doc.undo() }
        // And forward again (each undo is itself undoable).
        for k in 1..<states.count {
            try doc.redo()
            expectConsistent(doc)
            #expect(snapshot() == states[k], "after redo to state \(k)")
        }
        #expect(throws: VaultChangeError.nothingToRedo) { try doc.redo() }
    }

    @Test func undoOfUndoAndRemoveKeepsPayments() throws {
        var doc = VaultDocument()
        try doc.addDebt(loan())
        for i in 1...5 { try doc.addPayment(debtID: "loan1", date: CivilDate(year: 2026, month: 2, day: i)!, amount: Fixture.money(100 * i)) }
        try doc.addDebt(loan())
        try doc.addPayment(debtID: "loan2", date: CivilDate(year: 2026, month: 2, day: 9)!, amount: Fixture.money(7))
        let before = doc.payments
        let change = try doc.removeDebt(id: "loan1")
        #expect(change.description == "removed loan1 and its 5 payments")
        #expect(doc.payments.map(\.id) == [6])
        #expect(try doc.undo().description == "undid: removed loan1 and its 5 payments")
        #expect(doc.payments == before)
        #expect(doc.debts.map(\.id) == ["loan1", "loan2"])
        #expect(try doc.redo().description == "redid: removed loan1 and its 5 payments")
        #expect(doc.payments.map(\.id) == [6])
        try doc.undo()
        #expect(doc.payments == before)
        // A new change clears the redo history.
        try doc.addPayment(debtID: "loan1", date: CivilDate(year: 2026, month: 3, day: 1)!, amount: Fixture.money(1))
        #expect(throws: VaultChangeError.nothingToRedo) { try doc.redo() }
        #expect(doc.payments.last?.id == 7) // ids are never reused
    }

    @Test func removingDebtsInTheMiddleKeepsPaymentsAttached() throws {
        var doc = VaultDocument()
        for _ in 0..<4 { try doc.addDebt(loan()) }
        for i in 0..<40 { try doc.addPayment(debtID: "loan\(i % 4 + 1)", date: CivilDate(year: 2026, month: 2, day: 1)!, amount: Fixture.money(i + 1)) }
        try doc.removeDebt(id: "loan2"); expectConsistent(doc)
        try doc.removeDebt(id: "loan1"); expectConsistent(doc)
        #expect(doc.payments(forDebt: "loan4").map(\.amount.minorUnits) == stride(from: 4, through: 40, by: 4).map(Int64.init))
        #expect(doc.paymentListsByDebt().map(\.count) == [10, 10])
        #expect(doc.paymentListsByDebt(onOrBefore: CivilDate(year: 2026, month: 1, day: 31)!).map(\.count) == [0, 0])
        try doc.undo(); expectConsistent(doc)
        #expect(doc.debts.map(\.id) == ["loan1", "loan3", "loan4"])
        try doc.undo(); expectConsistent(doc)
        #expect(doc.paymentListsByDebt().map(\.count) == [10, 10, 10, 10])
        #expect(doc.payments(forDebt: "loan2").first?.id == 2)
    }

    @Test func historyIsBoundedAndSmall() throws {
        var doc = VaultDocument()
        try doc.addDebt(loan())
        for i in 0..<(VaultDocument.historyLimit + 30) {
            try doc.addPayment(debtID: "loan1", date: CivilDate(year: 2026, month: 1, day: 1)!.adding(days: i)!, amount: Fixture.money(1 + i))
        }
        #expect(doc.undoHistory.count == VaultDocument.historyLimit)
        // A payment's undo record is one delete of one id, not a snapshot.
        #expect(doc.undoHistory.last!.inverse == [.deletePayments(ids: [doc.payments.last!.id])])
        for _ in 0..<VaultDocument.historyLimit { try doc.undo() }
        #expect(doc.payments.count == 30)
        #expect(throws: VaultChangeError.nothingToUndo) { try doc.undo() }
    }

    @Test func descriptionsCarryNoSensitiveText() throws {
        var doc = VaultDocument()
        var d = loan()
        d.name = "Secret Lender"
        d.notes = "secret"
        try doc.addDebt(d)
        try doc.addPayment(debtID: "loan1", date: CivilDate(year: 2026, month: 2, day: 1)!, amount: Fixture.money(5), note: "secret note")
        for text in doc.undoableChanges { #expect(!text.lowercased().contains("secret")) }
    }
}

@Suite("Payload codec")
struct CodecTests {
    @Test func emptyDocumentRoundTrip() throws {
        let doc = VaultDocument()
        let bytes = doc.encode()
        #expect(bytes.prefix(2) == [1, 0])
        #expect(try VaultDocument(decoding: bytes) == doc)
    }

    /// An import is one change whose undo entry deletes every debt: with hundreds of debts it must
    /// still encode and decode (an entry was once limited to 16 operations, so importing 15 or more
    /// debts wrote a vault that no later command could read).
    @Test func importOfManyDebtsRoundTripsWithItsHistory() throws {
        let source = Fixture.randomDocument(seed: 11, debts: 400, payments: 3_000)
        var doc = VaultDocument()
        try doc.importContents(settings: source.settings, debts: source.debts, payments: source.payments, nextPaymentID: source.nextPaymentID)
        #expect(doc.undoHistory.count == 1 && doc.undoHistory[0].inverse.count > 400)
        #expect(try VaultDocument(decoding: doc.encode()) == doc)
        try doc.undo()
        #expect(doc.debts.isEmpty && doc.redoHistory[0].inverse.count > 400)
        #expect(try VaultDocument(decoding: doc.encode()) == doc, "the redo entry inserts every debt")
        try doc.redo()
        #expect(try VaultDocument(decoding: doc.encode()) == doc)
        #expect(HistoryEntry.maximumOperations == VaultDocument.maximumDebts + 2)
    }

    @Test func largeRandomDocumentRoundTripsExactly() throws {
        let doc = Fixture.randomDocument(seed: 7, debts: 300, payments: 20_000)
        #expect(doc.undoHistory.count > 0 && doc.redoHistory.count == 2)
        let bytes = doc.encode()
        let decoded = try VaultDocument(decoding: bytes)
        #expect(decoded == doc)
        expectConsistent(doc)
        expectConsistent(decoded)
        #expect(decoded.encode() == bytes)
        // Any collection of bytes works, contiguous or not.
        #expect(try VaultDocument(decoding: bytes[...]) == doc)
        #expect(try VaultDocument(decoding: bytes.lazy.map { $0 }) == doc)
        // The decoded history still works.
        var copy = decoded
        try copy.redo(); try copy.redo(); try copy.undo()
    }

    @Test func everyTruncationIsRejected() throws {
        let doc = Fixture.randomDocument(seed: 11, debts: 12, payments: 40)
        let bytes = doc.encode()
        for n in 0..<bytes.count {
            #expect(throws: PayloadError.self) { try VaultDocument(decoding: bytes.prefix(n)) }
        }
    }

    @Test func trailingBytesAndVersionsAreRejected() throws {
        let bytes = Fixture.randomDocument(seed: 3, debts: 5, payments: 10).encode()
        #expect(throws: PayloadError.trailingBytes(count: 1)) { try VaultDocument(decoding: bytes + [0]) }
        #expect(throws: PayloadError.trailingBytes(count: 3)) { try VaultDocument(decoding: bytes + [1, 2, 3]) }
        var v2 = bytes; v2[0] = 2
        #expect(throws: PayloadError.unsupportedVersion(2)) { try VaultDocument(decoding: v2) }
        var v0 = bytes; v0[0] = 0
        #expect(throws: PayloadError.unsupportedVersion(0)) { try VaultDocument(decoding: v0) }
        #expect(throws: PayloadError.truncated(offset: 0)) { try VaultDocument(decoding: [UInt8]()) }
    }

    @Test func corruptedInputNeverCrashes() throws {
        let doc = Fixture.randomDocument(seed: 5, debts: 20, payments: 100)
        let bytes = doc.encode()
        var rng = SplitMix(state: 99)
        var rejected = 0, accepted = 0
        for round in 0..<4000 {
            var mutated = bytes
            switch round % 4 {
            case 0: // flip random bytes
                for _ in 0..<rng.int(1...4) { mutated[rng.int(0...(mutated.count - 1))] ^= UInt8(rng.int(1...255)) }
            case 1: // overwrite a 4-byte window with an extreme value
                let at = rng.int(2...(mutated.count - 4))
                let v: UInt32 = [0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 0][rng.int(0...3)]
                for k in 0..<4 { mutated[at + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) }
            case 2: // delete a range
                let at = rng.int(0...(mutated.count - 1))
                mutated.removeSubrange(at..<min(mutated.count, at + rng.int(1...16)))
            default: // pure garbage behind a valid version
                mutated = [1, 0] + (0..<rng.int(0...300)).map { _ in UInt8(rng.int(0...255)) }
            }
            do {
                let decoded = try VaultDocument(decoding: mutated)
                // Whatever decodes must itself be a valid document that re-encodes identically.
                #expect(decoded.encode() == mutated)
                accepted += 1
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 3500)
        _ = accepted
    }

    @Test func enumTagsAndInvariantsAreValidated() throws {
        var doc = VaultDocument()
        try doc.addDebt(Debt(id: "", name: "x", terms: .informal(InformalTerms(amount: Fixture.money(100))), createdDate: Fixture.start))
        try doc.addPayment(debtID: "informal1", date: Fixture.start, amount: Fixture.money(5))
        doc.undoHistory = []
        let bytes = doc.encode()
        // Layout: version(2) currency(3) income flag(1) expenses flag(1) payday flag(1) salt flag(1) next id(4) debt count(4)
        let debtStart = 2 + 3 + 4 + 4 + 4
        let idLength = 4 + "informal1".utf8.count, nameLength = 4 + 1
        let kindOffset = debtStart + idLength + nameLength + 1 + 1 + 3
        #expect(bytes[kindOffset] == DebtKind.informal.rawValue)
        var badKind = bytes; badKind[kindOffset] = 9
        #expect(throws: PayloadError.invalid(what: "debt kind", offset: kindOffset)) { try VaultDocument(decoding: badKind) }
        var badFlag = bytes; badFlag[2 + 3] = 2
        #expect(throws: PayloadError.self) { try VaultDocument(decoding: badFlag) }
        var badCurrency = bytes; badCurrency[2] = UInt8(ascii: "X")
        #expect(throws: PayloadError.self) { try VaultDocument(decoding: badCurrency) }
        // next payment id not above the existing id
        var badNext = bytes; badNext[9] = 1; badNext[10] = 0; badNext[11] = 0; badNext[12] = 0
        #expect(throws: PayloadError.self) { try VaultDocument(decoding: badNext) }
        // invalid UTF-8 in the name
        var badUTF8 = bytes; badUTF8[debtStart + idLength + 4] = 0xFF
        #expect(throws: PayloadError.invalid(what: "debt name (not UTF-8)", offset: debtStart + idLength)) { try VaultDocument(decoding: badUTF8) }
    }
}
