# Two commands do all the set-up on a fresh machine:
#   make run    set up, check the repo's own playbook, list it (the site comes with the mkdocs plugin)
#   make test   set up and run the whole test suite
PYTHON ?= python3
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
	$(BIN)/incident show INC-0001

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m compileall -q tooling
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) site .pytest_cache
