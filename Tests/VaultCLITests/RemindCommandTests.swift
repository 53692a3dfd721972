#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import VaultCLI

/// `vault remind` and `vault snooze` through the real binary and a real encrypted vault.
@Suite struct RemindCommandTests {
    /// A vault with one 120,000 equal-principal loan due 2026-03-10 (11,200.00), created 2026-01-01.
    func loanVault() throws -> DebtTestVault {
        let v = try DebtTestVault()
        try v.add(["--kind", "loan", "--id", "loan1", "--name", "City Bank", "--principal", "120000", "--rate", "12%", "--months", "12",
                   "--first-due", "2026-03-10", "--method", "equal-principal"], today: "2026-01-01")
        return v
    }

    @Test func quietExitsZeroSilentlyOrTenWithOutput() throws {
        let v = try loanVault()
        let nothing = try v.run(["remind", "--quiet"], today: "2026-03-08")
        #expect(nothing.status == 0, "\(nothing)")
        #expect(nothing.stdout.isEmpty && nothing.stderr.isEmpty, "--quiet prints nothing when nothing needs attention: \(nothing)")
        let something = try v.run(["remind", "--quiet"], today: "2026-03-09")
        #expect(something.status == 10, "something to say exits 10: \(something)")
        #expect(something.stdout.contains("DUE SOON") && something.stdout.contains("loan1") && something.stdout.contains("11,200.00 CNY"))
        let jsonQuiet = try v.run(["remind", "--quiet", "--json"], today: "2026-03-10")
        #expect(jsonQuiet.status == 10)
        #expect(try jsonQuiet.jsonObject()["needs_attention"] as? Bool == true)
        // Without --quiet the status is 0 either way.
        let plain = try v.run(["remind"], today: "2026-03-08")
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("nothing needs attention on 2026-03-08"), "\(plain)")
        #expect(plain.stdout.contains("to pay today: 0.00 CNY; today and the next 7 days (through 2026-03-15): 11,200.00 CNY"), "\(plain)")
        #expect(try v.run(["remind"], today: "2026-03-09").status == 0)
    }

    @Test func textGroupsMostUrgentFirstWithActionsAndTotals() throws {
        let v = try loanVault()
        try v.add(["--kind", "informal", "--id", "late", "--name", "Cousin", "--balance", "800", "--due", "2026-03-01", "--daily-rate", "0.05%/day"], today: "2026-01-01")
        try v.add(["--kind", "informal", "--id", "grace", "--name", "Shop", "--balance", "300", "--due", "2026-03-09"], today: "2026-01-01")
        try v.add(["--kind", "informal", "--id", "soon", "--name", "Friend", "--balance", "50", "--due", "2026-03-11"], today: "2026-01-01")
        try v.add(["--kind", "informal", "--id", "usd", "--name", "US bank", "--balance", "99.50", "--currency", "USD", "--due", "2026-03-13"], today: "2026-01-01")
        let r = try v.ok(["remind"], today: "2026-03-10")
        let out = r.stdout
        let order = ["OVERDUE", "late", "IN GRACE", "grace", "DUE TODAY", "loan1", "DUE SOON", "soon", "usd", "to pay today"]
        let positions = order.map { out.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "missing part in \(out)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "groups out of order: \(out)")
        #expect(out.contains("overdue 9 days: pay now; about"), "overdue action with days and penalty: \(out)")
        #expect(out.contains("may be reported to the credit bureau since 2026-03-05"), "\(out)")
        #expect(out.contains("pay by 2026-03-12 to keep it on time"), "\(out)")
        #expect(out.contains("pay today") && out.contains("due tomorrow") && out.contains("due in 3 days"), "\(out)")
        #expect(out.contains("City Bank") && out.contains("11,200.00 CNY"), "\(out)")
        #expect(out.contains("to pay today: 12,300.00 CNY, 0.00 USD; today and the next 7 days (through 2026-03-17): 12,350.00 CNY, 99.50 USD"), "\(out)")
    }

    @Test func jsonFollowsTheCLIConventions() throws {
        let v = try loanVault()
        let r = try v.ok(["remind", "--json"], today: "2026-03-14")
        let obj = try r.jsonObject()
        #expect(obj["date"] as? String == "2026-03-14")
        #expect(obj["window_days"] is NSNull)
        let reminders = try #require(obj["reminders"] as? [[String: Any]])
        #expect(reminders.count == 1)
        let line = reminders[0]
        #expect(line["group"] as? String == "overdue")
        #expect(line["id"] as? String == "loan1")
        #expect(line["name"] as? String == "City Bank")
        #expect(line["kind"] as? String == "loan")
        #expect(line["currency"] as? String == "CNY")
        #expect(line["amount_due"] as? String == "11200.00")
        #expect(line["due_date"] as? String == "2026-03-10")
        #expect(line["days_until_due"] as? Int == -4)
        #expect(line["days_overdue"] as? Int == 4)
        #expect(line["pay_by"] as? String == "2026-03-13")
        #expect(line["reportable_from"] as? String == "2026-03-14")
        #expect(line["days_until_reportable"] as? Int == 0)
        #expect(line["penalty_interest"] as? String == "22.09")
        #expect(line["late_penalty"] as? String == "0.00")
        #expect(line["silenced"] is NSNull)
        #expect((line["action"] as? String)?.hasPrefix("overdue 4 days") == true)
        for key in line.keys { #expect(key.wholeMatch(of: /[a-z_]+/) != nil, "not snake_case: \(key)") }
        let totals = try #require(obj["totals"] as? [[String: Any]])
        #expect(totals.count == 1)
        #expect(totals[0]["currency"] as? String == "CNY")
        #expect(totals[0]["today"] as? String == "11200.00")
        #expect(totals[0]["next_7_days"] as? String == "11200.00")
        #expect(totals[0]["through"] as? String == "2026-03-21")
        let notShown = try #require(obj["not_shown"] as? [String: Any])
        #expect(notShown["snoozed"] as? Int == 0 && notShown["past_overdue_cap"] as? Int == 0)
        // The window view.
        let window = try v.ok(["remind", "--json", "--days", "40"], today: "2026-03-01").jsonObject()
        #expect(window["window_days"] as? Int == 40)
        #expect((window["reminders"] as? [[String: Any]])?.map { $0["due_date"] as? String } == ["2026-03-10", "2026-04-10"])
        let text = try v.ok(["remind", "--days", "7"], today: "2026-03-08").stdout
        #expect(text.contains("DUE SOON") && text.contains("due in 2 days"), "the window ignores lead days: \(text)")
    }

    @Test func overdueCapAndAll() throws {
        let v = try loanVault()
        #expect(try v.run(["remind", "--quiet"], today: "2026-04-09").status == 10, "day 30 overdue still reminds")
        let capped = try v.run(["remind", "--quiet"], today: "2026-04-10")
        #expect(capped.status == 0 && capped.stdout.isEmpty, "day 31 is past the cap: \(capped)")
        let plain = try v.ok(["remind"], today: "2026-04-10")
        #expect(plain.stdout.contains("not shown: 1 overdue past the reminder cap"), "\(plain)")
        let all = try v.ok(["remind", "--all"], today: "2026-04-10")
        #expect(all.stdout.contains("OVERDUE") && all.stdout.contains("[reminders stopped after 30 days; 31 days overdue]"), "\(all)")
        #expect(try v.listed("loan1", today: "2026-04-10")?["status"] as? String == "overdue", "the debt stays overdue in vault list")
    }

    @Test func snoozeSilencesShowsInShowAndNeverHidesFromList() throws {
        let v = try loanVault()
        let snoozed = try v.ok(["snooze", "loan1"], today: "2026-03-09")
        #expect(snoozed.stdout.contains("snoozed until 2026-03-10"), "default is tomorrow: \(snoozed)")
        let quiet = try v.run(["remind", "--quiet"], today: "2026-03-09")
        #expect(quiet.status == 0 && quiet.stdout.isEmpty, "\(quiet)")
        #expect(try v.ok(["remind"], today: "2026-03-09").stdout.contains("not shown: 1 snoozed"))
        #expect(try v.ok(["show", "loan1"], today: "2026-03-09").stdout.contains("snoozed until 2026-03-10"))
        #expect(try v.show("loan1", today: "2026-03-09")["snoozed_until"] as? String == "2026-03-10")
        #expect(try v.run(["remind", "--quiet"], today: "2026-03-10").status == 10, "reminders resume on the date")

        // Snoozing an overdue debt silences remind but not list.
        try v.ok(["snooze", "loan1", "--until", "2026-03-20"], today: "2026-03-15")
        #expect(try v.run(["remind", "--quiet"], today: "2026-03-15").status == 0)
        #expect(try v.listed("loan1", today: "2026-03-15")?["status"] as? String == "overdue")
        #expect(try v.ok(["list"], today: "2026-03-15").stdout.contains("overdue 5 days"))
        #expect(try v.ok(["remind", "--all"], today: "2026-03-15").stdout.contains("[snoozed until 2026-03-20]"))
        // --clear, undo, and errors.
        try v.ok(["snooze", "loan1", "--clear"], today: "2026-03-15")
        #expect(try v.run(["remind", "--quiet"], today: "2026-03-15").status == 10)
        try v.ok(["undo"])
        #expect(try v.run(["remind", "--quiet"], today: "2026-03-15").status == 0, "undo brings the snooze back")
        #expect(try v.run(["snooze", "nope"], today: "2026-03-15").status == 64)
        let past = try v.run(["snooze", "loan1", "--until", "2026-03-15"], today: "2026-03-15")
        #expect(past.status == 64 && past.stderr.contains("not after today"), "\(past)")
        #expect(try v.run(["snooze", "loan1", "--until", "2026-03-20", "--clear"]).status == 64)
    }

    @Test func weekendShiftAndMonthEndThroughTheCommandLine() throws {
        let v = try DebtTestVault()
        // Due on the 31st: reminded on Feb 25 for Feb 28.
        try v.add(["--kind", "loan", "--id", "eom", "--name", "Bank", "--principal", "12000", "--rate", "0%", "--months", "12",
                   "--first-due", "2026-01-31"], today: "2026-01-01")
        try v.ok(["pay", "eom", "1000", "--date", "2026-01-31"], today: "2026-01-31")
        // Due Saturday 2026-03-14, shifted to Friday the 13th.
        try v.add(["--kind", "informal", "--id", "sat", "--name", "Friend", "--balance", "100", "--due", "2026-03-14"], today: "2026-01-01")
        try v.ok(["edit", "sat", "--weekend-shift", "before"], today: "2026-01-01")
        let feb = try v.ok(["remind", "--json"], today: "2026-02-25").jsonObject()["reminders"] as? [[String: Any]]
        #expect(feb?.compactMap { $0["due_date"] as? String } == ["2026-02-28"])
        let fri = try v.ok(["remind", "--json"], today: "2026-03-13").jsonObject()["reminders"] as? [[String: Any]]
        #expect(fri?.first { $0["id"] as? String == "sat" }?["group"] as? String == "due_today", "shifted to Friday")
        let sat = try v.ok(["remind", "--json"], today: "2026-03-14").jsonObject()["reminders"] as? [[String: Any]]
        #expect(sat?.first { $0["id"] as? String == "sat" }?["group"] as? String == "in_grace")
    }

    @Test func icsFileIsPrivateRedactedAndParses() throws {
        let v = try loanVault()
        let ics = v.root + "/cal/due.ics"
        mkdir(v.root + "/cal", 0o700)
        let r = try v.ok(["remind", "--ics", ics], today: "2026-03-01")
        #expect(r.stderr.contains("wrote 12 due dates (1 event) to \(ics), titles redacted"), "\(r)")
        var st = stat()
        #expect(stat(ics, &st) == 0)
        #expect(st.st_mode & 0o777 == 0o600, "the calendar is 0600")
        #expect(DebtCLI.entriesUnder(v.root + "/cal") == ["due.ics"], "no temporary file left")
        let text = try String(contentsOfFile: ics, encoding: .utf8)
        #expect(!text.contains("City Bank") && !text.contains("loan1") && !text.contains("11200") && !text.contains("11,200"))
        let parsed = try RealICS.parse(ics)
        #expect(parsed.summaries == ["Debt A payment due"])
        #expect(parsed.dates.count == 12 && parsed.dates.first == "2026-03-10")

        let detail = try v.ok(["remind", "--ics", ics, "--ics-detail"], today: "2026-03-01")
        #expect(detail.stderr.contains("with lender names and amounts"))
        let detailed = try RealICS.parse(ics)
        #expect(detailed.summaries.contains("Pay City Bank (loan1): 11,200.00 CNY"), "\(detailed.summaries)")
        #expect(detailed.dates.count == 12)

        // A failed run leaves no file: wrong passphrase, missing directory.
        let other = v.root + "/cal/never.ics"
        try "wrong passphrase\n".write(toFile: v.root + "/secret/bad", atomically: false, encoding: .utf8)
        let bad = try DebtCLI.spawn(try DebtCLI.binary(), ["--vault", v.path, "--passphrase-file", v.root + "/secret/bad", "remind", "--ics", other],
                                    environment: v.environment)
        #expect(bad.status == 77, "\(bad)")
        let missing = try v.run(["remind", "--ics", v.root + "/nowhere/due.ics"], today: "2026-03-01")
        #expect(missing.status == 73, "\(missing)")
        #expect(DebtCLI.entriesUnder(v.root + "/cal") == ["due.ics"], "failed runs leave nothing: \(DebtCLI.entriesUnder(v.root + "/cal"))")
        #expect(!FileManager.default.fileExists(atPath: v.root + "/nowhere"))
    }

    @Test func notifyUsesNotifySendOrFallsBackToPrinting() throws {
        let v = try loanVault()
        // No session bus: prints, and says so.
        let fallback = try v.run(["remind", "--notify"], today: "2026-03-10")
        #expect(fallback.status == 0)
        #expect(fallback.stderr.contains("no desktop notification: no desktop session bus"), "\(fallback)")
        #expect(fallback.stdout.contains("DUE TODAY") && fallback.stdout.contains("City Bank"), "\(fallback)")

        // A session bus and a notify-send on the PATH: one notification, without the lender's name.
        let bin = v.root + "/bin"
        mkdir(bin, 0o700)
        let record = v.root + "/notified"
        try writeScript(bin + "/notify-send", "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n--\\n' \"$a\"; done > '\(record)'\n")
        var env = v.environment
        env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent"
        let args = v.vaultArguments + ["--today", "2026-03-10", "remind", "--notify"]
        let sent = try DebtCLI.spawn(try DebtCLI.binary(), args, environment: env)
        #expect(sent.status == 0, "\(sent)")
        #expect(sent.stdout.isEmpty, "nothing printed when the notification went out: \(sent)")
        #expect(sent.stderr.contains("sent a desktop notification (1 reminder)"), "\(sent)")
        let argv = try String(contentsOfFile: record, encoding: .utf8)
        #expect(argv.contains("debt-vault: 1 due today"), "\(argv)")
        #expect(argv.contains("DUE TODAY loan1: 11,200.00 CNY due 2026-03-10"), "\(argv)")
        #expect(!argv.contains("City Bank"), "lender names stay out of notify-send's command line: \(argv)")
        // --quiet with nothing to say sends nothing.
        unlink(record)
        let quiet = try DebtCLI.spawn(try DebtCLI.binary(), v.vaultArguments + ["--today", "2026-03-08", "remind", "--notify", "--quiet"], environment: env)
        #expect(quiet.status == 0 && quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet)")
        #expect(!FileManager.default.fileExists(atPath: record), "no notification when nothing needs attention")
        // A failing notify-send falls back to printing.
        unlink(bin + "/notify-send")
        try writeScript(bin + "/notify-send", "#!/bin/sh\nexit 1\n")
        let failing = try DebtCLI.spawn(try DebtCLI.binary(), args + ["--quiet"], environment: env)
        #expect(failing.status == 10 && failing.stdout.contains("DUE TODAY"), "\(failing)")
        #expect(failing.stderr.contains("notify-send failed; printing instead"), "\(failing)")
    }

    @Test func demoShowsARemindScreenWithEveryGroup() throws {
        let root = try DebtCLI.makeDirectory("remind-demo-test")
        defer { DebtCLI.deleteTree(root) }
        let home = root + "/home", tmp = root + "/tmp"
        mkdir(home, 0o700)
        mkdir(tmp, 0o700)
        let r = try DebtCLI.spawn(try DebtCLI.binary(), ["demo"], environment: DebtCLI.environment(home: home, tmp: tmp), timeout: 120)
        try #require(r.status == 0, "\(r)")
        let start = try #require(r.stdout.range(of: "$ vault remind\n"), "the demo runs vault remind: \(r.stdout)")
        let screen = String(r.stdout[start.upperBound...].prefix { $0 != "$" })
        var previous = screen.startIndex
        for group in ["OVERDUE\n  ", "IN GRACE\n  ", "DUE TODAY\n  ", "DUE SOON\n  ", "to pay today: "] {
            let found = try #require(screen.range(of: group), "no \(group) in the demo's remind screen:\n\(screen)")
            #expect(found.lowerBound >= previous, "\(group) out of order:\n\(screen)")
            previous = found.lowerBound
        }
    }

    /// The demo's dates are relative to today: every group shows on any day, month ends and leap days included.
    @Test(arguments: [(2026, 1, 31), (2026, 2, 28), (2026, 3, 1), (2026, 3, 31), (2026, 12, 31), (2028, 2, 29), (2027, 6, 15), (2027, 11, 6)])
    func demoHasEveryGroupOnAnyDay(_ day: (Int, Int, Int)) throws {
        let context = CLIContext.testing(today: day)
        let status = VaultCLI.main(arguments: ["demo"], context: context)
        let out = context.stdout.captured
        try #require(status == 0, "\(day): \(context.stderr.captured)")
        let start = try #require(out.range(of: "$ vault remind\n"))
        let screen = String(out[start.upperBound...].prefix { $0 != "$" })
        for group in ["OVERDUE\n  ", "IN GRACE\n  ", "DUE TODAY\n  ", "DUE SOON\n  "] {
            #expect(screen.contains(group), "\(day): no \(group) in\n\(screen)")
        }
    }

    /// Writes an executable script through a close-on-exec descriptor: children that other tests
    /// spawn meanwhile must not inherit it open for writing (exec would fail with ETXTBSY).
    func writeScript(_ path: String, _ text: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o700)
        try #require(fd >= 0, "cannot create \(path)")
        let bytes = Array(text.utf8)
        try #require(bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) } == bytes.count)
        close(fd)
    }

    @Test func flagErrorsAreUsageErrorsBeforeAnyPassphrase() throws {
        let v = try loanVault()
        for (args, message) in [
            (["remind", "--ics-detail"], "--ics-detail needs --ics FILE"),
            (["remind", "--json", "--notify"], "cannot be combined"),
            (["remind", "--days", "a"], "--days needs a whole number"),
            (["remind", "--days", "-1"], "--days needs a whole number"),
            (["remind", "--ics", ""], "--ics needs a file name"),
            (["remind", "--bogus"], "unknown option --bogus"),
        ] {
            let r = try v.run(args, today: "2026-03-10")
            #expect(r.status == 64, "\(args): \(r)")
            #expect(r.stderr.contains(message), "\(args): \(r)")
        }
        let help = try v.ok(["remind", "--help"])
        for flag in ["--days", "--all", "--quiet", "--notify", "--ics", "--ics-detail", "--json", "--today"] {
            #expect(help.stdout.contains(flag), "help lists \(flag)")
        }
        #expect(try v.ok(["--help"]).stdout.contains("10  'vault remind --quiet'"))
    }
}

/// Reads an .ics file with python3-icalendar (Debian's package, /usr/bin/python3).
enum RealICS {
    struct Parsed { var summaries: [String]; var dates: [String] }

    static func parse(_ path: String) throws -> Parsed {
        let script = """
        import datetime, json, sys
        import icalendar
        from dateutil.rrule import rrulestr
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
        out = {'summaries': [], 'dates': []}
        for component in cal.walk():
            if component.errors:
                sys.exit('%s: %r' % (component.name, component.errors))
        for ev in cal.walk('VEVENT'):
            out['summaries'].append(str(ev['SUMMARY']))
            start = ev.decoded('DTSTART')
            if 'RRULE' in ev:
                first = datetime.datetime.combine(start, datetime.time())
                out['dates'] += [d.date().isoformat() for d in rrulestr(ev['RRULE'].to_ical().decode(), dtstart=first)]
            else:
                out['dates'].append(start.isoformat())
        out['dates'].sort()
        print(json.dumps(out))
        """
        let r = try DebtCLI.spawn("/usr/bin/python3", ["-c", script, path], environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"])
        try #require(r.status == 0, "python3-icalendar rejected \(path): \(r)")
        let obj = try r.jsonObject()
        return Parsed(summaries: obj["summaries"] as? [String] ?? [], dates: obj["dates"] as? [String] ?? [])
    }
}
