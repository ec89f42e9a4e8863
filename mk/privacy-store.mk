# Privacy, storage side: retention by hand and the cost of masking at storage (issue 13).
.PHONY: purge bench-store-masking

purge: setup ## Delete conversations idle longer than RETENTION_DAYS (default 30) and print them
	@PYTHONWARNINGS=ignore $(PY) -m bot.stores.retention --endpoints $(or $(ENDPOINTS),bot/endpoints.yml)

bench-store-masking: setup ## Added time per message from masking at storage (p50/p95/p99)
	@PYTHONWARNINGS=ignore $(PY) scripts/bench_store_masking.py
