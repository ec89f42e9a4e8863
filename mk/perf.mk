# Performance: side-by-side benchmark against the stock `rasa init` bot (issue 16). Not in CI.
.PHONY: bench bench-train bench-profile

bench: train ## Stock `rasa init` bot vs ours: throughput, latency, RSS, start time (a few minutes)
	@$(PY) scripts/bench.py $(BENCH_ARGS)

bench-train: setup ## Training time from scratch, cache off: stock `rasa init` vs our `rasa train` (slow)
	@$(PY) scripts/bench.py --train $(BENCH_ARGS)

bench-profile: train ## `make bench` with a py-spy profile of our Rasa server at 50 families (var/bench/)
	@mkdir -p var/bench
	@$(PY) scripts/bench.py --rounds 1 --profile var/bench/profile.txt --json var/bench/profile-run.json $(BENCH_ARGS)
	@$(PY) scripts/profile_summary.py var/bench/profile.txt
