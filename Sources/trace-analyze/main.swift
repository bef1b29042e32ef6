import TraceCommands

TraceAnalyzeCommand.main()
