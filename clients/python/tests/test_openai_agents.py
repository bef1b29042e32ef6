"""The OpenAI Agents SDK integration, end to end: an agent with a fake model
(no HTTP) and two function tools, run under trace-record with the processor."""

import csv
import io
import json
import pathlib
import subprocess
import sys

import pytest

pytest.importorskip("agents", reason="the openai-agents extra is not installed")

from test_client import built  # noqa: E402

AGENT = r'''
import types
from agents import Agent, ModelResponse, Runner, Usage, function_tool, set_trace_processors
from agents.models.interface import Model
from agents.tracing import generation_span, response_span
from openai.types.responses import ResponseFunctionToolCall, ResponseOutputMessage, ResponseOutputText
from agent_trace.openai_agents import AgentTraceProcessor

set_trace_processors([AgentTraceProcessor()])   # ours only: nothing is uploaded


def call(name, arguments, call_id):
    return ResponseFunctionToolCall(arguments=arguments, call_id=call_id, name=name, type="function_call",
                                    id="fc_" + call_id, status="completed")


def message(text):
    return ResponseOutputMessage(id="msg", content=[ResponseOutputText(annotations=[], text=text, type="output_text")],
                                 role="assistant", status="completed", type="message")


class FakeModel(Model):
    """Answers from a script: generation spans with usage, then a response
    span whose usage is only on the response object."""

    def __init__(self, script):
        self.script = list(script)

    async def get_response(self, system_instructions, input, model_settings, tools, output_schema, handoffs,
                           tracing, *, previous_response_id=None, conversation_id=None, prompt=None):
        kind, output, (prompt_tokens, completion_tokens, cached) = self.script.pop(0)
        if kind == "generation":
            with generation_span(model="fake-gen", disabled=tracing.is_disabled()) as span:
                span.span_data.usage = {"input_tokens": prompt_tokens, "output_tokens": completion_tokens}
        else:
            with response_span(disabled=tracing.is_disabled()) as span:
                span.span_data.response = types.SimpleNamespace(
                    id="resp_1", model="fake-resp",
                    usage=types.SimpleNamespace(input_tokens=prompt_tokens, output_tokens=completion_tokens,
                                                input_tokens_details=types.SimpleNamespace(cached_tokens=cached),
                                                output_tokens_details=types.SimpleNamespace(reasoning_tokens=3)))
        return ModelResponse(output=output, usage=Usage(requests=1, input_tokens=prompt_tokens,
                                                        output_tokens=completion_tokens,
                                                        total_tokens=prompt_tokens + completion_tokens),
                             response_id=None)

    def stream_response(self, *args, **kwargs):
        raise NotImplementedError


@function_tool
def weather(city: str) -> str:
    """The weather in a city."""
    return "sunny in " + city


@function_tool
def stock(symbol: str) -> str:
    """A stock price."""
    raise ValueError("market closed")


model = FakeModel([
    ("generation", [call("weather", '{"city":"Paris"}', "a"), call("stock", '{"symbol":"ACME"}', "b")], (100, 10, None)),
    ("generation", [message("It is sunny; no price.")], (200, 20, None)),
    ("response", [message("Hello!")], (300, 30, 120)),
])
agent = Agent(name="assistant", instructions="Be brief.", model=model, tools=[weather, stock])
print(Runner.run_sync(agent, "Weather in Paris and the ACME price?").final_output)
print(Runner.run_sync(agent, "Say hello.").final_output)
'''


@pytest.mark.skipif(built("trace-record") is None or built("trace-analyze") is None,
                    reason="trace-record and trace-analyze are not built (swift build)")
def test_an_agents_sdk_run_records_turns_tools_tokens_errors_and_energy(tmp_path):
    log = tmp_path / "agents.zst"
    result = subprocess.run([built("trace-record"), "-o", str(log), "--source", "synthetic", "--sample-hz", "200", "--",
                             sys.executable, "-c", AGENT], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["It is sunny; no price.", "Hello!"]

    def analyze(*arguments):
        return subprocess.run([built("trace-analyze"), *arguments], capture_output=True, text=True, check=True).stdout

    events = [json.loads(line) for line in analyze("dump", str(log)).splitlines()]
    queries = [e["query_id"] for e in events if e["type"] == "query_start"]
    assert len(queries) == 2
    ends = [e for e in events if e["type"] == "inference_end"]
    assert [(e["model"], e["prompt_tokens"], e["completion_tokens"]) for e in ends] == [
        ("fake-gen", 100, 10), ("fake-gen", 200, 20), ("fake-resp", 300, 30)]
    # Read from the response object: cached and reasoning tokens.
    assert ends[2]["cached_tokens"] == 120 and ends[2]["reasoning_tokens"] == 3
    tools = {e["tool"]: e for e in events if e["type"] == "tool_end"}
    assert tools["weather"]["ok"] is True and tools["stock"]["ok"] is False
    # (The SDK redacts the exception's text from the span unless told otherwise.)
    assert tools["stock"]["error"].startswith("Error running tool")
    # Both tools hang from the model call that asked for them.
    starts = [e for e in events if e["type"] == "tool_start"]
    first_call = [e for e in events if e["type"] == "inference_start"][0]["span_id"]
    assert {e["parent_span_id"] for e in starts} == {first_call}

    rows = list(csv.DictReader(io.StringIO(analyze(str(log), "--by", "turn", "--format", "csv"))))
    assert [(r["query_id"], r["turn_index"]) for r in rows] == [(queries[0], "0"), (queries[0], "1"), (queries[1], "0")]
    assert [r["input_tokens"] for r in rows] == ["100", "200", "300"]
    assert json.loads(rows[0]["tools_called"]) == ["weather", "stock"] and json.loads(rows[1]["tools_called"]) == []
    assert "tool:error" in rows[0]["flags"]
    for row in rows:
        assert row["gpu_energy_joules"] not in ("", None), row
    query_rows = list(csv.DictReader(io.StringIO(analyze(str(log), "--by", "query", "--format", "csv"))))
    assert [r["status"] for r in query_rows] == ["completed", "completed"]
