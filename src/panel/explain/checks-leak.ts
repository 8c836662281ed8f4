import type { CheckId } from '../../core/checks/catalogue.ts';
import type { CheckExplanation } from './types.ts';

/** Where tokens and credentials leak. */
export const LEAK_CHECKS = {
  'leak.token-in-fragment': {
    why: 'A token in a URL fragment ends up in browser history and is readable by any script on the page; a redirect can carry it to another site. It is the main reason the implicit flow is deprecated.',
    fix: 'Get tokens from the token endpoint with the code flow and PKCE, never in a redirect URL.',
  },
  'leak.token-in-query': {
    why: 'A token in a query string is written to server logs, proxy logs, browser history and Referer headers. Anyone who reads them can use it until it expires.',
    fix: 'Send access tokens in the Authorization header (Bearer or DPoP), never as a URL parameter.',
  },
  'leak.referrer': {
    why: 'The browser sent a URL holding a code or token in the Referer header. The receiving server, often a third-party script or image host, now holds a credential it can replay.',
    fix: 'Serve callback pages with Referrer-Policy: no-referrer, load no third-party content there, and remove the code from the URL before rendering.',
  },
  'leak.referrer-policy': {
    why: 'The page whose URL carried a code or token lets the full URL leave the origin in Referer headers. Any link, image or script it loads can then expose the credential.',
    fix: 'Send Referrer-Policy: no-referrer (or strict-origin) on callback pages.',
  },
  'leak.token-cacheable': {
    why: 'A token response without Cache-Control: no-store may be kept by the browser or a shared cache. Another user of the machine or proxy can read it there later.',
    fix: 'Answer token requests with Cache-Control: no-store (and Pragma: no-cache for old caches).',
  },
  'leak.client-secret-in-browser': {
    why: 'A client secret sent from page script ships to every user of the site: anyone can read it in DevTools and impersonate the client. A browser app cannot keep a secret.',
    fix: 'Treat the browser app as a public client (PKCE, no secret), or move the token exchange to a backend that holds the secret.',
  },
  'leak.credentials-in-query': {
    why: 'Secrets in a URL (client_secret, code, verifier, refresh token) are logged by servers and proxies and kept in history. Token requests must carry them in a POST body.',
    fix: 'Send token requests as POST with an application/x-www-form-urlencoded body; never put credentials in the URL.',
  },
  'leak.token-in-storage': {
    why: 'A token in localStorage or sessionStorage is readable by every script on the origin. One cross-site scripting bug or compromised dependency is then enough to steal it.',
    fix: 'Keep tokens in memory, or behind a backend-for-frontend with HttpOnly cookies; at least keep refresh tokens out of web storage.',
  },
} satisfies Partial<Record<CheckId, CheckExplanation>>;
