"""An agent instrumented with OpenTelemetry (opentelemetry-sdk and the
OTLP/HTTP exporter, GenAI span conventions) recorded by trace-record with no
agent_trace code at all; and the same spans, written in the Collector's
file-exporter layout, imported with `import --from otlp`."""

import csv
import io
import json
import subprocess
import sys

import pytest

pytest.importorskip("opentelemetry.sdk", reason="opentelemetry-sdk is not installed")
pytest.importorskip("opentelemetry.exporter.otlp.proto.http", reason="the OTLP/HTTP exporter is not installed")

from test_client import built  # noqa: E402

AGENT = r'''
import json, sys, time
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.trace import Status, StatusCode, SpanKind

memory = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter()))   # endpoint from trace-record's environment
provider.add_span_processor(SimpleSpanProcessor(memory))
trace.set_tracer_provider(provider)
tracer = trace.get_tracer("weather-agent")

def chat(model, usage, old_names=False):
    with tracer.start_as_current_span("chat " + model, kind=SpanKind.CLIENT) as span:
        span.set_attribute("gen_ai.operation.name", "chat")
        span.set_attribute("gen_ai.request.model", model)
        time.sleep(0.05)
        prompt, completion, cached = usage
        span.set_attribute("gen_ai.usage.prompt_tokens" if old_names else "gen_ai.usage.input_tokens", prompt)
        span.set_attribute("gen_ai.usage.completion_tokens" if old_names else "gen_ai.usage.output_tokens", completion)
        if cached is not None:
            span.set_attribute("gen_ai.usage.cache_read.input_tokens", cached)

def tool(name, fail=False):
    with tracer.start_as_current_span("execute_tool " + name) as span:
        span.set_attribute("gen_ai.operation.name", "execute_tool")
        span.set_attribute("gen_ai.tool.name", name)
        time.sleep(0.05)
        if fail:
            span.set_status(Status(StatusCode.ERROR, "timeout"))
            span.set_attribute("error.type", "TimeoutError")

with tracer.start_as_current_span("invoke_agent weather") as agent:
    agent.set_attribute("gen_ai.operation.name", "invoke_agent")
    agent.set_attribute("gen_ai.agent.name", "weather")
    agent.set_attribute("gen_ai.conversation.id", "conv-1")
    chat("gpt-4o", (1200, 40, 1000))
    tool("get_weather")
    chat("gpt-4o", (1300, 60, None))
with tracer.start_as_current_span("invoke_agent weather") as agent:
    agent.set_attribute("gen_ai.operation.name", "invoke_agent")
    chat("claude-sonnet-4", (900, 30, None), old_names=True)
    tool("search", fail=True)
    agent.set_status(Status(StatusCode.ERROR, "tool failed"))
provider.shutdown()

# The same spans as the Collector's file exporter writes them: OTLP JSON, hex ids.
def value(v):
    kind = v.WhichOneof("value")
    if kind == "int_value":
        return {"intValue": str(v.int_value)}
    if kind == "double_value":
        return {"doubleValue": v.double_value}
    if kind == "bool_value":
        return {"boolValue": v.bool_value}
    return {"stringValue": v.string_value}

request = encode_spans(memory.get_finished_spans())
out = {"resourceSpans": []}
for rs in request.resource_spans:
    entry = {"resource": {"attributes": [{"key": a.key, "value": value(a.value)} for a in rs.resource.attributes]},
             "scopeSpans": []}
    for ss in rs.scope_spans:
        spans = []
        for s in ss.spans:
            spans.append({"traceId": s.trace_id.hex(), "spanId": s.span_id.hex(), "parentSpanId": s.parent_span_id.hex(),
                          "name": s.name, "kind": s.kind, "startTimeUnixNano": str(s.start_time_unix_nano),
                          "endTimeUnixNano": str(s.end_time_unix_nano),
                          "attributes": [{"key": a.key, "value": value(a.value)} for a in s.attributes],
                          "status": {"code": s.status.code, "message": s.status.message} if s.status.code else {}})
        entry["scopeSpans"].append({"scope": {"name": ss.scope.name}, "spans": spans})
    out["resourceSpans"].append(entry)
with open(sys.argv[1], "w") as f:
    f.write(json.dumps(out) + "\n")
'''


def analyze(*arguments):
    return subprocess.run([built("trace-analyze"), *arguments], capture_output=True, text=True, check=True).stdout


def turns(log):
    return list(csv.DictReader(io.StringIO(analyze(log, "--by", "turn", "--format", "csv", "--quiet"))))


@pytest.mark.skipif(built("trace-record") is None or built("trace-analyze") is None,
                    reason="trace-record and trace-analyze are not built (swift build)")
def test_an_opentelemetry_agent_is_recorded_through_the_otlp_endpoint(tmp_path):
    log, spans = tmp_path / "otel.zst", tmp_path / "spans.jsonl"
    result = subprocess.run([built("trace-record"), "-o", str(log), "--source", "synthetic", "--sample-hz", "200", "--",
                             sys.executable, "-c", AGENT, str(spans)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "OTLP endpoint" not in result.stderr, result.stderr     # nothing refused
    rows = turns(str(log))
    assert [r["turn_index"] for r in rows] == ["0", "1", "0"]
    assert len({r["query_id"] for r in rows}) == 2
    assert [r["input_tokens"] for r in rows] == ["1200", "1300", "900"]
    assert [r["output_tokens"] for r in rows] == ["40", "60", "30"]
    assert [r["model"] for r in rows] == ["gpt-4o", "gpt-4o", "claude-sonnet-4"]
    assert [json.loads(r["tools_called"]) for r in rows] == [["get_weather"], [], ["search"]]
    assert "tool:error" in rows[2]["flags"] and "timeout" in rows[2]["error"]
    for row in rows:                                   # telemetry energy on every turn
        assert float(row["gpu_energy_joules"]) > 0, row
    events = [json.loads(line) for line in analyze("dump", str(log)).splitlines()]
    assert [e.get("cached_tokens") for e in events if e["type"] == "inference_end"] == [1000, None, None]
    queries = list(csv.DictReader(io.StringIO(analyze(str(log), "--by", "query", "--format", "csv", "--quiet"))))
    assert [q["status"] for q in queries] == ["completed", "failed"]

    # The same spans from a file in the Collector's layout: the same analysis
    # (but energy, which that log has no telemetry for).
    imported = tmp_path / "imported.zst"
    analyze("import", "--from", "otlp", str(spans), "-o", str(imported))
    columns = ["query_id", "turn_index", "input_tokens", "output_tokens", "tools_called", "model", "flags", "error"]
    strip = lambda row: {k: (row[k].replace('"gpu:no_samples",', "").replace('"cpu:no_samples",', "") if k == "flags" else row[k])
                         for k in columns}
    recorded = [strip(r) for r in rows]
    from_file = [strip(r) for r in turns(str(imported))]
    assert [{k: v for k, v in r.items() if k != "flags"} for r in from_file] == \
        [{k: v for k, v in r.items() if k != "flags"} for r in recorded]
