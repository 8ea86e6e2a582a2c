import net from 'node:net';

/**
 * A TCP relay between the server and a database, to make connections die the way they do behind a
 * load balancer or after a failover: `breakOpenConnections()` turns every open connection into a
 * dead one that nobody notices until it is used (no FIN is sent; the first bytes the client writes
 * get a reset). A connection with a statement in flight at that moment (the server's background
 * jobs may have one) is reset at once instead, as a failover would: its answer can never come, and
 * leaving it hanging would stand for a frozen host, which is another fault. New connections work as before.
 */
export class TcpProxy {
  private readonly open = new Set<{ client: net.Socket; upstream: net.Socket; dead: boolean; awaitingAnswer: boolean }>();

  private constructor(private readonly server: net.Server) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = net.createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      const pair = { client, upstream, dead: false, awaitingAnswer: false };
      proxy.open.add(pair);
      // MySQL's protocol is request and answer: bytes from the client start one, bytes back end it.
      client.on('data', (chunk) => {
        if (pair.dead) client.resetAndDestroy();
        else {
          pair.awaitingAnswer = true;
          upstream.write(chunk);
        }
      });
      upstream.on('data', (chunk) => {
        if (pair.dead) return;
        pair.awaitingAnswer = false;
        client.write(chunk);
      });
      const close = () => {
        proxy.open.delete(pair);
        if (!pair.dead) client.destroy();
        upstream.destroy();
      };
      client.on('close', close);
      client.on('error', close);
      upstream.on('close', () => !pair.dead && close());
      upstream.on('error', () => !pair.dead && close());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Returns how many connections were broken. */
  breakOpenConnections(): number {
    let broken = 0;
    for (const pair of this.open) {
      if (pair.dead) continue;
      pair.dead = true;
      pair.upstream.destroy();
      if (pair.awaitingAnswer) pair.client.resetAndDestroy();
      broken++;
    }
    return broken;
  }

  async close(): Promise<void> {
    for (const pair of this.open) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
