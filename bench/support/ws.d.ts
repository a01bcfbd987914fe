// The little of `ws` the capnweb baseline uses (the package ships no types; no @types/ws here).
declare module "ws" {
  import type { Server } from "node:http";
  export class WebSocket {
    constructor(url: string, options?: { maxPayload?: number });
    once(event: "open", listener: () => void): this;
    once(event: "error", listener: (error: Error) => void): this;
    close(): void;
  }
  export class WebSocketServer {
    constructor(options: { server: Server; maxPayload?: number });
    on(event: "connection", listener: (socket: WebSocket) => void): this;
  }
}
