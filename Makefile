# NIBI Desk — newcomer commands: `make run` (set up, open the app on the demo county) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed-stamp
export QTWEBENGINE_CHROMIUM_FLAGS ?= --no-sandbox --disable-gpu

.PHONY: run test venv system-deps demo check wheel-check bench clean

system-deps:
	@bash installers/system-deps.sh

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

venv: system-deps $(STAMP)

# Opens the desktop app on the embedded demo county (created on first run).
run: venv
	$(VENV)/bin/nibi-desk --demo

# Every test, headless.
test: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

demo: venv
	$(VENV)/bin/nibi demo --force

check: venv
	$(VENV)/bin/nibi demo --check

# Install the package (not editable) into a fresh venv and run it from outside the checkout.
wheel-check:
	rm -rf /tmp/nibi-wheel-venv
	$(PYTHON) -m venv /tmp/nibi-wheel-venv
	/tmp/nibi-wheel-venv/bin/pip install -q .
	cd / && /tmp/nibi-wheel-venv/bin/nibi --version
	cd / && NIBI_DATA_DIR=$$(mktemp -d) /tmp/nibi-wheel-venv/bin/nibi demo --check

bench: venv
	$(PY) bench/registry.py

clean:
	rm -rf build dist *.egg-info .pytest_cache
