# NIBI Desk — newcomer commands: `make run` (set up, open the app on the demo county) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed-stamp
export QTWEBENGINE_CHROMIUM_FLAGS ?= --no-sandbox --disable-gpu

.PHONY: run test venv system-deps demo check wheel-check bench clean dist smoke-frozen smoke-deb test-qt69

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

# -- installers ---------------------------------------------------------------------------------------------------
DIST_STAMP = $(VENV)/.dist-stamp
$(DIST_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[test,dist]'
	@touch $(DIST_STAMP)

# The frozen one-folder app dist/nibi-desk/ (PyInstaller), the .deb (dist/nibi-desk_<version>_<arch>.deb), and the
# icon installers/windows/nibi-desk.iss packages (build/icons/nibi-desk.ico); on Windows run iscc on the .iss after.
dist: venv $(DIST_STAMP)
	$(PY) installers/make_icons.py build/icons
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller installers/pyinstaller/nibi-desk.spec
	PYTHON=$(PY) bash installers/debian/build.sh dist/nibi-desk dist
	@du -sh dist/nibi-desk dist/nibi-desk_*.deb

# The frozen app offscreen on a fresh data directory: demo county, map page without network, a PDF (builds if needed).
smoke-frozen:
	@[ -x dist/nibi-desk/nibi-desk ] || $(MAKE) dist
	bash installers/smoke.sh frozen dist/nibi-desk

# The .deb installed with dpkg -i into a throwaway root, its launchers run offscreen (builds if needed).
smoke-deb:
	@ls dist/nibi-desk_*.deb >/dev/null 2>&1 || $(MAKE) dist
	bash installers/smoke.sh deb

# UOS 20 / Kylin V10 have glibc < 2.34, where only PySide6 6.9.x wheels run: the core and GUI tests on 6.9.3.
QT69 = .venv-qt69
test-qt69: system-deps
	[ -x $(QT69)/bin/python ] || $(PYTHON) -m venv $(QT69)
	$(QT69)/bin/python -m pip install -q --upgrade pip
	$(QT69)/bin/python -m pip install -q -e '.[test]' 'PySide6==6.9.3'
	$(QT69)/bin/python -c 'import PySide6; assert PySide6.__version__ == "6.9.3", PySide6.__version__'
	QT_QPA_PLATFORM=offscreen $(QT69)/bin/python -m pytest -q -p no:cacheprovider $(QT69_PYTEST_ARGS)

bench: venv
	$(PY) bench/registry.py

clean:
	rm -rf build dist *.egg-info .pytest_cache
