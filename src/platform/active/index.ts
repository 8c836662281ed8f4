/** Browser glue of the active checks: sending the inspector's requests and its probe tabs. */
export { sendTokenRequest } from './send.ts';
export { runProbeTab, probeTabsSupported, type ProbeTabResult } from './probe-tab.ts';
export { hasActivePermissions, requestActivePermissions } from './permissions.ts';
export { clearOurSessionRules } from './dnr.ts';
