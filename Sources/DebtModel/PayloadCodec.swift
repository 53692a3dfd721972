/// Why a payload could not be decoded. Decoding never traps: every malformed input ends in one of these.
public enum PayloadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The leading version number is not one this build understands.
    case unsupportedVersion(Int)
    /// The input ended while reading the value that starts at `offset`.
    case truncated(offset: Int)
    /// `count` bytes follow the end of the document.
    case trailingBytes(count: Int)
    /// A value read at `offset` is not allowed (bad enum tag, out-of-range number, invalid UTF-8,
    /// broken invariant); `what` names it.
    case invalid(what: String, offset: Int)

    /// A readable message.
    public var description: String {
        switch self {
        case let .unsupportedVersion(v): return "unsupported payload version \(v)"
        case let .truncated(offset): return "payload truncated at byte \(offset)"
        case let .trailingBytes(count): return "\(count) unexpected bytes after the end of the payload"
        case let .invalid(what, offset): return "invalid \(what) at byte \(offset)"
        }
    }
}

// MARK: - Writer

struct ByteWriter {
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always) mutating func u8(_ v: UInt8) { bytes.append(v) }
    @inline(__always) mutating func u16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }
    @inline(__always) mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    @inline(__always) mutating func i64(_ v: Int64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    @inline(__always) mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

    mutating func count(_ n: Int) { u32(UInt32(n)) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { buffer in
            u32(UInt32(buffer.count))
            bytes.append(contentsOf: buffer)
        }
    }

    mutating func optionalString(_ s: String?) {
        if let s { u8(1); string(s) } else { u8(0) }
    }

    @inline(__always) mutating func date(_ d: CivilDate) {
        u16(UInt16(d.y))
        u8(d.m)
        u8(d.d)
    }

    mutating func optionalDate(_ d: CivilDate?) {
        if let d { u8(1); date(d) } else { u8(0) }
    }

    mutating func currency(_ c: Currency) {
        u8(UInt8(c.packed & 0xFF)); u8(UInt8((c.packed >> 8) & 0xFF)); u8(UInt8((c.packed >> 16) & 0xFF))
    }

    mutating func optionalAmount(_ m: Money?) {
        if let m { u8(1); i64(m.minorUnits) } else { u8(0) }
    }

    mutating func optionalMoney(_ m: Money?) {
        if let m { u8(1); currency(m.currency); i64(m.minorUnits) } else { u8(0) }
    }

    mutating func rate(_ r: Rate) { i64(r.percentage.scaled); u8(r.period.rawValue) }

    mutating func optionalRate(_ r: Rate?) {
        if let r { u8(1); rate(r) } else { u8(0) }
    }
}

// MARK: - Reader

struct ByteReader {
    let base: UnsafeRawBufferPointer
    var offset: Int = 0

    init(_ base: UnsafeRawBufferPointer) { self.base = base }

    var remaining: Int { base.count - offset }

    @inline(__always) mutating func need(_ n: Int) throws(PayloadError) {
        guard n <= base.count - offset else { throw .truncated(offset: offset) }
    }

    @inline(__always) mutating func u8() throws(PayloadError) -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return base[offset]
    }

    @inline(__always) mutating func u16() throws(PayloadError) -> UInt16 {
        try need(2)
        defer { offset += 2 }
        return UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always) mutating func u32() throws(PayloadError) -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always) mutating func i64() throws(PayloadError) -> Int64 {
        try need(8)
        defer { offset += 8 }
        return Int64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }

    func invalid(_ what: String, at start: Int) -> PayloadError { .invalid(what: what, offset: start) }

    mutating func flag(_ what: String) throws(PayloadError) -> Bool {
        let start = offset
        switch try u8() {
        case 0: return false
        case 1: return true
        default: throw invalid("\(what) presence flag", at: start)
        }
    }

    /// A u32 element count, checked against the bytes left (each element takes at least `minimumSize` bytes)
    /// and an absolute limit, so a forged count can never cause a huge allocation.
    mutating func count(_ what: String, minimumSize: Int, limit: Int) throws(PayloadError) -> Int {
        let start = offset
        let n = Int(try u32())
        guard n <= limit else { throw invalid("\(what) count \(n)", at: start) }
        guard n <= remaining / max(minimumSize, 1) else { throw .truncated(offset: start) }
        return n
    }

    mutating func string(_ what: String, maxLength: Int, allowEmpty: Bool = true) throws(PayloadError) -> String {
        let start = offset
        let length = Int(try u32())
        guard length <= maxLength, allowEmpty || length > 0 else { throw invalid("\(what) length \(length)", at: start) }
        try need(length)
        let slice = UnsafeRawBufferPointer(rebasing: base[offset..<(offset + length)])
        offset += length
        var ascii = true
        for b in slice where b >= 0x80 { ascii = false; break }
        let s = String(decoding: slice, as: UTF8.self)
        if !ascii {
            guard s.utf8.elementsEqual(slice) else { throw invalid("\(what) (not UTF-8)", at: start) }
        }
        return s
    }

    mutating func optionalString(_ what: String, maxLength: Int) throws(PayloadError) -> String? {
        try flag(what) ? try string(what, maxLength: maxLength) : nil
    }

    @inline(__always) mutating func date(_ what: String) throws(PayloadError) -> CivilDate {
        let start = offset
        try need(4)
        let year = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        let month = Int(base[offset + 2]), day = Int(base[offset + 3])
        offset += 4
        guard let date = CivilDate(year: year, month: month, day: day) else { throw invalid(what, at: start) }
        return date
    }

    mutating func optionalDate(_ what: String) throws(PayloadError) -> CivilDate? {
        try flag(what) ? try date(what) : nil
    }

    mutating func currency(_ what: String) throws(PayloadError) -> Currency {
        let start = offset
        try need(3)
        let packed = UInt32(base[offset]) | UInt32(base[offset + 1]) << 8 | UInt32(base[offset + 2]) << 16
        offset += 3
        guard let c = Currency(packed: packed) else { throw invalid("\(what) currency", at: start) }
        return c
    }

    @inline(__always) mutating func amount(_ what: String, _ currency: Currency) throws(PayloadError) -> Money {
        let start = offset
        let v = try i64()
        guard let m = Money(minorUnits: v, currency: currency) else { throw invalid("\(what) amount", at: start) }
        return m
    }

    mutating func optionalAmount(_ what: String, _ currency: Currency) throws(PayloadError) -> Money? {
        try flag(what) ? try amount(what, currency) : nil
    }

    mutating func optionalMoney(_ what: String) throws(PayloadError) -> Money? {
        guard try flag(what) else { return nil }
        let c = try currency(what)
        return try amount(what, c)
    }

    mutating func percentage(_ what: String) throws(PayloadError) -> Percentage {
        let start = offset
        guard let p = Percentage(scaled: try i64()) else { throw invalid(what, at: start) }
        return p
    }

    mutating func rate(_ what: String) throws(PayloadError) -> Rate {
        let p = try percentage(what)
        let start = offset
        guard let period = RatePeriod(rawValue: try u8()) else { throw invalid("\(what) period", at: start) }
        return Rate(p, per: period)
    }

    mutating func optionalRate(_ what: String) throws(PayloadError) -> Rate? {
        try flag(what) ? try rate(what) : nil
    }

    mutating func small(_ what: String, _ range: ClosedRange<Int>) throws(PayloadError) -> Int {
        let start = offset
        let v = Int(try u8())
        guard range.contains(v) else { throw invalid(what, at: start) }
        return v
    }

    mutating func medium(_ what: String, _ range: ClosedRange<Int>) throws(PayloadError) -> Int {
        let start = offset
        let v = Int(try u16())
        guard range.contains(v) else { throw invalid(what, at: start) }
        return v
    }
}

// MARK: - Document codec

extension VaultDocument {
    /// The payload format version written by ``encode()``; other versions are refused by the decoder.
    public static let payloadVersion: UInt16 = 1

    /// Encodes the whole document in the compact binary payload format v1 (see docs/payload.md).
    /// Deterministic: equal documents give identical bytes.
    public func encode() -> [UInt8] {
        var w = ByteWriter(capacity: 64 + debts.count * 160 + payments.count * 22)
        w.u16(VaultDocument.payloadVersion)
        w.settings(settings)
        w.u32(UInt32(nextPaymentID))
        w.count(debts.count)
        for debt in debts { w.debt(debt) }
        w.count(payments.count)
        for (k, p) in payments.enumerated() {
            w.u32(UInt32(p.id))
            w.u32(UInt32(paymentDebtIndices[k]))
            w.date(p.date)
            w.i64(p.amount.minorUnits)
            w.optionalString(p.note)
        }
        w.count(undoHistory.count)
        for e in undoHistory { w.entry(e) }
        w.count(redoHistory.count)
        for e in redoHistory { w.entry(e) }
        return w.bytes
    }

    /// Decodes a payload produced by ``encode()``.
    ///
    /// Strict: the version must be 1, every length and count must fit the input exactly, every enum
    /// tag and flag must be a defined value, every amount, date, rate and debt must be valid, the
    /// document invariants must hold, and no byte may follow the document.
    /// - Throws: ``PayloadError``; never traps on any input.
    public init(decoding bytes: UnsafeRawBufferPointer) throws(PayloadError) {
        var r = ByteReader(bytes)
        let version = try r.u16()
        guard version == VaultDocument.payloadVersion else { throw .unsupportedVersion(Int(version)) }
        self.init()
        settings = try r.settings()
        let nextStart = r.offset
        let next = Int(try r.u32())
        guard next >= 1, next <= VaultDocument.maximumPaymentID + 1 else { throw r.invalid("next payment id", at: nextStart) }
        nextPaymentID = next

        let debtCount = try r.count("debt", minimumSize: 40, limit: VaultDocument.maximumDebts)
        debts.reserveCapacity(debtCount)
        var seen = Set<String>(minimumCapacity: debtCount)
        for _ in 0..<debtCount {
            let start = r.offset
            let debt = try r.debt()
            guard seen.insert(debt.id).inserted else { throw r.invalid("duplicate debt id", at: start) }
            debts.append(debt)
        }

        let paymentCount = try r.count("payment", minimumSize: 21, limit: VaultDocument.maximumPaymentID)
        payments.reserveCapacity(paymentCount)
        paymentDebtIndices.reserveCapacity(paymentCount)
        var previousID = 0
        for _ in 0..<paymentCount {
            let start = r.offset
            let id = Int(try r.u32())
            guard id > previousID, id < next else { throw r.invalid("payment id \(id) (not increasing or not below the next id)", at: start) }
            previousID = id
            let indexStart = r.offset
            let index = Int(try r.u32())
            guard index < debts.count else { throw r.invalid("payment debt index", at: indexStart) }
            let date = try r.date("payment date")
            let amountStart = r.offset
            let minor = try r.i64()
            guard minor > 0, minor <= Money.maximumMinorUnits else { throw r.invalid("payment amount", at: amountStart) }
            let note = try r.optionalString("payment note", maxLength: Payment.maximumNoteLength)
            let debt = debts[index]
            payments.append(Payment(id: id, debtID: debt.id, date: date, amount: Money(unchecked: minor, currency: debt.currency), note: note))
            paymentDebtIndices.append(Int32(index))
        }

        let undoCount = try r.count("undo entry", minimumSize: 8, limit: VaultDocument.historyLimit)
        for _ in 0..<undoCount { undoHistory.append(try r.entry()) }
        let redoCount = try r.count("redo entry", minimumSize: 8, limit: VaultDocument.historyLimit)
        for _ in 0..<redoCount { redoHistory.append(try r.entry()) }
        guard r.remaining == 0 else { throw .trailingBytes(count: r.remaining) }
    }

    /// Decodes a payload from any byte collection (copied to contiguous memory if needed).
    /// - Throws: ``PayloadError``.
    public init<Bytes: Collection>(decoding bytes: Bytes) throws(PayloadError) where Bytes.Element == UInt8 {
        let result: Result<VaultDocument, PayloadError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(PayloadError) in try VaultDocument(decoding: UnsafeRawBufferPointer(buffer)) }
        }
        if let result {
            self = try result.get()
        } else {
            let array = Array(bytes)
            let copied: Result<VaultDocument, PayloadError> = array.withUnsafeBytes { raw in
                Result { () throws(PayloadError) in try VaultDocument(decoding: raw) }
            }
            self = try copied.get()
        }
    }
}

extension ByteWriter {
    mutating func settings(_ s: Settings) {
        currency(s.defaultCurrency)
        optionalMoney(s.monthlyIncome)
        optionalMoney(s.monthlyExpenses)
        if let payday = s.payday { u8(1); u8(UInt8(payday)) } else { u8(0) }
        if let salt = s.exportSalt { u8(1); u8(UInt8(salt.count)); bytes.append(contentsOf: salt) } else { u8(0) }
    }

    mutating func debt(_ d: Debt) {
        string(d.id)
        string(d.name)
        optionalString(d.accountReference)
        optionalString(d.notes)
        currency(d.currency)
        u8(d.kind.rawValue)
        switch d.terms {
        case let .loan(t):
            i64(t.principal.minorUnits); rate(t.rate); u16(UInt16(t.months)); date(t.firstDueDate)
            u8(UInt8(t.dueDay)); u8(t.method.rawValue)
        case let .installment(t):
            i64(t.principal.minorUnits); u16(UInt16(t.months)); rate(t.fee); date(t.firstDueDate); u8(UInt8(t.dueDay))
        case let .card(t):
            optionalAmount(t.creditLimit); u8(UInt8(t.statementDay)); u8(UInt8(t.dueDay))
            i64(t.statementBalance.minorUnits); date(t.statementDate)
            switch t.minimumPayment {
            case let .percent(p, floor): u8(0); i64(p.scaled); optionalAmount(floor)
            case let .fixed(m): u8(1); i64(m.minorUnits)
            }
        case let .informal(t):
            i64(t.amount.minorUnits); optionalDate(t.dueDate); optionalRate(t.rate)
        }
        u32(UInt32(d.penaltyMultiplier.thousandths))
        u8(UInt8(d.leadDays.count))
        for day in d.leadDays { u16(UInt16(day)) }
        u16(UInt16(d.graceDays))
        i64(d.tolerance.minorUnits)
        optionalRate(d.dailyRate)
        switch d.latePenalty {
        case .none: u8(0)
        case let .percentOfUnpaidMinimum(p, floor, cap): u8(1); i64(p.scaled); optionalAmount(floor); optionalAmount(cap)
        case let .fixed(m): u8(2); i64(m.minorUnits)
        }
        date(d.createdDate)
        if let c = d.closure { u8(1); date(c.date); u8(c.reason.rawValue) } else { u8(0) }
        optionalDate(d.snoozedUntil)
        u8(d.weekendShift.rawValue)
        optionalDate(d.promoUntil)
        u16(UInt16(d.overdueReminderCapDays))
    }

    mutating func entry(_ e: HistoryEntry) {
        string(e.description)
        count(e.inverse.count)
        for op in e.inverse {
            switch op {
            case let .insertDebt(d, index): u8(0); u32(UInt32(index)); debt(d)
            case let .deleteDebt(id): u8(1); string(id)
            case let .replaceDebt(d): u8(2); debt(d)
            case let .insertPayments(ps):
                u8(3); count(ps.count)
                for p in ps {
                    u32(UInt32(p.id)); string(p.debtID); date(p.date); currency(p.amount.currency)
                    i64(p.amount.minorUnits); optionalString(p.note)
                }
            case let .deletePayments(ids):
                u8(4); count(ids.count)
                for id in ids { u32(UInt32(id)) }
            case let .replaceSettings(s): u8(5); settings(s)
            }
        }
    }
}

extension ByteReader {
    mutating func settings() throws(PayloadError) -> Settings {
        let start = offset
        var s = Settings(defaultCurrency: try currency("default"))
        s.monthlyIncome = try optionalMoney("income")
        s.monthlyExpenses = try optionalMoney("expenses")
        if try flag("payday") { s.payday = try small("payday", 1...31) }
        if try flag("export salt") {
            let n = try small("export salt length", 1...64)
            try need(n)
            s.exportSalt = Array(base[offset..<(offset + n)])
            offset += n
        }
        do { try s.validate() } catch { throw invalid("settings (\(error))", at: start) }
        return s
    }

    mutating func debt() throws(PayloadError) -> Debt {
        let start = offset
        let id = try string("debt id", maxLength: Debt.maximumIDLength, allowEmpty: false)
        let name = try string("debt name", maxLength: Debt.maximumNameLength)
        let account = try optionalString("account reference", maxLength: Debt.maximumAccountReferenceLength)
        let notes = try optionalString("notes", maxLength: Debt.maximumNotesLength)
        let c = try currency("debt")
        let kindStart = offset
        guard let kind = DebtKind(rawValue: try u8()) else { throw invalid("debt kind", at: kindStart) }
        let terms: DebtTerms
        switch kind {
        case .loan:
            let principal = try amount("principal", c)
            let rate = try rate("rate")
            let months = try medium("months", 1...600)
            let first = try date("first due date")
            let dueDay = try small("due day", 1...31)
            let methodStart = offset
            guard let method = RepaymentMethod(rawValue: try u8()) else { throw invalid("repayment method", at: methodStart) }
            terms = .loan(LoanTerms(principal: principal, rate: rate, months: months, firstDueDate: first, dueDay: dueDay, method: method))
        case .installment:
            let principal = try amount("principal", c)
            let months = try medium("months", 1...600)
            let fee = try rate("fee")
            let first = try date("first due date")
            let dueDay = try small("due day", 1...31)
            terms = .installment(InstallmentTerms(principal: principal, months: months, fee: fee, firstDueDate: first, dueDay: dueDay))
        case .card:
            let limit = try optionalAmount("credit limit", c)
            let statementDay = try small("statement day", 1...31)
            let dueDay = try small("due day", 1...31)
            let balance = try amount("statement balance", c)
            let statementDate = try date("statement date")
            let ruleStart = offset
            let rule: MinimumPaymentRule
            switch try u8() {
            case 0:
                let p = try percentage("minimum payment percentage")
                rule = .percent(p, floor: try optionalAmount("minimum payment floor", c))
            case 1:
                rule = .fixed(try amount("minimum payment", c))
            default:
                throw invalid("minimum payment rule", at: ruleStart)
            }
            terms = .card(CardTerms(creditLimit: limit, statementDay: statementDay, dueDay: dueDay, statementBalance: balance, statementDate: statementDate, minimumPayment: rule))
        case .informal:
            let amount = try amount("amount", c)
            let due = try optionalDate("due date")
            let rate = try optionalRate("rate")
            terms = .informal(InformalTerms(amount: amount, dueDate: due, rate: rate))
        }
        var d = Debt(id: id, name: name, terms: terms, createdDate: CivilDate(year: 2000, month: 1, day: 1)!)
        d.accountReference = account
        d.notes = notes
        d.currency = c
        let multiplierStart = offset
        guard let multiplier = Multiplier(thousandths: Int32(truncatingIfNeeded: try u32())) else { throw invalid("penalty multiplier", at: multiplierStart) }
        d.penaltyMultiplier = multiplier
        let leadCount = try small("lead day count", 0...10)
        var lead: [Int] = []
        lead.reserveCapacity(leadCount)
        for _ in 0..<leadCount { lead.append(try medium("lead day", 0...365)) }
        d.leadDays = lead
        d.graceDays = try medium("grace days", 0...365)
        d.tolerance = try amount("tolerance", c)
        d.dailyRate = try optionalRate("daily rate")
        let penaltyStart = offset
        switch try u8() {
        case 0: d.latePenalty = .none
        case 1:
            let p = try percentage("late penalty percentage")
            let floor = try optionalAmount("late penalty floor", c)
            let cap = try optionalAmount("late penalty cap", c)
            d.latePenalty = .percentOfUnpaidMinimum(p, floor: floor, cap: cap)
        case 2: d.latePenalty = .fixed(try amount("late penalty", c))
        default: throw invalid("late penalty rule", at: penaltyStart)
        }
        d.createdDate = try date("created date")
        if try flag("closure") {
            let closed = try date("closed date")
            let reasonStart = offset
            guard let reason = CloseReason(rawValue: try u8()) else { throw invalid("close reason", at: reasonStart) }
            d.closure = Closure(date: closed, reason: reason)
        }
        d.snoozedUntil = try optionalDate("snoozed until")
        let shiftStart = offset
        guard let shift = WeekendShift(rawValue: try u8()) else { throw invalid("weekend shift", at: shiftStart) }
        d.weekendShift = shift
        d.promoUntil = try optionalDate("promo until")
        d.overdueReminderCapDays = try medium("overdue reminder cap", 0...3650)
        do { try d.validate() } catch { throw invalid("debt (\(error))", at: start) }
        return d
    }

    mutating func entry() throws(PayloadError) -> HistoryEntry {
        let description = try string("history description", maxLength: 1_000)
        let opCount = try count("history operation", minimumSize: 2, limit: HistoryEntry.maximumOperations)
        var ops: [HistoryOperation] = []
        for _ in 0..<opCount {
            let tagStart = offset
            switch try u8() {
            case 0:
                let indexStart = offset
                let index = Int(try u32())
                guard index <= VaultDocument.maximumDebts else { throw invalid("debt index", at: indexStart) }
                ops.append(.insertDebt(try debt(), at: index))
            case 1:
                let id = try string("debt id", maxLength: Debt.maximumIDLength, allowEmpty: false)
                do { try Debt.validateID(id) } catch { throw invalid("debt id", at: tagStart + 1) }
                ops.append(.deleteDebt(id: id))
            case 2:
                ops.append(.replaceDebt(try debt()))
            case 3:
                let n = try count("payment", minimumSize: 21, limit: VaultDocument.maximumPaymentID)
                var ps: [Payment] = []
                ps.reserveCapacity(n)
                var previous = 0
                for _ in 0..<n {
                    let idStart = offset
                    let id = Int(try u32())
                    guard id > previous else { throw invalid("payment id", at: idStart) }
                    previous = id
                    let debtStart = offset
                    let debtID = try string("payment debt id", maxLength: Debt.maximumIDLength, allowEmpty: false)
                    do { try Debt.validateID(debtID) } catch { throw invalid("payment debt id", at: debtStart) }
                    let date = try date("payment date")
                    let c = try currency("payment")
                    let amountStart = offset
                    let money = try amount("payment", c)
                    guard money.minorUnits > 0 else { throw invalid("payment amount", at: amountStart) }
                    let note = try optionalString("payment note", maxLength: Payment.maximumNoteLength)
                    ps.append(Payment(id: id, debtID: debtID, date: date, amount: money, note: note))
                }
                ops.append(.insertPayments(ps))
            case 4:
                let n = try count("payment id", minimumSize: 4, limit: VaultDocument.maximumPaymentID)
                var ids: [Int] = []
                ids.reserveCapacity(n)
                for _ in 0..<n { ids.append(Int(try u32())) }
                ops.append(.deletePayments(ids: ids))
            case 5:
                ops.append(.replaceSettings(try settings()))
            default:
                throw invalid("history operation", at: tagStart)
            }
        }
        return HistoryEntry(description: description, inverse: ops)
    }
}
