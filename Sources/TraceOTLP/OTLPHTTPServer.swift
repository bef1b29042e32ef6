import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The OTLP/HTTP endpoint of `trace-record`: an HTTP/1.1 server on a
/// loopback port chosen at start (swift-nio, one event-loop thread),
/// answering through an ``OTLPCollector``.
public final class OTLPHTTPServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// The port it listens on (127.0.0.1).
    public let port: Int

    /// Starts listening on 127.0.0.1 and a free port.
    public init(collector: OTLPCollector) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let bootstrap = ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.backlog, value: 64)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(OTLPRequestHandler(collector: collector))
                    }
                }
            channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        self.group = group
        port = channel.localAddress?.port ?? 0
    }

    /// Stops serving: closes the socket and the event loop.
    public func stop() {
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
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    init(collector: OTLPCollector) {
        self.collector = collector
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
            if tooLarge {
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
