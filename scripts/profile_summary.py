"""Where a message's time goes: sum a py-spy raw profile (collapsed stacks) of the Rasa server by part.

Usage: .venv/bin/python scripts/profile_summary.py var/bench/profile.txt [--run var/bench/profile-run.json]
The profile comes from `make bench-profile` (py-spy record --idle --threads --format raw). Each
sample of the main (event loop) thread goes to the first part below whose frame is on its stack;
with --run (the bench JSON of the same run) it also prints milliseconds of main-thread time per
message. TensorFlow's own worker threads are native and not sampled; their work shows as the
Python frame that waits for them.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import List, Tuple

# (part, substring of a frame); the first match wins, so specific parts come first.
PARTS: List[Tuple[str, str]] = [
    ("action server reply: jsonschema re-checks its own schema", "check_schema (jsonschema"),
    ("action server reply: jsonschema validation", "_validate_action_result (rasa"),
    ("action server reply: jsonschema, stack too deep to tell which", "jsonschema/"),
    ("action server: HTTP round trip (new session per call)", "rasa/utils/endpoints.py"),
    ("masking personal data (bot/privacy/)", "(bot/privacy/"),
    ("tracker load: events replayed (from_dict)", "from_dict (rasa/shared/core/trackers.py"),
    ("tracker load: SQL query", "retrieve (rasa/core/tracker_store.py"),
    ("tracker save: SQL insert and commit", "save (rasa/core/tracker_store.py"),
    ("tracker: session start / new tracker", "create_tracker (rasa/core/tracker_store.py"),
    # ResponseSelector subclasses DIETClassifier: its frames come first.
    ("NLU: ResponseSelector", "rasa/nlu/selectors/response_selector.py"),
    ("NLU: DIETClassifier", "rasa/nlu/classifiers/diet_classifier.py"),
    ("NLU: CountVectorsFeaturizer (words, char n-grams)", "count_vectors_featurizer.py"),
    ("NLU: LexicalSyntacticFeaturizer", "lexical_syntactic_featurizer.py"),
    ("NLU: RegexFeaturizer", "regex_featurizer.py"),
    ("NLU: spaCy (SpacyNLP, tokenizer)", "spacy"),
    ("NLU: FallbackClassifier", "fallback_classifier.py"),
    ("NLU: linear classifier (TF-IDF, logistic regression)", "(bot/components/linear_classifier.py"),
    ("NLU: scope rule (other services)", "(bot/components/scope.py"),
    ("NLU: graph, dask and message objects", "_parse_message_with_graph (rasa"),
    ("policies: TEDPolicy", "ted_policy.py"),
    ("policies: MemoizationPolicy", "memoization.py"),
    ("policies: RulePolicy", "rule_policy.py"),
    ("policies: graph, ensemble, tracker featurizing", "_predict_next_with_tracker (rasa"),
    ("policies: graph, ensemble, tracker featurizing", "predict_next_with_tracker_if_should (rasa"),
    ("actions: forms and loops (in the Rasa server)", "rasa/core/actions/forms.py"),
    ("actions: other (responses, events)", "rasa/core/actions/"),
    ("lock store", "lock_store.py"),
    ("tracker: other (copy, events, slots)", "rasa/shared/core/trackers.py"),
    ("our channel code (bot/)", "(bot/"),
    ("Sanic and HTTP", "sanic/"),
]
# With uvloop the waiting event loop is native code: the last Python frame is Sanic's serve().
IDLE_LEAVES = ("select (selectors.py", "_run_once (asyncio", "poll (selectors.py",
               "serve (sanic/server/runners.py")


def classify(frames: List[str]) -> str:
    if any(frames[-1].startswith(leaf) for leaf in IDLE_LEAVES):
        return "idle: event loop waiting"
    for part, needle in PARTS:
        if any(needle in f for f in frames):
            return part
    return "other"


def summarize(profile: Path) -> Tuple[Counter, int, int]:
    parts: Counter = Counter()
    main = other_threads = 0
    for line in profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        n = int(count)
        if "MainThread" not in frames[0]:
            other_threads += n
            continue
        main += n
        parts[classify(frames[1:])] += n
    return parts, main, other_threads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--run", type=Path, help="bench JSON of the profiled run (ms per message)")
    parser.add_argument("--throughput", type=float, help="messages/s during the profile (instead of --run)")
    parser.add_argument("--rate", type=float, default=50, help="py-spy samples per second")
    args = parser.parse_args()
    parts, main_samples, other = summarize(args.profile)
    busy = main_samples - parts.get("idle: event loop waiting", 0)
    per_msg = None
    window_s = main_samples / args.rate
    if args.throughput:
        messages = args.throughput * window_s
    elif args.run and args.run.exists():
        run = json.loads(args.run.read_text())
        top = max(p["concurrency"] for p in run["phases"])
        ours = [p for p in run["phases"] if p["bot"] != "stock" and p["concurrency"] == top][-1]
        # the profile starts with the phase; a phase shorter than the window is counted whole
        messages = len(ours["latencies_ms"]) * min(1.0, window_s / ours["seconds"])
    else:
        messages = 0
    if messages:
        per_msg = lambda n: n / args.rate * 1000 / messages  # noqa: E731
    print(f"{main_samples} main-thread samples, {busy / main_samples:.0%} busy"
          f"{f'; {other} samples of other Python threads' if other else ''}\n")
    print("| part | share of busy time |" + (" ms per message |" if per_msg else ""))
    print("| --- | --- |" + (" --- |" if per_msg else ""))
    for part, n in parts.most_common():
        if part.startswith("idle"):
            continue
        row = f"| {part} | {n / busy:.1%} |"
        if per_msg:
            row += f" {per_msg(n):.1f} |"
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
