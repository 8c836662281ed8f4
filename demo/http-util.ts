/** Small helpers shared by the demo's plain node:http servers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function requestUrl(req: IncomingMessage, scheme = 'https'): URL {
  return new URL(req.url ?? '/', `${scheme}://${req.headers.host ?? 'localhost'}`);
}

/** CORS for the demo: any *.example.test origin (the flawed AS and the API). */
export function cors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && /^https?:\/\/[a-z0-9-]+\.example\.test(:\d+)?$/.test(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, dpop, accept');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Expose-Headers', 'www-authenticate, dpop-nonce');
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return true;
  }
  return false;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Headers that keep an authorization server's pages out of other sites' frames (RFC 9700 §4.16; as.clickjacking). */
export const NO_FRAMING: Readonly<Record<string, string>> = { 'Content-Security-Policy': "frame-ancestors 'none'", 'X-Frame-Options': 'DENY' };

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
  res.end(html);
}

export function redirect(res: ServerResponse, status: number, location: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { Location: location, ...headers });
  res.end();
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An HTML page that auto-submits `params` to `action` (response_mode=form_post). */
export function autoPostPage(action: string, params: Record<string, string>): string {
  const inputs = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return `<!doctype html><html><head><title>Submit</title><link rel="icon" href="data:,"></head><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(action)}">${inputs}<noscript><button>Continue</button></noscript></form></body></html>`;
}
