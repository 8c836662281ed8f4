import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { RequestEvent } from '../core/model.ts';
import { mergeSnapshot } from './event-store.ts';
import type { FlowSource } from './flow-source.ts';

export interface Capture {
  events: RequestEvent[];
  dropped: number;
  /** Storage trouble the capture reports, shown in the toolbar. */
  notice: string | undefined;
  preserve: boolean;
  setPreserve: (on: boolean) => void;
  clear: () => void;
}

/** The events of a source, folded with Preserve-log semantics (see event-store.ts). */
export function useCapture(source: FlowSource): Capture {
  const [events, setEvents] = useState<RequestEvent[]>([]);
  const [dropped, setDropped] = useState(0);
  const [notice, setNotice] = useState<string | undefined>();
  const [preserve, setPreserveState] = useState(true);
  const preserveRef = useRef(preserve);

  useEffect(() => {
    setEvents([]);
    setDropped(0);
    return source.subscribe((snapshot) => {
      setEvents((previous) => mergeSnapshot(previous, snapshot.events, preserveRef.current));
      setDropped(snapshot.dropped);
      setNotice(snapshot.notice);
    });
  }, [source]);

  const setPreserve = useCallback((on: boolean) => {
    preserveRef.current = on;
    setPreserveState(on);
  }, []);

  const clear = useCallback(() => {
    setEvents([]);
    setDropped(0);
    source.clear();
  }, [source]);

  return { events, dropped, notice, preserve, setPreserve, clear };
}
