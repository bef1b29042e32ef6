#ifndef AGENT_TRACE_CZSTD_SHIM_H
#define AGENT_TRACE_CZSTD_SHIM_H
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>
#endif
