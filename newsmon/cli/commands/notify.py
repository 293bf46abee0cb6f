"""Send each watch's new articles and events to its channels (config/watches.yaml).

For every watch and each of its channels: the articles first stored since that
channel was last told that match the watch's filters, and the events it listens for
(run_failed, source_flagged, source_drifted), in one message; tried a few times with
backoff. A channel is told each item once: one that fails gets the same items next
time, the others do not get them again. The scheduler runs this after every run.

One line per watch and channel: sent N / nothing new / failed: why.
Exit status 0 when every channel took its message, 1 when one did not.

Examples:
  newsmon notify                      every watch
  newsmon notify zhejiang-policy      one watch
  newsmon notify --dry-run            what would be sent; nothing is sent, no cursor moves
"""

from __future__ import annotations

from newsmon.config import get_settings
from newsmon.notify import notify

HELP = "send the watches' new articles and events to their channels (webhook, WeCom, DingTalk, Feishu, e-mail)"


def add_arguments(parser):
    parser.add_argument("watches", nargs="*", metavar="WATCH", help="watch names from watches.yaml (default: all)")
    parser.add_argument("--dry-run", action="store_true", help="print what would be sent; send nothing, move no cursor")


def run(args) -> int:
    settings = get_settings()

    def echo(line):
        print(line, flush=True)
        if line.detail:
            print("".join(f"    {x}\n" if x else "\n" for x in line.detail.rstrip("\n").split("\n")), end="", flush=True)

    report = notify(settings, args.watches, dry_run=args.dry_run, echo=echo)
    if not report.lines:
        print("No watches: add one to watches.yaml (see docs/notifications.md).")
    return 0 if report.ok else 1
