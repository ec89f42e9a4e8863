"""Start the action server (rasa_sdk) without TensorFlow.

Usage: python -m bot.action_server --actions actions --port 5055 (the options of
`rasa run actions`). Nothing the actions do needs TensorFlow, but two imports pull it in:
`rasa run actions` loads Rasa's command line (and with it Rasa), and spaCy, which masks names in
the logs, imports TensorFlow (and JAX) whenever it is installed (thinc.compat). Here neither
happens: rasa_sdk is started directly, and TensorFlow is marked as missing before spaCy loads,
so thinc takes its no-TensorFlow path. Measured: 0.54 GB resident and 20 s to start with
TensorFlow, see docs/performance.md ("Action server").
"""
from __future__ import annotations

import sys


def hide_tensorflow() -> None:
    """Make `import tensorflow` fail in this process (thinc catches the ImportError)."""
    if "tensorflow" not in sys.modules:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]


def main() -> None:
    hide_tensorflow()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    rasa_sdk_main()


if __name__ == "__main__":
    main()
