# livetimbre — set-up, demo, tests. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEBIAN_PACKAGES := libfluidsynth3 fluid-soundfont-gm libportaudio2 libsndfile1
# The end-to-end tests also need a JACK server (the real-time audio clock), tmux, and
# iproute2 (`ip`, to bring up loopback in the Link tests' private network namespace).
TEST_PACKAGES := jackd2 tmux iproute2 rubberband-cli
DEMO_PATCH ?= patches/night-drive.yaml
OUT ?= out

.PHONY: help setup system-deps test-deps apt-install venv musicgen-deps play demo render-all test lint \
	typecheck unit bench clean

help:
	@echo "make play        set up everything, then perform $(DEMO_PATCH) live in the REPL"
	@echo "make demo        set up everything, then render $(DEMO_PATCH) to $(OUT)/"
	@echo "make test        set up everything, then ruff, mypy and the whole test suite"
	@echo "make setup       system packages (Debian/Ubuntu as root) + virtualenv + livetimbre"
	@echo "make render-all  render every example patch in patches/ to $(OUT)/"
	@echo "make bench       print render, engine and artifact store benchmark figures"

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

venv: $(BIN)/livetimbre

$(BIN)/livetimbre: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "livetimbre needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(BIN)/livetimbre

# The MusicGen extra, for its tests: torch pinned (installed first, so nothing pulls
# another build), then the extra, then beat-this without its dependencies (it asks for
# torchaudio, whose compiled part must match torch exactly; livetimbre never needs it).
MUSICGEN_TORCH ?= torch==2.13.0
musicgen-deps: venv
	@$(BIN)/python -c 'import torch, transformers, librosa, beat_this' 2>/dev/null || { \
	  echo "$(MUSICGEN_TORCH)" > $(VENV)/torch-pin.txt; \
	  $(BIN)/python -m pip install --quiet "$(MUSICGEN_TORCH)" && \
	  $(BIN)/python -m pip install --quiet -c $(VENV)/torch-pin.txt -e '.[dev,musicgen]' && \
	  $(BIN)/python -m pip install --quiet --no-deps 'beat-this==1.1.0'; }

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
	$(BIN)/ruff check livetimbre tests bench
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy

# The timing tests follow a JACK server of their own (64-frame period), so they run apart.
# This VM itself misses a JACK deadline now and then: a timing test that fails is run
# once more, visibly (an R in the progress line, "rerun" in the summary).
unit:
	$(BIN)/pytest -q
	LIVETIMBRE_TIMING_TESTS=1 $(BIN)/pytest -q --reruns 1 tests/timing

test: test-deps venv musicgen-deps lint typecheck unit

bench: setup
	$(BIN)/python bench/render_bench.py
	$(BIN)/python bench/store_bench.py

clean:
	rm -rf $(VENV) $(OUT) .mypy_cache .ruff_cache .pytest_cache *.egg-info
