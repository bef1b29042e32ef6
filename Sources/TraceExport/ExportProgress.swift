/// Reports how far a long export has got: `(done, total)` in the export's
/// own units (runs, rows). Called on the exporting thread.
public typealias ExportProgress = (_ done: Int, _ total: Int) -> Void
