#!/usr/bin/env python3
"""A fake multi-turn agent that reports its work through agent_trace.

No model and no network: each "inference" sleeps a few milliseconds and
returns canned token counts; tools sleep too, one of them fails, and one
runs in a forked child process (which opens its own connection).

    trace-record -o run.zst -- python3 clients/python/example_agent.py
    trace-record -o run.zst -- python3 clients/python/example_agent.py --queries 5 --exit-code 3
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from agent_trace import inference, mark, query, tool  # noqa: E402

TOOLS = ["search", "calculator", "read_file"]


def run_tool(query_id, name, parent, turn):
    """One tool call; the calculator fails on its second use."""
    try:
        with tool(query_id, name, parent_span_id=parent, arguments={"turn": turn}) as t:
            time.sleep(0.002)
            if name == "calculator" and turn == 1:
                raise ZeroDivisionError("division by zero")
            t.output_bytes(100 + 10 * turn)
    except ZeroDivisionError:
        pass  # recorded as the tool's error; the agent carries on


def forked_tool(query_id, parent):
    """A tool run in a child process, which reports from there."""
    pid = os.fork()
    if pid == 0:
        try:
            with tool(query_id, "sandbox", parent_span_id=parent) as t:
                time.sleep(0.002)
                t.output_bytes(42)
            mark("sandbox_done", query_id=query_id, text="pid %d" % os.getpid())
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=3)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--exit-code", type=int, default=0)
    args = parser.parse_args()

    for number in range(args.queries):
        with query("q%04d" % (number + 1), text="task %d" % number, labels={"data_id": "d%d" % number}) as q:
            for turn in range(args.turns):
                mark("thought", query_id=q.id, text="turn %d" % turn)
                with inference(q.id, model="gpt-4o") as call:
                    time.sleep(0.004)
                    call.tokens(prompt=800 + 100 * turn, completion=60 + turn, cached=0 if turn == 0 else 512)
                    call.stop_reason("tool_calls" if turn < args.turns - 1 else "stop")
                if turn < args.turns - 1:
                    run_tool(q.id, TOOLS[turn % len(TOOLS)], call.span_id, turn)
            if number == 0:
                forked_tool(q.id, call.span_id)
            q.response("answer %d" % number)
            q.resolved(number % 2 == 0)
    return args.exit_code


if __name__ == "__main__":
    sys.exit(main())
