/**
 * Test builds only: shows the worker's report for every tab and each tab's
 * event log as JSON in #report, refreshed continuously, for automation that
 * cannot talk to the extension itself (Firefox WebDriver BiDi).
 */
import type { Report, RequestEvent } from '../core/model.ts';
import { PANEL_PORT, REPORT_MESSAGE, type WorkerToPanel } from '../core/protocol/worker-panel.ts';
import { connect, sendMessage } from '../platform/messaging.ts';
import { allTabs } from '../platform/tabs.ts';

async function snapshot(tabId: number): Promise<RequestEvent[]> {
  const port = connect(PANEL_PORT);
  return new Promise((resolve) => {
    port.onMessage((message) => {
      const snap = message as WorkerToPanel;
      if (snap.type !== 'snapshot') return;
      port.disconnect();
      resolve(snap.events);
    });
    port.post({ type: 'subscribe', tabId });
  });
}

async function refresh(): Promise<void> {
  try {
    await render();
  } finally {
    setTimeout(() => void refresh(), 300);
  }
}

async function render(): Promise<void> {
  const tabs = await allTabs();
  const byTab: Record<string, { url: string; report: Report | undefined; events: RequestEvent[] }> = {};
  for (const tab of tabs) {
    if (tab.id === undefined || !tab.url?.startsWith('http')) continue;
    byTab[String(tab.id)] = {
      url: tab.url,
      report: await sendMessage<Report>({ type: REPORT_MESSAGE, tabId: tab.id }),
      events: await snapshot(tab.id),
    };
  }
  const element = document.getElementById('report');
  if (element) element.textContent = JSON.stringify({ at: Date.now(), tabs: byTab });
}

void refresh();
