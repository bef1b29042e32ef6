import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The OTLP/HTTP endpoint of `trace-record`: an HTTP/1.1 server (swift-nio,
/// one event-loop thread), by default on a loopback port chosen at start,
/// answering through an ``OTLPCollector``, and the clock endpoint
/// (``ClockEndpoint``) when given one.
public final class OTLPHTTPServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// The port it listens on.
    public let port: Int
    private let stopped = Atomic<Bool>(false)

    /// Starts listening on `host` (an address) and `port` (0: a free
    /// port), answering `/v1/traces` through `collector` and
    /// ``ClockEndpoint/path`` through `clock`, if any.
    public init(collector: OTLPCollector, host: String = "127.0.0.1", port: Int = 0, clock: ClockEndpoint? = nil) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let bootstrap = ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.backlog, value: 64)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                // A clock exchange is a round trip: no coalescing delay.
                .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(OTLPRequestHandler(collector: collector, clock: clock))
                    }
                }
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        self.group = group
        self.port = channel.localAddress?.port ?? 0
    }

    /// Stops serving: closes the socket and the event loop (once; later
    /// calls do nothing).
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }
}

/// Gathers one request (at most ``OTLPCollector/maximumBodyBytes`` of body)
/// and writes the collector's answer.
final class OTLPRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let collector: OTLPCollector
    private let clock: ClockEndpoint?
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    init(collector: OTLPCollector, clock: ClockEndpoint?) {
        self.collector = collector
        self.clock = clock
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
            body.clear()
            tooLarge = request.headers.first(name: "content-length").flatMap(Int.init).map { $0 > OTLPCollector.maximumBodyBytes } ?? false
        case .body(var chunk):
            guard !tooLarge else { return }
            if body.readableBytes + chunk.readableBytes > OTLPCollector.maximumBodyBytes {
                tooLarge = true
                body.clear()
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let request = head else { return }
            let response: OTLPCollector.Response
            let route = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
            if let clock, route == ClockEndpoint.path, !tooLarge {
                response = clock.response(method: "\(request.method)")
            } else if tooLarge {
                response = collector.handle(
                    method: "POST", path: request.uri, contentType: request.headers.first(name: "content-type"),
                    contentEncoding: nil, body: Data(count: OTLPCollector.maximumBodyBytes + 1))
            } else {
                response = collector.handle(
                    method: "\(request.method)", path: request.uri, contentType: request.headers.first(name: "content-type"),
                    contentEncoding: request.headers.first(name: "content-encoding"),
                    body: Data(body.readableBytesView))
            }
            body.clear()
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: response.contentType)
            headers.add(name: "Content-Length", value: String(response.body.count))
            let keepAlive = request.isKeepAlive && !tooLarge
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            let status = HTTPResponseStatus(statusCode: response.status)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: response.body.count)
            buffer.writeBytes(response.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                done.whenComplete { _ in loopBound.value.close(promise: nil) }
            }
            head = nil
        }
    }
}
