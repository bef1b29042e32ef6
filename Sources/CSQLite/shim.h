#ifndef AGENT_TRACE_CSQLITE_SHIM_H
#define AGENT_TRACE_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
