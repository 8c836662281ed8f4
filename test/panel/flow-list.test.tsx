// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowFilters } from '../../src/panel/components/FlowFilters.tsx';
import { FlowList } from '../../src/panel/components/FlowList.tsx';
import { filterRows, flowRows, type RowFilter } from '../../src/panel/flow-summary.ts';
import { codeFlow, finding, implicitFlow, manyFlows, result, serverSideFlow } from './fixtures.ts';

afterEach(cleanup);

const flowOptions = () => within(screen.getByRole('listbox')).getAllByRole('option');

function Harness({ rows }: { rows: ReturnType<typeof flowRows> }) {
  const [filter, setFilter] = useState<RowFilter>({ severity: 'any', text: '' });
  const [selected, setSelected] = useState<string | undefined>();
  const shown = filterRows(rows, filter);
  return (
    <>
      <FlowFilters filter={filter} onChange={setFilter} shown={shown.length} total={rows.length} />
      <FlowList rows={shown} selectedId={selected} onSelect={setSelected} />
    </>
  );
}

describe('flow list', () => {
  const clean = codeFlow({ clientId: 'good-spa', issuer: 'https://accounts.example' });
  const implicit = implicitFlow();
  const hidden = serverSideFlow();
  const rows = flowRows(
    result(
      [clean, implicit, hidden],
      [finding('flow.implicit', implicit, 'high', 'implicit'), finding('state.missing', implicit, 'medium', 'no state'), finding('iss.missing', hidden, 'low', 'no iss')],
    ),
  );

  it('shows provider, client_id, kind and the worst severity of each flow', () => {
    render(<Harness rows={rows} />);
    const options = flowOptions();
    expect(options).toHaveLength(3);
    const first = within(options[0]!);
    expect(first.getByText('https://accounts.example')).toBeTruthy();
    expect(first.getByText('good-spa')).toBeTruthy();
    expect(first.getByText('code')).toBeTruthy();
    expect(first.getByText('ok')).toBeTruthy();
    expect(within(options[1]!).getByText('implicit')).toBeTruthy();
    expect(within(options[1]!).getByTitle('worst severity: high').textContent).toBe('high ×2');
  });

  it('filters by severity and by text', () => {
    render(<Harness rows={rows} />);
    fireEvent.change(screen.getByLabelText('Filter flows by severity'), { target: { value: 'medium' } });
    expect(flowOptions()).toHaveLength(1);
    expect(screen.getByText('1 of 3 flows')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Filter flows by severity'), { target: { value: 'findings' } });
    expect(flowOptions()).toHaveLength(2);
    fireEvent.change(screen.getByLabelText('Filter flows by severity'), { target: { value: 'any' } });
    fireEvent.input(screen.getByLabelText('Filter flows by text'), { target: { value: 'WEB-APP' } });
    expect(flowOptions().map((o) => o.getAttribute('data-flow-id'))).toEqual([hidden.id]);
    fireEvent.input(screen.getByLabelText('Filter flows by text'), { target: { value: 'iss.missing' } });
    expect(flowOptions()).toHaveLength(1);
  });

  it('moves the selection with the arrow keys, Home and End', () => {
    render(<Harness rows={rows} />);
    const list = screen.getByRole('listbox');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(flowOptions()[0]!.getAttribute('aria-selected')).toBe('true');
    expect(list.getAttribute('aria-activedescendant')).toBe('flow-opt-0');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(flowOptions()[1]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(list, { key: 'End' });
    expect(list.getAttribute('aria-activedescendant')).toBe('flow-opt-2');
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(list.getAttribute('aria-activedescendant')).toBe('flow-opt-2');
    fireEvent.keyDown(list, { key: 'Home' });
    expect(list.getAttribute('aria-activedescendant')).toBe('flow-opt-0');
  });

  it('keeps only the rows in view in the DOM (2,000 flows)', () => {
    const many = flowRows(result(manyFlows(2000)));
    render(<Harness rows={many} />);
    expect(screen.getByText('2000 flows')).toBeTruthy();
    const inDom = flowOptions().length;
    expect(inDom).toBeGreaterThan(10);
    expect(inDom).toBeLessThan(60);
    const list = screen.getByRole('listbox');
    fireEvent.keyDown(list, { key: 'End' });
    expect(screen.getByText('client-1999')).toBeTruthy();
  });

  it('says what to do when there are no flows', () => {
    render(<Harness rows={[]} />);
    expect(screen.getByRole('status').textContent).toMatch(/import a HAR/);
  });
});
