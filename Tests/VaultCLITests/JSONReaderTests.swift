import DebtModel
import Testing
@testable import VaultCLI

/// The strict JSON reader behind `vault add --from-json` and `vault import` (Sources/VaultCLI/JSONReader.swift).
@Suite struct JSONReaderTests {
    func parse(_ text: String) throws -> JSONValue { try JSONReader.parse(Array(text.utf8)) }

    /// The reason and byte offset of a refusal, as "reason at byte N".
    func refusal(_ bytes: [UInt8]) -> String? {
        do { _ = try JSONReader.parse(bytes); return nil } catch { return error.description }
    }
    func refusal(_ text: String) -> String? { refusal(Array(text.utf8)) }

    // MARK: - valid documents

    @Test func readsEveryKindOfValue() throws {
        let v = try parse(#" { "s": "text", "n": -12.5e+3, "t": true, "f": false, "z": null, "a": [1, "two", [], {}], "o": {"k": "v"} } "#)
        let o = try #require(v.object)
        #expect(o["s"] == .string("text"))
        #expect(o["n"] == .number("-12.5e+3"))
        #expect(o["t"] == .bool(true) && o["f"] == .bool(false) && o["z"] == .null)
        #expect(o["a"] == .array([.number("1"), .string("two"), .array([]), .object(JSONObject())]))
        #expect(o["o"]?.object?["k"]?.string == "v")
        #expect(o["missing"] == nil)
        // Any value may be the whole document.
        #expect(try parse("1") == .number("1"))
        #expect(try parse("\"x\"") == .string("x"))
        #expect(try parse(" true ") == .bool(true))
        #expect(try parse("null") == .null)
        #expect(try parse("[]") == .array([]))
        #expect(try parse("\t\r\n{}\n") == .object(JSONObject()))
        #expect(try parse("\"\"") == .string(""))
    }

    @Test func numbersKeepTheirLiteralText() throws {
        for n in ["0", "-0", "1200.50", "8884.88", "100000", "0.000001", "1e-7", "1E+2", "-1.0e10", "12345678901234567890123",
                  "3.141592653589793238462643383279"] {
            #expect(try parse(n) == .number(n))
            #expect(try parse("[\(n)]").array?.first?.numberText == n)
        }
    }

    @Test func integerValuesAreExact() {
        let cases: [(String, Int?)] = [
            ("3", 3), ("-3", -3), ("0", 0), ("-0", 0), ("3.0", 3), ("3.000", 3), ("3e2", 300), ("300e-2", 3), ("3E+0", 3),
            ("0.0e5", 0), ("0e999999999999999", 0), ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min),
            ("9223372036854775808", nil), ("-9223372036854775809", nil), ("1e19", nil), ("1e999999999999999999", nil),
            ("3.5", nil), ("0.1", nil), ("1e-1", nil), ("1e-999999999999", nil), ("25e-1", nil), ("92233720368547758070e-1", Int.max),
        ]
        for (literal, expected) in cases {
            #expect(JSONValue.integer(literal: literal) == expected, "\(literal)")
        }
        #expect(JSONValue.string("3").integer == nil)
        #expect(JSONValue.bool(true).integer == nil)
    }

    @Test func escapesAreDecoded() throws {
        let v = try parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u00E9\u4e2d\uD83D\uDE00\u0000 end""#)
        #expect(v == .string("\"\\/\u{8}\u{C}\n\r\tAéé中😀\u{0} end"))
        // Raw UTF-8, including 4-byte sequences, passes through.
        #expect(try parse("\"é中😀\"") == .string("é中😀"))
        // A string with escapes after one without reuses no stale bytes.
        #expect(try parse(#"["a\nb", "plain", "c\td", "x"]"#) == .array([.string("a\nb"), .string("plain"), .string("c\td"), .string("x")]))
    }

    @Test func objectsKeepKeyOrderAndLookUpByKey() throws {
        let small = try #require(try parse(#"{"z": 1, "a": 2, "m": 3}"#).object)
        #expect(small.keys == ["z", "a", "m"])
        #expect(small["a"] == .number("2") && small.count == 3)
        // Large objects (past the index threshold) too.
        let keys = (0..<200).map { "k\((($0 * 37) % 200))" }
        let text = "{" + keys.enumerated().map { "\"\($1)\": \($0)" }.joined(separator: ",") + "}"
        let big = try #require(try parse(text).object)
        #expect(big.keys == keys)
        for (i, k) in keys.enumerated() { #expect(big[k] == .number(String(i))) }
        #expect(big["nope"] == nil)
    }

    @Test func leadingByteOrderMarkIsSkipped() throws {
        #expect(try JSONReader.parse([0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}".utf8)).object?["a"] == .number("1"))
        #expect(refusal([0xEF, 0xBB, 0xBF]) == "no JSON value (only whitespace) at byte 3")
        #expect(refusal(Array("[1,".utf8) + [0xEF, 0xBB, 0xBF] + Array("2]".utf8)) == "expected a value, found byte 0xEF at byte 3")
    }

    @Test func deepNestingUpToTheLimitIsRead() throws {
        let depth = JSONReader.maxDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var v = try parse(text)
        var levels = 0
        while let inner = v.array { levels += 1; guard let first = inner.first else { break }; v = first }
        #expect(levels == depth)
        let objects = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(throws: Never.self) { try parse(objects) }
    }

    // MARK: - refusals

    @Test func refusalsSayWhatAndWhere() {
        let cases: [(String, String)] = [
            ("", "empty input at byte 0"),
            ("   ", "no JSON value (only whitespace) at byte 3"),
            (#"{"a" 1}"#, "expected ':' after an object key at byte 5"),
            (#"{"kind": "loan", "name" "x"}"#, "expected ':' after an object key at byte 24"),
            (#"{"a": 1,}"#, "expected a string key, found '}' at byte 8"),
            (#"{1: 2}"#, "expected a string key, found '1' at byte 1"),
            (#"{'a': 2}"#, "expected a string key, found ''' at byte 1"),
            (#"{"a": 1 "b": 2}"#, "expected ',' or '}' after an object member, found '\"' at byte 8"),
            (#"{"a": 1"#, "unexpected end of input in an object at byte 7"),
            (#"{"a":"#, "unexpected end of input, expected a value at byte 5"),
            ("{", "unexpected end of input in an object at byte 1"),
            ("[1,]", "expected a value, found ']' at byte 3"),
            ("[1 2]", "expected ',' or ']' after an array element, found '2' at byte 3"),
            ("[1", "unexpected end of input in an array at byte 2"),
            ("[", "unexpected end of input, expected a value at byte 1"),
            ("]", "expected a value, found ']' at byte 0"),
            (#"{"a": 1} x"#, "unexpected 'x' after the JSON value at byte 9"),
            ("{} {}", "unexpected '{' after the JSON value at byte 3"),
            ("1 2", "unexpected '2' after the JSON value at byte 2"),
            ("\"abc", "unterminated string at byte 0"),
            ("\"abc\\", "unterminated string at byte 4"),
            ("\"a\nb\"", "raw control character U+000A in a string (write it as an escape) at byte 2"),
            ("\"a\tb\"", "raw control character U+0009 in a string (write it as an escape) at byte 2"),
            ("\"\u{1}\"", "raw control character U+0001 in a string (write it as an escape) at byte 1"),
            (#""\x""#, "invalid escape '\\x' in a string at byte 1"),
            (#""\'""#, "invalid escape '\\'' in a string at byte 1"),
            (#""\U0041""#, "invalid escape '\\U' in a string at byte 1"),
            (#""\u12""#, "invalid \\u escape: needs 4 hex digits at byte 1"),
            (#""\u12G4""#, "invalid \\u escape: needs 4 hex digits at byte 1"),
            (#""\uD800""#, "lone surrogate \\uD800 (a high surrogate must be followed by a low one) at byte 1"),
            (#""ab\uD83Dx""#, "lone surrogate \\uD83D (a high surrogate must be followed by a low one) at byte 3"),
            (#""\uD800\u0041""#, "lone surrogate \\uD800 (followed by \\u0041, not a low surrogate) at byte 1"),
            (#""\uD800\uD800""#, "lone surrogate \\uD800 (followed by \\uD800, not a low surrogate) at byte 1"),
            (#""\uDC00""#, "lone surrogate \\uDC00 (a low surrogate without a high one) at byte 1"),
            (#""\uDE00\uD83D""#, "lone surrogate \\uDE00 (a low surrogate without a high one) at byte 1"),
            ("01", "invalid number: leading zeros are not allowed at byte 0"),
            ("[-012]", "invalid number: leading zeros are not allowed at byte 1"),
            ("-", "invalid number: expected a digit after '-' at byte 1"),
            ("-a", "invalid number: expected a digit after '-' at byte 1"),
            ("1.", "invalid number: expected a digit after '.' at byte 2"),
            ("1.e3", "invalid number: expected a digit after '.' at byte 2"),
            ("1e", "invalid number: expected a digit in the exponent at byte 2"),
            ("1e+", "invalid number: expected a digit in the exponent at byte 3"),
            ("+1", "expected a value, found '+' at byte 0"),
            (".5", "expected a value, found '.' at byte 0"),
            ("NaN", "expected a value, found 'N' at byte 0"),
            ("Infinity", "expected a value, found 'I' at byte 0"),
            ("[-Infinity]", "invalid number: expected a digit after '-' at byte 2"),
            ("0x10", "unexpected 'x' after the JSON value at byte 1"),
            ("tru", "invalid literal, expected 'true' at byte 0"),
            ("[truE]", "invalid literal, expected 'true' at byte 1"),
            ("nul", "invalid literal, expected 'null' at byte 0"),
            ("True", "expected a value, found 'T' at byte 0"),
            ("falsey", "unexpected 'y' after the JSON value at byte 5"),
            ("undefined", "expected a value, found 'u' at byte 0"),
            ("é", "expected a value, found byte 0xC3 at byte 0"),
            ("[1]\u{0}", "unexpected byte 0x00 after the JSON value at byte 3"),
            ("/* comment */ 1", "expected a value, found '/' at byte 0"),
            (#"{"a": 1, "b": 2, "a": 3}"#, #"duplicate key "a" at byte 17"#),
            (#"[{"x": {"kind": 1, "kind": 2}}]"#, #"duplicate key "kind" at byte 19"#),
            (#"{"": 1, "": 2}"#, #"duplicate key "" at byte 8"#),
            (#"{"a\u0000b": 1, "a\u0000b": 2}"#, #"duplicate key "a\u{0}b" at byte 16"#),
            // Canonically equivalent keys are the same key for lookup, so they are duplicates too.
            ("{\"e\u{301}\": 1, \"\u{E9}\": 2}", #"duplicate key "é" at byte 11"#),
        ]
        for (input, expected) in cases {
            #expect(refusal(input) == expected, "input: \(input.debugDescription)")
        }
    }

    @Test func duplicateKeysAreFoundInLargeObjects() {
        let keys = (0..<100).map { "key\($0)" } + ["key42"]
        let text = "{" + keys.map { "\"\($0)\": 0" }.joined(separator: ", ") + "}"
        #expect(refusal(text) == #"duplicate key "key42" at byte \#(text.utf8.count - 11)"#)
        // Long or hostile keys are shortened and escaped in the message.
        let long = String(repeating: "k", count: 100)
        #expect(refusal(#"{"\#(long)": 1, "\#(long)": 2}"#) == #"duplicate key "\#(String(repeating: "k", count: 40))…" at byte 108"#)
        #expect(refusal(#"{"\u001b[2J\u202e": 1, "\u001b[2J\u202e": 2}"#) == #"duplicate key "\u{1B}[2J\u{202E}" at byte 23"#)
    }

    @Test func invalidUTF8IsRefused() throws {
        let q: UInt8 = 0x22
        let cases: [([UInt8], String)] = [
            ([q, 0xC3, 0x28, q], "invalid UTF-8 in a string at byte 1"),              // bad continuation
            ([q, 0x80, q], "invalid UTF-8 in a string at byte 1"),                    // lone continuation byte
            ([q, 0xC0, 0x80, q], "invalid UTF-8 in a string at byte 1"),              // overlong NUL
            ([q, 0xC1, 0xBF, q], "invalid UTF-8 in a string at byte 1"),              // overlong
            ([q, 0xE0, 0x80, 0xAF, q], "invalid UTF-8 in a string at byte 1"),        // overlong 3-byte
            ([q, 0xF0, 0x80, 0x80, 0xAF, q], "invalid UTF-8 in a string at byte 1"),  // overlong 4-byte
            ([q, 0xED, 0xA0, 0x80, q], "invalid UTF-8 in a string at byte 1"),        // encoded surrogate U+D800
            ([q, 0xED, 0xBF, 0xBF, q], "invalid UTF-8 in a string at byte 1"),        // encoded surrogate U+DFFF
            ([q, 0xF4, 0x90, 0x80, 0x80, q], "invalid UTF-8 in a string at byte 1"),  // above U+10FFFF
            ([q, 0xF5, 0x80, 0x80, 0x80, q], "invalid UTF-8 in a string at byte 1"),
            ([q, 0xFF, q], "invalid UTF-8 in a string at byte 1"),
            ([q, 0x61, 0xE4, 0xB8, q], "invalid UTF-8 in a string at byte 2"),        // truncated before the quote
            ([q, 0xE4, 0xB8], "invalid UTF-8 in a string (truncated sequence) at byte 1"),
            ([q, 0xF0, 0x9F, 0x98, 0x41, q], "invalid UTF-8 in a string at byte 1"),
        ]
        for (bytes, expected) in cases {
            #expect(refusal(bytes) == expected, "bytes: \(bytes)")
        }
        // The boundaries themselves are fine.
        for ok: [UInt8] in [[0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
                             [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF]] {
            #expect(refusal([q] + ok + [q]) == nil, "bytes: \(ok)")
            #expect(try JSONReader.parse([q] + ok + [q]).string == String(decoding: ok, as: UTF8.self))
        }
    }

    @Test func nestingBeyondTheLimitIsRefused() {
        let depth = JSONReader.maxDepth
        #expect(refusal(String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1))
                == "nesting deeper than \(depth) levels at byte \(depth)")
        #expect(refusal(String(repeating: "{\"a\":", count: depth + 1) + "1" + String(repeating: "}", count: depth + 1))
                == "nesting deeper than \(depth) levels at byte \(depth * 5)")
        // Hostile input: far deeper than any stack could take by recursion, refused quickly.
        #expect(refusal(String(repeating: "[", count: 1_000_000)) == "nesting deeper than \(depth) levels at byte \(depth)")
        #expect(refusal(String(repeating: "[{\"a\":", count: 200_000)) != nil)
    }

    // MARK: - round trip of the package's own writer

    func value(_ j: JSON) -> JSONValue {
        switch j {
        case .string(let s): return .string(s)
        case .int(let n): return .number(String(n))
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .array(let a): return .array(a.map(value))
        case .object(let fields): return .object(JSONObject(fields.map { ($0.0, value($0.1)) })!)
        }
    }

    @Test func readsBackWhatTheWriterWrites() throws {
        let nasty = [
            "", "plain", "with \"quotes\" and \\backslashes\\", "\\\"", "/slash/", "tab\tnewline\nreturn\r",
            String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }) + "\u{7F}",
            "non-BMP 😀 𝄞 𠀋 \u{10FFFF}", "combining e\u{301} A\u{30A}", "\u{FEFF}bom inside", "\u{2028}\u{2029}", "日本語 한국어 हिन्दी",
        ]
        let doc: JSON = .object([
            ("strings", .array(nasty.map(JSON.string))),
            ("keys", .object(nasty.enumerated().map { ("\($1)#\($0)", .int(Int64($0))) })),
            ("ints", .array([.int(0), .int(-1), .int(Int64.max), .int(Int64.min)])),
            ("bools", .array([.bool(true), .bool(false), .null])),
            ("nested", .array([.array([]), .object([]), .array([.array([.object([("deep", .string("\u{0}"))])])])])),
        ])
        for pretty in [true, false] {
            let text = doc.render(pretty: pretty)
            let back = try JSONReader.parse(Array(text.utf8))
            #expect(back == value(doc), "pretty: \(pretty)")
            let strings = try #require(back.object?["strings"]?.array)
            for (s, expected) in zip(strings, nasty) {
                // Compared scalar by scalar: String == would accept canonically equivalent text.
                #expect(s.string.map { Array($0.unicodeScalars) } == Array(expected.unicodeScalars))
            }
            #expect(back.object?["ints"]?.array?.compactMap(\.integer) == [0, -1, Int.max, Int.min])
            #expect(back.object?["keys"]?.object?.keys == nasty.enumerated().map { "\($1)#\($0)" })
        }
    }

    // MARK: - the callers

    func cliMessage(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as CLIError { return e.message } catch { return "\(error)" }
    }

    @Test func addFromJSONKeepsNumbersExactAndExplainsRefusals() throws {
        let read = try JSONDebtInput.read(Array(#"""
            [{"kind": "informal", "name": "A", "balance": 1200.50, "lead_days": [7, "3", 1]},
             {"kind": "loan", "name": "B", "principal": 100000, "rate": "12%", "months": 12, "first-due": "2027-01-10"}]
            """#.utf8))
        #expect(read.count == 2)
        #expect(read[0].0 == .informal && read[0].1 == ["name": "A", "balance": "1200.50", "lead-days": "7,3,1"])
        #expect(read[1].0 == .loan && read[1].1["principal"] == "100000" && read[1].1["months"] == "12" && read[1].1["first-due"] == "2027-01-10")

        #expect(cliMessage { _ = try JSONDebtInput.read(Array(#"{"kind" "loan"}"#.utf8)) }
                == "standard input is not valid JSON: expected ':' after an object key at byte 8")
        #expect(cliMessage { _ = try JSONDebtInput.read(Array("not json".utf8)) }
                == "standard input is not valid JSON: invalid literal, expected 'null' at byte 0")
        #expect(cliMessage { _ = try JSONDebtInput.read(Array(#"{"kind": "loan", "kind": "card"}"#.utf8)) }
                == #"standard input is not valid JSON: duplicate key "kind" at byte 17"#)
        #expect(cliMessage { _ = try JSONDebtInput.read(Array("[1, 2]".utf8)) } == "expected a JSON object or an array of objects")
        #expect(cliMessage { _ = try JSONDebtInput.read(Array(#"[{"kind": "loan"}, 2]"#.utf8)) } == "expected a JSON object or an array of objects")
        #expect(cliMessage { _ = try JSONDebtInput.read(Array("\"loan\"".utf8)) } == "expected a JSON object or an array of objects")
        for bad in ["true", "false", "null", "{}", #"{"a": 1}"#, "[true]", "[[1]]", "[null]"] {
            #expect(cliMessage { _ = try JSONDebtInput.read(Array(#"[{"kind": "informal"}, {"kind": "informal", "name": \#(bad)}]"#.utf8)) }
                    == "debt 2: field 'name' must be a string or a number", "\(bad)")
        }
        #expect(cliMessage { _ = try JSONDebtInput.read(Array(#"{"kind": "informal", "first_due": "a", "first-due": "b"}"#.utf8)) }
                == "debt 1: field 'first-due' is given twice")
        #expect(cliMessage { _ = try JSONDebtInput.read(Array(#"{"name": "x"}"#.utf8)) } == #"debt 1: missing "kind""#)
    }

    static func sampleDocument() throws -> VaultDocument {
        var doc = VaultDocument(settings: Settings(defaultCurrency: .cny, payday: 15, exportSalt: [0, 1, 0xAB, 0xFF]))
        let today = CivilDate(year: 2026, month: 12, day: 1)!
        let inputs = try JSONDebtInput.read(Array(#"""
            [{"kind": "loan", "name": "Bank \"quoted\" \\ back", "principal": "100000", "rate": "12%", "months": 12,
              "first_due": "2027-01-10", "note": "line one\nline two\t\u0001 😀"},
             {"kind": "informal", "name": "Uncle 叔叔", "balance": "3000", "due": "2027-06-30"},
             {"kind": "card", "name": "Card", "balance": "5200", "statement_day": 1, "due_day": 20, "min_payment": "10%"}]
            """#.utf8))
        for (kind, values) in inputs {
            _ = try doc.addDebt(try DebtFields.build(kind: kind, values: values, base: nil, document: doc, today: today))
        }
        let cny = Currency.cny
        _ = try doc.addPayment(debtID: doc.debts[0].id, date: today, amount: try Money.parse("8884.88", currency: cny, field: "amount"),
                               note: "first \"payment\"\r\n\\")
        _ = try doc.addPayment(debtID: doc.debts[1].id, date: today, amount: try Money.parse("0.01", currency: cny, field: "amount"))
        return doc
    }

    @Test func fullExportRoundTripsThroughTheReader() throws {
        let doc = try Self.sampleDocument()
        let text = FullExport.encode(doc).render() + "\n"
        let back = try FullExport.decode(Array(text.utf8))
        #expect(back.debts == doc.debts)
        #expect(back.payments == doc.payments)
        #expect(back.settings == doc.settings)
        #expect(back.nextPaymentID == doc.nextPaymentID)
        // The same text compact, too.
        let compact = try FullExport.decode(Array(FullExport.encode(doc).render(pretty: false).utf8))
        #expect(compact.debts == doc.debts && compact.payments == doc.payments)
    }

    @Test func fullExportChecksKeepTheirMessages() throws {
        let doc = try Self.sampleDocument()
        let text = FullExport.encode(doc).render()
        func decodeMessage(_ t: String) -> String? { cliMessage { _ = try FullExport.decode(Array(t.utf8)) } }
        #expect(decodeMessage("{") == "the file is not valid JSON: unexpected end of input in an object at byte 1")
        #expect(decodeMessage(text + ",") == "the file is not valid JSON: unexpected ',' after the JSON value at byte \(text.utf8.count)")
        #expect(decodeMessage("[]")?.hasPrefix("not a full export of debt-vault") == true)
        #expect(decodeMessage(#"{"format": 1}"#)?.hasPrefix("not a full export of debt-vault") == true)
        func replacing(_ old: String, _ new: String) -> String {
            #expect(text.contains(old), "\(old)")
            return text.replacingOccurrences(of: old, with: new)
        }
        #expect(decodeMessage(replacing(#""version": 1"#, #""version": 2"#)) == "unsupported full export version")
        #expect(decodeMessage(replacing(#""version": 1"#, #""version": "1""#)) == "unsupported full export version")
        #expect(decodeMessage(replacing(#""version": 1"#, #""version": 1.5"#)) == "unsupported full export version")
        #expect(decodeMessage(replacing(#""version": 1"#, #""version": true"#)) == "unsupported full export version")
        // Integral numbers are accepted however they are written; fractions and overflow are not.
        #expect(try FullExport.decode(Array(replacing(#""version": 1"#, #""version": 1.0"#).utf8)).debts == doc.debts)
        #expect(try FullExport.decode(Array(replacing(#""payday": 15"#, #""payday": 1.5e1"#).utf8)).settings.payday == 15)
        #expect(decodeMessage(replacing(#""payday": 15"#, #""payday": 15.5"#)) == "invalid full export: payday")
        #expect(decodeMessage(replacing(#""payday": 15"#, #""payday": "15""#)) == "invalid full export: payday")
        #expect(try FullExport.decode(Array(replacing(#""payday": 15"#, #""payday": null"#).utf8)).settings.payday == nil)
        #expect(decodeMessage(replacing(#""next_payment_id": 3"#, #""next_payment_id": 99999999999999999999"#))
                == "invalid full export: next_payment_id")
        #expect(decodeMessage(replacing(#""export_salt": "0001abff""#, #""export_salt": "0001abf""#)) == "invalid full export: export_salt")
        #expect(decodeMessage(replacing(#""default_currency": "CNY""#, #""default_currency": null"#)) == "invalid full export: settings")
        #expect(decodeMessage(replacing(#""debts": ["#, #""debts": [1, "#)) == "invalid full export: debts or payments")
        #expect(decodeMessage(replacing(#""id": 1,"#, #""id": 1.25,"#)) == "invalid full export: payment 1")
        #expect(decodeMessage(replacing(#""note": null"#, #""note": 5"#)) == "invalid full export: debt 2: note must be a string or null")
        #expect(decodeMessage(replacing(#""account": null"#, #""account": 5"#)) == "invalid full export: debt 1: account must be a string or null")
        #expect(decodeMessage(replacing(#""settings": {"#, #""settings": {"payday": 1, "#))?
                    .hasPrefix(#"the file is not valid JSON: duplicate key "payday""#) == true)
    }
}
