/** One request as the access log records it. */
export interface AccessEntry {
  readonly remoteAddress: string;
  /** The user a token was issued to; undefined for anonymous requests. */
  readonly user?: string;
  readonly time: Date;
  readonly method: string;
  /** The request target as sent (path and query). */
  readonly path: string;
  readonly httpVersion: string;
  readonly status: number;
  /** Body bytes sent. */
  readonly bytes: number;
  readonly referer?: string;
  readonly userAgent?: string;
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * The Apache combined-log line of a request, the shape distribution's access log has:
 * `127.0.0.1 - alice [26/Nov/2026:00:53:30 +0000] "GET /v2/x/manifests/y HTTP/1.1" 200 512 "" "skopeo/1.9.3"`.
 * https://httpd.apache.org/docs/2.4/logs.html#combined
 */
export function formatAccessLine(entry: AccessEntry): string {
  const t = entry.time;
  const pad = (n: number): string => String(n).padStart(2, "0");
  const date = `${pad(t.getUTCDate())}/${months[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000`;
  const quote = (value: string | undefined): string => `"${(value ?? "").replace(/["\\]/g, "\\$&")}"`;
  return `${entry.remoteAddress} - ${entry.user ?? "-"} [${date}] "${entry.method} ${entry.path} HTTP/${entry.httpVersion}" ${entry.status} ${entry.bytes} ${quote(entry.referer)} ${quote(entry.userAgent)}`;
}
