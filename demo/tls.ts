/**
 * A throw-away self-signed certificate for `*.example.test`, made at start-up,
 * so every demo origin is HTTPS. Browsers are launched with
 * `--ignore-certificate-errors` (or `ignoreHTTPSErrors`) and
 * `--host-resolver-rules=MAP *.example.test 127.0.0.1`.
 */
import selfsigned from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
}

export async function makeCertificate(): Promise<TlsMaterial> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 7 * 24 * 3600_000);
  const pems = await selfsigned.generate([{ name: 'commonName', value: '*.example.test' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: '*.example.test' },
          { type: 2, value: 'example.test' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
