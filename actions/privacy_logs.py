"""Masks personal data in the action server's log lines (bot/privacy/log_filter.py).

The action server (`python -m bot.action_server --actions actions`) imports every module of this package
once at start, after it has set up logging; that import is the only start-up hook it offers.
"""

from bot.channels.log_privacy import install_log_filter

install_log_filter()
