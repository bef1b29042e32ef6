"""Tests of the agent_trace client against a socket server of their own,
and end to end under the real trace-record when it is built."""

import csv
import io
import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import threading

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]


class FakeRecorder:
    """A Unix socket server that keeps every line it is sent, per connection."""

    def __init__(self):
        self.directory = tempfile.mkdtemp(prefix="agent-trace-test.")
        self.path = os.path.join(self.directory, "events.sock")
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(16)
        self.connections = []
        self.lock = threading.Lock()
        self.threads = []
        self.accepting = threading.Thread(target=self._accept, daemon=True)
        self.accepting.start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            lines = []
            with self.lock:
                self.connections.append(lines)
            reader = threading.Thread(target=self._read, args=(client, lines), daemon=True)
            reader.start()
            self.threads.append(reader)

    def _read(self, client, lines):
        buffer = b""
        while True:
            data = client.recv(65536)
            if not data:
                break
            buffer += data
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                lines.append(json.loads(line))
        client.close()

    def events(self):
        for thread in list(self.threads):
            thread.join(timeout=5)
        with self.lock:
            return [event for lines in self.connections for event in lines]

    def close(self):
        self.server.close()
        os.unlink(self.path)
        os.rmdir(self.directory)


@pytest.fixture
def recorder():
    fake = FakeRecorder()
    yield fake
    fake.close()


def run_agent(code, socket_path):
    """Runs `code` in a fresh interpreter with the socket variable set (or unset)."""
    environment = dict(os.environ)
    environment.pop("AGENT_TRACE_SOCKET", None)
    if socket_path is not None:
        environment["AGENT_TRACE_SOCKET"] = socket_path
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60)


AGENT = """
from agent_trace import query, inference, tool, mark
with query("q1", text="What is 2+2?", labels={"data_id": 7}) as q:
    with inference(q.id, model="gpt-4o") as call:
        call.tokens(prompt=812, completion=64, cached=12)
        call.cost(0.0021)
    with tool(q.id, "calculator", parent_span_id=call.span_id, arguments={"x": 2}) as t:
        t.output_bytes(1)
    mark("thought", text="easy", query_id=q.id)
    q.response("4")
    q.resolved(True)
print(call.span_id, t.span_id)
"""


def test_blocks_send_their_starts_and_ends(recorder):
    result = run_agent(AGENT, recorder.path)
    assert result.returncode == 0, result.stderr
    call_id, tool_id = result.stdout.split()
    events = recorder.events()
    assert [e["type"] for e in events] == [
        "query_start", "inference_start", "inference_end", "tool_start", "tool_end", "mark", "query_end"]
    assert all(isinstance(e["t_ns"], int) for e in events)
    assert [e["t_ns"] for e in events] == sorted(e["t_ns"] for e in events)
    start, call_start, call_end, tool_start, tool_end, note, end = events
    assert start == {"type": "query_start", "t_ns": start["t_ns"], "query_id": "q1", "workload_type": "agentic",
                     "text": "What is 2+2?", "labels": {"data_id": "7"}}
    assert call_start["span_id"] == call_end["span_id"] == call_id
    assert call_end["prompt_tokens"] == 812 and call_end["completion_tokens"] == 64
    assert call_end["cached_tokens"] == 12 and "reasoning_tokens" not in call_end
    assert call_end["cost_usd"] == 0.0021 and call_end["status"] == "ok"
    assert tool_start["parent_span_id"] == call_id and tool_start["span_id"] == tool_id
    assert tool_start["arguments"] == '{"x":2}' and tool_end["output_bytes"] == 1 and tool_end["ok"] is True
    assert note == {"type": "mark", "t_ns": note["t_ns"], "name": "thought", "text": "easy", "query_id": "q1"}
    assert end["status"] == "completed" and end["response"] == "4" and end["resolved"] is True


def test_an_exception_is_recorded_and_raised(recorder):
    code = """
from agent_trace import query, inference, tool
try:
    with query("q1") as q:
        with inference(q.id, model="m"):
            with tool(q.id, "search"):
                raise ValueError("no results")
except ValueError as error:
    print("raised", error)
"""
    result = run_agent(code, recorder.path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "raised no results"
    ends = {e["type"]: e for e in recorder.events() if e["type"].endswith("_end")}
    assert ends["tool_end"]["ok"] is False and ends["tool_end"]["error"] == "ValueError: no results"
    assert ends["inference_end"]["status"] == "error" and ends["inference_end"]["error"] == "ValueError: no results"
    assert ends["query_end"]["status"] == "failed" and ends["query_end"]["error"] == "ValueError: no results"


def test_without_the_variable_nothing_is_sent_and_the_agent_runs(recorder):
    result = run_agent(AGENT + "\nimport agent_trace\nprint(agent_trace.enabled())\n", None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"
    assert recorder.events() == []


def test_a_socket_that_fails_drops_events_but_never_raises():
    result = run_agent(AGENT, "/nonexistent/agent-trace.sock")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_non_finite_numbers_are_sent_as_the_interchange_strings(recorder):
    code = """
from agent_trace import inference
with inference("q1", model="m") as call:
    call.cost(float("nan"))
    call.time_to_first_token(float("inf"))
"""
    assert run_agent(code, recorder.path).returncode == 0
    end = [e for e in recorder.events() if e["type"] == "inference_end"][0]
    assert end["cost_usd"] == "NaN" and end["ttft_s"] == "Infinity"


def test_a_forked_child_opens_its_own_connection(recorder):
    code = """
import os
from agent_trace import mark
mark("parent-before")
pid = os.fork()
if pid == 0:
    mark("child")
    os._exit(0)
os.waitpid(pid, 0)
mark("parent-after")
"""
    assert run_agent(code, recorder.path).returncode == 0
    recorder.events()
    names = [[e["name"] for e in lines] for lines in recorder.connections]
    assert sorted(names) == [["child"], ["parent-before", "parent-after"]]


def built(name):
    for directory in (os.environ.get("SWIFT_BUILD_DIR"), REPOSITORY / ".build" / "debug", REPOSITORY / ".build" / "release"):
        if directory and (pathlib.Path(directory) / name).is_file():
            return str(pathlib.Path(directory) / name)
    return None


@pytest.mark.skipif(built("trace-record") is None or built("trace-analyze") is None,
                    reason="trace-record and trace-analyze are not built (swift build)")
def test_end_to_end_under_trace_record(tmp_path):
    log = tmp_path / "run.zst"
    result = subprocess.run([built("trace-record"), "-o", str(log), "--source", "none", "--",
                             sys.executable, "-c", AGENT], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    dumped = subprocess.run([built("trace-analyze"), "dump", str(log)], capture_output=True, text=True, check=True)
    events = [json.loads(line) for line in dumped.stdout.splitlines()]
    kinds = [e["type"] for e in events if e["type"] not in ("run_start", "mark") or e.get("name") == "thought"]
    assert kinds == ["query_start", "inference_start", "inference_end", "tool_start", "tool_end", "mark", "query_end"]
    # Every event from the client names the agent's process as its sender.
    senders = {e.get("sender_pid") for e in events if e["type"].startswith(("query", "inference", "tool"))}
    assert len(senders) == 1 and None not in senders
    turns = subprocess.run([built("trace-analyze"), str(log), "--by", "turn", "--format", "csv"],
                           capture_output=True, text=True, check=True).stdout
    rows = list(csv.DictReader(io.StringIO(turns)))
    assert len(rows) == 1 and rows[0]["model"] == "gpt-4o" and rows[0]["input_tokens"] == "812"
