import type { Example } from '../examples/index.ts';
import type { ExportFormat } from '../exports.ts';

export interface ToolbarProps {
  sourceLabel: string;
  live: boolean;
  preserve: boolean;
  onPreserve: (on: boolean) => void;
  onClear: () => void;
  onImport: (file: File) => void;
  examples: readonly Example[];
  onExample: (id: string) => void;
  revealExports: boolean;
  onRevealExports: (on: boolean) => void;
  onExport: (format: ExportFormat) => void;
  /** Present when a HAR or example replaced the live tab. */
  onBackToLive?: (() => void) | undefined;
  dropped: number;
  /** The FAPI 2.0 Security Profile switch. */
  fapi2?: boolean;
  onFapi2?: (on: boolean) => void;
  /** Storage trouble of the live capture (quota, a failed write). */
  notice?: string | undefined;
}

export function Toolbar(p: ToolbarProps) {
  return (
    <div class="toolbar" role="toolbar" aria-label="Capture">
      <span class={`source${p.live ? ' live' : ''}`} title={p.live ? 'live capture' : 'fixed capture'}>
        {p.sourceLabel}
      </span>
      {p.onBackToLive && (
        <button type="button" onClick={p.onBackToLive}>
          Back to live tab
        </button>
      )}
      <label>
        <input type="checkbox" checked={p.preserve} onChange={(e) => p.onPreserve(e.currentTarget.checked)} /> Preserve log
      </label>
      <button type="button" onClick={p.onClear}>
        Clear
      </button>
      <span class="sep" />
      <label class="file-button">
        Import HAR…
        <input
          type="file"
          accept=".har,application/json"
          aria-label="Import a HAR file"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) p.onImport(file);
            e.currentTarget.value = '';
          }}
        />
      </label>
      <select aria-label="Load an example capture" value="" onChange={(e) => e.currentTarget.value && p.onExample(e.currentTarget.value)}>
        <option value="">Examples…</option>
        {p.examples.map((ex) => (
          <option key={ex.id} value={ex.id} title={ex.description}>
            {ex.title}
          </option>
        ))}
      </select>
      {p.onFapi2 && (
        <label title="Also judge each login against the FAPI 2.0 Security Profile (the fapi2.* clauses)">
          <input type="checkbox" data-profile="fapi2" checked={p.fapi2 === true} onChange={(e) => p.onFapi2?.(e.currentTarget.checked)} /> FAPI 2.0 profile
        </label>
      )}
      <span class="sep" />
      <span class="export" role="group" aria-label="Export">
        Export
        <button type="button" onClick={() => p.onExport('har')}>
          HAR
        </button>
        <button type="button" onClick={() => p.onExport('json')}>
          JSON
        </button>
        <button type="button" onClick={() => p.onExport('sarif')}>
          SARIF
        </button>
        <button type="button" title="Every secret replaced by a pseudonym (same value, same pseudonym); re-audits to the same findings" onClick={() => p.onExport('har-pseudonymised')}>
          HAR (pseudonymised)
        </button>
        <button type="button" title="The report with every secret replaced by a pseudonym" onClick={() => p.onExport('json-pseudonymised')}>
          JSON (pseudonymised)
        </button>
        <label>
          <input type="checkbox" checked={p.revealExports} onChange={(e) => p.onRevealExports(e.currentTarget.checked)} /> include secrets
        </label>
      </span>
      {p.notice && (
        <span class="notice" role="alert" data-storage-notice>
          {p.notice}
        </span>
      )}
      {p.dropped > 0 && (
        <span class="dropped" role="status">
          {p.dropped} older requests dropped to stay within memory
        </span>
      )}
    </div>
  );
}
