import { it } from 'vitest';
import { completeVariant } from '../../demo/drive.ts';
import { startDemo, variantByName } from '../../demo/servers.ts';
import { activeBuild, flowsOf, launchActive, tabEvents, tabIdOf } from './active-support.ts';

it('debug', async () => {
  const built = await activeBuild();
  const demo = await startDemo();
  const lens = await launchActive(built.dir, ['--auto-open-devtools-for-tabs']);
  const page = await lens.context.newPage();
  await page.goto(demo.urls.variants['refresh-rotating'] as string);
  const tabId = await tabIdOf(lens, page);
  await completeVariant(lens.context, page, variantByName('refresh-rotating')!);
  await new Promise((r) => setTimeout(r, 4000));
  const events = await tabEvents(lens, tabId);
  for (const e of events) console.log(e.method, e.url.slice(0, 90), e.status, e.responseBodyState, e.type);
  for (const f of flowsOf(events)) console.log(f.kind, f.legs.map((l) => `${l.kind}:${l.grantType}:${!!l.response}`).join(' '));
  await lens.close(); await demo.close(); built.cleanup();
});
