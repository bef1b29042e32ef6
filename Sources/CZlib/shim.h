#ifndef AGENT_TRACE_CZLIB_SHIM_H
#define AGENT_TRACE_CZLIB_SHIM_H
#include <zlib.h>
/* inflateInit2 is a macro; Swift imports functions only. */
static inline int agent_trace_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}
#endif
