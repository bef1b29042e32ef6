#!/usr/bin/env python3
"""Times the reference runner's own turn and energy code on a log's events.

The intelligence-per-watt AgenticRunner computes turns and energy while the
agent runs, in two methods: `_build_turn_traces(events, readings)` and
`_correlate_energy(trace, readings)`. This script takes their source from the
seed page in ../shared/seeds (it is read at run time, not copied into this
repository), feeds them every query of a log (the events of `trace-analyze
dump LOG`, the query's samples as readings) and prints the time spent in the
two methods alone (parsing and grouping excluded), with the event rate.

Timestamps reach the two methods as the floats Python's `time.time()` would
have returned for the log's nanoseconds (CPython's _PyTime_AsSecondsDouble:
whole seconds exactly, else float(ns) / 1e9), as the `ipw` metric set
assumes.

Usage: trace-analyze dump LOG | tools/ipw-seed-bench.py [--rows] [SEED_FILE]
  --rows  print the seed's turn and query values as JSON Lines instead of
          timing them (what the tests compare the `ipw` set against)
"""
import decimal
import json
import math
import pathlib
import statistics
import sys
import textwrap
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Optional

here = pathlib.Path(__file__).resolve().parent
args = [a for a in sys.argv[1:] if a != "--rows"]
rows_mode = "--rows" in sys.argv[1:]
seed_path = pathlib.Path(args[0]) if args else next(
    (here.parent.parent / "shared" / "seeds").glob("000_*.txt"))
lines = seed_path.read_text().splitlines()


def method(name):
    """The source of method `name` of the seed's class, dedented."""
    start = next(i for i, l in enumerate(lines) if l.strip().startswith(f"def {name}("))
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start
    while not lines[end].rstrip().endswith(":"):  # the signature's last line
        end += 1
    end += 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
        end += 1
    return textwrap.dedent("\n".join(lines[start:end]))


class EventType(Enum):
    LM_INFERENCE_START = "lm_inference_start"
    LM_INFERENCE_END = "lm_inference_end"
    TOOL_CALL_START = "tool_call_start"
    TOOL_CALL_END = "tool_call_end"


@dataclass
class Event:
    event_type: EventType
    timestamp: float
    metadata: dict


@dataclass
class Reading:
    energy_joules: Optional[float] = None
    cpu_energy_joules: Optional[float] = None
    power_watts: Optional[float] = None
    cpu_power_watts: Optional[float] = None


@dataclass
class TelemetrySample:
    timestamp: float
    reading: Reading


@dataclass
class TurnTrace:
    turn_index: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    tools_called: list = field(default_factory=list)
    tool_latencies_s: dict = field(default_factory=dict)
    wall_clock_s: float = 0.0
    gpu_energy_joules: Optional[float] = None
    cpu_energy_joules: Optional[float] = None
    gpu_power_avg_watts: Optional[float] = None
    cpu_power_avg_watts: Optional[float] = None


@dataclass
class QueryTrace:
    query_id: str
    turns: list
    total_wall_clock_s: float = 0.0


namespace = {"math": math, "statistics": statistics, "Optional": Optional, "EventType": EventType,
             "TurnTrace": TurnTrace, "QueryTrace": QueryTrace, "TelemetrySample": TelemetrySample}
for name in ("_build_turn_traces", "_correlate_energy"):
    exec(method(name), namespace)
build, correlate = namespace["_build_turn_traces"], namespace["_correlate_energy"]

kinds = {"inference_start": EventType.LM_INFERENCE_START, "inference_end": EventType.LM_INFERENCE_END,
         "tool_start": EventType.TOOL_CALL_START, "tool_end": EventType.TOOL_CALL_END}
def seconds(text):
    """The float time.time() gives for the timestamp written as `text`."""
    ns = int(decimal.Decimal(text) * 1_000_000_000)
    return float(ns // 1_000_000_000) if ns % 1_000_000_000 == 0 else float(ns) / 1e9


queries = []  # (query id, start, end, failed, events)
open_queries = {}
samples = []
total = 0
for line in sys.stdin:
    e = json.loads(line, parse_float=str)
    total += 1
    kind, t = e["type"], seconds(e["t"])
    for key in ("gpu_energy_j", "cpu_energy_j", "gpu_power_w", "cpu_power_w"):
        if isinstance(e.get(key), str):
            e[key] = float(e[key])
    if kind == "sample":
        samples.append(TelemetrySample(t, Reading(
            e.get("gpu_energy_j"), e.get("cpu_energy_j"), e.get("gpu_power_w"), e.get("cpu_power_w"))))
    elif kind == "query_start":
        open_queries[e["query_id"]] = (t, [])
    elif kind == "query_end" and e.get("query_id") in open_queries:
        start, events = open_queries.pop(e["query_id"])
        queries.append((e["query_id"], start, t, e.get("status") in ("failed", "timed_out"), events))
    elif kind in kinds and e.get("query_id") in open_queries:
        metadata = {k: v for k, v in e.items() if k in ("prompt_tokens", "completion_tokens", "tool")}
        open_queries[e["query_id"]][1].append(Event(kinds[kind], t, metadata))
samples.sort(key=lambda s: s.timestamp)
times = [s.timestamp for s in samples]

import bisect
prepared = []
for query_id, start, end, failed, events in queries:
    lo, hi = bisect.bisect_left(times, start), bisect.bisect_right(times, end)
    prepared.append((query_id, failed, [] if failed else events, samples[lo:hi], end - start))

if rows_mode:
    for query_id, failed, events, readings, wall in prepared:
        trace = QueryTrace(query_id, [] if failed else build(None, events, readings), wall)
        trace = correlate(None, trace, readings)
        print(json.dumps({"query_id": query_id, "total_wall_clock_s": wall, "turns": [
            {"wall_clock_s": t.wall_clock_s, "tool_latencies_s": t.tool_latencies_s,
             "gpu_energy_joules": t.gpu_energy_joules, "cpu_energy_joules": t.cpu_energy_joules,
             "gpu_power_avg_watts": t.gpu_power_avg_watts, "cpu_power_avg_watts": t.cpu_power_avg_watts}
            for t in trace.turns]}))
    sys.exit(0)

began = time.perf_counter()
turns = 0
for _, _, events, readings, wall in prepared:
    trace = QueryTrace("q", build(None, events, readings), wall)
    trace = correlate(None, trace, readings)
    turns += len(trace.turns)
elapsed = time.perf_counter() - began
print(f"seed _build_turn_traces + _correlate_energy: {len(prepared)} queries, {turns} turns, "
      f"{total} events in {elapsed:.3f} s = {total / elapsed / 1e6:.2f} M events/s (parsing excluded)")
