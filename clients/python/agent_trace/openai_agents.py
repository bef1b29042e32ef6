"""Record runs of the OpenAI Agents SDK with no changes to the agent.

    from agents import add_trace_processor
    from agent_trace.openai_agents import AgentTraceProcessor

    add_trace_processor(AgentTraceProcessor())

Run the program under ``trace-record`` as usual. Each SDK trace (one
``Runner.run``, or one ``with trace(...)`` block) becomes a query; each
generation or response span an inference, with its model and usage (read
from the response object when the span carries none); each function span a
tool call, whose parent is the trace's latest model call (the one that asked
for it); agents and handoffs become marks. Errors recorded on spans end the
inference with status ``error``, the tool call with ``ok: false``, and the
query ``failed`` when its top agent span failed. Timestamps are taken when
the SDK reports each start and end.

Needs the ``openai-agents`` package (``pip install "agent-trace[openai-agents]"``);
without ``AGENT_TRACE_SOCKET`` the processor does nothing.
"""

import threading

from agents.tracing import TracingProcessor
from agents.tracing.span_data import (
    AgentSpanData,
    FunctionSpanData,
    GenerationSpanData,
    HandoffSpanData,
    ResponseSpanData,
)

from . import enabled, event

__all__ = ["AgentTraceProcessor"]


def _get(value, name):
    """``value[name]`` for a mapping, ``value.name`` otherwise; None when absent."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get(name)
    return getattr(value, name, None)


def _count(value):
    """An integer token count, or None (absent is not zero)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _usage(data):
    """(prompt, completion, cached, reasoning) from a generation or response span."""
    usage = getattr(data, "usage", None)
    response = getattr(data, "response", None)
    if not usage and response is not None:
        usage = _get(response, "usage")
    if not usage:
        return None, None, None, None
    prompt = _count(_get(usage, "input_tokens"))
    if prompt is None:
        prompt = _count(_get(usage, "prompt_tokens"))
    completion = _count(_get(usage, "output_tokens"))
    if completion is None:
        completion = _count(_get(usage, "completion_tokens"))
    cached = _count(_get(_get(usage, "input_tokens_details"), "cached_tokens"))
    reasoning = _count(_get(_get(usage, "output_tokens_details"), "reasoning_tokens"))
    return prompt, completion, cached, reasoning


def _model(data):
    model = getattr(data, "model", None)
    if model is None:
        model = _get(getattr(data, "response", None), "model")
    return model


def _error_text(span):
    error = span.error
    if not error:
        return None
    message = _get(error, "message") or "error"
    detail = _get(error, "data")
    return "%s: %s" % (message, detail) if detail else str(message)


class AgentTraceProcessor(TracingProcessor):
    """A ``TracingProcessor`` that sends the SDK's traces and spans to ``trace-record``."""

    def __init__(self):
        self._lock = threading.Lock()
        # Per trace: the latest model call (the parent of later tool calls)
        # and whether its top agent span failed.
        self._latest_call = {}
        self._failure = {}
        self._top_agent = {}

    def on_trace_start(self, trace):
        if not enabled():
            return
        labels = {"workflow": trace.name}
        group = getattr(trace, "group_id", None)
        if group:
            labels["conversation_id"] = str(group)
        event("query_start", query_id=trace.trace_id, workload_type="agentic", labels=labels)

    def on_trace_end(self, trace):
        if not enabled():
            return
        with self._lock:
            failure = self._failure.pop(trace.trace_id, None)
            self._latest_call.pop(trace.trace_id, None)
            self._top_agent.pop(trace.trace_id, None)
        event("query_end", query_id=trace.trace_id, status="failed" if failure else "completed", error=failure)

    def on_span_start(self, span):
        if not enabled():
            return
        data = span.span_data
        if isinstance(data, (GenerationSpanData, ResponseSpanData)):
            with self._lock:
                self._latest_call[span.trace_id] = span.span_id
            event("inference_start", query_id=span.trace_id, span_id=span.span_id, model=_model(data))
        elif isinstance(data, FunctionSpanData):
            with self._lock:
                parent = self._latest_call.get(span.trace_id)
            arguments = data.input if isinstance(data.input, str) or data.input is None else str(data.input)
            event("tool_start", query_id=span.trace_id, span_id=span.span_id, tool=data.name,
                  parent_span_id=parent, arguments=arguments)
        elif isinstance(data, AgentSpanData):
            with self._lock:
                self._top_agent.setdefault(span.trace_id, span.span_id)
            event("mark", name="agent", text=data.name, query_id=span.trace_id, span_id=span.span_id)

    def on_span_end(self, span):
        if not enabled():
            return
        data = span.span_data
        error = _error_text(span)
        if isinstance(data, (GenerationSpanData, ResponseSpanData)):
            prompt, completion, cached, reasoning = _usage(data)
            event("inference_end", query_id=span.trace_id, span_id=span.span_id, model=_model(data),
                  prompt_tokens=prompt, completion_tokens=completion, cached_tokens=cached,
                  reasoning_tokens=reasoning, status="error" if error else "ok", error=error)
        elif isinstance(data, FunctionSpanData):
            output = data.output
            size = None if output is None else len(str(output).encode("utf-8"))
            event("tool_end", query_id=span.trace_id, span_id=span.span_id, tool=data.name,
                  ok=error is None, error=error, output_bytes=size)
        elif isinstance(data, HandoffSpanData):
            event("mark", name="handoff", text="%s -> %s" % (data.from_agent, data.to_agent),
                  query_id=span.trace_id, span_id=span.span_id)
        elif isinstance(data, AgentSpanData) and error:
            with self._lock:
                if self._top_agent.get(span.trace_id) == span.span_id:
                    self._failure[span.trace_id] = error
            event("mark", name="agent_error", text=error, query_id=span.trace_id, span_id=span.span_id)

    def shutdown(self):
        pass

    def force_flush(self):
        pass
