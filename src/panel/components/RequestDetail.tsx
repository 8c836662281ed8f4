import type { RequestEvent } from '../../core/model.ts';
import { urlParams } from '../url-params.ts';
import { EventView } from './EventView.tsx';
import { ParamsTable } from './ParamsTable.tsx';

/** A request outside any flow (or any request, from the Requests list): what travelled, decoded. */
export function RequestDetail({ event, legKind }: { event: RequestEvent; legKind?: string | undefined }) {
  const query = urlParams(event.url);
  const location = urlParams(event.redirectUrl);
  return (
    <EventView event={event} title={legKind ? `${legKind} (part of a flow)` : `${event.type} request`}>
      {query && <ParamsTable title="URL parameters" params={query} />}
      {location && <ParamsTable title="Location parameters" params={location} />}
    </EventView>
  );
}
