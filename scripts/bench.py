"""Side-by-side benchmark: the stock `rasa init` bot against ours, same client, same load, one run.

`make bench` (this script without options):
  1. builds the stock bot once with `rasa init --no-prompt` from the same venv into
     ~/.cache/barnekoordinator-bench/stock-<rasa version>/ (BENCH_CACHE overrides) and reuses it;
  2. starts the stock server (in-memory tracker store, as `rasa init` leaves it), then ours as
     `make run` does (action server + Rasa server with the SQLite tracker store), one after the
     other, and times each from process start until the first real answer;
  3. drives both with one asyncio HTTP client (aiohttp, REST channel), alternating bot by bot:
     1, 10 and 50 concurrent families without pauses, 8 messages each, twice (at concurrency 1,
     five families one after another so that p95 has 40 samples per round), after a warm-up of
     one family per conversation that is not counted;
  4. prints the table with ratios (ours / stock) and peak RSS of each server process (VmHWM).

`make bench-train` (`--train`): times stock `rasa init` training against our `rasa train`, each
into a fresh temporary folder with Rasa's cache off (RASA_MAX_CACHE_SIZE=0).

Options: `--model` (our model, default models/barnekoordinator.tar.gz), `--rounds`, `--levels`,
`--env KEY=VALUE` (extra environment for our servers), `--profile FILE` (py-spy record of our Rasa
server during the 50-family phase of the last round), `--json FILE`.
The figures are noisy on a shared machine: compare the ratios of one run.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
RASA = str(VENV_BIN / "rasa")
CACHE = Path(os.environ.get("BENCH_CACHE", Path.home() / ".cache" / "barnekoordinator-bench"))
MESSAGES_PER_FAMILY = 8

# Our families: realistic conversations of 8 messages, every one with the eligibility check.
OURS_CONVERSATIONS = [
    ["Hei", "Hva gjør en barnekoordinator?", "Sjekk om vi kan ha rett", "hun er 5",
     "Ja", "Ja", "Koster det noe?", "Takk"],
    ["hei", "hvem kan få barnekoordinator", "må barnet ha diagnose?", "kan vi ha rett til det?",
     "han er 12 år", "ja", "nei", "hvordan klager vi"],
    ["Hallo", "Vi vil sjekke om vi har rett på barnekoordinator", "Vi venter barn", "Vet ikke",
     "Ja", "Hvordan søker vi?", "Er du en robot?", "takk for hjelpen"],
    ["God dag", "Koster det noe?", "Sjekk om dere kan ha rett", "14 måneder", "Koster det noe?",
     "ja", "ja", "Kan jeg snakke med et menneske?"],
]
# The stock bot's own conversations (its intents: greet, moods, bot challenge, goodbye, ...).
STOCK_CONVERSATIONS = [
    ["hello", "I am feeling very good", "are you a bot?", "good morning", "I am sad",
     "yes", "am I talking to a human?", "bye"],
    ["hey there", "very sad", "no", "are you a human?", "hi", "great", "perfect", "goodbye"],
    ["good evening", "not good", "yes", "am I talking to a bot?", "hey", "I am amazing",
     "are you a bot?", "see you later"],
    ["hi", "my day was horrible", "indeed", "are you human?", "howdy", "I'm good",
     "am I talking to a human?", "bye bye"],
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rasa_version() -> str:
    out = subprocess.run([str(VENV_BIN / "python"), "-c", "import rasa; print(rasa.__version__)"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def init_stock(target: Path) -> float:
    """`rasa init --no-prompt` into target (trains the stock model); returns seconds."""
    target.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "RASA_MAX_CACHE_SIZE": "0", "RASA_TELEMETRY_ENABLED": "false"}
    env.pop("PYTHONPATH", None)
    start = time.monotonic()
    subprocess.run([RASA, "init", "--no-prompt", "--init-dir", str(target)], cwd=target, env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def stock_bot() -> Path:
    """The cached stock bot's folder; built the first time."""
    folder = CACHE / f"stock-{rasa_version()}"
    if not list((folder / "models").glob("*.tar.gz")):
        shutil.rmtree(folder, ignore_errors=True)
        print(f"bench: building the stock bot with `rasa init` in {folder} (once)", file=sys.stderr)
        seconds = init_stock(folder)
        (folder / "bench-init-seconds.txt").write_text(f"{seconds:.1f}\n")
    return folder


# ---------------------------------------------------------------- servers

@dataclass
class Server:
    name: str
    url: str
    procs: List[subprocess.Popen]
    rasa_pid: int
    logs: List[Path]
    first_answer_s: float = 0.0
    extra_pids: Dict[str, int] = field(default_factory=dict)

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def peak_rss_mb(pid: int) -> Optional[float]:
    """VmHWM of a process and its children (the kernel's peak resident set), MB."""
    total, found = 0.0, False
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(c) for c in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
                    found = True
        except FileNotFoundError:
            pass
    return total if found else None


async def first_answer(url: str, message: str, procs: List[subprocess.Popen], logs: List[Path],
                       timeout: float = 600) -> None:
    import aiohttp

    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            for p in procs:
                if p.poll() is not None:
                    tail = "\n".join(log.read_text(errors="replace")[-3000:] for log in logs)
                    raise RuntimeError(f"a server exited with {p.returncode}:\n{tail}")
            try:
                async with session.post(f"{url}/webhooks/rest/webhook",
                                        json={"sender": "bench-first", "message": message},
                                        timeout=aiohttp.ClientTimeout(total=30)) as r:
                    if r.status == 200 and await r.json():
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError(f"{url} gave no answer within {timeout} s")


def start_stock(folder: Path, workdir: Path) -> Server:
    port = free_port()
    log = workdir / "stock-rasa.log"
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    env.pop("PYTHONPATH", None)
    model = sorted((folder / "models").glob("*.tar.gz"))[-1]
    start = time.monotonic()
    proc = subprocess.Popen([RASA, "run", "--model", str(model), "--port", str(port),
                             "--interface", "127.0.0.1"], cwd=folder, env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    server = Server("stock", f"http://127.0.0.1:{port}", [proc], proc.pid, [log])
    try:
        asyncio.run(first_answer(server.url, "hello", server.procs, server.logs))
    except BaseException:
        server.stop()
        raise
    server.first_answer_s = time.monotonic() - start
    return server


def start_ours(model: Path, workdir: Path, extra_env: Dict[str, str]) -> Server:
    """Action server + Rasa server with the SQLite tracker store, as scripts/run.sh starts them."""
    rasa_port, action_port = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "TRACKER_DB": str(workdir / "tracker.db"),
           "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook", **extra_env}
    prefix: List[str] = []
    logs = [workdir / "ours-actions.log", workdir / "ours-rasa.log"]
    commands = [
        prefix + [str(VENV_BIN / "python"), "-m", "bot.action_server", "--actions", "actions",
                  "--port", str(action_port)],
        prefix + [RASA, "run", "--model", str(model), "--endpoints",
                  env.get("ENDPOINTS", str(ROOT / "bot" / "endpoints.yml")),
                  "--credentials", str(ROOT / "bot" / "credentials.yml"), "--port", str(rasa_port),
                  "--interface", "127.0.0.1", "--cors", "*"],
    ]
    start = time.monotonic()
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
             for cmd, log in zip(commands, logs)]
    server = Server("ours", f"http://127.0.0.1:{rasa_port}", procs, procs[1].pid, logs,
                    extra_pids={"action server": procs[0].pid})
    try:
        asyncio.run(first_answer(server.url, "Koster det noe?", procs, logs))
    except BaseException:
        server.stop()
        raise
    server.first_answer_s = time.monotonic() - start
    return server


# ---------------------------------------------------------------- load

@dataclass
class Phase:
    bot: str
    concurrency: int
    round: int
    latencies_ms: List[float]
    seconds: float
    errors: int

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


def pct(values: List[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def drive(url: str, conversations: List[List[str]], concurrency: int, families: int,
                tag: str) -> tuple:
    """`families` conversations, at most `concurrency` at once, no pauses; returns latencies, s, errors."""
    import aiohttp

    latencies: List[float] = []
    errors = 0
    queue: asyncio.Queue = asyncio.Queue()
    for i in range(families):
        queue.put_nowait(i)

    async def family_worker(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while True:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            sender = f"{tag}-{i}"
            for message in conversations[i % len(conversations)][:MESSAGES_PER_FAMILY]:
                t = time.perf_counter()
                try:
                    async with session.post(f"{url}/webhooks/rest/webhook",
                                            json={"sender": sender, "message": message}) as r:
                        body = await r.json(content_type=None)
                        ok = r.status == 200 and bool(body)
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                latencies.append((time.perf_counter() - t) * 1000)
                errors += 0 if ok else 1

    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start = time.perf_counter()
        await asyncio.gather(*(family_worker(session) for _ in range(concurrency)))
        seconds = time.perf_counter() - start
    return latencies, seconds, errors


def start_profile(pid: int, out: Path, seconds: int) -> subprocess.Popen:
    """py-spy record of one process, raw (collapsed stacks) and flame graph."""
    py_spy = shutil.which("py-spy", path=str(VENV_BIN)) or shutil.which("py-spy")
    if not py_spy:
        raise SystemExit("py-spy is missing: uv pip install -p .venv/bin/python py-spy")
    fmt = "raw" if out.suffix in (".txt", ".raw") else "flamegraph"
    return subprocess.Popen([py_spy, "record", "--pid", str(pid), "--duration", str(seconds),
                             "--rate", "50", "--idle", "--threads", "--format", fmt, "-o", str(out), "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---------------------------------------------------------------- report

def summarize(phases: List[Phase], servers: Dict[str, Server], rss: Dict[str, Dict[str, float]],
              levels: List[int], train: Optional[Dict[str, float]]) -> str:
    """Markdown table: stock, each variant of ours, ratio of each variant to stock."""
    names = list(servers)  # "stock" first, then our variants
    ours = names[1:]

    def merged(bot: str, c: int) -> Phase:
        ps = [p for p in phases if p.bot == bot and p.concurrency == c]
        return Phase(bot, c, 0, [x for p in ps for x in p.latencies_ms], sum(p.seconds for p in ps),
                     sum(p.errors for p in ps))

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}" if b else "-"

    head = "| figure | stock `rasa init` bot | " + " | ".join(ours) + " | " + \
        " | ".join(f"ratio {n} / stock" for n in ours) + " |"
    rows = [head, "|" + " --- |" * (2 + 2 * len(ours))]

    def row(label: str, cells: List[str], ratios: List[str]) -> None:
        rows.append(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")

    for c in levels:
        label = "one family alone" if c == 1 else f"{c} concurrent families"
        m = {n: merged(n, c) for n in names}
        row(f"throughput, {label}, messages/s", [f"{m[n].throughput:.1f}" for n in names],
            [ratio(m[n].throughput, m["stock"].throughput) for n in ours])
        p50 = {n: pct(m[n].latencies_ms, 50) for n in names}
        p95 = {n: pct(m[n].latencies_ms, 95) for n in names}
        row(f"p50 / p95 latency, {label}", [f"{p50[n]:.0f} / {p95[n]:.0f} ms" for n in names],
            [f"{ratio(p50[n], p50['stock'])} / {ratio(p95[n], p95['stock'])}" for n in ours])
        if any(m[n].errors for n in names):
            row(f"failed or empty answers, {label}", [str(m[n].errors) for n in names], ["" for _ in ours])
    r = {n: rss[n].get("rasa server", float("nan")) for n in names}
    row("Rasa server peak RSS", [f"{r[n] / 1024:.2f} GB" for n in names], [ratio(r[n], r["stock"]) for n in ours])
    row("action server peak RSS", ["-"] + [f"{rss[n].get('action server', float('nan')) / 1024:.2f} GB" for n in ours],
        ["" for _ in ours])
    f = {n: servers[n].first_answer_s for n in names}
    row("start until the first answer", [f"{f[n]:.1f} s" for n in names], [ratio(f[n], f["stock"]) for n in ours])
    if train:
        row("training from scratch, cache off", [f"{train['stock']:.0f} s (`rasa init`)"]
            + [f"{train['ours']:.0f} s (`rasa train`)"] + ["" for _ in ours[1:]],
            [ratio(train["ours"], train["stock"])] + ["" for _ in ours[1:]])
    return "\n".join(rows)


def parse_variants(specs: List[str], model: str) -> Dict[str, Dict[str, str]]:
    """`--variant NAME:KEY=VALUE,KEY=VALUE` (MODEL=path picks another model); default one "ours"."""
    variants: Dict[str, Dict[str, str]] = {}
    for spec in specs or ["ours:"]:
        name, _, rest = spec.partition(":")
        env = dict(kv.split("=", 1) for kv in rest.split(",") if kv)
        env.setdefault("MODEL", model)
        variants[name] = env
    return variants


def run_bench(args: argparse.Namespace) -> int:
    levels = [int(x) for x in args.levels.split(",")]
    extra_env = dict(kv.split("=", 1) for kv in args.env)
    variants = parse_variants(args.variant, args.model)
    folder = stock_bot()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    servers: Dict[str, Server] = {}
    phases: List[Phase] = []
    profile_proc = None
    try:
        servers["stock"] = start_stock(folder, workdir)
        for name, venv in variants.items():
            env = {**extra_env, **venv}
            model = Path(env.pop("MODEL")).resolve()
            vdir = workdir / name
            vdir.mkdir()
            servers[name] = start_ours(model, vdir, env)
            servers[name].name = name
        conversations = {n: OURS_CONVERSATIONS for n in variants}
        conversations["stock"] = STOCK_CONVERSATIONS
        for bot in servers:  # warm-up, not measured: one family per conversation
            asyncio.run(drive(servers[bot].url, conversations[bot], 1, len(conversations[bot]), "warm"))
        profiled = list(variants)[-1]
        for rnd in range(1, args.rounds + 1):
            for c in levels:
                for bot in servers:
                    if args.profile and bot == profiled and c == max(levels) and rnd == args.rounds:
                        profile_proc = start_profile(servers[bot].rasa_pid, Path(args.profile),
                                                     args.profile_seconds)
                    families = 5 if c == 1 else c
                    lat, secs, errs = asyncio.run(drive(servers[bot].url, conversations[bot], c,
                                                        families, f"b{rnd}-{c}"))
                    phases.append(Phase(bot, c, rnd, lat, secs, errs))
                    print(f"bench: round {rnd}, {c:>2} concurrent, {bot:8}: {len(lat) / secs:5.1f} msg/s,"
                          f" p50 {pct(lat, 50):.0f} ms, p95 {pct(lat, 95):.0f} ms, errors {errs}",
                          file=sys.stderr)
        rss = {name: {"rasa server": peak_rss_mb(s.rasa_pid) or float("nan"),
                      **{k: peak_rss_mb(v) or float("nan") for k, v in s.extra_pids.items()}}
               for name, s in servers.items()}
    finally:
        if profile_proc:
            profile_proc.wait(timeout=args.profile_seconds + 60)
        for s in servers.values():
            s.stop()
    train = None
    train_file = CACHE / "train-seconds.json"
    if train_file.exists():
        train = json.loads(train_file.read_text())
    load = os.getloadavg()
    print(f"\n`make bench`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
          f"load average {load[0]:.1f} at the end; {args.rounds} rounds, {MESSAGES_PER_FAMILY} messages "
          f"per family, levels {args.levels}")
    for name, venv in variants.items():
        print(f"  {name}: {', '.join(f'{k}={v}' for k, v in {**extra_env, **venv}.items())}")
    print()
    print(summarize(phases, servers, rss, levels, train))
    if train:
        print(f"\n(training figures from `make bench-train`, {train.get('date', '?')}, "
              f"load average {train.get('load', float('nan')):.1f})")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({
            "phases": [p.__dict__ for p in phases], "rss_mb": rss, "variants": variants,
            "first_answer_s": {k: v.first_answer_s for k, v in servers.items()}, "train": train,
        }, indent=1))
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"logs kept in {workdir}", file=sys.stderr)
    return 0


def run_train(args: argparse.Namespace) -> int:
    """Time stock `rasa init` and our `rasa train`, both from scratch with Rasa's cache off."""
    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        tmp = Path(tmp)
        stock = float("nan") if args.skip_stock else init_stock(tmp / "stock")
        print(f"bench-train: stock `rasa init`: {stock:.1f} s", file=sys.stderr)
        out = Path(args.out).resolve() if args.out else tmp / "ours"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_MAX_CACHE_SIZE": "0",
               "RASA_CACHE_DIRECTORY": str(tmp / "cache"), "RASA_TELEMETRY_ENABLED": "false"}
        subprocess.run([str(VENV_BIN / "python"), "scripts/make_blank_spacy.py", "models/spacy-nb-blank"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(VENV_BIN / "python"), "scripts/build_domain.py"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        start = time.monotonic()
        subprocess.run([RASA, "train", "--config", args.config, "--domain", "bot/domain", "--data", "data",
                        "--out", str(out), "--fixed-model-name", "bench", "--force"],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ours = time.monotonic() - start
        print(f"bench-train: our `rasa train`: {ours:.1f} s", file=sys.stderr)
    result = {"stock": stock, "ours": ours, "config": args.config,
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load": os.getloadavg()[0]}
    if not args.skip_stock:
        CACHE.mkdir(parents=True, exist_ok=True)
        (CACHE / "train-seconds.json").write_text(json.dumps(result))
    print(f"| training from scratch, cache off | {stock:.0f} s (`rasa init`) | {ours:.0f} s (`rasa train`) "
          f"| {ours / stock:.2f} |")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="time training instead (make bench-train)")
    parser.add_argument("--config", default="bot/config.yml", help="our config for --train")
    parser.add_argument("--out", help="with --train: keep our model in this folder (never models/)")
    parser.add_argument("--skip-stock", action="store_true", help="with --train: time ours only")
    parser.add_argument("--model", default=str(ROOT / "models" / "barnekoordinator.tar.gz"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for our servers")
    parser.add_argument("--variant", action="append", default=[],
                        help="NAME:KEY=VALUE,... run another variant of ours beside the others "
                             "(MODEL=path for another model); repeat for more")
    parser.add_argument("--profile", help="py-spy output (.svg flame graph, .txt collapsed stacks)")
    parser.add_argument("--profile-seconds", type=int, default=20)
    parser.add_argument("--json", help="write the raw figures here")
    parser.add_argument("--keep", action="store_true", help="keep the server logs")
    args = parser.parse_args()
    return run_train(args) if args.train else run_bench(args)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    sys.exit(main())
