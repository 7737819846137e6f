# Two commands do all the set-up on a fresh machine:
#   make run    set up, check the repo's own playbook, build the site and serve it on http://127.0.0.1:8000
#   make test   set up and run the whole test suite
PYTHON ?= python3
PORT   ?= 8000
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q tooling   # bytecode once: imports stay fast even under PYTHONDONTWRITEBYTECODE
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/incident check
	$(BIN)/incident list
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
	@echo "Serving the playbook on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory site

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m compileall -q tooling
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) site .pytest_cache
