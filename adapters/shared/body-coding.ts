// Content codings of HTTP bodies, as workerd applies them: only gzip and br, and only a single
// coding. A Worker's response marked with one of them is compressed on its way out, unless the
// Worker made it with `encodeBody: "manual"` (core/worker/response.ts); a response a binding's
// fetch() receives marked with one of them is decompressed, keeping the header. Every other
// coding (deflate, stacked codings, unknown ones) passes through untouched both ways. Measured
// against workerd by the conformance suite ("fetch: responses marked with a content coding").
import { Duplex } from "node:stream";
import * as zlib from "node:zlib";
import { bodyIsEncoded } from "../../core/worker/response.ts";

type Coding = "gzip" | "br";

/** The coding workerd applies for this Content-Encoding value, if any. */
function codingOf(contentEncoding: string | null): Coding | null {
  if (contentEncoding === null) return null;
  const c = contentEncoding.trim().toLowerCase();
  return c === "gzip" || c === "br" ? c : null;
}

/** Statuses whose responses have no body (Fetch's "null body status"). */
export const NULL_BODY_STATUS: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/** The Worker's response as it goes out over HTTP: compressed if its header says so. */
export function encodeForWire(response: Response, method: string): Response {
  const coding = codingOf(response.headers.get("content-encoding"));
  if (coding === null || response.body === null || method === "HEAD" || NULL_BODY_STATUS.has(response.status) || bodyIsEncoded(response)) {
    return response;
  }
  const headers = new Headers(response.headers);
  headers.delete("content-length"); // the compressed length is not known in advance
  // Flushed after every chunk, so that a streamed body (server-sent events) is not held back.
  const encoder = coding === "gzip"
    ? zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH })
    : zlib.createBrotliCompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH });
  return new Response(response.body.pipeThrough(Duplex.toWeb(encoder) as TransformStream<Uint8Array, Uint8Array>), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** A body received with this Content-Encoding, decoded where workerd's fetch() decodes it. */
export function decodeFromWire(body: ReadableStream<Uint8Array>, contentEncoding: string | null): ReadableStream<Uint8Array> {
  const coding = codingOf(contentEncoding);
  if (coding === null) return body;
  // Lenient flushing, as browsers and curl are: a truncated but otherwise valid body decodes.
  const decoder = coding === "gzip"
    ? zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
    : zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  return body.pipeThrough(Duplex.toWeb(decoder) as TransformStream<Uint8Array, Uint8Array>);
}
