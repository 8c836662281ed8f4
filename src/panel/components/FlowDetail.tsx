import { useMemo, useRef, useState } from 'preact/hooks';
import type { Finding, Flow, NotEvaluated, ProfileVerdict, RequestEvent } from '../../core/model.ts';
import { severityRank } from '../flow-summary.ts';
import { useRedactor } from '../secrets.ts';
import { timelineRows, unpinnedFindings } from '../timeline-model.ts';
import { isoTime } from '../time-format.ts';
import { ActiveChecks } from '../active/index.ts';
import { FindingCard } from './FindingCard.tsx';
import { FlowExplainerView } from './FlowExplainerView.tsx';
import { LegDetail } from './LegDetail.tsx';
import { MermaidCopy } from './MermaidCopy.tsx';
import { Timeline } from './Timeline.tsx';

export interface FlowDetailProps {
  flow: Flow;
  findings: readonly Finding[];
  notEvaluated: readonly NotEvaluated[];
  /** The capture's events, so requests outside the flow that a finding cites are drawn (a Referer leak to a tracker). */
  events?: readonly RequestEvent[];
  now?: number;
  /** Offer the active checks (inside the extension only: the worker sends them). */
  activeChecks?: boolean;
  /** Why the active checks are not offered (an imported capture). */
  activeChecksOff?: string | undefined;
  /** The flow's verdict under the picked profile (FAPI 2.0), when one is picked. */
  profile?: ProfileVerdict | undefined;
}

/** The chosen flow (render it with `key={flow.id}` so a new flow starts on its first leg): summary, explainer, timeline with pinned warnings, findings, and the selected leg. */
export function FlowDetail({ flow, findings, notEvaluated, events = [], now, activeChecks = false, activeChecksOff, profile }: FlowDetailProps) {
  const redactor = useRedactor();
  const [legId, setLegId] = useState<string | undefined>(flow.legs[0]?.id);
  const sorted = useMemo(() => findings.slice().sort((a, b) => severityRank(b.severity) - severityRank(a.severity)), [findings]);
  const rows = useMemo(() => timelineRows(flow, sorted, events), [flow, sorted, events]);
  const flowWide = useMemo(() => unpinnedFindings(flow, sorted, events), [flow, sorted, events]);
  const skipped = notEvaluated.filter((n) => n.flowId === flow.id || n.flowId === '*');
  const leg = flow.legs.find((l) => l.id === legId);
  const legIds = new Set(flow.legs.map((l) => l.id));

  const findingsRef = useRef<HTMLElement>(null);
  const legRef = useRef<HTMLDivElement>(null);
  /** A leg chosen on the timeline or from evidence: show its detail, below the findings. */
  const showLeg = (id: string) => {
    setLegId(id);
    legRef.current?.scrollIntoView?.({ block: 'start' });
  };
  const showFinding = (check: string) => {
    const cards = findingsRef.current?.querySelectorAll<HTMLElement>('[data-check]') ?? [];
    [...cards].find((card) => card.dataset.check === check)?.focus();
  };

  return (
    <section class="flow-detail" aria-label="Flow details" data-flow-id={flow.id}>
      <header class="flow-head-detail">
        <h2>
          <span class="kind">{flow.kind}</span> <span>{redactor.url(flow.issuer ?? flow.authorizationEndpoint ?? 'unknown issuer')}</span>
        </h2>
        <dl class="facts">
          <dt>client_id</dt>
          <dd>
            <code>{redactor.text(flow.clientId ?? '—')}</code>
          </dd>
          <dt>redirect_uri</dt>
          <dd>
            <code>{flow.redirectUri ? redactor.url(flow.redirectUri) : '—'}</code>
          </dd>
          <dt>started</dt>
          <dd>{isoTime(flow.startedAt)}</dd>
          <dt>token exchange</dt>
          <dd data-token-exchange={flow.observability.tokenExchange}>{flow.observability.tokenExchange}</dd>
          <dt>architecture</dt>
          <dd data-architecture={flow.architecture.kind}>
            {flow.architecture.kind}
          </dd>
        </dl>
        {flow.architecture.evidence.length > 0 && (
          <p class="note" role="note">
            Architecture: {redactor.text(flow.architecture.evidence.map((e) => e.note).join('; '))}.
          </p>
        )}
        {profile && (
          <p class="note" role="note" data-profile-verdict="fapi2">
            FAPI 2.0: met {profile.met.length}, broken {profile.broken.length}
            {profile.broken.length > 0 ? ` (${profile.broken.join(', ')})` : ''}, not observable {profile.notObservable.length}
            {` (${profile.notObservable.map((n) => n.clause).join('; ')})`}.
          </p>
        )}
        {flow.observability.notes.map((note, i) => (
          <p key={i} class="note" role="note">
            {redactor.text(note)}
          </p>
        ))}
      </header>
      <FlowExplainerView flow={flow} />
      <MermaidCopy flow={flow} findings={sorted} events={events} />
      <Timeline rows={rows} flowWide={flowWide} selectedLegId={legId} onSelectLeg={showLeg} onSelectFinding={showFinding} />
      <section class="findings" aria-label="Findings" ref={findingsRef}>
        <h3>{sorted.length === 0 ? 'No findings' : `Findings (${sorted.length})`}</h3>
        {sorted.map((f, i) => (
          <FindingCard key={`${f.check}-${i}`} finding={f} onShowLeg={showLeg} hasLeg={(id) => legIds.has(id)} />
        ))}
        {skipped.length > 0 && (
          <details class="not-evaluated">
            <summary>Not evaluated ({skipped.length})</summary>
            <ul>
              {skipped.map((n, i) => (
                <li key={i} data-not-evaluated={n.check}>
                  <code>{n.check}</code>: {redactor.text(n.reason)}
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
      <div ref={legRef}>{leg && <LegDetail flow={flow} leg={leg} findings={sorted} notEvaluated={notEvaluated} now={now} />}</div>
      {activeChecks && <ActiveChecks flow={flow} />}
      {!activeChecks && activeChecksOff && (
        <p class="note active-off" role="note">
          {activeChecksOff}
        </p>
      )}
    </section>
  );
}
