# Performance: side-by-side benchmark against the stock `rasa init` bot (issue 16). Not in CI.
.PHONY: bench bench-train bench-profile bench-start quality

bench: train ## Stock `rasa init` bot vs ours: throughput, latency, RSS, start time (a few minutes)
	@$(PY) scripts/bench.py $(BENCH_ARGS)

bench-train: setup ## Training time from scratch, cache off: stock `rasa init` vs our `rasa train` (slow)
	@$(PY) scripts/bench.py --train $(BENCH_ARGS)

bench-profile: train ## `make bench` with a py-spy profile of our Rasa server at 50 families (var/bench/)
	@mkdir -p var/bench
	@$(PY) scripts/bench.py --rounds 1 --profile var/bench/profile.txt --json var/bench/profile-run.json $(BENCH_ARGS)
	@$(PY) scripts/profile_summary.py var/bench/profile.txt

quality: setup ## Answer quality of MODEL (default ours): held-out and blind NLU sets, conversation tests
	@m=$${MODEL:-models/barnekoordinator.tar.gz}; out=$${QUALITY_OUT:-results/quality}; mkdir -p $$out; \
	for f in tests/nlu/heldout*.yml tests/nlu/blind_questions*.yml; do \
	  set=$$(basename $$f .yml); printf '%-18s ' $$set; $(PY) scripts/eval_nlu.py --model $$m --data $$f \
	    --out $$out/$$set.json 2>/dev/null | grep -E "given scheme facts|^held-out" | tr '\n' ' '; echo; \
	done; \
	$(VENV)/bin/rasa test core --model $$m --stories tests/stories --out $$out/core >/dev/null 2>&1; \
	$(PY) -c "import json,sys; r=json.load(open(sys.argv[1])); c=r['conversation_accuracy']; \
	  print(f\"conversation tests: {c['correct']} of {c['total']} stories, action accuracy {r['accuracy']:.3f} over {r['weighted avg']['support']} actions\")" \
	  $$out/core/story_report.json

bench-start: train ## Where our Rasa server's start goes (py-spy from `rasa run` to the first answer)
	@$(PY) scripts/profile_start.py
