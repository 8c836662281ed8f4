/**
 * Where the panel's events come from. The panel does not care whether it runs
 * in DevTools, in an ordinary extension tab (`panel.html?tabId=N`), or in a
 * test page fed a HAR: each gives it a FlowSource, and the panel runs `audit()`
 * on the events itself.
 */
import type { RequestEvent, StorageMatch } from '../core/model.ts';
import type { BodyAccess } from '../ui/ReadBodies.tsx';

export type { StorageMatch } from '../core/model.ts';

export interface Snapshot {
  /** The whole event log of the source (not a delta). */
  events: RequestEvent[];
  /** Events the capture dropped to stay bounded. */
  dropped: number;
  /** Storage trouble the capture reports (requests dropped near the quota, a failed write). */
  notice?: string;
}

export interface FlowSource {
  /** What the user sees as the capture's name: "tab 12", "example: clean code + PKCE", "login.har". */
  readonly label: string;
  /** True for a live capture (a tab); false for a fixed capture (a HAR, an example). */
  readonly live: boolean;
  /** Calls `listener` with every snapshot, the current one first when known. Returns the unsubscribe. */
  subscribe(listener: (snapshot: Snapshot) => void): () => void;
  /** Forgets the captured events. */
  clear(): void;
}

/** What the host (DevTools, a tab, a test page) offers beyond the events. */
export interface PanelHost {
  /** 'dark' | 'light' when the host knows (DevTools' theme); absent: follow prefers-color-scheme. */
  theme?: 'dark' | 'light';
  /** DevTools only: look for these token hashes in the inspected page's storage. */
  scanStorage?: (tokenHashes: string[]) => Promise<StorageMatch[]>;
  /** Inside the extension: the worker can run the active checks (src/panel/active). */
  activeChecks?: boolean;
  /** Chrome, inside the extension: "Read token responses" (the debugger permission) for the tab. */
  bodyAccess?: BodyAccess;
}
