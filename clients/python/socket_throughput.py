#!/usr/bin/env python3
"""Send N interchange lines to AGENT_TRACE_SOCKET as fast as possible.

    time trace-record -o /tmp/bench.zst --source none -v -- python3 clients/python/socket_throughput.py 2000000

The lines are built before the clock starts and sent in 1 MiB writes, so the
number printed measures trace-record's side: decoding and recording.
"""

import os
import socket
import sys
import time

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
kinds = [
    b'{"type":"inference_start","t_ns":%d,"query_id":"q1","span_id":"c%d","model":"gpt-4o"}\n',
    b'{"type":"inference_end","t_ns":%d,"query_id":"q1","span_id":"c%d","prompt_tokens":812,"completion_tokens":64}\n',
]
base = time.time_ns()
lines = b"".join(kinds[i & 1] % (base + i, i >> 1) for i in range(count))
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(os.environ["AGENT_TRACE_SOCKET"])
start = time.perf_counter()
view = memoryview(lines)
for offset in range(0, len(lines), 1 << 20):
    s.sendall(view[offset:offset + (1 << 20)])
s.shutdown(socket.SHUT_WR)
s.recv(1)  # returns when trace-record has read everything and closed its end
elapsed = time.perf_counter() - start
print("%d events, %d bytes in %.3f s: %.0f events/s" % (count, len(lines), elapsed, count / elapsed), file=sys.stderr)
