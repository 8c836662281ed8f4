/** Command line of `oauth-lens`: parsed strictly, every mistake a one-line UsageError. */
import { parseArgs } from 'node:util';
import { SEVERITIES, type ProfileId, type Severity } from '../core/model.ts';

export const FORMATS = ['text', 'json', 'sarif', 'mermaid'] as const;
export type Format = (typeof FORMATS)[number];

export type Command =
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'audit'; file: string; format: Format; failOn: Severity | 'none'; fetchKeys: boolean; reveal: boolean; output?: string; color?: boolean; profile?: ProfileId };

export const PROFILES = ['fapi2'] as const satisfies readonly ProfileId[];

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: oauth-lens audit <file.har> [options]

Trace the OAuth 2.0 / OpenID Connect logins in a HAR capture and report what is wrong with them.

Options:
  --format text|json|sarif|mermaid
                             report format (default: text); mermaid: a sequence
                             diagram per flow, as Markdown for an issue or a README
  --fail-on <severity>       exit 1 when a finding is at least this severe:
                             info|low|medium|high|critical|none (default: high)
  --fetch-keys               fetch discovery documents and JWKS that the capture lacks
                             (otherwise oauth-lens makes no network request)
  --profile fapi2            also judge each flow against the FAPI 2.0 Security Profile
                             (the fapi2.* clauses; met, broken and not observable per flow)
  --reveal                   show codes, tokens and secrets instead of masking them
  --output <file>            write the report to a file instead of standard output
  --color / --no-color       force colour in the text report (default: on a terminal)
  -h, --help                 show this help
  -v, --version              show the version

Exit status: 0 nothing reached --fail-on, 1 something did, 2 bad input or usage.
`;

export function parseCommandLine(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        'fail-on': { type: 'string' },
        'fetch-keys': { type: 'boolean' },
        reveal: { type: 'boolean' },
        profile: { type: 'string' },
        output: { type: 'string', short: 'o' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    const unknown = /Unknown option '([^']+)'/.exec(oneLine(error));
    throw new UsageError(unknown ? `unknown option '${unknown[1]}'` : oneLine(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const [command, file, ...extra] = positionals;
  if (command === undefined) throw new UsageError('missing command: oauth-lens audit <file.har>');
  if (command !== 'audit') throw new UsageError(`unknown command '${command}': the only command is 'audit'`);
  if (file === undefined || file === '') throw new UsageError('missing HAR file: oauth-lens audit <file.har>');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}': audit takes one HAR file`);

  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format '${format}': use text, json, sarif or mermaid`);
  const failOn = values['fail-on'] ?? 'high';
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`unknown --fail-on '${failOn}': use info, low, medium, high, critical or none`);
  }
  if (values.output === '') throw new UsageError('--output needs a file name');
  if (values.profile !== undefined && !(PROFILES as readonly string[]).includes(values.profile)) {
    throw new UsageError(`unknown --profile '${values.profile}': the only profile is fapi2`);
  }
  const command_: Command = {
    command: 'audit',
    file,
    format: format as Format,
    failOn: failOn as Severity | 'none',
    fetchKeys: values['fetch-keys'] ?? false,
    reveal: values.reveal ?? false,
  };
  if (values.output !== undefined) command_.output = values.output;
  if (values.profile !== undefined) command_.profile = values.profile as ProfileId;
  if (values.color || values['no-color']) command_.color = Boolean(values.color) && !values['no-color'];
  return command_;
}

/** The first line of an error's message, without node's error-code prefix noise. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').trim() || 'unknown error';
}
