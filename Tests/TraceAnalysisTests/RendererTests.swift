import Testing
@testable import TraceAnalysis

@Suite struct RendererTests {
    let identity = MetricSetIdentity(name: "ipw", version: "2")

    var rows: [AnalysisRow] {
        [
            AnalysisRow([
                ("query_id", .string("q,1")),
                ("note", .string("say \"hi\"\nbye")),
                ("tools", .strings(["search", "fetch"])),
                ("lat", .object([("search", .double(0.5)), ("fetch", .null)])),
                ("n", .int(42)),
                ("x", .double(0.1)),
                ("ok", .bool(true)),
                ("none", .null),
            ]),
            AnalysisRow([
                ("query_id", .string("q2")),
                ("note", .string("tab\there")),
                ("tools", .strings([])),
                ("lat", .object([])),
                ("n", .int(-7)),
                ("x", .double(.nan)),
                ("ok", .bool(false)),
                ("none", .double(1e-5)),
            ]),
        ]
    }

    @Test func csvQuotesAndAppendsMetricSet() {
        let csv = CSVRenderer().render(rows, metricSet: identity)
        let expected = """
            query_id,note,tools,lat,n,x,ok,none,metric_set
            "q,1","say ""hi""
            bye","[""search"",""fetch""]","{""search"":0.5,""fetch"":null}",42,0.1,true,,ipw@2
            q2,tab\there,[],{},-7,,false,1e-05,ipw@2

            """
        #expect(csv == expected)
    }

    @Test func jsonEscapesAndAppendsMetricSet() {
        let json = JSONRenderer().render(rows, metricSet: identity)
        let expected = #"""
            [
            {"query_id":"q,1","note":"say \"hi\"\nbye","tools":["search","fetch"],"lat":{"search":0.5,"fetch":null},"n":42,"x":0.1,"ok":true,"none":null,"metric_set":"ipw@2"},
            {"query_id":"q2","note":"tab\there","tools":[],"lat":{},"n":-7,"x":null,"ok":false,"none":1e-05,"metric_set":"ipw@2"}
            ]

            """#
        #expect(json == expected)
        #expect(JSONRenderer().render([], metricSet: identity) == "[]\n")
        #expect(ValueText.json(.string("\u{01}\\")) == #""\u0001\\""#)
    }

    @Test func tableFitsEightyColumnsAndNamesMetricSet() {
        let wide = (0..<3).map { i in
            AnalysisRow([
                ("query_id", .string("q000\(i)")),
                ("turn_index", .int(Int64(i))),
                ("input_tokens", .int(1200)),
                ("output_tokens", .null),
                ("tools_called", .strings(Array(repeating: "search_the_web", count: 5))),
                ("tool_latencies_s", .object([("search_the_web", .double(1.23456))])),
                ("wall_clock_s", .double(2.0 / 3.0)),
                ("gpu_energy_joules", .double(-1234.5)),
                ("cpu_energy_joules", .null),
                ("gpu_power_avg_watts", .double(312)),
                ("cpu_power_avg_watts", .double(.infinity)),
            ])
        }
        let table = TableRenderer().render(wide, metricSet: identity)
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(table.hasSuffix("metric set: ipw@2 · 3 rows\n"))
        #expect(table.contains("search_the_web,search_t…"))
        #expect(table.contains("0.6667"))
        #expect(table.contains("-1,235"))
        #expect(table.contains("inf"))
        // Every panel repeats the key columns.
        #expect(lines.filter { $0.hasPrefix("query_id  turn_index") }.count >= 2)
        #expect(table == TableRenderer().render(wide, metricSet: identity))
    }

    @Test func tableAlignsNumbersRight() {
        let table = TableRenderer().render(
            [AnalysisRow([("name", .string("a")), ("value", .int(5))]),
             AnalysisRow([("name", .string("long")), ("value", .null)])],
            metricSet: identity)
        let expected = """
            name  value
            ----  -----
            a         5
            long      -
            metric set: ipw@2 · 2 rows

            """
        #expect(table == expected)
        #expect(TableRenderer().render([], metricSet: identity) == "(no rows)\nmetric set: ipw@2 · 0 rows\n")
    }

    @Test func displayKeepsFourSignificantDigitsAndTheIntegerPart() {
        // The headline numbers that three fixed decimals hid.
        #expect(ValueText.display(0.000258) == "0.000258")
        #expect(ValueText.display(0.000369) == "0.000369")
        #expect(ValueText.display(0.00699625) == "0.006996")
        #expect(ValueText.display(2046787.690) == "2,046,788")
        #expect(ValueText.display(1071.360740506761) == "1,071")
        #expect(ValueText.display(53.13826016191438) == "53.14")
        // Rounding half away from zero on the decimal text, carries included.
        #expect(ValueText.display(0.00049995) == "0.0005")
        #expect(ValueText.display(9.9996) == "10")
        #expect(ValueText.display(999.95) == "1,000")
        #expect(ValueText.display(-3 as Double) == "-3")
        #expect(ValueText.display(12.5) == "12.5")
        #expect(ValueText.display(0.0 as Double) == "0")
        #expect(ValueText.display(-0.0 as Double) == "0")
        // Scientific below 0.0001 and from 10^15.
        #expect(ValueText.display(0.000025834) == "2.583e-05")
        #expect(ValueText.display(1e-300) == "1e-300")
        #expect(ValueText.display(1.23456789e20) == "1.235e+20")
        #expect(ValueText.display(2e12) == "2,000,000,000,000")
        #expect(ValueText.display(-.infinity) == "-inf")
        #expect(ValueText.display(.nan) == "NaN")
        // Integers are grouped.
        #expect(ValueText.display(Int64(31110)) == "31,110")
        #expect(ValueText.display(Int64(-1_000)) == "-1,000")
        #expect(ValueText.display(Int64.min) == "-9,223,372,036,854,775,808")
        #expect(ValueText.display(Int64(999)) == "999")
    }

    @Test func compactLayoutsFitOnePanelWithTotalsAndOneRowIsKeyValue() {
        let rows = (0..<3).map { i in
            AnalysisRow([
                ("query_id", .string("q\(i)")), ("turn_index", .int(0)),
                ("model", .string("a-very-long-model-name-2024-08-06")), ("input_tokens", .int(1000)),
                ("output_tokens", i == 2 ? .null : .int(10)), ("tools_called", .strings(["search", "read_file", "python"])),
                ("wall_clock_s", .double(1.5)), ("gpu_energy_joules", .double(1234.5)), ("cost_usd", .double(0.000369)),
                ("flags", .strings(["tool:error", "gpu:partial_coverage"])), ("ttft_s", .double(0.1)),
            ])
        }
        let table = TableRenderer().render(rows, metricSet: identity, layout: .turns(withRun: false))
        let lines = table.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines[0].hasPrefix("query  turn  model"))
        #expect(lines[0].contains("GPU J") && lines[0].hasSuffix("cost $  flags"))
        #expect(!table.contains("ttft_s"))
        // One panel: a header, a rule, three rows, a rule, the totals, the footer.
        #expect(lines.count == 8)
        #expect(lines[6].hasPrefix("total"))
        #expect(lines[6].contains("3,000") && lines[6].contains("20") && lines[6].contains("4.5"))
        #expect(lines[6].contains("3,704") && lines[6].contains("0.001107"))
        // One row that does not fit a line: name value pairs.
        let wide = AnalysisRow((0..<12).map { ("column_number_\($0)", .double(Double($0) * 1000.25)) })
        let single = TableRenderer().render([wide], metricSet: identity)
        #expect(single.hasPrefix("column_number_0   0\ncolumn_number_1   1,000\n"))
    }

    @Test func everyFormatNamesTheMetricSet() {
        for format in OutputFormat.allCases {
            let text = format.render(rows, metricSet: identity)
            #expect(text.contains("ipw@2"))
            #expect(text == format.render(rows, metricSet: identity))
        }
    }

    @Test func registryFindsEverySetAndDefaultsToTheDefaultSet() {
        #expect(MetricSets.names == ["default", "ipw"])
        #expect(MetricSets.defaultName == "default")
        #expect(MetricSets.named("default")?.identity == MetricSetIdentity(name: "default", version: "3"))
        #expect(MetricSets.named("default@3")?.identity == MetricSetIdentity(name: "default", version: "3"))
        #expect(MetricSets.named("default@2")?.identity == MetricSetIdentity(name: "default", version: "2"))
        #expect(MetricSets.named("default@1")?.identity == MetricSetIdentity(name: "default", version: "1"))
        #expect(MetricSets.named("ipw@2")?.identity == MetricSetIdentity(name: "ipw", version: "2"))
        #expect(MetricSets.named("default@4") == nil)
        #expect(MetricSets.named("ipw")?.identity == MetricSetIdentity(name: "ipw", version: "2"))
        #expect(MetricSets.named("nope") == nil)
    }

    @Test func diagnosticDescription() {
        let d = AnalysisDiagnostic(runID: "r1", queryID: "q0003", sequence: 57,
                                   message: "tool end without a start (tool \"search\")")
        #expect(d.description == "run r1, query q0003, record 57: tool end without a start (tool \"search\")")
        #expect(AnalysisDiagnostic(runID: "r1", message: "m").description == "run r1: m")
    }
}
