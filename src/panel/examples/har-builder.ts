/** A compact way to write the bundled example captures as HAR 1.2 entries. */
type Pairs = Record<string, string>;

export interface ExampleEntry {
  method?: string;
  url: string;
  at: number;
  type?: 'document' | 'fetch' | 'xhr';
  status?: number;
  location?: string;
  requestHeaders?: Pairs;
  responseHeaders?: Pairs;
  form?: Pairs;
  json?: unknown;
}

const list = (p: Pairs | undefined) => Object.entries(p ?? {}).map(([name, value]) => ({ name, value }));
const T0 = Date.UTC(2026, 0, 15, 9, 30, 0);

export function har(entries: ExampleEntry[]): object {
  return {
    log: {
      version: '1.2',
      creator: { name: 'oauth-lens example', version: '1' },
      entries: entries.map((e) => {
        const url = new URL(e.url);
        const responseHeaders = list({ ...(e.location ? { Location: e.location } : {}), ...(e.json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...e.responseHeaders });
        const text = e.json === undefined ? undefined : JSON.stringify(e.json);
        return {
          startedDateTime: new Date(T0 + e.at).toISOString(),
          time: 40,
          _resourceType: e.type ?? 'document',
          request: {
            method: e.method ?? 'GET',
            url: e.url,
            httpVersion: 'HTTP/1.1',
            headers: list(e.requestHeaders),
            queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
            cookies: [],
            headersSize: -1,
            bodySize: e.form ? new URLSearchParams(e.form).toString().length : 0,
            ...(e.form
              ? { postData: { mimeType: 'application/x-www-form-urlencoded', text: new URLSearchParams(e.form).toString(), params: list(e.form) } }
              : {}),
          },
          response: {
            status: e.status ?? 200,
            statusText: '',
            httpVersion: 'HTTP/1.1',
            headers: responseHeaders,
            cookies: [],
            content: text === undefined ? { size: 0, mimeType: 'text/html' } : { size: text.length, mimeType: 'application/json', text },
            redirectURL: e.location ?? '',
            headersSize: -1,
            bodySize: text?.length ?? 0,
          },
          cache: {},
          timings: { send: 1, wait: 38, receive: 1 },
        };
      }),
    },
  };
}

/** An unsigned demo JWT (the signature part is a placeholder; the engine reports it as not verifiable). */
export function demoJwt(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', kid: 'demo-key', typ: 'JWT' }): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${b64(header)}.${b64(payload)}.ZGVtby1zaWduYXR1cmUtbm90LXZlcmlmaWFibGU`;
}

export const EXAMPLE_T0_SECONDS = Math.floor(T0 / 1000);
