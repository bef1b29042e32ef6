#!/usr/bin/env bash
# The Python client's tests: installs clients/python as a package (with its
# `test` extra, pytest, from PyPI) into a virtual environment in
# .build/python, the way a user installs it, and runs pytest there. The end
# to end test uses the trace-record and trace-analyze of `swift build`.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/python
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check "./clients/python[test,openai-agents]"
"$venv/bin/python" -m pytest -q -p no:cacheprovider clients/python/tests "$@"
