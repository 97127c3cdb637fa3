# distillguard — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   ?= demo-data

.PHONY: install system-deps demo test lint bench clean

install: $(STAMP)

# Programs the tests and the demo run for real, as command=Debian package: redis-server
# (limits shared by several gateway processes), openssl (RFC 3161 time-stamps of the evidence
# ledger's heads, and the local time-stamping authority the tests run), pango (weasyprint's
# text layout, for the dossier's PDF) and pdftotext (the tests read the PDF back). Installed
# from Debian's packages when missing.
SYSTEM_DEPS := redis-server=redis-server openssl=openssl pdftotext=poppler-utils
SYSTEM_LIBS := libpango-1.0.so.0=libpango-1.0-0 libpangoft2-1.0.so.0=libpangoft2-1.0-0
system-deps:
	@missing=""; \
	for pair in $(SYSTEM_DEPS); do command -v $${pair%%=*} >/dev/null 2>&1 || missing="$$missing $${pair#*=}"; done; \
	for pair in $(SYSTEM_LIBS); do ldconfig -p 2>/dev/null | grep -q "$${pair%%=*}" || missing="$$missing $${pair#*=}"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing (apt)"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq$$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "distillguard needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo: simulate a 200k-call slice of the `demo` scenario (labelled traffic with every
# benign population and campaign kind) → ingest it → ingest it again (adds nothing) → what the
# workspace holds → scan it (scores, clusters, the top clusters with their reasons) → measure
# the verdicts against the simulator's labels → the gateway tour (gateway/tour.py: accounts of a
# flagged cluster and a clear one replayed through the gateway with the official SDKs; an
# analyst's label blocking without a restart) → ingest the gateway's log → stats by action →
# the evidence key → the ledger (controls, scans, verdicts, decisions) under a signed head →
# a case on the top flagged cluster → its dossier bundle (report, records, indicators,
# manifest) → the bundle verified offline. DEMO_CALLS=1000000 runs the whole scenario.
DEMO_CALLS ?= 200000
demo: install system-deps
	rm -rf $(DEMO)
	$(BIN)/distillguard simulate --scenario demo --interactions $(DEMO_CALLS) --out $(DEMO)/traffic
	$(BIN)/distillguard ingest $(DEMO)/traffic/log --accounts $(DEMO)/traffic/accounts.jsonl --workspace $(DEMO)/workspace
	$(BIN)/distillguard ingest $(DEMO)/traffic/log --accounts $(DEMO)/traffic/accounts.jsonl --workspace $(DEMO)/workspace
	$(BIN)/distillguard stats --workspace $(DEMO)/workspace
	$(BIN)/distillguard scan --workspace $(DEMO)/workspace --top 3
	$(BIN)/distillguard eval --workspace $(DEMO)/workspace --labels $(DEMO)/traffic/labels.csv
	$(BIN)/python -m distillguard.gateway.tour --workspace $(DEMO)/workspace --traffic $(DEMO)/traffic/log --log-dir $(DEMO)/gateway-log
	$(BIN)/distillguard ingest $(DEMO)/gateway-log --workspace $(DEMO)/workspace
	$(BIN)/distillguard stats --workspace $(DEMO)/workspace
	$(BIN)/distillguard evidence keygen --workspace $(DEMO)/workspace
	$(BIN)/distillguard ledger sync --workspace $(DEMO)/workspace
	$(BIN)/distillguard ledger head --workspace $(DEMO)/workspace
	$(BIN)/distillguard case open --workspace $(DEMO)/workspace --top --title "Top flagged cluster of the demo" | tee $(DEMO)/case-open.txt
	$(BIN)/distillguard case export --workspace $(DEMO)/workspace "$$(tail -n 1 $(DEMO)/case-open.txt)" --out $(DEMO)/dossier
	$(BIN)/distillguard case verify $(DEMO)/dossier

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy --strict src

test: lint system-deps
	$(BIN)/pytest -q

bench: install system-deps
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) $(DEMO) .mypy_cache .pytest_cache .ruff_cache
