// An HTTP proxy for tests: forwards every request to `target` unchanged and records its
// method, path and headers, so a test can check what a client sent (e.g. that it signed nothing).
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export class RecordingProxy {
  readonly requests: RecordedRequest[] = [];
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(target: string): Promise<RecordingProxy> {
    const to = new URL(target);
    let self: RecordingProxy | undefined;
    const server = createServer((req, res) => {
      self?.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers } });
      const upstream = httpRequest(
        {
          host: to.hostname,
          port: to.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: to.host },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502).end(String(err));
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no proxy address');
    self = new RecordingProxy(server, `http://127.0.0.1:${address.port}`);
    return self;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
