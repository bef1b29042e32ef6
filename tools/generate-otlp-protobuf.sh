#!/usr/bin/env bash
# Regenerates Sources/TraceOTLP/Generated/*.pb.swift from opentelemetry-proto
# (never run in CI: the generated code is committed).
#
#   tools/generate-otlp-protobuf.sh PROTO_ROOT PROTOC_GEN_SWIFT
#
# PROTO_ROOT: a checkout of github.com/open-telemetry/opentelemetry-proto;
# PROTOC_GEN_SWIFT: protoc-gen-swift built from apple/swift-protobuf
# (`swift build -c release --product protoc-gen-swift`). Needs protoc
# (Debian: protobuf-compiler). The committed code came from
# opentelemetry-proto ac2c4b5d1f3a (2026-08-18) with protoc 3.21.12.
set -euo pipefail
root=${1:?usage: tools/generate-otlp-protobuf.sh PROTO_ROOT PROTOC_GEN_SWIFT}
plugin=${2:?usage: tools/generate-otlp-protobuf.sh PROTO_ROOT PROTOC_GEN_SWIFT}
out=$(cd "$(dirname "$0")/.." && pwd)/Sources/TraceOTLP/Generated
mkdir -p "$out"
cd "$root"
protoc --plugin=protoc-gen-swift="$plugin" --swift_out="$out" \
  --swift_opt=Visibility=Internal --swift_opt=FileNaming=PathToUnderscores \
  opentelemetry/proto/common/v1/common.proto opentelemetry/proto/resource/v1/resource.proto \
  opentelemetry/proto/trace/v1/trace.proto opentelemetry/proto/collector/trace/v1/trace_service.proto
