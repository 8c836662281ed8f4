/**
 * Active checks of one flow: what each would send, the confirmation dialog,
 * and the verdicts. Nothing is sent except from the dialog's confirm button.
 *
 *   <ActiveChecks flow={flow} />
 */
import { useEffect, useState } from 'preact/hooks';
import { checkDefinition } from '../../core/checks/catalogue.ts';
import type { Flow } from '../../core/model.ts';
import { planActiveCheck, type ActivePlan } from '../../core/replay/plan.ts';
import { ACTIVE_CHECK_IDS, type ActiveCheckId, type ActiveCheckResult } from '../../core/replay/types.ts';
import { extensionClient, type ActiveClient } from './client.ts';
import { ActiveResult } from './ActiveResult.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { EditResend } from './EditResend.tsx';

const TITLES: Record<ActiveCheckId, string> = {
  'code.reuse-accepted': 'Replay the code exchange',
  'pkce.not-enforced': 'Test PKCE with a fresh code',
  'refresh.reuse-accepted': 'Replay the rotated refresh token',
  'redirect.not-exact': 'Try changed redirect_uri values',
  'dpop.refresh-unbound': 'Refresh the DPoP-bound token without its key',
};

export interface ActiveChecksProps {
  flow: Flow;
  /** The tab the flow was captured in (default: the flow's). */
  tabId?: number;
  /** For tests and non-extension hosts; default: the extension's worker. */
  client?: ActiveClient;
}

type Row = { check: ActiveCheckId; unavailable?: string };
type Running = { check: ActiveCheckId; progress: string };

export function ActiveChecks({ flow, tabId, client }: ActiveChecksProps) {
  const [rows, setRows] = useState<Row[]>([]);
  const [dialog, setDialog] = useState<ActivePlan | undefined>();
  const [running, setRunning] = useState<Running | undefined>();
  const [results, setResults] = useState<Partial<Record<ActiveCheckId, ActiveCheckResult>>>({});
  const [error, setError] = useState<string | undefined>();
  const getClient = () => (client ? Promise.resolve(client) : extensionClient());

  useEffect(() => {
    let live = true;
    void Promise.all(ACTIVE_CHECK_IDS.map(async (check): Promise<Row> => {
      const plan = await planActiveCheck(flow, check);
      return 'unavailable' in plan ? { check, unavailable: plan.unavailable } : { check };
    })).then((r) => live && setRows(r));
    return () => {
      live = false;
    };
  }, [flow]);

  useEffect(() => {
    if (!running) return undefined;
    let off: (() => void) | undefined;
    void getClient().then((c) => {
      off = c.onProgress((flowId, check, text) => {
        if (flowId === flow.id && check === running.check) setRunning({ check: running.check, progress: text });
      });
    });
    return () => off?.();
  }, [running?.check]);

  const open = async (check: ActiveCheckId) => {
    setError(undefined);
    // Fresh secrets (state, PKCE pair) are made now, so the dialog shows what will really be sent.
    const plan = await planActiveCheck(flow, check);
    if ('unavailable' in plan) setError(plan.unavailable);
    else setDialog(plan);
  };

  const confirm = async () => {
    const plan = dialog;
    if (!plan) return;
    setDialog(undefined);
    const c = await getClient();
    if (!(await c.requestPermissions())) {
      setError('The browser did not grant the permission the active checks need (declarativeNetRequest): nothing was sent.');
      return;
    }
    setRunning({ check: plan.check, progress: 'sending…' });
    const answer = await c.run({ type: 'oauth-lens/active-run', tabId: tabId ?? flow.tabId, flow, plan });
    setRunning(undefined);
    if (!answer.ok) {
      setError(answer.error);
      return;
    }
    setResults((prev) => ({ ...prev, ...Object.fromEntries(answer.results.map((r) => [r.check, r])) }));
  };

  return (
    <section class="active-checks" aria-label="Active checks">
      <h3>Active checks</h3>
      <p class="hint">These send requests of their own to the authorization server — only when you click, after you have seen exactly what will be sent.</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ul class="active-list">
        {rows.map(({ check, unavailable }) => (
          <li key={check} data-active-check={check}>
            <div>
              <strong>{TITLES[check]}</strong> <code class="check-id">{check}</code>
              <p class="hint">Fires when {checkDefinition(check).firesWhen}.</p>
              {unavailable && <p class="hint" data-unavailable="true">Not available for this flow: {unavailable}.</p>}
            </div>
            <button type="button" disabled={!!unavailable || !!running || !!dialog} onClick={() => void open(check)}>
              {running?.check === check ? 'Running…' : 'Run…'}
            </button>
            {running?.check === check && (
              <p class="progress" role="status">
                {running.progress}
              </p>
            )}
            {results[check] && <ActiveResult result={results[check] as ActiveCheckResult} />}
          </li>
        ))}
      </ul>
      {dialog && <ConfirmDialog title={TITLES[dialog.check]} plan={dialog} onConfirm={() => void confirm()} onCancel={() => setDialog(undefined)} />}
      <EditResend flow={flow} tabId={tabId ?? flow.tabId} getClient={getClient} />
    </section>
  );
}
