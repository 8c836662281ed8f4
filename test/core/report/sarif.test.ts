import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, type CheckId } from '../../../src/core/checks/catalogue.ts';
import { helpUri } from '../../../src/core/report/references.ts';
import { SARIF_SCHEMA, toSarif } from '../../../src/core/report/sarif.ts';
import { SECRETS, sampleResult } from './sample-result.ts';

describe('toSarif', () => {
  const log = toSarif(sampleResult(), { harPath: 'captures/login.har', toolVersion: '1.2.3' });
  const run = log.runs[0]!;

  it('types as a SARIF log (@types/sarif)', () => {
    const typed: Sarif.Log = log;
    expect(typed.runs[0]?.tool.driver.name).toBe('oauth-lens');
  });

  it('lists what could not be evaluated as tool notifications', () => {
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          { level: 'note', message: { text: 'not evaluated: jwt.signature-invalid (flow-0): no ID token in the token response' }, descriptor: { id: 'jwt.signature-invalid' }, properties: { flowId: 'flow-0' } },
        ],
      },
    ]);
  });

  it('is a SARIF 2.1.0 log with one rule per catalogue check', () => {
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'oauth-lens', version: '1.2.3' });
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(CATALOGUE.map((c) => c.id));
    for (const rule of run.tool.driver.rules) {
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(rule.shortDescription.text.length).toBeLessThanOrEqual(1024);
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    }
  });

  it('gives each finding a result pointing at its rule, the HAR file and the flow', () => {
    expect(run.results.map((r) => [r.ruleId, r.level])).toEqual([
      ['leak.referrer', 'error'],
      ['flow.implicit', 'error'],
      ['state.weak', 'warning'],
    ]);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex!]?.id).toBe(result.ruleId);
      expect(result.message.text).not.toBe('');
      expect(result.locations[0]?.physicalLocation?.artifactLocation).toEqual({ uri: 'captures/login.har', uriBaseId: '%SRCROOT%', index: 0 });
      expect(result.locations[0]?.physicalLocation?.region.startLine).toBe(1);
    }
    expect(run.artifacts).toEqual([{ location: { uri: 'captures/login.har', uriBaseId: '%SRCROOT%' } }]);
    expect(run.results[0]?.locations[0]?.logicalLocations[0]).toEqual({ name: 'flow-0', fullyQualifiedName: 'flow-0/4', kind: 'resource' });
  });

  it('has stable, distinct fingerprints', () => {
    const again = toSarif(sampleResult(), { harPath: 'elsewhere/other.har' });
    const prints = run.results.map((r) => r.partialFingerprints['oauthLensFinding/v1']);
    expect(again.runs[0]!.results.map((r) => r.partialFingerprints['oauthLensFinding/v1'])).toEqual(prints);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('numbers repeated findings of the same kind', () => {
    const result = sampleResult();
    result.findings.push({ ...result.findings[2]! });
    const prints = toSarif(result).runs[0]!.results.map((r) => r.partialFingerprints['oauthLensFinding/v1']!);
    expect(prints[3]).toBe(prints[2]!.replace(/:1$/, ':2'));
  });

  it('has only logical locations without a HAR path, and masks secrets', () => {
    const bare = toSarif(sampleResult());
    expect(bare.runs[0]!.artifacts).toBeUndefined();
    expect(bare.runs[0]!.results[0]!.locations[0]!.physicalLocation).toBeUndefined();
    const text = JSON.stringify(bare);
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  });

  it.each([
    { path: 'C:\\captures\\login.har', uri: 'file:///C:/captures/login.har' },
    { path: '/tmp/my login.har', uri: 'file:///tmp/my%20login.har' },
    { path: './login.har', uri: 'login.har' },
  ])('writes the HAR path $path as a URI', ({ path, uri }) => {
    expect(toSarif(sampleResult(), { harPath: path }).runs[0]!.artifacts?.[0]?.location.uri).toBe(uri);
  });

  it('does not lose a finding whose check is not in the catalogue', () => {
    const result = sampleResult();
    result.findings = [{ ...result.findings[0]!, check: 'future.check' as CheckId }];
    const [only] = toSarif(result).runs[0]!.results;
    expect(only).toMatchObject({ ruleId: 'future.check' });
    expect(only?.ruleIndex).toBeUndefined();
  });
});

describe('reference links', () => {
  it.each([
    { reference: 'RFC 9700 §2.1.1', url: 'https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1' },
    { reference: 'RFC 7636 §1', url: 'https://www.rfc-editor.org/rfc/rfc7636#section-1' },
    { reference: 'RFC 8414', url: 'https://www.rfc-editor.org/rfc/rfc8414' },
    { reference: 'OIDC §3.1.3.7 (9)', url: 'https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation' },
    { reference: 'OIDC Discovery §4.3', url: 'https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation' },
    { reference: 'BBA §6', url: 'https://www.rfc-editor.org/rfc/rfc10017#section-6' },
    { reference: 'nonsense', url: 'https://www.rfc-editor.org/rfc/rfc9700' },
  ])('links $reference', ({ reference, url }) => {
    expect(helpUri(reference)).toBe(url);
  });

  it('prefers the first RFC of a list', () => {
    expect(helpUri('BBA §8; RFC 9700 §4.15')).toBe('https://www.rfc-editor.org/rfc/rfc9700#section-4.15');
    expect(helpUri('OIDC §3.1.3.7; RFC 8725 §3.1')).toBe('https://www.rfc-editor.org/rfc/rfc8725#section-3.1');
  });
});
