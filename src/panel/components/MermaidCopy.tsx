import { useState } from 'preact/hooks';
import type { AuditResult, Finding, Flow, RequestEvent } from '../../core/model.ts';
import { flowToMermaid } from '../../core/report/mermaid.ts';
import { copyText } from '../clipboard.ts';
import { useRedactor, type Redactor } from '../secrets.ts';

/** The flow alone, as the core's Mermaid export wants it (secrets collected from its requests and those its findings cite). */
export function flowMermaid(flow: Flow, findings: readonly Finding[], events: readonly RequestEvent[] = [], redactor?: Redactor): string {
  const cited = new Set(findings.flatMap((finding) => finding.evidence.map((e) => e.requestId)));
  const own = new Set(flow.legs.flatMap((leg) => [leg.event.id, leg.documentId ?? '']));
  const result: AuditResult = {
    analysis: { events: [...flow.legs.map((leg) => leg.event), ...events.filter((e) => (cited.has(e.id) || own.has(e.id)) && !flow.legs.some((leg) => leg.event === e))], flows: [flow], metadata: [], jwks: {} },
    findings: findings.filter((finding) => finding.flowId === flow.id),
    notEvaluated: [],
  };
  return flowToMermaid(result, flow.id, redactor ? { redactor } : {});
}

/** "Copy as Mermaid": the flow as a sequenceDiagram (masked) with its findings as notes, fenced for a GitHub issue. */
export function MermaidCopy({ flow, findings, events = [] }: { flow: Flow; findings: readonly Finding[]; events?: readonly RequestEvent[] }) {
  const [status, setStatus] = useState('');
  const redactor = useRedactor();
  return (
    <div class="row mermaid-copy">
      <button
        type="button"
        data-action="copy-mermaid"
        onClick={async () => {
          const text = `\`\`\`mermaid\n${flowMermaid(flow, findings, events, redactor)}\`\`\`\n`;
          setStatus((await copyText(text)) ? 'copied: paste it into an issue or a Markdown file' : 'copy failed');
        }}
      >
        Copy as Mermaid
      </button>
      <span role="status">{status}</span>
    </div>
  );
}
