import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { AuditOptions, StorageMatch } from '../../core/model.ts';
import { downloadText } from '../download.ts';
import { EXAMPLES } from '../examples/index.ts';
import { withCarriedVerdicts, type CarriedVerdicts } from '../../core/report/pseudonymise.ts';
import { buildExport, buildPseudonymisedExport, type ExportFormat } from '../exports.ts';
import { filterRows, flowRows, type RowFilter } from '../flow-summary.ts';
import type { FlowSource, PanelHost } from '../flow-source.ts';
import { importHarFile, importHarText } from '../import-har.ts';
import { captureRedactor, RedactorContext } from '../secrets.ts';
import { staticSource } from '../sources/static-source.ts';
import { useAudit, type AuditFn } from '../use-audit.ts';
import { useCapture } from '../use-capture.ts';
import { useStorageScan } from '../use-storage-scan.ts';
import { useTheme } from '../use-theme.ts';
import { FlowDetail } from './FlowDetail.tsx';
import { FlowFilters } from './FlowFilters.tsx';
import { FlowList } from './FlowList.tsx';
import { RequestDetail } from './RequestDetail.tsx';
import { RequestList } from './RequestList.tsx';
import { Toolbar } from './Toolbar.tsx';
import { ReadBodies } from '../../ui/ReadBodies.tsx';

export interface AppProps {
  source: FlowSource;
  host?: PanelHost;
  /** The engine (tests may pass a stub). */
  auditFn?: AuditFn;
  /** Epoch ms for relative times (tests pin it). */
  now?: number;
}

const NO_HOST: PanelHost = {};
/** Said where the active checks would be: an imported capture is what its file says, not what this browser saw. */
export const IMPORTED_NO_ACTIVE =
  'Active checks are off for an imported capture: its requests are whatever the file says, so replaying them could send its codes and secrets anywhere. Capture the login in this browser to run them.';
const NO_MATCHES: StorageMatch[] = [];

export function App({ source: initial, host = NO_HOST, auditFn, now }: AppProps) {
  useTheme(host.theme);
  const [source, setSource] = useState(initial);
  const capture = useCapture(source);
  // Storage matches found in the inspected page go back into the audit (the engine's leak.token-in-storage).
  const [storageMatches, setStorageMatches] = useState<StorageMatch[]>(NO_MATCHES);
  // The FAPI 2.0 profile is the user's pick: its clauses run only when the toolbar switch is on.
  const [fapi2, setFapi2] = useState(false);
  const options = useMemo<AuditOptions>(() => (fapi2 ? { storageMatches, profile: 'fapi2' } : { storageMatches }), [storageMatches, fapi2]);
  const { result: fresh, error } = useAudit(capture.events, options, auditFn);
  // An imported pseudonymised export brings the original verdicts of the checks that need real values.
  const [carried, setCarried] = useState<CarriedVerdicts | undefined>();
  const result = useMemo(() => withCarriedVerdicts(fresh, carried), [fresh, carried]);
  const scan = useStorageScan(host, result.analysis.flows);
  useEffect(() => setStorageMatches(scan.matches), [scan.matches]);
  // The engine alone judges leak.token-in-storage: the matches went in through `options`.
  const audited = result;
  // One redactor for everything on screen: it knows every secret value of the capture.
  const redactor = useMemo(() => captureRedactor(capture.events), [capture.events]);

  const [filter, setFilter] = useState<RowFilter>({ severity: 'any', text: '' });
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [view, setView] = useState<'flows' | 'requests'>('flows');
  const [selectedEventId, setSelectedEventId] = useState<string | undefined>();
  const [revealExports, setRevealExports] = useState(false);
  const [status, setStatus] = useState('');
  const [dragging, setDragging] = useState(false);

  const rows = useMemo(() => flowRows(audited), [audited]);
  const shown = useMemo(() => filterRows(rows, filter), [rows, filter]);
  const selected = shown.find((r) => r.flow.id === selectedId) ?? shown[0];
  const legOf = useMemo(() => new Map(result.analysis.flows.flatMap((f) => f.legs.map((l) => [l.id, l.kind] as const))), [result]);
  const requests = useMemo(() => {
    const needle = filter.text.trim().toLowerCase();
    return needle ? capture.events.filter((e) => e.url.toLowerCase().includes(needle)) : capture.events;
  }, [capture.events, filter.text]);
  const selectedEvent = requests.find((e) => e.id === selectedEventId);

  const importFile = useCallback(async (file: File) => {
    try {
      const { events, warnings, carried: verdicts } = await importHarFile(file);
      setSource(staticSource(file.name, events));
      setCarried(verdicts);
      setSelectedId(undefined);
      const carriedNote = verdicts ? `; pseudonymised: ${verdicts.findings.length} findings carried from the original capture` : '';
      setStatus(`Imported ${file.name}: ${events.length} requests kept${warnings.length ? `, ${warnings.length} warnings` : ''}${carriedNote}.`);
    } catch (e) {
      setStatus(`Could not import ${file.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, []);

  const loadExample = useCallback(async (id: string) => {
    const example = EXAMPLES.find((x) => x.id === id);
    if (!example) return;
    const { events } = importHarText(await example.load());
    setSource(staticSource(`example: ${example.title}`, events));
    setCarried(undefined);
    setSelectedId(undefined);
    setStatus(`Loaded the example "${example.title}".`);
  }, []);

  const exportAs = async (format: ExportFormat) => {
    try {
      const input = { label: source.label, events: capture.events, result: audited, dropped: capture.dropped, reveal: revealExports };
      const file =
        format === 'har-pseudonymised' || format === 'json-pseudonymised'
          ? await buildPseudonymisedExport(format === 'har-pseudonymised' ? 'har' : 'json', input)
          : buildExport(format, input);
      downloadText(file.filename, file.text, file.mimeType);
    } catch (e) {
      setStatus(`Could not export ${format.toUpperCase()}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <RedactorContext.Provider value={redactor}>
    <div
      class={`app${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const file = e.dataTransfer?.files[0];
        if (file) void importFile(file);
      }}
    >
      <Toolbar
        sourceLabel={source.label}
        live={source.live}
        preserve={capture.preserve}
        onPreserve={capture.setPreserve}
        onClear={() => {
          capture.clear();
          setSelectedId(undefined);
        }}
        onImport={(file) => void importFile(file)}
        examples={EXAMPLES}
        onExample={(id) => void loadExample(id)}
        revealExports={revealExports}
        onRevealExports={setRevealExports}
        onExport={(format) => void exportAs(format)}
        onBackToLive={source !== initial ? () => setSource(initial) : undefined}
        dropped={capture.dropped}
        fapi2={fapi2}
        onFapi2={setFapi2}
        notice={capture.notice}
      />
      {host.bodyAccess && source === initial && <ReadBodies access={host.bodyAccess} />}
      {(status || error) && (
        <p class="status" role="status">
          {error ? `The engine failed: ${error}` : status}
        </p>
      )}
      <main class="panes">
        <nav class="list-pane" aria-label="Flows and requests">
          <div class="tabs" role="tablist">
            <button type="button" role="tab" aria-selected={view === 'flows'} onClick={() => setView('flows')}>
              Flows ({rows.length})
            </button>
            <button type="button" role="tab" aria-selected={view === 'requests'} onClick={() => setView('requests')}>
              Requests ({capture.events.length})
            </button>
          </div>
          {view === 'flows' ? (
            <FlowFilters filter={filter} onChange={setFilter} shown={shown.length} total={rows.length} />
          ) : (
            <FlowFilters filter={filter} onChange={setFilter} shown={requests.length} total={capture.events.length} what="requests" />
          )}
          {view === 'flows' ? (
            <FlowList rows={shown} selectedId={selected?.flow.id} onSelect={setSelectedId} />
          ) : (
            <RequestList events={requests} legOf={legOf} selectedId={selectedEvent?.id} onSelect={setSelectedEventId} />
          )}
        </nav>
        <div class="detail-pane">
          {view === 'requests' ? (
            selectedEvent ? (
              <RequestDetail event={selectedEvent} legKind={legOf.get(selectedEvent.id)} />
            ) : (
              <p class="empty">Choose a request to see what travelled.</p>
            )
          ) : selected ? (
            <FlowDetail
              key={selected.flow.id}
              flow={selected.flow}
              findings={selected.findings}
              notEvaluated={result.notEvaluated}
              events={result.analysis.events}
              profile={result.profile?.flows[selected.flow.id]}
              now={now}
              activeChecks={host.activeChecks === true && source === initial}
              activeChecksOff={host.activeChecks === true && source !== initial ? IMPORTED_NO_ACTIVE : undefined}
            />
          ) : (
            <p class="empty">Choose a flow to see its timeline. Drop a HAR file anywhere to audit it.</p>
          )}
        </div>
      </main>
      {dragging && <div class="drop-hint">Drop a HAR file to audit it</div>}
    </div>
    </RedactorContext.Provider>
  );
}
