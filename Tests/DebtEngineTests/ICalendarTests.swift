import Foundation
import Testing
import DebtModel
@testable import DebtEngine

/// Parses an iCalendar text with python3-icalendar (Debian's package, run with /usr/bin/python3,
/// installed by Scripts/test) and expands each RRULE with python-dateutil.
enum RealICalendarParser {
    static let script = #"""
    import datetime, json, sys
    import icalendar
    from dateutil.rrule import rrulestr
    data = open(sys.argv[1], 'rb').read()
    cal = icalendar.Calendar.from_ical(data)
    for component in cal.walk():
        if component.errors:
            sys.exit('%s: %r' % (component.name, component.errors))
    for key in ('VERSION', 'PRODID'):
        if key not in cal:
            sys.exit('calendar without ' + key)
    events = []
    for ev in cal.walk('VEVENT'):
        for key in ('UID', 'DTSTAMP', 'DTSTART', 'SUMMARY'):
            if key not in ev:
                sys.exit('event without ' + key)
        start = ev.decoded('DTSTART')
        if isinstance(start, datetime.datetime) or not isinstance(start, datetime.date):
            sys.exit('not an all-day event: %r' % (start,))
        item = {'uid': str(ev['UID']), 'summary': str(ev['SUMMARY']),
                'description': str(ev.get('DESCRIPTION', '')), 'start': start.isoformat()}
        if 'RRULE' in ev:
            rule = ev['RRULE'].to_ical().decode()
            item['rrule'] = rule
            first = datetime.datetime.combine(start, datetime.time())
            item['dates'] = [d.date().isoformat() for d in rrulestr(rule, dtstart=first)]
        else:
            item['dates'] = [start.isoformat()]
        events.append(item)
    print(json.dumps({'version': str(cal['VERSION']), 'events': events}))
    """#

    struct Event: Decodable {
        var uid: String
        var summary: String
        var description: String
        var start: String
        var rrule: String?
        var dates: [String]
    }

    struct Parsed: Decodable {
        var version: String
        var events: [Event]
        var allDates: [String] { events.flatMap(\.dates).sorted() }
    }

    static func parse(_ text: String) throws -> Parsed {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ics-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("due.ics")
        try Data(text.utf8).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, file.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3-icalendar rejected the file: \(errors)\n\(text)")
        return try JSONDecoder().decode(Parsed.self, from: data)
    }
}

@Suite("iCalendar export: parsed by python3-icalendar, redacted by default")
struct ICalendarTests {
    func doc(_ debts: [Debt]) -> VaultDocument {
        var doc = VaultDocument()
        for d in debts { try! doc.addDebt(d) }
        return doc
    }

    @Test func redactedByDefault() throws {
        var card = Debt(id: "cmb", name: "招商银行 Merchants; Bank, \"Gold\"", terms: .card(CardTerms(
            statementDay: 20, dueDay: 8, statementBalance: cny("5200"), statementDate: date("2026-02-20"))),
                        createdDate: date("2026-01-01"))
        card.accountReference = "6225-8888"
        let vault = doc([loan("100000", "12%", months: 12, first: "2026-03-10", method: .equalInstallment, id: "citybank"), card])
        let export = ICalendar.export(of: vault, today: date("2026-03-01"))
        for secret in ["Bank", "招商", "citybank", "cmb", "8884", "8,884", "520", "6225"] {
            #expect(!export.text.contains(secret), "the redacted calendar contains '\(secret)'")
        }
        let parsed = try RealICalendarParser.parse(export.text)
        #expect(parsed.version == "2.0")
        #expect(Set(parsed.events.map(\.summary)) == ["Debt A payment due", "Debt B payment due"])
        // Debt A: twelve monthly dates on the 10th as one event; debt B: the card's 520.00 minimum on 2026-03-08.
        let a = try #require(parsed.events.first { $0.summary == "Debt A payment due" })
        #expect(a.rrule == "FREQ=MONTHLY;COUNT=12;BYMONTHDAY=10")
        #expect(a.dates.first == "2026-03-10")
        #expect(a.dates.last == "2027-02-10")
        #expect(a.dates.count == 12)
        let b = try #require(parsed.events.first { $0.summary == "Debt B payment due" })
        #expect(b.dates == ["2026-03-08"])
        #expect(export.eventCount == 2)
        #expect(export.dueDateCount == 13)
    }

    @Test func detailAddsNamesAndAmounts() throws {
        let name = "招商银行 Merchants; Bank, \"Gold\" \\ a very long lender name that needs folding across lines"
        var debt = loan("100000", "12%", months: 12, first: "2026-03-10", method: .equalInstallment, id: "citybank")
        debt.name = name
        let export = ICalendar.export(of: doc([debt]), today: date("2026-03-01"), detail: true)
        let parsed = try RealICalendarParser.parse(export.text)
        // Equal installments: 11 equal payments in one series, the last (different) one on its own.
        #expect(parsed.events.count == 2)
        let series = try #require(parsed.events.first { $0.rrule != nil })
        #expect(series.summary == "Pay \(name) (citybank): 8,884.88 CNY", "escaping and folding round-trip exactly")
        #expect(series.dates.count == 11)
        #expect(parsed.allDates.count == 12)
        #expect(parsed.events.allSatisfy { $0.description.contains("citybank") })
        for line in export.text.split(separator: "\r\n", omittingEmptySubsequences: false) {
            #expect(line.utf8.count <= 75, "line longer than 75 octets: \(line)")
        }
        #expect(!export.text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends with CRLF")
        // Equal principal: every amount differs, so one event per date.
        let ep = ICalendar.export(of: doc([loan("120000", "12%", months: 12, first: "2026-03-10", method: .equalPrincipal)]),
                                  today: date("2026-03-01"), detail: true)
        let epParsed = try RealICalendarParser.parse(ep.text)
        #expect(epParsed.events.count == 12)
        #expect(epParsed.events.contains { $0.summary.hasSuffix("11,200.00 CNY") })
    }

    @Test func monthEndDueDaysRecurOnTheLastDay() throws {
        // Due day 31 -> BYMONTHDAY=-1: Jan 31, Feb 28, Mar 31, Apr 30, ...
        let export = ICalendar.export(of: doc([loan("12000", "0%", months: 12, first: "2026-01-31", method: .equalPrincipal)]),
                                      today: date("2026-01-01"))
        let parsed = try RealICalendarParser.parse(export.text)
        #expect(parsed.events.count == 1)
        #expect(parsed.events[0].rrule == "FREQ=MONTHLY;COUNT=12;BYMONTHDAY=-1")
        #expect(Array(parsed.events[0].dates.prefix(4)) == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"])
        let schedule = ScheduleBuilder.schedule(for: loan("12000", "0%", months: 12, first: "2026-01-31", method: .equalPrincipal))
        #expect(parsed.events[0].dates == schedule.map(\.effectiveDueDate.description), "the calendar expands to the schedule's dates")
        // Leap year: Feb 29.
        let leap = try RealICalendarParser.parse(ICalendar.export(
            of: doc([loan("12000", "0%", months: 12, first: "2028-01-31", method: .equalPrincipal)]), today: date("2028-01-01")).text)
        #expect(leap.events[0].dates[1] == "2028-02-29")
        // Due day 30 clamps to Feb 28 and stays on the 30th elsewhere.
        let thirty = try RealICalendarParser.parse(ICalendar.export(
            of: doc([loan("12000", "0%", months: 12, first: "2026-01-30", method: .equalPrincipal)]), today: date("2026-01-01")).text)
        #expect(thirty.events[0].rrule == "FREQ=MONTHLY;COUNT=12;BYMONTHDAY=28,29,30;BYSETPOS=-1")
        #expect(Array(thirty.events[0].dates.prefix(4)) == ["2026-01-30", "2026-02-28", "2026-03-30", "2026-04-30"])
    }

    @Test func weekendShiftedDatesAndPaidLinesAndTheTwelveMonthWindow() throws {
        var shifted = loan("24000", "0%", months: 24, first: "2026-03-14", method: .equalPrincipal)
        shifted.weekendShift = .after
        var vault = doc([shifted])
        try vault.addPayment(debtID: "loan1", date: date("2026-03-16"), amount: cny("1000"))
        let export = ICalendar.export(of: vault, today: date("2026-03-20"))
        let parsed = try RealICalendarParser.parse(export.text)
        let expected = ScheduleBuilder.schedule(for: shifted).map(\.effectiveDueDate)
            .filter { $0 >= date("2026-03-20") && $0 < date("2027-03-20") }.map(\.description)
        #expect(parsed.allDates == expected, "shifted dates, nothing paid or past, twelve months")
        #expect(parsed.allDates.first == "2026-04-14")
        #expect(parsed.allDates.contains("2026-11-16"), "Saturday 2026-11-14 moves to Monday")
        #expect(!parsed.allDates.contains("2026-03-16"), "the paid installment is not in the calendar")
        // An empty vault is still a valid calendar.
        let empty = try RealICalendarParser.parse(ICalendar.export(of: VaultDocument(), today: date("2026-03-20")).text)
        #expect(empty.events.isEmpty)
    }

    @Test func foldingAndEscaping() {
        #expect(ICalendar.escape("a;b,c\\d\ne\u{7}") == "a\\;b\\,c\\\\d\\ne")
        let long = "SUMMARY:" + String(repeating: "银", count: 40)
        let folded = ICalendar.fold(long)
        #expect(folded.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == long)
        #expect(ICalendar.letters(0) == "A")
        #expect(ICalendar.letters(25) == "Z")
        #expect(ICalendar.letters(26) == "AA")
    }
}
