/** Active checks in the panel: mount `<ActiveChecks flow={flow} />` in a flow's detail view. */
export { ActiveChecks, type ActiveChecksProps } from './ActiveChecks.tsx';
export type { ActiveClient } from './client.ts';
