# livetimbre — set-up, demo, tests. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEBIAN_PACKAGES := libfluidsynth3 fluid-soundfont-gm libportaudio2 libsndfile1 espeak-ng rubberband-cli
# The end-to-end tests also need a JACK server (the real-time audio clock), tmux, and
# iproute2 (`ip`, to bring up loopback in the Link tests' private network namespace).
TEST_PACKAGES := jackd2 tmux iproute2
DEMO_PATCH ?= patches/night-drive.yaml
OUT ?= out

.PHONY: help setup system-deps test-deps apt-install venv dev-venv musicgen musicgen-deps play demo \
	render-all test lint typecheck unit reference reference-check docs docs-check bench clean

help:
	@echo "make play        set up livetimbre (no developer tools), then perform $(DEMO_PATCH) in the REPL"
	@echo "make demo        set up livetimbre, then render $(DEMO_PATCH) to $(OUT)/"
	@echo "make render-all  render every example patch in patches/ to $(OUT)/"
	@echo "make musicgen    add the MusicGen extra (torch, transformers, ...) to .venv/ from this checkout"
	@echo "make test        set up the developer tools too, then ruff, import-linter, mypy, the docs and every test"
	@echo "make docs        build the docs site into site/ (open site/index.html)"
	@echo "make reference   regenerate the docs' reference tables from the code"
	@echo "make reference-check / docs-check   fail if those tables are stale / if the site has a broken link"
	@echo "make setup       system packages (Debian/Ubuntu as root) + virtualenv + livetimbre"
	@echo "make system-deps install (or print) the system packages livetimbre needs (test-deps: and JACK, tmux, ...)"
	@echo "make venv        .venv/ with the runtime package (dev-venv: plus the developer, docs, director, server and cluster extras)"
	@echo "make lint        ruff and the import-linter layering contract"
	@echo "make typecheck   mypy --strict"
	@echo "make unit        the test suites (after make test has set up)"
	@echo "make bench       print render, engine and artifact store benchmark figures"
	@echo "make clean       remove .venv/, $(OUT)/, site/ and the tools' caches"

setup: system-deps venv

# Installs the system libraries on Debian/Ubuntu when run as root; elsewhere says what to install.
system-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(DEBIAN_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(DEBIAN_PACKAGES) $(TEST_PACKAGES)"

apt-install:
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	  done; \
	  if [ -z "$$missing" ]; then echo "system packages: all present"; \
	  elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Please install:$$missing  (sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	else \
	  echo "Not a Debian/Ubuntu system. Install these yourself, then run make again:"; \
	  echo "  FluidSynth 2.x library (libfluidsynth), a General MIDI SoundFont (FluidR3_GM.sf2),"; \
	  echo "  PortAudio (libportaudio2) and libsndfile."; \
	  echo "  macOS: brew install fluid-synth portaudio libsndfile, and put FluidR3_GM.sf2 in"; \
	  echo "         ~/Library/Audio/Sounds/Banks (or set LIVETIMBRE_SOUNDFONT)."; \
	  echo "  Fedora: sudo dnf install fluidsynth-libs fluid-soundfont-gm portaudio libsndfile"; \
	  echo "  Arch: sudo pacman -S fluidsynth soundfont-fluid portaudio libsndfile"; \
	fi

# The runtime package only (make play, demo, render-all); `dev-venv` adds the developer
# tools and the docs builder (make test, docs).
venv: $(BIN)/livetimbre

$(BIN)/livetimbre: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "livetimbre needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[samples,voice]'
	@touch $(BIN)/livetimbre

dev-venv: $(VENV)/.dev-installed

$(VENV)/.dev-installed: pyproject.toml $(BIN)/livetimbre
	$(BIN)/python -m pip install --quiet -e '.[dev,docs,director,server,cluster,voice,samples]'
	@touch $@

# `make musicgen`: what a checkout needs for MusicGen renders (see the docs' MusicGen page).
musicgen: musicgen-deps
	@echo "MusicGen is installed; fetch a model with: $(BIN)/livetimbre models pull facebook/musicgen-small"
	@command -v rubberband >/dev/null || echo "Also install Rubber Band's command-line tool: apt-get install rubberband-cli"

# The MusicGen extra, for its tests: torch pinned (installed first, so nothing pulls
# another build), then the extra, then beat-this without its dependencies (it asks for
# torchaudio, whose compiled part must match torch exactly; livetimbre never needs it).
# The director's local LLM (the llm extra) comes too: xgrammar without its dependencies,
# as on Linux x86-64 they include triton (~1 GB of GPU kernels a CPU never uses).
MUSICGEN_TORCH ?= torch==2.13.0
musicgen-deps: venv
	@$(BIN)/python -c 'import torch, transformers, librosa, beat_this, xgrammar' 2>/dev/null || { \
	  echo "$(MUSICGEN_TORCH)" > $(VENV)/torch-pin.txt; \
	  $(BIN)/python -m pip install --quiet "$(MUSICGEN_TORCH)" && \
	  $(BIN)/python -m pip install --quiet -c $(VENV)/torch-pin.txt -e '.[musicgen]' && \
	  $(BIN)/python -m pip install --quiet --no-deps 'beat-this==1.1.0' \
	    'xgrammar>=0.2,<0.3' 'apache-tvm-ffi>=0.1.11'; }

play: setup
	$(BIN)/livetimbre play $(DEMO_PATCH)

demo: setup
	@mkdir -p $(OUT)
	$(BIN)/livetimbre render $(DEMO_PATCH) -o $(OUT)/$(basename $(notdir $(DEMO_PATCH))).wav \
	  --midi $(OUT)/$(basename $(notdir $(DEMO_PATCH))).mid

render-all: setup
	@mkdir -p $(OUT)
	@for p in patches/*.yaml; do n=$$(basename $$p .yaml); \
	  $(BIN)/livetimbre render $$p -o $(OUT)/$$n.wav || exit 1; done

lint:
	$(BIN)/ruff check livetimbre tests bench tools
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy
	$(BIN)/mypy -p tools

# The docs' reference tables are generated from the code (tools/docsgen); a test and
# `make test` fail when the committed pages differ.
reference:
	$(BIN)/python -m tools.docsgen

reference-check:
	$(BIN)/python -m tools.docsgen --check

# Built offline (no plugin that downloads); --strict turns a broken link into a failure.
docs: dev-venv
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --quiet
	@echo "docs: open site/index.html"

docs-check:
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# The timing tests follow a JACK server of their own (64-frame period), so they run apart.
# This VM itself misses a JACK deadline now and then: a timing test that fails is run
# once more, visibly (an R in the progress line, "rerun" in the summary).
# The tests that compute run on two processes; those that keep time against a real clock
# or share the machine's processes and ports (live sessions, JACK, servers, Ray, kill -9)
# run one at a time after them, then the timing tests on a JACK server of their own.
SERIAL_TESTS := tests/cluster tests/e2e tests/hardening tests/live tests/server \
	tests/musicgen/test_live_musicgen.py
unit:
	$(BIN)/pytest -q -n 2 $(addprefix --ignore=,$(SERIAL_TESTS))
	$(BIN)/pytest -q $(SERIAL_TESTS)
	LIVETIMBRE_TIMING_TESTS=1 $(BIN)/pytest -q --reruns 1 tests/timing

test: test-deps dev-venv musicgen-deps lint typecheck reference-check docs-check unit

bench: setup
	$(BIN)/python bench/render_bench.py
	$(BIN)/python bench/store_bench.py

clean:
	rm -rf $(VENV) $(OUT) site .mypy_cache .ruff_cache .pytest_cache *.egg-info
