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

    @Test func theReportGoesOutInBoundedPieces() throws {
        // Written piece by piece, the page is the same text, and no piece
        // holds much more than a chunk: a page is never held whole.
        let whole = report.html(demoRuns, sources: ["demo"])
        var pieces: [String] = []
        report.write(demoRuns, sources: ["demo"]) { pieces.append($0) }
        #expect(pieces.joined() == whole)
        #expect(pieces.allSatisfy { !$0.isEmpty && $0.utf8.count < TextChunks.chunkBytes + 32_768 })
        // A chart of many queries is written in pieces too.
        let chart = PowerChart(timeline: RunTimeline(demoRuns[0]), series: EnergySeries.series(from: demoRuns[0].events))
        var chartPieces: [String] = []
        let out = TextChunks { chartPieces.append($0) }
        chart.svg(into: out)
        out.finish()
        #expect(chartPieces.joined() == chart.svg())
    }

    @Test func textChunksCutOnlyWhereTheyFill() {
        var pieces: [String] = []
        let out = TextChunks { pieces.append($0) }
        let line = String(repeating: "x", count: 1000) + "\n"
        for _ in 0..<200 { out += line }
        out.finish()
        #expect(pieces.joined() == String(repeating: line, count: 200))
        // 200 kB in chunks of at least 64 KiB, the last what was left.
        #expect(pieces.count == 4)
        #expect(pieces.dropLast().allSatisfy { $0.utf8.count >= TextChunks.chunkBytes })
    }
}
