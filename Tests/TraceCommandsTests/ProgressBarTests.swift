import Testing
@testable import TraceCommands

/// The progress bar's text and its silence when not on a terminal.
@Suite struct ProgressBarTests {
    @Test func theLineShowsTheFraction() {
        let line = ProgressBar.line(label: "rows", done: 5, total: 10, width: 10)
        #expect(line == "\rrows [#####.....] 50% (5/10)\u{1B}[K")
        #expect(ProgressBar.line(label: "x", done: 0, total: 0, width: 4) == "\rx [....] 0% (0/0)\u{1B}[K")
    }

    @Test func aDisabledBarIsSilent() {
        let bar = ProgressBar("rows", enabled: false, delay: .zero)
        bar.update(1, of: 2)
        bar.finish()
    }
}
