// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { BodyStatus } from '../../src/core/protocol/worker-panel.ts';
import { READ_BODIES_LABEL, ReadBodies, type BodyAccess } from '../../src/ui/ReadBodies.tsx';

afterEach(cleanup);

function fakeAccess(initial: BodyStatus, grant: BodyStatus = initial) {
  let status = initial;
  const calls: string[] = [];
  const access: BodyAccess = {
    status: async () => status,
    request: () => {
      // Synchronously, inside the click: what permissions.request needs.
      calls.push('request');
      status = grant;
      return Promise.resolve(true);
    },
    resume: async () => {
      calls.push('resume');
      status = { ...status, tab: 'not-attached' };
    },
  };
  return { access, calls };
}

describe('ReadBodies ("Read token responses in Chrome")', () => {
  it('offers the permission with one click and says what it does, then says it is on', async () => {
    const { access, calls } = fakeAccess({ offered: true, granted: false, tab: 'no-permission' }, { offered: true, granted: true, tab: 'not-attached' });
    const { container } = render(<ReadBodies access={access} />);
    const button = await screen.findByRole('button', { name: READ_BODIES_LABEL });
    expect(container.textContent).toContain('is debugging this browser');
    fireEvent.click(button);
    expect(calls).toEqual(['request']);
    await waitFor(() => expect(container.querySelector('[data-read-bodies]')?.getAttribute('data-read-bodies')).toBe('not-attached'));
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('shows nothing where the browser does not offer it (Firefox reads bodies anyway)', async () => {
    const { access } = fakeAccess({ offered: false, granted: false, tab: 'no-permission' });
    const { container } = render(<ReadBodies access={access} />);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(container.textContent).toBe('');
  });

  it('says why bodies are missing: the bar was closed (with a way back), another debugger holds the tab', async () => {
    const paused = fakeAccess({ offered: true, granted: true, tab: 'paused' });
    render(<ReadBodies access={paused.access} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Read token responses again' }));
    expect(paused.calls).toEqual(['resume']);
    cleanup();
    const held = fakeAccess({ offered: true, granted: true, tab: 'held-by-other' });
    const { container } = render(<ReadBodies access={held.access} />);
    await waitFor(() => expect(container.textContent).toContain('Another debugger holds this tab'));
  });
});
