// Socket addresses as users write them: `unix:/abs/path`, `host:port`, `[::1]:port`.
// One parser for the config file, the environment overrides, the CLI and `connect()`, so every
// place accepts exactly the same syntax and reports the same errors. Pure: no I/O, no `node:*`.

/** A TCP address (`host` is a name, an IPv4 literal or an unbracketed IPv6 literal). */
export interface TcpAddress {
  readonly kind: "tcp";
  readonly host: string;
  readonly port: number;
}

/** A Unix domain socket; `path` is absolute. */
export interface UnixAddress {
  readonly kind: "unix";
  readonly path: string;
}

export type Address = TcpAddress | UnixAddress;

/** Thrown for text that is not an address; `message` says what was expected. */
export class AddressError extends Error {
  override name = "AddressError";
}

export const ADDRESS_SYNTAX = "`unix:/absolute/path`, `host:port` or `[ipv6]:port`";

/**
 * Parses an address. `port` 0 is allowed (the OS picks one) only when `allowPortZero` is set,
 * which is what listening wants; a connecting side needs a real port.
 */
export function parseAddress(text: string, options: { allowPortZero?: boolean } = {}): Address {
  if (typeof text !== "string" || text.trim() !== text || text === "") {
    throw new AddressError(`expected ${ADDRESS_SYNTAX}, got ${JSON.stringify(text)}`);
  }
  if (text.startsWith("unix:")) {
    const path = text.slice("unix:".length);
    if (!path.startsWith("/")) {
      throw new AddressError(`a Unix socket path must be absolute (\`unix:/path/to.sock\`), got ${JSON.stringify(text)}`);
    }
    return { kind: "unix", path };
  }
  let host: string;
  let portText: string;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0 || text[close + 1] !== ":") {
      throw new AddressError(`expected \`[ipv6]:port\`, got ${JSON.stringify(text)}`);
    }
    host = text.slice(1, close);
    portText = text.slice(close + 2);
    if (!host.includes(":")) throw new AddressError(`brackets are only for IPv6 literals, got ${JSON.stringify(text)}`);
  } else {
    const colon = text.lastIndexOf(":");
    if (colon < 0) throw new AddressError(`expected ${ADDRESS_SYNTAX} (the port is missing), got ${JSON.stringify(text)}`);
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(":")) throw new AddressError(`an IPv6 host must be bracketed (\`[::1]:8080\`), got ${JSON.stringify(text)}`);
    if (host.includes("/")) throw new AddressError(`a path needs the \`unix:\` prefix (\`unix:/path/to.sock\`), got ${JSON.stringify(text)}`);
  }
  if (host === "") throw new AddressError(`the host is empty in ${JSON.stringify(text)}`);
  if (!/^\d{1,5}$/.test(portText)) throw new AddressError(`the port must be a number, got ${JSON.stringify(text)}`);
  const port = Number(portText);
  const min = options.allowPortZero ? 0 : 1;
  if (port < min || port > 65535) {
    throw new AddressError(`the port must be ${min}..65535, got ${JSON.stringify(text)}`);
  }
  return { kind: "tcp", host, port };
}

/** The canonical text of an address (the inverse of `parseAddress`). */
export function formatAddress(address: Address): string {
  if (address.kind === "unix") return `unix:${address.path}`;
  return address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** The URL origin for plain HTTP to `address` (Unix sockets get a placeholder host). */
export function httpOrigin(address: Address): string {
  if (address.kind === "unix") return "http://localhost";
  return `http://${address.host.includes(":") ? `[${address.host}]` : address.host}:${address.port}`;
}
