"""Production entry point: `python -m bot.serve run --model ... --endpoints ... --credentials ...`.

The same arguments as `rasa run`, with the production changes of bot/runtime.py applied first.
`--enable-api` is refused: Rasa's HTTP API can replace the model (CVE-2024-49375) and read or
change every conversation; nothing in this project needs it.
"""
from __future__ import annotations

import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if any(a == "--enable-api" or a.startswith("--enable-api=") for a in args):
        sys.exit("bot.serve: --enable-api is never allowed here (see README, Drift).")
    if not args or args[0] != "run" or (len(args) > 1 and args[1] == "actions"):
        sys.exit("usage: python -m bot.serve run [rasa run options]")
    from bot import runtime

    runtime.apply()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa"] + args
    rasa_main()


if __name__ == "__main__":
    main()
