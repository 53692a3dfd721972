#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DebtEngine
import DebtModel

enum RemindCommand: Command {
    static let spec = CommandSpec(
        name: "remind", abstract: "what needs paying today and soon, what is overdue",
        usage: "vault remind [--days N] [--all] [--quiet] [--notify] [--ics FILE [--ics-detail]] [--json] [--today YYYY-MM-DD]",
        discussion: """
        One line per debt that needs attention, most urgent first, grouped OVERDUE, IN GRACE, DUE TODAY
        and DUE SOON, then the totals to pay today and over the next 7 days. A debt is mentioned only on
        its lead days (default 3, 1 and 0 days before the due date; 'vault edit ID --lead-days 7,3,0'),
        while in grace, and once a day while overdue, for at most 30 days; it is silent once the amount
        due is paid (an unpaid remainder within the tolerance counts as paid) and while snoozed
        ('vault snooze ID'). Nothing is written to the vault. See docs/reminders.md for running it every
        morning from a systemd user timer or cron.
        """,
        options: [
            OptionSpec("days", value: "N", "list everything due from today through N days ahead, ignoring lead days"),
            OptionSpec("all", "also show snoozed debts and overdue debts past their reminder cap"),
            OptionSpec("quiet", short: "q", "print nothing and exit 0 when nothing needs attention; else print and exit 10"),
            OptionSpec("notify", "send the reminders as one desktop notification (notify-send); prints them when there is no session bus"),
            OptionSpec("ics", value: "FILE", "also write the next 12 months of due dates to FILE (iCalendar; titles redacted)"),
            OptionSpec("ics-detail", "with --ics: put lender names, ids and amounts in the calendar events"),
        ],
        examples: [
            "vault remind",
            "vault remind --days 30                     # a month view",
            "vault remind --quiet --passphrase-command 'secret-tool lookup app debt-vault'   # exit 10: something to say",
            "vault remind --notify --ics ~/.local/share/debt-vault/due.ics",
        ],
        takesJSON: true, takesToday: true)

    /// How many days ahead the summary's second total looks.
    static let summaryDays = 7
    /// How many months the calendar file covers.
    static let calendarMonths = 12

    static func run(_ inv: Invocation) throws -> ExitStatus {
        // Flag combinations first, before asking for a passphrase.
        var windowDays: Int?
        if let text = inv.args.value("days") {
            guard !text.isEmpty, text.count <= 4, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(text), n <= 3660 else {
                throw CLIError.usage("--days needs a whole number of days from 0 to 3660, got '\(text)'", command: spec.name)
            }
            windowDays = n
        }
        let quiet = inv.args.has("quiet"), notify = inv.args.has("notify")
        if inv.json && notify {
            throw CLIError.usage("--notify cannot be combined with --json", hint: "use --json for scripts, --notify for the desktop", command: spec.name)
        }
        let icsPath = inv.args.value("ics")
        if inv.args.has("ics-detail") && icsPath == nil {
            throw CLIError.usage("--ics-detail needs --ics FILE", hint: "did you mean 'vault remind --ics FILE --ics-detail'?", command: spec.name)
        }
        if let icsPath, icsPath.isEmpty || icsPath == "-" || icsPath.hasSuffix("/") {
            throw CLIError.usage("--ics needs a file name, got '\(icsPath)'", command: spec.name)
        }

        let today = try inv.today()
        let (_, _, doc) = try inv.loadDocument()
        let options = ReminderOptions(windowDays: windowDays, includeSilenced: inv.args.has("all"), summaryDays: summaryDays)
        let (states, report) = inv.timings.measure("compute") { () -> ([DebtState], ReminderReport) in
            let states = DebtCalculator.states(of: doc, asOf: today, includeClosed: false)
            return (states, ReminderEngine.reminders(for: states, today: today, options: options))
        }

        // The calendar file is written only once it is complete; a failure leaves no file.
        var calendar: CalendarExport?
        if let icsPath {
            let export = ICalendar.export(states: states, today: today, months: calendarMonths, detail: inv.args.has("ics-detail"))
            try AtomicFile.write(Array(export.text.utf8), to: icsPath)
            calendar = export
            if !quiet && !inv.json {
                inv.err.line("wrote \(export.dueDateCount) due date\(export.dueDateCount == 1 ? "" : "s") (\(export.eventCount) event\(export.eventCount == 1 ? "" : "s")) to \(icsPath)"
                             + (inv.args.has("ics-detail") ? " with lender names and amounts" : ", titles redacted"))
            }
        }
        let status: ExitStatus = quiet && report.needsAttention ? .attention : .success
        if quiet && !report.needsAttention { return .success }

        if inv.json {
            inv.out.line(json(report, calendar: calendar.map { ($0, icsPath!) }).render())
            return status
        }
        if notify {
            if !report.needsAttention {
                inv.out.line(nothingText(report))
                return status
            }
            switch DesktopNotifier.send(title: notificationTitle(report), body: notificationBody(report), urgent: report.reminders.contains { $0.group <= .inGrace },
                                        environment: inv.context.environment) {
            case .sent:
                if !quiet { inv.err.line("sent a desktop notification (\(report.reminders.count) reminder\(report.reminders.count == 1 ? "" : "s"))") }
                return status
            case let .unavailable(reason):
                inv.err.line("no desktop notification: \(reason); printing instead")
            }
        }
        inv.out.write(text(report))
        return status
    }

    // MARK: text

    static func text(_ report: ReminderReport) -> String {
        guard report.needsAttention else { return nothingText(report) + "\n" }
        var out = ""
        if let n = report.options.windowDays {
            out += "everything due from \(report.date) through \(report.date.adding(days: n) ?? report.date) (\(n) day\(n == 1 ? "" : "s")), and what is past due\n"
        } else {
            out += "reminders for \(report.date)\n"
        }
        let sizer = TextTable(header: [], rightAligned: [])
        let idWidth = report.reminders.map { sizer.displayWidth($0.debt.id) }.max() ?? 0
        let nameWidth = min(32, report.reminders.map { sizer.displayWidth($0.debt.name) }.max() ?? 0)
        let amountWidth = report.reminders.map { amountText($0).count }.max() ?? 0
        func padRight(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - sizer.displayWidth(s))) }
        var group: ReminderGroup?
        for r in report.reminders {
            if r.group != group {
                out += "\n\(r.group.title)\n"
                group = r.group
            }
            var name = r.debt.name
            if sizer.displayWidth(name) > nameWidth {
                while sizer.displayWidth(name) > nameWidth - 1 { name.removeLast() }
                name += "…"
            }
            let amount = amountText(r)
            out += "  " + padRight(r.debt.id, idWidth) + "  " + padRight(name, nameWidth) + "  "
                + String(repeating: " ", count: amountWidth - amount.count) + amount
                + "  due \(r.dueDate)  " + action(r) + silenceNote(r) + "\n"
        }
        out += "\n" + summaryLine(report) + "\n"
        if let note = silencedNote(report) { out += note + "\n" }
        return out
    }

    static func nothingText(_ report: ReminderReport) -> String {
        var text = report.options.windowDays.map { "nothing due from \(report.date) through \(report.date.adding(days: $0) ?? report.date)" }
            ?? "nothing needs attention on \(report.date)"
        if !report.totals.isEmpty { text += "\n" + summaryLine(report) }
        if let note = silencedNote(report) { text += "\n" + note }
        return text
    }

    static func amountText(_ r: Reminder) -> String { "\(r.amountDue.groupedString) \(r.amountDue.currency.code)" }

    /// What to do about one line.
    static func action(_ r: Reminder) -> String {
        switch r.group {
        case .overdue:
            var text = "overdue \(r.daysOverdue) day\(r.daysOverdue == 1 ? "" : "s"): pay now"
            var penalties: [String] = []
            if r.penaltyInterest.isPositive { penalties.append("about \(r.penaltyInterest.groupedString) penalty interest") }
            if r.latePenalty.isPositive { penalties.append("\(r.latePenalty.groupedString) late penalty") }
            if !penalties.isEmpty { text += "; " + penalties.joined(separator: " and ") + " so far" }
            return text + "; may be reported to the credit bureau since \(r.reportableFrom)"
        case .inGrace:
            let left = r.daysUntilReportable
            return "pay by \(r.payBy) to keep it on time (credit reporting possible in \(left) day\(left == 1 ? "" : "s"))"
        case .dueToday:
            return "pay today"
        case .dueSoon:
            return r.daysUntilDue == 1 ? "due tomorrow" : "due in \(r.daysUntilDue) days"
        }
    }

    static func silenceNote(_ r: Reminder) -> String {
        switch r.silence {
        case let .snoozed(until)?: return " [snoozed until \(until)]"
        case let .pastOverdueCap(days)?: return " [reminders stopped after \(r.debt.overdueReminderCapDays) days; \(days) days overdue]"
        case nil: return ""
        }
    }

    static func summaryLine(_ report: ReminderReport) -> String {
        guard !report.totals.isEmpty else { return "nothing due in the next \(report.options.summaryDays) days" }
        let today = report.totals.map { "\($0.today.groupedString) \($0.currency.code)" }.joined(separator: ", ")
        let upcoming = report.totals.map { "\($0.upcoming.groupedString) \($0.currency.code)" }.joined(separator: ", ")
        return "to pay today: \(today); today and the next \(report.options.summaryDays) days (through \(report.upcomingThrough)): \(upcoming)"
    }

    static func silencedNote(_ report: ReminderReport) -> String? {
        var parts: [String] = []
        if report.snoozedCount > 0 { parts.append("\(report.snoozedCount) snoozed") }
        if report.pastCapCount > 0 { parts.append("\(report.pastCapCount) overdue past the reminder cap") }
        guard !parts.isEmpty else { return nil }
        return "not shown: " + parts.joined(separator: ", ") + " (see them with --all; 'vault list' shows every status)"
    }

    // MARK: notification

    static func notificationTitle(_ report: ReminderReport) -> String {
        var counts: [String] = []
        for g in ReminderGroup.allCases {
            let n = report.reminders.filter { $0.group == g }.count
            if n > 0 { counts.append("\(n) \(g.title.lowercased())") }
        }
        return "debt-vault: " + counts.joined(separator: ", ")
    }

    /// The reminders without lender names: a notification's text passes through notify-send's
    /// command line, which other local users can read in the process list.
    static func notificationBody(_ report: ReminderReport) -> String {
        var lines = report.reminders.map { r in
            "\(r.group.title) \(r.debt.id): \(amountText(r)) due \(r.dueDate) — \(shortAction(r))"
        }
        lines.append(summaryLine(report))
        return lines.joined(separator: "\n")
    }

    static func shortAction(_ r: Reminder) -> String {
        switch r.group {
        case .overdue: return "\(r.daysOverdue) days overdue, pay now"
        case .inGrace: return "pay by \(r.payBy)"
        case .dueToday: return "pay today"
        case .dueSoon: return r.daysUntilDue == 1 ? "tomorrow" : "in \(r.daysUntilDue) days"
        }
    }

    // MARK: JSON

    static func json(_ report: ReminderReport, calendar: (CalendarExport, String)?) -> JSON {
        var fields: [(String, JSON)] = [
            ("date", DebtJSON.date(report.date)),
            ("window_days", report.options.windowDays.map { .int(Int64($0)) } ?? .null),
            ("needs_attention", .bool(report.needsAttention)),
            ("reminders", .array(report.reminders.map { r in
                .object([
                    ("group", .string(r.group.code)), ("id", .string(r.debt.id)), ("name", .string(r.debt.name)),
                    ("kind", .string(r.debt.kind.description)), ("currency", .string(r.debt.currency.code)),
                    ("amount_due", DebtJSON.money(r.amountDue)), ("due_date", DebtJSON.date(r.dueDate)),
                    ("days_until_due", .int(Int64(r.daysUntilDue))), ("days_overdue", .int(Int64(r.daysOverdue))),
                    ("pay_by", DebtJSON.date(r.payBy)), ("reportable_from", DebtJSON.date(r.reportableFrom)),
                    ("days_until_reportable", .int(Int64(r.daysUntilReportable))),
                    ("penalty_interest", DebtJSON.money(r.penaltyInterest)), ("late_penalty", DebtJSON.money(r.latePenalty)),
                    ("action", .string(action(r))),
                    ("silenced", r.silence.map { .string($0.code) } ?? .null),
                    ("snoozed_until", DebtJSON.date(r.debt.snoozedUntil)),
                ])
            })),
            ("totals", .array(report.totals.map { t in
                .object([("currency", .string(t.currency.code)), ("today", DebtJSON.money(t.today)),
                         ("next_\(report.options.summaryDays)_days", DebtJSON.money(t.upcoming)),
                         ("through", DebtJSON.date(report.upcomingThrough))])
            })),
            ("not_shown", .object([("snoozed", .int(Int64(report.snoozedCount))), ("past_overdue_cap", .int(Int64(report.pastCapCount)))])),
        ]
        if let calendar {
            fields.append(("ics", .object([("path", .string(calendar.1)), ("events", .int(Int64(calendar.0.eventCount))),
                                           ("due_dates", .int(Int64(calendar.0.dueDateCount)))])))
        }
        return .object(fields)
    }
}

enum SnoozeCommand: Command {
    static let spec = CommandSpec(
        name: "snooze", abstract: "silence one debt's reminders until a date (default tomorrow)",
        usage: "vault snooze <id> [--until YYYY-MM-DD | --clear]",
        discussion: """
        'vault remind' says nothing about the debt before the date and resumes on it. The snooze is kept
        in the vault and shown by 'vault show'; 'vault list' still shows the debt's status, overdue or
        not. 'vault undo' takes a snooze back.
        """,
        arguments: [("<id>", "the debt to snooze")],
        options: [OptionSpec("until", value: "YYYY-MM-DD", "first day reminders come back (default: tomorrow)"),
                  OptionSpec("clear", "remove the snooze")],
        examples: ["vault snooze card1", "vault snooze loan1 --until 2027-02-01", "vault snooze loan1 --clear"],
        takesJSON: true, takesToday: true, takesWait: true, maxPositionals: 1, minPositionals: 1)

    static func run(_ inv: Invocation) throws -> ExitStatus {
        let id = inv.args.positionals[0]
        let today = try inv.today()
        let clear = inv.args.has("clear")
        if clear && inv.args.value("until") != nil {
            throw CLIError.usage("--until and --clear cannot be combined", command: spec.name)
        }
        var until: CivilDate?
        if !clear {
            if let text = inv.args.value("until") {
                let date = try CivilDate.parse(text, field: "until")
                guard date > today else {
                    throw CLIError.usage("--until \(date) is not after today (\(today))", hint: "give a later date, or --clear to end a snooze", command: spec.name)
                }
                until = date
            } else {
                guard let tomorrow = today.adding(days: 1) else { throw CLIError.usage("no day after \(today)", command: spec.name) }
                until = tomorrow
            }
        }
        guard let (_, doc) = try inv.changeDocument({ doc -> Change in
            guard var debt = doc.debt(id: id) else { throw VaultChangeError.unknownDebt(id) }
            guard debt.isOpen else { throw VaultChangeError.debtClosed(id) }
            debt.snoozedUntil = until
            return try doc.editDebt(debt)
        }) else { return .failure }
        let debt = doc.debt(id: id)!
        let state = DebtCalculator.state(of: debt, payments: doc.payments(forDebt: id), asOf: today)
        if inv.json {
            var fields = DebtJSON.fields(state)
            fields.append(("snoozed_until", DebtJSON.date(debt.snoozedUntil)))
            inv.out.line(JSON.object(fields).render())
            return .success
        }
        if let until {
            inv.out.line("reminders for \(id) snoozed until \(until): 'vault remind' says nothing about it before then")
            if case .overdue = state.status {
                inv.out.line("note: \(id) is \(state.status); 'vault list' still shows it")
            }
        } else {
            inv.out.line("reminders for \(id) are on again")
        }
        return .success
    }
}

/// Sends one desktop notification through notify-send (libnotify).
enum DesktopNotifier {
    enum Outcome: Equatable {
        case sent
        case unavailable(String)
    }

    /// notify-send on the PATH (the context's, else the process's, else the usual directories).
    static func locate(environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where dir.hasPrefix("/") {
            let candidate = String(dir) + "/notify-send"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    static func send(title: String, body: String, urgent: Bool, environment: [String: String]) -> Outcome {
        guard let bus = environment["DBUS_SESSION_BUS_ADDRESS"], !bus.isEmpty else {
            return .unavailable("no desktop session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
        }
        guard let program = locate(environment: environment) else {
            return .unavailable("notify-send is not installed (Debian: apt install libnotify-bin)")
        }
        let args = [program, "--app-name=debt-vault", "--urgency=\(urgent ? "critical" : "normal")", title, body]
        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program, nil, nil, argv, environ)
        guard rc == 0 else { return .unavailable("cannot run \(program): \(String(cString: strerror(rc)))") }
        // notify-send returns at once; do not let a stuck session bus hold a morning timer forever.
        var status: Int32 = 0
        for _ in 0..<1000 {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                let exited = (status & 0x7f) == 0
                return exited && (status >> 8) & 0xff == 0 ? .sent : .unavailable("notify-send failed")
            }
            if r < 0 && errno != EINTR { return .unavailable("notify-send failed") }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        return .unavailable("notify-send did not finish within 10 seconds")
    }
}

/// Writes a file the user asked for without ever leaving a half-written one: a new 0600 file in
/// the same directory, fsync, rename over the target, fsync the directory.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws(CLIError) {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        func fail(_ what: String, _ code: Int32 = errno) -> CLIError {
            CLIError("cannot write \(path): \(what): \(String(cString: strerror(code)))",
                     hint: "check that the directory exists and is writable", status: .cannotWrite)
        }
        var template = Array((dir + "/." + base + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw fail("cannot create a temporary file in \(dir)") }
        let temp = String(cString: template)
        var ok = false
        defer { if !ok { unlink(temp) } }
        guard fchmod(fd, 0o600) == 0 else { let e = errno; close(fd); throw fail("chmod", e) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { let e = errno; close(fd); throw fail("write", e) }
            done += n
        }
        guard fsync(fd) == 0 else { let e = errno; close(fd); throw fail("fsync", e) }
        guard close(fd) == 0 else { throw fail("close") }
        guard rename(temp, path) == 0 else { throw fail("rename") }
        ok = true
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }
}
