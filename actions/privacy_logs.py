"""Masks personal data in the action server's log lines (bot/privacy/log_filter.py).

The action server (`rasa run actions --actions actions`) imports every module of this package
once at start, after it has set up logging; that import is the only start-up hook it offers.
Installing the filter is cheap (the masking engine loads on the first line that needs it).
"""

from bot.privacy import log_filter

log_filter.install()
