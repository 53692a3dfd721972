/// Some of a vault's payments, in a chosen order, without copying them: the document's payment array
/// (shared, copy-on-write) and the positions of the chosen ones in it. A debt's state keeps its payments
/// this way, so deriving 1,000 debts with 100,000 payments stores 4 bytes per payment instead of a
/// second copy of every payment (6.4 MB, and its page faults, on the stress vault).
public struct PaymentList: RandomAccessCollection, Sendable {
    /// Every payment of the source (a document's payments, or the list's own).
    @usableFromInline let source: [Payment]
    /// Positions in `source`, in list order.
    @usableFromInline let positions: [Int32]

    /// All of `payments`, in their order.
    public init(_ payments: [Payment] = []) {
        source = payments
        positions = payments.indices.map { Int32($0) }
    }

    /// The payments of `source` at `positions`, in that order.
    public init(_ source: [Payment], positions: [Int32]) {
        self.source = source
        self.positions = positions
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { positions.count }
    public subscript(i: Int) -> Payment { source[Int(positions[i])] }

    /// The date of payment `i`, read in place (hot loops use these instead of copying whole payments,
    /// which would retain and release their strings).
    @inlinable public func date(at i: Int) -> CivilDate { source[Int(positions[i])].date }
    /// The amount of payment `i` in minor units, read in place.
    @inlinable public func minorUnits(at i: Int) -> Int64 { source[Int(positions[i])].amount.minorUnits }
    /// The id of payment `i`, read in place.
    @inlinable public func id(at i: Int) -> Int { source[Int(positions[i])].id }
}

extension VaultDocument {
    /// The payments of every debt, in the order of ``debts``, each in id order, optionally only those
    /// dated on or before `date`: one pass, no copies of the payments (see ``PaymentList``).
    public func paymentListsByDebt(onOrBefore date: CivilDate? = nil) -> [PaymentList] {
        var counts = [Int](repeating: 0, count: debts.count)
        for (k, i) in paymentDebtIndices.enumerated() where date.map({ payments[k].date <= $0 }) ?? true { counts[Int(i)] += 1 }
        var grouped: [[Int32]] = counts.map { n in
            var a: [Int32] = []
            a.reserveCapacity(n)
            return a
        }
        for (k, i) in paymentDebtIndices.enumerated() where date.map({ payments[k].date <= $0 }) ?? true {
            grouped[Int(i)].append(Int32(k))
        }
        return grouped.map { PaymentList(payments, positions: $0) }
    }

    /// `list` ordered by date, then id (as the engines apply payments). Returns `list` itself when it is
    /// already in that order, as it usually is.
    public static func sortedByDate(_ list: PaymentList) -> PaymentList {
        var sorted = true
        for k in list.indices.dropFirst() {
            let a = list.date(at: k - 1), b = list.date(at: k)
            if b < a || (b == a && list.id(at: k) < list.id(at: k - 1)) { sorted = false; break }
        }
        if sorted { return list }
        let source = list.source
        var positions = list.positions
        positions.sort { (source[Int($0)].date, source[Int($0)].id) < (source[Int($1)].date, source[Int($1)].id) }
        return PaymentList(source, positions: positions)
    }
}
