/// Everything stored inside the vault: settings, debts, payments and the undo/redo history.
///
/// All changes go through the mutation methods (``addDebt(_:)``, ``editDebt(_:)``, ``closeDebt(id:on:reason:)``,
/// ``removeDebt(id:)``, ``addPayment(debtID:date:amount:note:)``, ...), which validate, apply the change and
/// record its *inverse operations* (never a snapshot) so that ``undo()`` can revert it. Recording a
/// payment on a vault of 100,000 payments appends one payment and one small history entry.
///
/// Invariants (checked by the payload decoder too): debt ids are valid and unique; every payment refers
/// to an existing debt, is positive and in that debt's currency; payments are sorted by strictly
/// increasing id, all below ``nextPaymentID``.
public struct VaultDocument: Hashable, Sendable {
    /// Vault-wide settings.
    public internal(set) var settings: Settings
    /// The debts, in the order they were added.
    public internal(set) var debts: [Debt]
    /// All payments, sorted by increasing id (normally also the order they were recorded in).
    public internal(set) var payments: [Payment]
    /// The id the next payment will get; ids are never reused, even after an undo.
    public internal(set) var nextPaymentID: Int
    /// Changes that ``undo()`` can revert, oldest first (at most ``historyLimit``).
    public internal(set) var undoHistory: [HistoryEntry]
    /// Undone changes that ``redo()`` can re-apply, oldest first; cleared by any new change.
    public internal(set) var redoHistory: [HistoryEntry]
    /// For each payment (same positions as ``payments``), the index of its debt in ``debts``.
    /// Derived data kept in step by every operation, so grouping payments never hashes strings.
    var paymentDebtIndices: [Int32]

    /// How many changes are kept for undo (and for redo).
    public static let historyLimit = 50
    /// The largest number of debts a vault may hold.
    public static let maximumDebts = 100_000
    /// The largest payment id.
    public static let maximumPaymentID = Int(UInt32.max) - 1

    /// An empty vault with default settings.
    public init(settings: Settings = Settings()) {
        self.settings = settings
        self.debts = []
        self.payments = []
        self.nextPaymentID = 1
        self.undoHistory = []
        self.redoHistory = []
        self.paymentDebtIndices = []
    }

    /// The debt with `id`, if any.
    public func debt(id: String) -> Debt? {
        debts.first { $0.id == id }
    }

    /// Index of the debt with `id` in ``debts``.
    public func debtIndex(id: String) -> Int? {
        debts.firstIndex { $0.id == id }
    }

    /// The payments of one debt, in id order.
    public func payments(forDebt id: String) -> [Payment] {
        guard let index = debtIndex(id: id) else { return [] }
        let target = Int32(index)
        var result: [Payment] = []
        for (k, i) in paymentDebtIndices.enumerated() where i == target { result.append(payments[k]) }
        return result
    }

    /// The payment with `id`, if any (binary search).
    public func payment(id: Int) -> Payment? {
        paymentIndex(id: id).map { payments[$0] }
    }

    func paymentIndex(id: Int) -> Int? {
        let i = paymentInsertionIndex(id: id)
        return i < payments.count && payments[i].id == id ? i : nil
    }

    func paymentInsertionIndex(id: Int) -> Int {
        var lo = 0, hi = payments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if payments[mid].id < id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// A fresh id for a debt of `kind`: the kind's name followed by one more than the highest number
    /// already used with that prefix ("card1", "card2", "loan1", ...).
    public func nextDebtID(for kind: DebtKind) -> String {
        let prefix = kind.description
        var highest = 0
        for debt in debts where debt.id.hasPrefix(prefix) {
            let rest = debt.id.dropFirst(prefix.count)
            if !rest.isEmpty, rest.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), rest.count <= 9, let n = Int(rest) {
                highest = max(highest, n)
            }
        }
        return "\(prefix)\(highest + 1)"
    }

    /// Descriptions of the changes ``undo()`` would revert, most recent first.
    public var undoableChanges: [String] { undoHistory.reversed().map(\.description) }
    /// Descriptions of the changes ``redo()`` would re-apply, most recent undo first.
    public var redoableChanges: [String] { redoHistory.reversed().map(\.description) }
}

/// The result of a change: a short human description (no sensitive text: ids, amounts, dates only)
/// and the ids it created or touched.
public struct Change: Hashable, Sendable, CustomStringConvertible {
    /// E.g. "added card1", "recorded payment #12 of 500.00 CNY to card1".
    public let description: String
    /// The debt the change concerned, if any.
    public let debtID: String?
    /// The payment the change created or removed, if any.
    public let paymentID: Int?

    /// Creates a change summary.
    public init(description: String, debtID: String? = nil, paymentID: Int? = nil) {
        self.description = description
        self.debtID = debtID
        self.paymentID = paymentID
    }
}

/// A change rejected by a ``VaultDocument`` mutation method.
public enum VaultChangeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field value is invalid.
    case invalid(FieldError)
    /// No debt has this id.
    case unknownDebt(String)
    /// A debt with this id already exists.
    case duplicateDebtID(String)
    /// No payment has this id.
    case unknownPayment(Int)
    /// The amount is not in the debt's currency (expected, given).
    case currencyMismatch(expected: String, given: String)
    /// Payments must be greater than zero.
    case nonPositiveAmount
    /// The debt is closed (reopen it first).
    case debtClosed(String)
    /// The debt is not closed.
    case debtNotClosed(String)
    /// The edit tried to change the debt's id or kind.
    case immutableField(String)
    /// Nothing to undo.
    case nothingToUndo
    /// Nothing to redo.
    case nothingToRedo
    /// A capacity limit was reached (debts or payment ids).
    case limitReached(String)
    /// The recorded history does not match the document (should not happen).
    case inconsistentHistory

    /// A readable message.
    public var description: String {
        switch self {
        case let .invalid(e): return e.description
        case let .unknownDebt(id): return "no debt with id '\(id)'"
        case let .duplicateDebtID(id): return "a debt with id '\(id)' already exists"
        case let .unknownPayment(id): return "no payment #\(id)"
        case let .currencyMismatch(expected, given): return "amount is in \(given) but the debt is in \(expected)"
        case .nonPositiveAmount: return "amount must be greater than zero"
        case let .debtClosed(id): return "debt '\(id)' is closed"
        case let .debtNotClosed(id): return "debt '\(id)' is not closed"
        case let .immutableField(f): return "the \(f) of a debt cannot be changed"
        case .nothingToUndo: return "nothing to undo"
        case .nothingToRedo: return "nothing to redo"
        case let .limitReached(what): return "limit reached: \(what)"
        case .inconsistentHistory: return "the undo history does not match the vault"
        }
    }
}

/// One recorded change: its description and the operations that revert it.
public struct HistoryEntry: Hashable, Sendable {
    /// The most operations one entry may hold: an import of the most debts the vault allows (its
    /// inverse deletes every debt, and restores the settings and the payments).
    public static let maximumOperations = VaultDocument.maximumDebts + 2

    /// What the change did, e.g. "recorded payment #12 of 500.00 CNY to card1".
    public let description: String
    /// Operations that, applied in order, revert the change.
    let inverse: [HistoryOperation]

    init(description: String, inverse: [HistoryOperation]) {
        self.description = description
        self.inverse = inverse
    }
}

/// An elementary, invertible edit of a ``VaultDocument``.
enum HistoryOperation: Hashable, Sendable {
    case insertDebt(Debt, at: Int)
    case deleteDebt(id: String)
    case replaceDebt(Debt)
    case insertPayments([Payment])
    case deletePayments(ids: [Int])
    case replaceSettings(Settings)
}

extension VaultDocument {
    // MARK: Elementary operations

    /// Applies one operation, returning its inverse.
    mutating func apply(_ op: HistoryOperation) throws(VaultChangeError) -> HistoryOperation {
        switch op {
        case let .insertDebt(debt, index):
            guard index >= 0, index <= debts.count, debtIndex(id: debt.id) == nil else { throw .inconsistentHistory }
            debts.insert(debt, at: index)
            if index < debts.count - 1 {
                let shifted = Int32(index)
                for k in paymentDebtIndices.indices where paymentDebtIndices[k] >= shifted { paymentDebtIndices[k] += 1 }
            }
            return .deleteDebt(id: debt.id)
        case let .deleteDebt(id):
            guard let index = debtIndex(id: id) else { throw .inconsistentHistory }
            let removed = Int32(index)
            // Payments must have been removed first (removeDebt records both).
            guard !paymentDebtIndices.contains(removed) else { throw .inconsistentHistory }
            let old = debts.remove(at: index)
            for k in paymentDebtIndices.indices where paymentDebtIndices[k] > removed { paymentDebtIndices[k] -= 1 }
            return .insertDebt(old, at: index)
        case let .replaceDebt(debt):
            guard let index = debtIndex(id: debt.id) else { throw .inconsistentHistory }
            let old = debts[index]
            debts[index] = debt
            return .replaceDebt(old)
        case let .insertPayments(new):
            let sorted = new.sorted { $0.id < $1.id }
            var newIndices: [Int32] = []
            newIndices.reserveCapacity(sorted.count)
            var lastID = "", lastIndex: Int32 = -1
            var previous = 0
            for p in sorted {
                if p.debtID != lastID {
                    guard let i = debtIndex(id: p.debtID) else { throw .inconsistentHistory }
                    lastID = p.debtID
                    lastIndex = Int32(i)
                }
                guard p.id > previous, p.id < nextPaymentID, p.amount.currency == debts[Int(lastIndex)].currency else { throw .inconsistentHistory }
                previous = p.id
                newIndices.append(lastIndex)
            }
            if let first = sorted.first, payments.last.map({ $0.id < first.id }) ?? true {
                payments.append(contentsOf: sorted)
                paymentDebtIndices.append(contentsOf: newIndices)
            } else {
                var merged: [Payment] = []
                var mergedIndices: [Int32] = []
                merged.reserveCapacity(payments.count + sorted.count)
                mergedIndices.reserveCapacity(payments.count + sorted.count)
                var i = 0, j = 0
                while i < payments.count || j < sorted.count {
                    if j == sorted.count || (i < payments.count && payments[i].id < sorted[j].id) {
                        merged.append(payments[i]); mergedIndices.append(paymentDebtIndices[i]); i += 1
                    } else {
                        guard i == payments.count || payments[i].id != sorted[j].id else { throw .inconsistentHistory }
                        merged.append(sorted[j]); mergedIndices.append(newIndices[j]); j += 1
                    }
                }
                payments = merged
                paymentDebtIndices = mergedIndices
            }
            return .deletePayments(ids: sorted.map(\.id))
        case let .deletePayments(ids):
            var removed: [Payment] = []
            if ids.count == 1 {
                guard let index = paymentIndex(id: ids[0]) else { throw .inconsistentHistory }
                removed.append(payments.remove(at: index))
                paymentDebtIndices.remove(at: index)
            } else if !ids.isEmpty {
                let set = Set(ids)
                guard set.count == ids.count else { throw .inconsistentHistory }
                var kept: [Payment] = []
                var keptIndices: [Int32] = []
                kept.reserveCapacity(payments.count)
                keptIndices.reserveCapacity(payments.count)
                for (k, p) in payments.enumerated() {
                    if set.contains(p.id) { removed.append(p) } else { kept.append(p); keptIndices.append(paymentDebtIndices[k]) }
                }
                guard removed.count == set.count else { throw .inconsistentHistory }
                payments = kept
                paymentDebtIndices = keptIndices
            }
            return .insertPayments(removed)
        case let .replaceSettings(new):
            let old = settings
            settings = new
            return .replaceSettings(old)
        }
    }

    /// Applies operations in order; returns the inverse list (to be applied in order to revert).
    /// On failure the document is restored to its state before the call.
    mutating func apply(_ ops: [HistoryOperation]) throws(VaultChangeError) -> [HistoryOperation] {
        var inverses: [HistoryOperation] = []
        for op in ops {
            do {
                inverses.append(try apply(op))
            } catch {
                for inv in inverses.reversed() { _ = try? apply(inv) }
                throw error
            }
        }
        return inverses.reversed()
    }

    private mutating func record(_ description: String, _ ops: [HistoryOperation]) throws(VaultChangeError) {
        guard ops.count <= HistoryEntry.maximumOperations else { throw .limitReached("at most \(HistoryEntry.maximumOperations) operations in one change") }
        let inverse = try apply(ops)
        undoHistory.append(HistoryEntry(description: description, inverse: inverse))
        if undoHistory.count > VaultDocument.historyLimit { undoHistory.removeFirst(undoHistory.count - VaultDocument.historyLimit) }
        redoHistory.removeAll()
    }

    // MARK: Public mutations

    /// Adds a debt. An empty `debt.id` is replaced by ``nextDebtID(for:)``.
    /// - Returns: the change, whose ``Change/debtID`` is the new debt's id.
    /// - Throws: ``VaultChangeError/invalid(_:)`` for a bad field, ``VaultChangeError/duplicateDebtID(_:)``.
    @discardableResult
    public mutating func addDebt(_ debt: Debt) throws(VaultChangeError) -> Change {
        var debt = debt
        if debt.id.isEmpty { debt.id = nextDebtID(for: debt.kind) }
        do { try debt.validate() } catch { throw .invalid(error) }
        guard debtIndex(id: debt.id) == nil else { throw .duplicateDebtID(debt.id) }
        guard debts.count < VaultDocument.maximumDebts else { throw .limitReached("at most \(VaultDocument.maximumDebts) debts") }
        try record("added \(debt.kind) \(debt.id)", [.insertDebt(debt, at: debts.count)])
        return Change(description: "added \(debt.kind) \(debt.id)", debtID: debt.id)
    }

    /// Replaces the debt that has `updated.id` with `updated` (id and kind cannot change).
    /// Returns a "no change" summary without recording anything when nothing differs.
    /// - Throws: ``VaultChangeError/unknownDebt(_:)``, ``VaultChangeError/invalid(_:)``, ``VaultChangeError/immutableField(_:)``.
    @discardableResult
    public mutating func editDebt(_ updated: Debt) throws(VaultChangeError) -> Change {
        guard let index = debtIndex(id: updated.id) else { throw .unknownDebt(updated.id) }
        let old = debts[index]
        guard old.kind == updated.kind else { throw .immutableField("kind") }
        guard old.currency == updated.currency || !paymentDebtIndices.contains(Int32(index)) else {
            throw .immutableField("currency (it has payments)")
        }
        do { try updated.validate() } catch { throw .invalid(error) }
        guard old != updated else { return Change(description: "no change to \(updated.id)", debtID: updated.id) }
        try record("edited \(updated.id)", [.replaceDebt(updated)])
        return Change(description: "edited \(updated.id)", debtID: updated.id)
    }

    /// Marks a debt closed on `date`.
    /// - Throws: ``VaultChangeError/unknownDebt(_:)``, ``VaultChangeError/debtClosed(_:)``, ``VaultChangeError/invalid(_:)``.
    @discardableResult
    public mutating func closeDebt(id: String, on date: CivilDate, reason: CloseReason = .paidOff) throws(VaultChangeError) -> Change {
        guard let index = debtIndex(id: id) else { throw .unknownDebt(id) }
        var debt = debts[index]
        guard debt.closure == nil else { throw .debtClosed(id) }
        debt.closure = Closure(date: date, reason: reason)
        do { try debt.validate() } catch { throw .invalid(error) }
        let text = "closed \(id) (\(reason)) on \(date)"
        try record(text, [.replaceDebt(debt)])
        return Change(description: text, debtID: id)
    }

    /// Reopens a closed debt.
    /// - Throws: ``VaultChangeError/unknownDebt(_:)``, ``VaultChangeError/debtNotClosed(_:)``.
    @discardableResult
    public mutating func reopenDebt(id: String) throws(VaultChangeError) -> Change {
        guard let index = debtIndex(id: id) else { throw .unknownDebt(id) }
        var debt = debts[index]
        guard debt.closure != nil else { throw .debtNotClosed(id) }
        debt.closure = nil
        try record("reopened \(id)", [.replaceDebt(debt)])
        return Change(description: "reopened \(id)", debtID: id)
    }

    /// Removes a debt and its payments; the undo record keeps both, so ``undo()`` restores them exactly.
    /// - Throws: ``VaultChangeError/unknownDebt(_:)``.
    @discardableResult
    public mutating func removeDebt(id: String) throws(VaultChangeError) -> Change {
        guard let index = debtIndex(id: id) else { throw .unknownDebt(id) }
        let target = Int32(index)
        var paymentIDs: [Int] = []
        for (k, i) in paymentDebtIndices.enumerated() where i == target { paymentIDs.append(payments[k].id) }
        let count = paymentIDs.count
        let text = "removed \(id) and its \(count) payment\(count == 1 ? "" : "s")"
        try record(text, [.deletePayments(ids: paymentIDs), .deleteDebt(id: id)])
        return Change(description: text, debtID: id)
    }

    /// Records a payment and assigns it the next payment id.
    /// - Returns: the change, with ``Change/paymentID`` set.
    /// - Throws: ``VaultChangeError/unknownDebt(_:)``, ``VaultChangeError/debtClosed(_:)``,
    ///   ``VaultChangeError/nonPositiveAmount``, ``VaultChangeError/currencyMismatch(expected:given:)``,
    ///   ``VaultChangeError/invalid(_:)`` (note too long).
    @discardableResult
    public mutating func addPayment(debtID: String, date: CivilDate, amount: Money, note: String? = nil) throws(VaultChangeError) -> Change {
        guard let index = debtIndex(id: debtID) else { throw .unknownDebt(debtID) }
        let debt = debts[index]
        guard debt.closure == nil else { throw .debtClosed(debtID) }
        guard amount.currency == debt.currency else { throw .currencyMismatch(expected: debt.currency.code, given: amount.currency.code) }
        guard amount.minorUnits > 0 else { throw .nonPositiveAmount }
        if let note, note.utf8.count > Payment.maximumNoteLength {
            throw .invalid(FieldError(field: "note", value: "…", reason: "is longer than \(Payment.maximumNoteLength) bytes"))
        }
        guard nextPaymentID <= VaultDocument.maximumPaymentID else { throw .limitReached("payment ids exhausted") }
        let payment = Payment(id: nextPaymentID, debtID: debtID, date: date, amount: amount, note: note)
        nextPaymentID += 1
        let text = "recorded payment #\(payment.id) of \(amount) to \(debtID) on \(date)"
        try record(text, [.insertPayments([payment])])
        return Change(description: text, debtID: debtID, paymentID: payment.id)
    }

    /// Deletes one payment (for correcting a mistake); undoable.
    /// - Throws: ``VaultChangeError/unknownPayment(_:)``.
    @discardableResult
    public mutating func removePayment(id: Int) throws(VaultChangeError) -> Change {
        guard let payment = payment(id: id) else { throw .unknownPayment(id) }
        let text = "deleted payment #\(id) of \(payment.amount) to \(payment.debtID)"
        try record(text, [.deletePayments(ids: [id])])
        return Change(description: text, debtID: payment.debtID, paymentID: id)
    }

    /// Replaces the settings.
    /// - Throws: ``VaultChangeError/invalid(_:)``.
    @discardableResult
    public mutating func updateSettings(_ new: Settings) throws(VaultChangeError) -> Change {
        do { try new.validate() } catch { throw .invalid(error) }
        guard new != settings else { return Change(description: "no change to settings") }
        try record("changed settings", [.replaceSettings(new)])
        return Change(description: "changed settings")
    }

    /// Reverts the most recent change (or redo). Repeated calls walk further back, up to
    /// ``historyLimit`` changes. The undone change moves to the redo history, so an undo can itself
    /// be undone with ``redo()``; a new change clears the redo history.
    /// - Returns: "undid: <description>".
    /// - Throws: ``VaultChangeError/nothingToUndo``.
    @discardableResult
    public mutating func undo() throws(VaultChangeError) -> Change {
        guard let entry = undoHistory.last else { throw .nothingToUndo }
        let redo = try apply(entry.inverse)
        undoHistory.removeLast()
        redoHistory.append(HistoryEntry(description: entry.description, inverse: redo))
        if redoHistory.count > VaultDocument.historyLimit { redoHistory.removeFirst() }
        return Change(description: "undid: \(entry.description)")
    }

    /// Re-applies the most recently undone change (undoes the last undo).
    /// - Returns: "redid: <description>".
    /// - Throws: ``VaultChangeError/nothingToRedo``.
    @discardableResult
    public mutating func redo() throws(VaultChangeError) -> Change {
        guard let entry = redoHistory.last else { throw .nothingToRedo }
        let undo = try apply(entry.inverse)
        redoHistory.removeLast()
        undoHistory.append(HistoryEntry(description: entry.description, inverse: undo))
        if undoHistory.count > VaultDocument.historyLimit { undoHistory.removeFirst() }
        return Change(description: "redid: \(entry.description)")
    }
}

extension VaultDocument {
    /// Fills an empty vault with the contents of a full export (`vault import`), keeping every value
    /// exactly: settings, debts in order, payments with their ids, dates, amounts and notes, and the next
    /// payment id. One undoable change; the next payment id stays raised after an undo (ids are never reused).
    /// - Throws: ``VaultChangeError/limitReached(_:)`` when the vault is not empty, ``VaultChangeError/invalid(_:)``
    ///   for a bad field, ``VaultChangeError/duplicateDebtID(_:)``, ``VaultChangeError/unknownDebt(_:)``,
    ///   ``VaultChangeError/nonPositiveAmount``, ``VaultChangeError/currencyMismatch(expected:given:)``,
    ///   ``VaultChangeError/unknownPayment(_:)`` for payment ids that are not increasing or not below `nextPaymentID`.
    @discardableResult
    public mutating func importContents(settings new: Settings, debts newDebts: [Debt], payments newPayments: [Payment],
                                        nextPaymentID next: Int) throws(VaultChangeError) -> Change {
        guard debts.isEmpty, payments.isEmpty else { throw .limitReached("import needs an empty vault") }
        do { try new.validate() } catch { throw .invalid(error) }
        guard newDebts.count <= VaultDocument.maximumDebts else { throw .limitReached("at most \(VaultDocument.maximumDebts) debts") }
        guard next >= 1, next <= VaultDocument.maximumPaymentID + 1 else { throw .limitReached("next payment id \(next)") }
        var currencies: [String: Currency] = [:]
        for debt in newDebts {
            do { try debt.validate() } catch { throw .invalid(error) }
            guard currencies.updateValue(debt.currency, forKey: debt.id) == nil else { throw .duplicateDebtID(debt.id) }
        }
        var previous = 0
        for p in newPayments {
            guard let currency = currencies[p.debtID] else { throw .unknownDebt(p.debtID) }
            guard p.amount.currency == currency else { throw .currencyMismatch(expected: currency.code, given: p.amount.currency.code) }
            guard p.amount.minorUnits > 0 else { throw .nonPositiveAmount }
            guard p.id > previous, p.id < next else { throw .unknownPayment(p.id) }
            if let note = p.note, note.utf8.count > Payment.maximumNoteLength {
                throw .invalid(FieldError(field: "note", value: "…", reason: "is longer than \(Payment.maximumNoteLength) bytes"))
            }
            previous = p.id
        }
        var ops: [HistoryOperation] = [.replaceSettings(new)]
        for (i, d) in newDebts.enumerated() { ops.append(.insertDebt(d, at: i)) }
        if !newPayments.isEmpty { ops.append(.insertPayments(newPayments)) }
        let oldNext = nextPaymentID
        nextPaymentID = max(nextPaymentID, next)
        let text = "imported \(newDebts.count) debt\(newDebts.count == 1 ? "" : "s") and \(newPayments.count) payment\(newPayments.count == 1 ? "" : "s")"
        do { try record(text, ops) } catch { nextPaymentID = oldNext; throw error }
        return Change(description: text)
    }
}
