"""Notifications: a watch's new articles and events, sent once to each of its channels.

Sits beside newsmon.runs, between scheduling and the crawl layers: it reads the
store and config (and the digest's wording), and the CLI (`newsmon notify`) and the
scheduler (after each run) call it. See docs/notifications.md.

    from newsmon import notify
    notify.notify(settings)                       # Report: one Line per (watch, channel)
    notify.send_event(settings, notify.Event("source_drifted", key, subject, text))
"""

from newsmon.notify.run import Line, Report, after_run, notify, send_event
from newsmon.storage.deliveries import Event

__all__ = ["Event", "Line", "Report", "after_run", "notify", "send_event"]
