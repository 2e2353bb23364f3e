import { describe, expect, it } from 'vitest'
import { parseCommand } from './args.ts'

describe('parseCommand', () => {
  it('parses tail with every option', () => {
    expect(
      parseCommand([
        'tail',
        'https://example.com/sse',
        '--json',
        '-H',
        'Authorization: Bearer t',
        '--header=x-a: 1',
        '-H',
        'X-A: 2',
        '--last-event-id',
        'abc',
        '--max-events',
        '5',
        '--idle-timeout',
        '2.5',
        '--until-end',
        '--notify',
        '--retry',
        '5',
        '--verbose',
      ]),
    ).toEqual({
      kind: 'tail',
      options: {
        url: 'https://example.com/sse',
        json: true,
        raw: false,
        verbose: true,
        retry: 5,
        headers: { Authorization: 'Bearer t', 'X-A': '2' },
        lastEventId: 'abc',
        maxEvents: 5,
        idleTimeoutMs: 2500,
        untilEnd: true,
        notify: true,
      },
    })
  })

  it('has plain defaults', () => {
    expect(parseCommand(['tail', 'http://127.0.0.1:8787/events'])).toEqual({
      kind: 'tail',
      options: {
        url: 'http://127.0.0.1:8787/events',
        json: false,
        raw: false,
        verbose: false,
        headers: {},
        untilEnd: false,
        notify: false,
      },
    })
  })

  it.each([
    [['--retry'], Infinity],
    [['--retry', '3'], 3],
    [['--retry=3'], 3],
    [['--retry', '0'], 0],
    [['--retry', '2', '--retry'], Infinity],
    [['--retry', '-H', 'X-A: 7'], Infinity],
    [['-H', 'X-A: 7', '--retry'], Infinity],
  ])('reads %j after the URL as retry %s', (flags, retry) => {
    const command = parseCommand(['tail', 'http://h/', ...flags])
    expect(command).toMatchObject({ kind: 'tail', options: { url: 'http://h/', retry } })
  })

  it('takes a count only right after --retry, never the URL', () => {
    expect(parseCommand(['tail', '--retry', 'http://h/'])).toMatchObject({
      options: { url: 'http://h/', retry: Infinity },
    })
    expect(parseCommand(['tail', '--retry', '4', 'http://h/'])).toMatchObject({
      options: { url: 'http://h/', retry: 4 },
    })
    expect(parseCommand(['tail', 'http://h/'])).not.toHaveProperty('options.retry')
  })

  it('reads --raw', () => {
    expect(parseCommand(['tail', 'http://h/', '--raw'])).toMatchObject({
      options: { raw: true, json: false },
    })
  })

  it('allows --idle-timeout 0 to turn the timeout off', () => {
    const command = parseCommand(['tail', 'http://h/', '--idle-timeout', '0'])
    expect(command).toMatchObject({ options: { idleTimeoutMs: 0 } })
  })

  it.each([
    [
      ['tail', 'http://h/', '--max-events', '1.5'],
      '--max-events must be a whole number, not "1.5".',
    ],
    [['tail', 'http://h/', '--max-events=-1'], '--max-events must be a whole number, not "-1".'],
    [
      ['tail', 'http://h/', '--max-events', '-1'],
      '--max-events needs a value (for one starting with "-", write --max-events=-…)',
    ],
    [
      ['tail', 'http://h/', '--idle-timeout=-1'],
      '--idle-timeout must be a number of seconds (0 turns it off), not "-1".',
    ],
    [
      ['tail', 'http://h/', '--idle-timeout', '100000'],
      '--idle-timeout must be at most 86400 seconds.',
    ],
    [['tail', 'http://h/', 'http://other/'], 'tail takes one URL, got 2: http://h/ http://other/'],
    [
      ['tail', 'http://user:pw@h/'],
      'Put credentials in an Authorization header (marked secret), not in the URL.',
    ],
    [
      ['tail', 'http://h/', '-H', 'Bad Name: x'],
      'Header name "Bad Name" has characters not allowed in a header name.',
    ],
    [
      ['tail', 'http://h/', '-H', 'Last-Event-ID: 4'],
      'Header "Last-Event-ID" is set by Tidings itself and cannot be overridden.',
    ],
    [['tail', 'http://h/', '-x'], 'unknown option -x'],
    [['tail', 'http://h/', '--jsno'], 'unknown option --jsno; did you mean `--json`?'],
    [
      ['tail', 'http://h/', '--max-event=3'],
      'unknown option --max-event; did you mean `--max-events`?',
    ],
    [['tail', 'http://h/', '--retyr'], 'unknown option --retyr; did you mean `--retry`?'],
    [['demo', '--prot', '1'], 'unknown option --prot; did you mean `--port`?'],
    [['ui', '--no-opn'], 'unknown option --no-opn; did you mean `--no-open`?'],
    [
      ['tail', 'http://h/', '--retry=soon'],
      '--retry takes a whole number of tries (or nothing, for "keep trying"), not "soon".',
    ],
    [['tail', 'http://h/', '--retry', '2', '3'], 'tail takes one URL, got 2: http://h/ 3'],
    [
      ['tail', 'http://h/', '--raw', '--json'],
      '--raw and --json do not go together (--json has the data as sent).',
    ],
    [['tail', 'http://h/', '--last-event-id'], '--last-event-id needs a value'],
    [
      ['tail', 'http://h/', '--last-event-id', 'a\u0001b'],
      '--last-event-id must fit in a header: no control characters, at most 1024 bytes.',
    ],
    [
      ['tail', 'http://h/', '--last-event-id', 'x'.repeat(1025)],
      '--last-event-id must fit in a header: no control characters, at most 1024 bytes.',
    ],
    [
      ['tail', 'http://h/', '-H', 'Keep-Alive: timeout=5'],
      'Header "Keep-Alive" is about the connection, not the request: HTTP clients set it themselves and never send one from a feed. Remove it.',
    ],
    [['tail', 'http://h/', '--notify=yes'], '--notify does not take a value'],
    [['demo', '--port', 'http'], '--port must be a whole number, not "http".'],
    [['demo', 'extra'], 'demo takes no arguments: extra'],
  ])('rejects %j: %s', (argv, message) => {
    expect(parseCommand(argv)).toEqual({ kind: 'usage-error', message, help: expect.any(String) })
  })

  it.each([
    [['tial', 'http://h/'], 'unknown command "tial"; did you mean `tail`?'],
    [['tali'], 'unknown command "tali"; did you mean `tail`?'],
    [['deom'], 'unknown command "deom"; did you mean `demo`?'],
    [['iu'], 'unknown command "iu"; did you mean `ui`?'],
    [['--hlep'], 'unknown option --hlep; did you mean `--help`?'],
    [['--verison'], 'unknown option --verison; did you mean `--version`?'],
    [
      ['http://127.0.0.1:8787/events'],
      'unknown command "http://127.0.0.1:8787/events"; did you mean `tidings tail http://127.0.0.1:8787/events`?',
    ],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('suggests the nearest command for %j', (argv, message) => {
    expect(parseCommand(argv)).toEqual({
      kind: 'usage-error',
      message,
      help: "Run 'tidings --help' for usage.",
    })
  })

  it('points at the right help', () => {
    expect(parseCommand(['tail', '--bogus'])).toMatchObject({
      help: "Run 'tidings tail --help' for usage.",
    })
    expect(parseCommand(['--bogus'])).toEqual({
      kind: 'usage-error',
      message: 'unknown option --bogus',
      help: "Run 'tidings --help' for usage.",
    })
  })

  it('answers help and version in their usual spellings', () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']])
      expect(parseCommand(argv)).toMatchObject({
        kind: 'help',
        text: expect.stringContaining('tidings tail <url>'),
      })
    expect(parseCommand(['tail', '--help'])).toMatchObject({
      text: expect.stringContaining('--until-end'),
    })
    expect(parseCommand(['help', 'demo'])).toMatchObject({
      text: expect.stringContaining('--port'),
    })
    expect(parseCommand(['demo', '-h'])).toMatchObject({ text: expect.stringContaining('--port') })
    for (const argv of [['--version'], ['-v'], ['version']])
      expect(parseCommand(argv)).toEqual({ kind: 'version' })
  })

  it('parses demo with a default port', () => {
    expect(parseCommand(['demo'])).toEqual({ kind: 'demo', options: { port: 8787 } })
    expect(parseCommand(['demo', '-p', '0'])).toEqual({ kind: 'demo', options: { port: 0 } })
  })

  it('parses ui: port, data folder, feeds (repeatable, validated, deduplicated), --no-open', () => {
    expect(parseCommand(['ui'])).toEqual({
      kind: 'ui',
      options: { port: 8788, feeds: [], demo: false, open: true, dev: false },
    })
    expect(
      parseCommand([
        'ui',
        '--port',
        '0',
        '--data-dir',
        '/tmp/t',
        '--feed',
        'http://127.0.0.1:1/a',
        '--feed=https://example.com/b',
        '--feed',
        'http://127.0.0.1:1/a',
        '--no-open',
      ]),
    ).toEqual({
      kind: 'ui',
      options: {
        port: 0,
        dataDir: '/tmp/t',
        feeds: ['http://127.0.0.1:1/a', 'https://example.com/b'],
        demo: false,
        open: false,
        dev: false,
      },
    })
  })

  it('refuses bad ui arguments with a clear message (exit 2)', () => {
    const message = (argv: string[]) => {
      const command = parseCommand(argv)
      return command.kind === 'usage-error' ? [command.message, command.help] : command.kind
    }
    expect(message(['ui', '--port', '70000'])).toEqual([
      '--port must be between 0 and 65535, not 70000.',
      "Run 'tidings ui --help' for usage.",
    ])
    expect(message(['ui', '--port', 'eighty'])[0]).toBe(
      '--port must be a whole number, not "eighty".',
    )
    expect(message(['ui', '--feed', 'ftp://x/y'])[0]).toBe(
      '--feed ftp://x/y: Only http and https URLs are supported, not ftp:',
    )
    expect(message(['ui', '--feed'])[0]).toBe('--feed needs a value')
    expect(message(['ui', 'http://127.0.0.1:1/a'])[0]).toBe(
      'ui takes no arguments: http://127.0.0.1:1/a (give a feed as --feed http://127.0.0.1:1/a)',
    )
    expect(message(['ui', '--data-dir', ''])[0]).toBe('--data-dir needs a folder.')
    expect(message(['ui', '--open'])[0]).toBe('unknown option --open')
    expect(parseCommand(['ui', '--help'])).toMatchObject({ kind: 'help' })
    expect(parseCommand(['help', 'ui'])).toMatchObject({ kind: 'help' })
  })
})
