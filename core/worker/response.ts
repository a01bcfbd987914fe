// workerd's `encodeBody` member of ResponseInit. A Response whose Content-Encoding is gzip or br
// normally carries its body uncompressed, and the runtime compresses it on its way out over HTTP
// ("automatic"); `encodeBody: "manual"` says the body is compressed already and goes out as it
// is. The runtimes' own Response ignores the member, so the host installs this subclass as the
// global Response before the Worker loads, and the HTTP server asks `bodyIsEncoded()`.
// (docs/HOSTING.md, "Content codings"; checked against workerd by the conformance suite.)

const ENCODED = new WeakSet<Response>();
const INSTALLED = Symbol.for("edgebind.encodeBody");

type EncodeBodyInit = ResponseInit & { encodeBody?: "automatic" | "manual" };

/** Makes `new Response(body, { encodeBody: "manual" })` count; idempotent. */
export function installResponseEncodeBody(): void {
  const g = globalThis as { Response: typeof Response & { [INSTALLED]?: true } };
  if (g.Response[INSTALLED]) return;
  const Native = g.Response;
  const Subclass = class Response extends Native {
    constructor(body?: BodyInit | null, init?: EncodeBodyInit) {
      super(body, init);
      if (init?.encodeBody === "manual") ENCODED.add(this);
    }
  };
  Object.defineProperty(Subclass, INSTALLED, { value: true });
  g.Response = Subclass;
}

/** The Worker made `response` with `encodeBody: "manual"`: its body is encoded already. */
export function bodyIsEncoded(response: Response): boolean {
  return ENCODED.has(response);
}
