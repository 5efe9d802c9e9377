// The runner emulator parses and masks like actions/runner. Each test names the runner source
// (file and method) whose behaviour it checks; references are to actions/runner at 258d6c8.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { JobLog } from '../../emulators/runner/job-log.mjs';
import { createLineSplitter, maskSummary, parseCommand, parseLegacy, runAction, SecretMasker, type RunResult } from '../../emulators/runner/runner.mjs';

const TINY = fileURLToPath(new URL('../fixtures/tiny-action', import.meta.url));
const runs: RunResult[] = [];
afterEach(() => {
  for (const r of runs.splice(0)) r.cleanup();
});

function feed(lines: string[], options: ConstructorParameters<typeof JobLog>[0] = {}) {
  const log = new JobLog(options);
  log.beginStep('main', 'Run ./');
  for (const l of lines) log.processLine(l);
  return log;
}

describe('ActionCommand.cs TryParseV2 / TryParse', () => {
  it('TryParse: ##[add-mask] in the middle of a line registers a mask', () => {
    const log = feed(['progress 50% ##[add-mask]hunter2-secret', 'the value is hunter2-secret']);
    expect(log.masks).toEqual(['hunter2-secret']);
    expect(log.toString()).toContain('the value is ***\n');
    expect(log.toString()).not.toContain('progress');
  });

  it('TryParse: properties split on ";", legacy unescapes %3B %5D %0A %25 (ordinal, upper case only)', () => {
    expect(parseLegacy('x ##[error file=a%3Bb.ts;title=x%5Dy]m%5D%0Aok%0a;100%25')).toMatchObject({
      name: 'error',
      properties: { file: 'a;b.ts', title: 'x]y' },
      data: 'm]\nok%0a;100%',
      syntax: 'legacy',
    });
  });

  it('TryParseV2: keys are not trimmed, k==v keeps "=v", empty values are dropped, %0a stays', () => {
    expect(parseCommand(' \t::warning file=a.ts, line=3,title==t,col=::x%0ay%0Az')).toEqual({
      name: 'warning',
      rawName: 'warning',
      properties: { file: 'a.ts', ' line': '3', title: '=t' },
      data: 'x%0ay\nz',
      syntax: 'v2',
    });
  });

  it('TryProcessCommand: V2 first, then the legacy syntax; names match case-insensitively', () => {
    const log = feed(['::nope:: ##[warning]from legacy', '::WARNING::upper', 'text ::error::not at start']);
    expect(log.annotations.map((a) => [a.level, a.message])).toEqual([
      ['warning', 'from legacy'],
      ['warning', 'upper'],
    ]);
    expect(log.toString()).toContain('text ::error::not at start\n');
  });

  it('OutputManager.OnDataReceived: user output cannot forge ##[start-action / ##[end-action markers', () => {
    expect(feed(['##[start-action]x ##[end-action]']).toString()).toContain('##[\\start-action]x ##[\\end-action]\n');
  });
});

describe('ActionCommandManager.cs TryProcessCommand: stop-commands', () => {
  it('##[stop-commands] mid-line stops ::add-mask:: on later lines until ##[TOKEN] (any case) resumes', () => {
    const log = feed([
      'say ##[stop-commands]tok-12345',
      '::add-mask::ignored-value',
      '::warning::plain text while stopped',
      'resume here ##[TOK-12345]',
      '::add-mask::later-value',
      'ignored-value later-value',
    ]);
    expect(log.masks).toEqual(['later-value']);
    expect(log.annotations).toEqual([]);
    const text = log.toString();
    expect(text).toContain('::add-mask::ignored-value\n::warning::plain text while stopped\n');
    expect(text).toContain('ignored-value ***\n');
  });

  it('::TOKEN:: resumes too; only the token does, and other lines stay plain', () => {
    const log = feed(['::stop-commands::abc', '::abcd::', '::error::still stopped', '::ABC::', '::error::now an error']);
    expect(log.annotations.map((a) => a.message)).toEqual(['now an error']);
    // A token of at most 6 characters is not masked; a longer one is (AddValue when Length > 6).
    expect(log.toString()).toContain('::stop-commands::abc\n::abcd::\n::error::still stopped\n::ABC::\n');
  });

  it('ValidateStopToken: a command name, "pause-logging" or an empty token fails the step unless allowed', () => {
    for (const token of ['warning', 'Pause-Logging', '']) {
      const log = feed([`::stop-commands::${token}`, '::error::still processed']);
      expect(log.commandFailed).toBe(true);
      expect(log.annotations[0]?.message).toContain('You cannot use a endToken');
      expect(log.annotations.at(-1)?.message).toBe('still processed');
    }
    const allowed = feed(['::stop-commands::warning', '::error::ignored'], { allowUnsecureStopTokens: true });
    expect(allowed.commandFailed).toBe(false);
    expect(allowed.annotations).toEqual([]);
  });

  it('ExecutionContext: echo starts on with step debug (EchoOnActionCommand = Step_Debug)', () => {
    expect(feed(['::group::g'], { debug: true }).toString()).toContain('::group::g\n');
    expect(feed(['::group::g']).toString()).not.toContain('::group::g');
  });
});

describe('SecretMasker.cs AddValue with the HostContext.cs value encoders', () => {
  const secret = 'p4ss-w0rd-is-long';

  it('ValueEncoders.Base64StringEscape / Shift1 / Shift2: base64 at each byte offset is masked', () => {
    const m = new SecretMasker();
    m.add(secret);
    for (const k of [0, 1, 2, 3, 4, 5]) {
      const encoded = Buffer.from(`${'u'.repeat(k)}${secret}`).toString('base64');
      // Only the whole 4-character groups that encode prefix bytes stay visible.
      expect(m.mask(`x ${encoded}`), `offset ${k}`).toBe(`x ${encoded.slice(0, 4 * Math.ceil(k / 3))}***`);
    }
  });

  it('Base64 values keep their padding (no trimming): a padded encoding followed by more data is not masked', () => {
    const m = new SecretMasker();
    m.add('ten-chars!'); // 10 bytes: its base64 at offset 0 ends in "=="
    const encoded = Buffer.from('ten-chars!and more').toString('base64');
    expect(m.mask(encoded)).toBe(encoded);
  });

  it("UriDataEscape (RFC 3986, !'()* too), JsonStringEscape (Newtonsoft: U+2028), XmlDataEscape, ExpressionStringEscape, CommandLineArgumentEscape", () => {
    const m = new SecretMasker();
    m.add('it\'s a<b&"c"!(x)*\u2028');
    expect(m.mask('u=it%27s%20a%3Cb%26%22c%22%21%28x%29%2A%E2%80%A8;')).toBe('u=***;');
    expect(m.mask('{"v":"it\'s a<b&\\"c\\"!(x)*\\u2028"}')).toBe('{"v":"***"}');
    expect(m.mask('<v>it&apos;s a&lt;b&amp;&quot;c&quot;!(x)*\u2028</v>')).toBe('<v>***</v>');
    expect(m.mask("'it''s a<b&\"c\"!(x)*\u2028'")).toBe("'***'");
    expect(m.mask('-e "it\'s a<b&\\"c\\"!(x)*\u2028"')).toBe('-e "***"');
  });

  it('TrimDoubleQuotes (longer than 8) and the PowerShell ampersand encoders (sections of 6 or more)', () => {
    const m = new SecretMasker();
    m.add('"quoted-1"');
    m.add('first-part&second-part');
    expect(m.mask('v=quoted-1;')).toBe('v=***;');
    expect(m.mask('[first-part&] [second-part]')).toBe('[***] [***]');
    const short = new SecretMasker();
    short.add('"q-7"');
    short.add('ab&cd');
    expect(short.mask('q-7 ab& cd')).toBe('q-7 ab& cd');
  });

  it('AddMaskCommandExtension: the value as given plus each trimmed line; no minimum length', () => {
    const m = new SecretMasker();
    m.add('  padded  ');
    m.add('line-1\r\n x ');
    expect(m.mask('[  padded  ] [padded] [x] [line-1]')).toBe('[***] [***] [***] [***]');
  });
});

describe('ProcessInvoker.StartReadStream (StreamReader.ReadLine): line splitting', () => {
  it('splits on \\r\\n, \\n and a lone \\r, including a \\r\\n split across chunks', () => {
    const lines: string[] = [];
    const s = createLineSplitter((l) => lines.push(l));
    for (const chunk of ['a\r', '\nb\rc\n\n', 'd\r\r\ne', 'f']) s.push(chunk);
    s.end();
    expect(lines).toEqual(['a', 'b', 'c', '', 'd', '', 'ef']);
  });

  it('a\\r::warning::x from a real step yields a warning, and ##[add-mask] after \\r\\n masks later output', async () => {
    const run = await runAction({
      actionDir: TINY,
      timeoutMs: 20_000,
      inputs: { stdout: 'a\r::warning::x\r\nb ##[add-mask]zz-top\rzz-top end\n' },
    });
    runs.push(run);
    expect(run.annotations.map((a) => [a.level, a.message])).toEqual([['warning', 'x']]);
    expect(run.jobLog).toContain('\na\nWarning: x\n*** end\n');
  });
});

describe('FileCommandManager.cs CreateStepSummaryCommand: the summary shown is masked line by line', () => {
  it('masks a secret in the summary (summaryShown) and rewrites line ends as \\n', async () => {
    const run = await runAction({
      actionDir: TINY,
      timeoutMs: 20_000,
      inputs: { secret: 'summ-secret-1', summary: 'a\r\nb\rno newline' },
    });
    runs.push(run);
    expect(run.summary).toContain('summary secret: summ-secret-1\n');
    expect(run.summaryShown).toBe('summary secret: ***\na\nb\nno newline\n');
    expect(run.outputs['secret-out']).toBe('summ-secret-1');
    expect(maskSummary('', new SecretMasker())).toBe('');
  });
});
