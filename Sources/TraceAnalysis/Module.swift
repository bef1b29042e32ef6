import TraceLog
