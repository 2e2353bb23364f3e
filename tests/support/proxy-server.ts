// A forward proxy on 127.0.0.1, as corporate networks have: relays absolute-form http requests
// and tunnels CONNECT for https, recording both. For the CLI's HTTP(S)_PROXY and the app's
// system proxy (a fake session.resolveProxy) alike.
import { createServer, request as httpRequest, type Server } from 'node:http'
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'

export interface Proxy {
  url: string
  /** Absolute-form request targets the proxy forwarded. */
  forwarded: string[]
  /** Authorities of CONNECT tunnels (https). */
  tunnels: string[]
  close(): Promise<void>
}

/** A forward proxy: relays absolute-form http requests and tunnels CONNECT for https. */
export async function startProxy(): Promise<Proxy> {
  const forwarded: string[] = []
  const tunnels: string[] = []
  const sockets = new Set<Socket>()
  const proxy: Server = createServer((req, res) => {
    forwarded.push(req.url ?? '')
    const target = new URL(req.url ?? '')
    const upstream = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
        upstreamRes.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '')
    const target = new URL(`http://${req.url ?? ''}`)
    const upstream = connect(Number(target.port), target.hostname, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client).pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => sockets.delete(socket))
    }
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const { port } = proxy.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve())
        proxy.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      }),
  }
}

export interface Socks5Proxy {
  /** host:port, as a PAC result names it. */
  address: string
  /** "host:port" of each CONNECT the proxy made. */
  connects: string[]
  close(): Promise<void>
}

/** A SOCKS5 proxy (RFC 1928, no authentication, CONNECT only), enough for a test. */
export async function startSocks5Proxy(): Promise<Socks5Proxy> {
  const connects: string[] = []
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  }
  const server = createNetServer((client) => {
    track(client)
    let stage: 'greeting' | 'request' = 'greeting'
    let buffered = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      if (stage === 'greeting') {
        if (buffered.length < 2 || buffered.length < 2 + buffered[1]!) return
        buffered = buffered.subarray(2 + buffered[1]!)
        client.write(Buffer.from([0x05, 0x00])) // version 5, no authentication
        stage = 'request'
      }
      if (buffered.length < 5) return
      const type = buffered[3]
      const hostLength = type === 0x01 ? 4 : type === 0x04 ? 16 : 1 + buffered[4]!
      if (buffered.length < 4 + hostLength + 2) return
      const hostBytes = buffered.subarray(4, 4 + hostLength)
      const host =
        type === 0x01
          ? [...hostBytes].join('.')
          : type === 0x03
            ? hostBytes.subarray(1).toString()
            : '::1'
      const port = buffered.readUInt16BE(4 + hostLength)
      const rest = buffered.subarray(4 + hostLength + 2)
      client.off('data', onData)
      connects.push(`${host}:${port}`)
      const upstream = connect(port, host, () => {
        client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0, 0]))
        if (rest.length > 0) upstream.write(rest)
        upstream.pipe(client).pipe(upstream)
      })
      track(upstream)
      upstream.on('error', () => client.destroy())
    }
    client.on('data', onData)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    address: `127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
