import { it } from 'vitest';
import { completeVariant } from '../../demo/drive.ts';
import { startDemo, variantByName } from '../../demo/servers.ts';
import { activeBuild, autoLogin, flowsOf, launchActive, runActive, tabEvents, tabIdOf } from './active-support.ts';

it('debug', async () => {
  const built = await activeBuild();
  const demo = await startDemo();
  const lens = await launchActive(built.dir);
  lens.worker.on('console', (m) => console.log('WORKER', m.text()));
  const page = await lens.context.newPage();
  await page.goto(demo.urls.variants['active-flaws'] as string);
  const tabId = await tabIdOf(lens, page);
  await completeVariant(lens.context, page, variantByName('active-flaws')!);
  await new Promise((r) => setTimeout(r, 1000));
  const flow = flowsOf(await tabEvents(lens, tabId)).find((f) => f.kind === 'authorization_code')!;
  const stop = autoLogin(lens.context);
  lens.context.on('page', (p) => { console.log('PAGE', p.url()); p.on('framenavigated', (f) => f === p.mainFrame() && console.log('NAV', p.url().slice(0, 140))); });
  const spy = setInterval(() => console.log(lens.context.pages().map((p) => p.url().slice(0, 100))), 3000);
  const r = await Promise.race([runActive(lens, tabId, flow, 'redirect.not-exact'), new Promise((r) => setTimeout(() => r('TIMEOUT'), 40000))]);
  clearInterval(spy);
  const a = (r as any).answer; console.log("RESULT", JSON.stringify(a?.results?.map((x: any) => [x.verdict, x.summary, x.steps.map((s: any) => [s.id, s.navigation])])));
  stop();
  await lens.close(); await demo.close(); built.cleanup();
}, 100000);
