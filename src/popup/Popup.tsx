/** The toolbar popup: the tab's flows, one line each, and a link to the panel. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { FlowReport, Report } from '../core/model.ts';
import { REPORT_MESSAGE, type ReportRequest } from '../core/protocol/worker-panel.ts';
import { sendMessage } from '../platform/messaging.ts';
import { activeTabId, openExtensionPage } from '../platform/tabs.ts';
import { KeysSetting } from './KeysSetting.tsx';
import { bodyAccess } from '../ui/body-access.ts';
import { ReadBodies } from '../ui/ReadBodies.tsx';

export const PANEL_PAGE = 'src/panel/panel.html';

function panelPath(tabId: number): string {
  return `${PANEL_PAGE}?tabId=${tabId}`;
}

function describe(flow: FlowReport): string {
  const who = flow.clientId ?? 'unknown client';
  let where = flow.issuer ?? flow.authorizationEndpoint ?? flow.tokenEndpoint ?? '';
  try {
    if (where) where = new URL(where).host;
  } catch {
    // not a URL: show as is
  }
  return `${flow.kind.replace('_', ' ')} · ${who}${where ? ` @ ${where}` : ''}`;
}

export function Popup() {
  const [tabId, setTabId] = useState<number>();
  const [report, setReport] = useState<Report>();
  const [failed, setFailed] = useState(false);
  const access = useMemo(() => (tabId === undefined ? undefined : bodyAccess(tabId)), [tabId]);

  useEffect(() => {
    void (async () => {
      // `?tabId=N` pins the popup to a tab (opened as a page, e.g. by tests).
      const pinned = Number(new URLSearchParams(location.search).get('tabId') ?? NaN);
      const tab = Number.isInteger(pinned) ? pinned : await activeTabId();
      if (tab === undefined) return setFailed(true);
      setTabId(tab);
      const request: ReportRequest = { type: REPORT_MESSAGE, tabId: tab };
      const answer = await sendMessage<Report>(request);
      if (answer) setReport(answer);
      else setFailed(true);
    })();
  }, []);

  const open = (event: Event) => {
    event.preventDefault();
    if (tabId !== undefined) void openExtensionPage(panelPath(tabId)).then(() => window.close());
  };

  return (
    <main>
      <header>
        <span>OAuth Lens</span>
        {tabId !== undefined && (
          <a href={panelPath(tabId)} onClick={open} data-testid="open-panel">
            Open panel
          </a>
        )}
      </header>
      {access && <ReadBodies access={access} />}
      {failed && <p>Could not read this tab's capture.</p>}
      {report && report.flows.length === 0 && <p>No OAuth or OpenID Connect login seen in this tab yet.</p>}
      {report && report.flows.length > 0 && (
        <ul>
          {report.flows.map((flow) => {
            const serious = report.findings.filter(
              (finding) => finding.flowId === flow.id && (finding.severity === 'high' || finding.severity === 'critical'),
            ).length;
            return (
              <li key={flow.id} data-flow={flow.id}>
                <span class="what" title={describe(flow)}>
                  {describe(flow)}
                </span>
                {serious > 0 ? <span class="sev">{serious} high/critical</span> : <span class="ok">no high findings</span>}
                <a href={panelPath(flow.tabId)} onClick={open}>
                  details
                </a>
              </li>
            );
          })}
        </ul>
      )}
      <KeysSetting />
    </main>
  );
}
