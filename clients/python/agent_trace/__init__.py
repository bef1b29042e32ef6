"""Send agent events to ``trace-record`` (stdlib only).

Run your agent under ``trace-record -o run.zst -- python3 agent.py``; this
module finds the socket in ``AGENT_TRACE_SOCKET`` and sends one JSON line per
event. Without the variable every function does nothing, at the cost of a
few attribute lookups.

    from agent_trace import query, inference, tool

    with query("q1", text="What is 2+2?") as q:
        with inference(q.id, model="gpt-4o") as call:
            call.tokens(prompt=812, completion=64)
        with tool(q.id, "calculator", parent_span_id=call.span_id):
            ...
        q.response("4")

Exceptions raised inside a block are recorded as the span's error and
re-raised. One connection per process, shared by all threads (sends are
serialised by a lock) and re-opened in a child after ``fork``. A failing
socket never breaks the agent: events are then dropped.
"""

import itertools
import json
import os
import socket
import threading
import time

__all__ = ["query", "inference", "tool", "mark", "event", "enabled", "SOCKET_VARIABLE"]

SOCKET_VARIABLE = "AGENT_TRACE_SOCKET"

_lock = threading.Lock()
_socket = None
_socket_pid = None
_path = os.environ.get(SOCKET_VARIABLE) or None
_failed = False
_counter = itertools.count(1)
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode


def enabled():
    """Whether events are sent (``AGENT_TRACE_SOCKET`` is set)."""
    return _path is not None


def _after_fork_in_child():
    global _lock, _socket, _socket_pid, _failed
    _lock = threading.Lock()
    if _socket is not None:
        try:
            _socket.close()
        except OSError:
            pass
    _socket = None
    _socket_pid = None
    _failed = False


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _send_line(data):
    global _socket, _socket_pid, _failed
    with _lock:
        pid = os.getpid()
        if _socket is None or _socket_pid != pid:
            if _failed and _socket_pid == pid:
                return
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(_path)
            except OSError:
                _failed = True
                _socket_pid = pid
                return
            _socket, _socket_pid, _failed = s, pid, False
        try:
            _socket.sendall(data)
        except OSError:
            try:
                _socket.close()
            except OSError:
                pass
            _socket = None
            _failed = True


def _clean(value):
    if isinstance(value, float) and value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return value


def event(type, **fields):
    """Send one event of the given ``type`` with ``fields`` (None values are left out)."""
    if _path is None:
        return
    record = {"type": type, "t_ns": time.time_ns()}
    for key, value in fields.items():
        if value is not None:
            record[key] = _clean(value)
    _send_line((_dumps(record) + "\n").encode("utf-8"))


def _new_id(prefix):
    if _path is None:
        return prefix
    return "%s%d-%d" % (prefix, os.getpid(), next(_counter))


def _error_text(exc):
    return "%s: %s" % (type(exc).__name__, exc)


def mark(name, text=None, query_id=None, span_id=None):
    """Send a named annotation (``thought``, ``final_report``, ``setup_start``, …)."""
    if _path is not None:
        event("mark", name=name, text=text, query_id=query_id, span_id=span_id)


class _Span:
    __slots__ = ("id", "span_id", "_end", "_start_type", "_end_type", "_start")

    def __enter__(self):
        if _path is not None:
            event(self._start_type, **self._start)
        return self

    def __exit__(self, exc_type, exc, tb):
        if _path is not None:
            if exc is not None:
                self._failed(exc)
            event(self._end_type, **self._end)
        return False


class query(_Span):
    """Time one query (one task given to the agent).

    ``with query(query_id=None, text=None, workload_type="agentic", labels=None) as q``;
    ``q.id`` is the query id (generated when not given). Set the outcome with
    ``q.response(text)``, ``q.resolved(True)``, ``q.score(0.8)``, ``q.status(...)``.
    An exception ends the query as ``failed`` with its error.
    """

    __slots__ = ()

    def __init__(self, query_id=None, text=None, workload_type="agentic", labels=None):
        self.id = query_id if query_id is not None else _new_id("q")
        self.span_id = None
        if _path is None:
            self._end = {}
            return
        self._start_type, self._end_type = "query_start", "query_end"
        self._start = {"query_id": self.id, "workload_type": workload_type, "text": text,
                       "labels": {str(k): str(v) for k, v in labels.items()} if labels else None}
        self._end = {"query_id": self.id, "status": "completed"}

    def response(self, text):
        """The agent's final response."""
        self._end["response"] = text

    def resolved(self, value=True):
        """Whether the answer was judged correct."""
        self._end["resolved"] = bool(value)

    def score(self, value):
        """A graded outcome."""
        self._end["score"] = value

    def status(self, value):
        """How the query ended: ``completed``, ``failed``, ``timed_out``."""
        self._end["status"] = value

    def _failed(self, exc):
        self._end["status"] = "failed"
        self._end["error"] = _error_text(exc)


class inference(_Span):
    """Time one model call: ``with inference(query_id, model="gpt-4o") as call``.

    ``call.span_id`` is generated unless given. Report usage with
    ``call.tokens(prompt=, completion=, cached=, reasoning=)`` and optionally
    ``call.cost(usd)``, ``call.routed_model(name)``, ``call.time_to_first_token(seconds)``,
    ``call.stop_reason(text)``, ``call.cached(True)``. An exception ends the
    call with status ``error`` and the error.
    """

    __slots__ = ()

    def __init__(self, query_id=None, model=None, span_id=None):
        self.id = query_id
        self.span_id = span_id if span_id is not None else _new_id("c")
        if _path is None:
            self._end = {}
            return
        self._start_type, self._end_type = "inference_start", "inference_end"
        self._start = {"query_id": query_id, "span_id": self.span_id, "model": model}
        self._end = {"query_id": query_id, "span_id": self.span_id, "model": model, "status": "ok"}

    def tokens(self, prompt=None, completion=None, cached=None, reasoning=None):
        """Token counts the provider reported (leave unknown ones out: absent is not zero)."""
        end = self._end
        end["prompt_tokens"], end["completion_tokens"] = prompt, completion
        end["cached_tokens"], end["reasoning_tokens"] = cached, reasoning

    def cost(self, usd):
        """The cost the provider reported, in US dollars."""
        self._end["cost_usd"] = usd

    def routed_model(self, name):
        """The model the provider routed the call to."""
        self._end["routed_model"] = name

    def time_to_first_token(self, seconds):
        """Seconds until the first token arrived."""
        self._end["ttft_s"] = seconds

    def stop_reason(self, text):
        """Why generation stopped (``stop``, ``length``, ``tool_calls``)."""
        self._end["stop_reason"] = text

    def cached(self, value=True):
        """Whether the response came from a cache."""
        self._end["cached"] = bool(value)

    def _failed(self, exc):
        self._end["status"] = "error"
        self._end["error"] = _error_text(exc)


class tool(_Span):
    """Time one tool call: ``with tool(query_id, "search", parent_span_id=call.span_id) as t``.

    ``parent_span_id`` is the inference that asked for the call. Report the
    output size with ``t.output_bytes(n)`` or a failure with ``t.fail("why")``.
    An exception ends the call with ``ok: false`` and the error.
    """

    __slots__ = ()

    def __init__(self, query_id, name, parent_span_id=None, arguments=None, span_id=None):
        self.id = query_id
        self.span_id = span_id if span_id is not None else _new_id("t")
        if _path is None:
            self._end = {}
            return
        self._start_type, self._end_type = "tool_start", "tool_end"
        if arguments is not None and not isinstance(arguments, str):
            arguments = _dumps(arguments)
        self._start = {"query_id": query_id, "span_id": self.span_id, "tool": name,
                       "parent_span_id": parent_span_id, "arguments": arguments}
        self._end = {"query_id": query_id, "span_id": self.span_id, "tool": name, "ok": True}

    def output_bytes(self, count):
        """The size of the tool's output in bytes."""
        self._end["output_bytes"] = count

    def fail(self, error):
        """Mark the call failed without raising."""
        self._end["ok"] = False
        self._end["error"] = str(error)

    def _failed(self, exc):
        self._end["ok"] = False
        self._end["error"] = _error_text(exc)
