// Help texts for `tidings --help` and each command's --help.

export const MAIN_USAGE = `tidings: Server-Sent Events in your terminal, on the engine of the Tidings app.

Usage:
  tidings tail <url> [options]   Subscribe to an SSE feed and print its events
  tidings demo [--port N]        Serve the built-in demo feed on 127.0.0.1
  tidings ui [options]           The whole Tidings app in your browser
  tidings --help | -h            Show this help (also: tidings <command> --help)
  tidings --version | -v         Print the version

Exit codes: 0 done, 1 the feed failed, 2 bad arguments, 130 interrupted (Ctrl-C),
143 terminated (SIGTERM); tidings ui exits 0 on Ctrl-C.
Network: HTTP_PROXY, HTTPS_PROXY, NO_PROXY and NODE_EXTRA_CA_CERTS are honoured;
tail --trust-cert SHA256 trusts one self-signed certificate of the feed's host.
`

export const TAIL_USAGE = `Usage: tidings tail <url> [options]

Subscribes to the SSE feed at <url> (http or https), reconnecting and resuming with
Last-Event-ID as needed. Prints one line per event to stdout: time, type, id, what it
notifies as, and the summary the window's Log shows ("Build #41 · running · 60%").
What happens to the connection goes to stderr: one line per try, in plain words.

Options:
  --json                    One JSON object per event and line:
                            {"type","data","id","receivedAt","notification"}, times in
                            ISO 8601 as the window's JSONL export writes them;
                            states go to stderr as JSON too
  --raw                     Each event's data as sent, and a newline (control characters
                            show as escapes on a terminal, never in a pipe)
  --retry [N]               Keep trying after any failure, even one that waiting will not
                            mend (certificate rejected, unknown host, HTTP 4xx); with N,
                            give up after N retries in a row, whatever the failure
  --verbose                 The technical detail beside each plain-words problem
  -H, --header "Name: value"
                            Extra request header (repeatable)
  --last-event-id ID        Resume from this event id
  --max-events N            Exit 0 once N events are printed
  --idle-timeout SECONDS    Reconnect after this long without a byte (default 120, 0 = off)
  --until-end               One-shot stream: exit 0 when the server ends it cleanly
  --notify                  Desktop notification for each notifying event and the finish
                            (notify-send on Linux, osascript on macOS, a toast on Windows)
  --preset NAME             The service's own rules: ntfy (resume with ?since=), mercure,
                            smee, wikimedia, mastodon, firebase, generic; their keepalives
                            are not printed and titles are read their way
  --trust-cert SHA256       Trust this one self-signed certificate of the feed's host (its
                            SHA-256 fingerprint, shown when the certificate is rejected)
  -h, --help                Show this help

Without --retry, a refused connection, a dropped one, a timeout and HTTP 5xx/408/429
are tried again for as long as it takes, with backoff; a rejected certificate, an
unknown host, HTTP 4xx and an answer that is not an event stream end it at once.

Exits 0 after --max-events, at a clean end with --until-end, or when the server
answers 204; 1 when the feed fails (e.g. HTTP 404 or not an event stream);
2 for bad arguments; 130 on Ctrl-C. Formats: docs/formats.md.

Examples:
  tidings tail http://127.0.0.1:8787/events
  tidings tail https://ci.example.com/builds/42/events --until-end --notify && deploy
  tidings tail https://api.example.com/stream --json -H "Authorization: Bearer $TOKEN" | jq .
  tidings tail https://ntfy.sh/alerts,backups/sse --preset ntfy --notify
  tidings tail https://ci.example.com/builds/43/events --retry 30 --until-end
`

export const DEMO_USAGE = `Usage: tidings demo [--port N]

Serves the built-in demo feed on 127.0.0.1 (default port 8787; 0 picks a free one):
tasks that start, report progress and complete or fail, news items, keepalive comments,
an id on every event, and resume from Last-Event-ID. Stop it with Ctrl-C (exit 130).

Options:
  -p, --port N   Port to listen on (default 8787)
  -h, --help     Show this help
`

export const UI_USAGE = `Usage: tidings ui [--port N] [--data-dir DIR] [--feed URL]... [--demo] [--no-open]

The whole Tidings app, served to your browser where the desktop app cannot run: the same
feeds, log, tasks, settings and notifications. Prints the address to open as the first line
of stdout (it carries a one-run sign-in token) and opens it in the default browser.
Notifications go to this machine's desktop notifier, or to the browser once you allow it
there. Ctrl-C stops it, with history and resume ids saved.

Options:
  -p, --port N       Port on 127.0.0.1 (default 8788; 0 picks a free one)
  --data-dir DIR     Settings, history and resume ids (default: the desktop app's folder,
                     so both see the same feeds; only one of them runs at a time)
  --feed URL         Run exactly this feed, smart notifications (repeatable); saved feeds
                     are left as they are and changes in the page last only for this run
  --demo             Run the built-in demo feed (with any --feed), like --feed
  --no-open          Do not open a browser
  -h, --help         Show this help

Exits 0 after Ctrl-C; 1 when the port is taken or the data folder is in use; 2 for bad
arguments.

Examples:
  tidings ui
  tidings ui --no-open --port 0 --data-dir /tmp/tidings --feed http://127.0.0.1:8787/events
`
