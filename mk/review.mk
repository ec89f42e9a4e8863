# Staff review app (review/): kommune staff read masked conversations, tag them and correct intents.
.PHONY: review review-user review-export review-rebuild bench-review

review: setup ## Start the staff review app at http://localhost:8090/ (same tracker store as the assistant)
	@$(PY) -m review serve

review-user: setup ## Create or update a review user (REVIEW_USER, REVIEW_ROLE=reviewer|admin, REVIEW_PASSWORD, or asks)
	@$(PY) -m review user

review-export: setup ## Write staff corrections as Rasa NLU YAML (REVIEW_EXPORT_FILE, default var/review/corrections.yml)
	@$(PY) -m review export

review-rebuild: setup ## Derive every conversation's summary again (after changing review/recognise.py)
	@$(PY) -m review rebuild

bench-review: setup ## Review list and filter latency on 10,000 generated conversations (SQLite; BENCH_PG=1 adds PostgreSQL)
	@$(PY) scripts/bench_review.py
