import TraceCommands

TraceAnalyzeCommand.prepareProcess()
TraceAnalyzeCommand.main()
