// A TCP proxy on loopback between a client (the operator) and a server (the kube-apiserver), for the
// fault suite: it forwards bytes untouched (TLS passes through), and on request cuts every open
// connection, or refuses new ones for a while, as a flaky network or a load balancer restart would.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The loopback port clients connect to. */
  port: number;
  /** Destroys every open connection (both sides); returns how many were cut. */
  cut(): number;
  /** While down, every new connection is closed at once and open ones are cut. */
  setDown(down: boolean): void;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let down = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted += 1;
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair = [client, upstream];
    for (const s of pair) {
      open.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        open.delete(s);
        for (const other of pair) other.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const cut = () => {
    const n = open.size / 2;
    for (const s of [...open]) s.destroy();
    return Math.ceil(n);
  };
  return {
    port,
    cut,
    setDown(value) {
      down = value;
      if (down) cut();
    },
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
