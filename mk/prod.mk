# Production shape on this machine (README "Drift"): scripts/prod.sh, load and fault runs.
.PHONY: prod prod-stop prod-status loadtest faults

prod: setup ## Start PostgreSQL, Redis, nginx (:8000), 2 Rasa + 2 action servers, supervised (idempotent)
	@scripts/prod.sh start

prod-stop: ## Stop everything `make prod` started
	@scripts/prod.sh stop

prod-status: ## What the production stack runs
	@scripts/prod.sh status

loadtest: prod ## 50 and 200 concurrent families through nginx (REST, socket.io, SMS); figures + DB check
	@$(PY) scripts/loadtest.py --families 50 --families 200

faults: prod ## Fault scenarios under load against the running stack (kill, restart, hang); each a test
	@PROD_RUNNING=1 FAULTS_FULL=1 PROD_DIR=$${PROD_DIR:-$(CURDIR)/var/prod} $(PY) -m pytest -q -p no:cacheprovider tests/prod/test_faults.py
