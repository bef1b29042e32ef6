import Foundation
import Testing
import TraceAnalysis
import TraceLog
@testable import TraceExport

/// The HTML report: self-contained, complete, deterministic.
@Suite struct HTMLReportTests {
    let report = HTMLReport(metricSet: MetricSets.named("default")!)

    @Test func theReportIsSelfContainedAndNamesTheMetricSet() {
        let html = report.html(demoRuns, sources: ["demo-run.zst"])
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("default@3"))
        #expect(!html.contains("<script"))
        // Nothing from the network: the only URL is the SVG namespace name.
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("//"))
        #expect(!html.contains("@import") && !html.contains("url("))
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(html.contains("Power over time") && html.contains("Energy per turn"))
        #expect(html.contains("Queries") && html.contains("Turns") && html.contains("Run energy"))
        for id in ["q001", "q002", "q003", "q004", "q005", "q006"] { #expect(html.contains(id)) }
        #expect(html.contains("<title>q001 turn 0</title>"))
        #expect(html.contains("class=\"tool\""))
    }

    @Test func sameLogSameBytes() {
        #expect(report.html(demoRuns, sources: ["a"]) == report.html(LogReader.read([demoLogPath]).runs.map { RunEvents(runID: $0.runID, events: $0.events) }, sources: ["a"]))
    }

    @Test func textIsEscapedAndNumbersAreFixed() {
        #expect(HTMLText.escape("<a & \"b\">") == "&lt;a &amp; &quot;b&quot;&gt;")
        #expect(HTMLText.fixed(1.0005, 3) == "1.001")
        #expect(HTMLText.fixed(-2.5, 0) == "-3")
        #expect(HTMLText.fixed(0.04, 1) == "0.0")
        #expect(PowerChart.niceStep(3.2) == 5)
        #expect(PowerChart.niceCeiling(440) == 600)
    }

    @Test func bucketsConserveEnergy() {
        let run = overlappingRun()
        let series = EnergySeries.series(from: run.events)
        let timeline = RunTimeline(run)
        var buckets = BucketPowers(from: timeline.start, to: timeline.end, buckets: 16)
        for i in series[0].intervalJoules.indices {
            buckets.add(from: series[0].times[i], to: series[0].times[i + 1], joules: series[0].intervalJoules[i])
        }
        // 100 W throughout (50 J per half second).
        #expect(buckets.powers.allSatisfy { abs(($0 ?? 0) - 100) < 1e-6 })
        // The chart's own lines are the same buckets, over its 640.
        let chart = PowerChart(timeline: timeline, series: series)
        #expect(chart.lines.count == series.count)
        #expect(chart.lines[0].powers.compactMap { $0 }.allSatisfy { abs($0 - 100) < 1e-6 })
    }

    @Test func theStreamedReportIsTheWholeReport() throws {
        // The same bytes whether the report streams its logs or reads them whole.
        for path in ["format-v1", "format-v2", "format-v3"].map({ repositoryRoot.appendingPathComponent("fixtures/\($0)/demo-run.zst").path }) {
            for set in MetricSets.all {
                let report = HTMLReport(metricSet: set)
                let streamed = try #require(report.streamedContents([path]))
                let whole = LogReader.read([path]).runs.map { RunEvents(runID: $0.runID, events: $0.events) }
                #expect(report.html(contents: streamed.contents, sources: ["demo"]) == report.html(whole, sources: ["demo"]))
                #expect(streamed.contents.first?.lines.count == 2)
            }
        }
    }
}
