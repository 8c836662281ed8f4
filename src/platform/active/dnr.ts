/**
 * declarativeNetRequest session rules, wrapped once (STYLE: wrap a risky
 * browser call once). Only the active checks use them; the permission
 * (`declarativeNetRequestWithHostAccess`) is optional and asked for on the
 * first click. Session rules vanish when the browser closes; ours also live
 * only as long as one request or one probe tab.
 * @see https://developer.chrome.com/docs/extensions/reference/api/declarativeNetRequest#method-updateSessionRules
 */
import { browser } from '../browser.ts';
import { debug } from '../debug.ts';

/** The ids of our rules, so a restarted worker can clear the ones it left behind. */
const FIRST_ID = 7_000_000;
const LAST_ID = 7_999_999;

interface DnrRule {
  id: number;
  priority?: number;
  condition: Record<string, unknown>;
  action: Record<string, unknown>;
}

interface DnrApi {
  updateSessionRules(options: { addRules?: DnrRule[]; removeRuleIds?: number[] }): Promise<void>;
  getSessionRules(): Promise<Array<{ id: number }>>;
}

function api(): DnrApi | undefined {
  return (browser as unknown as { declarativeNetRequest?: DnrApi }).declarativeNetRequest;
}

/** Whether session rules can be used now (the optional permission granted, the API present). */
export function dnrAvailable(): boolean {
  return typeof api()?.updateSessionRules === 'function';
}

let nextId = FIRST_ID + Math.floor(Math.random() * 100_000);

export async function addSessionRule(condition: Record<string, unknown>, action: Record<string, unknown>): Promise<number | undefined> {
  const dnr = api();
  if (!dnr) return undefined;
  nextId = nextId >= LAST_ID ? FIRST_ID : nextId + 1;
  const id = nextId;
  try {
    await dnr.updateSessionRules({ addRules: [{ id, priority: 100, condition, action }] });
    return id;
  } catch (error) {
    debug('updateSessionRules (add) failed', String(error));
    return undefined;
  }
}

export async function removeSessionRule(id: number | undefined): Promise<void> {
  const dnr = api();
  if (!dnr || id === undefined) return;
  try {
    await dnr.updateSessionRules({ removeRuleIds: [id] });
  } catch (error) {
    debug('updateSessionRules (remove) failed', String(error));
  }
}

/** Removes rules a stopped worker left behind. */
export async function clearOurSessionRules(): Promise<void> {
  const dnr = api();
  if (!dnr) return;
  try {
    const ids = (await dnr.getSessionRules()).map((r) => r.id).filter((id) => id >= FIRST_ID && id <= LAST_ID);
    if (ids.length > 0) await dnr.updateSessionRules({ removeRuleIds: ids });
  } catch (error) {
    debug('getSessionRules failed', String(error));
  }
}
