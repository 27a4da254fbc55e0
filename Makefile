# The two commands a new user runs (README.md): `make demo` and `make test`.
# Everything goes through scripts/install-deps (idempotent) and CMakePresets.json.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)

.PHONY: all deps build ui demo test unit bench format format-check tidy clean

all: build

deps:
	./scripts/install-deps

build: deps
	cmake --preset $(PRESET) >/dev/null
	cmake --build --preset $(PRESET) -j $(JOBS)

ui: deps
	cd ui && npm run build --silent

# Demo: a ministry, a province, two centres and one login per role, in ./var/demo (SQLite).
demo: build ui
	$(BUILD_DIR)/src/hotline demo --dir var/demo

test: build ui
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

bench: build ui
	./bench/http-bench.sh $(BUILD_DIR)/src/hotline

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

# CI's check (.ci/run): every C++ file as .clang-format wants it. Changes nothing; lists the files to fix
# with `make format`.
format-check: deps
	@bad=$$(git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run 2>&1 | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: warning:.*/\1/p' | sort -u); \
	if [ -n "$$bad" ]; then echo "format-check: not formatted (run \`make format\`):"; echo "$$bad" | sed 's/^/  /'; exit 1; fi; \
	echo "format-check: all C++ files formatted"

tidy:
	cmake --preset $(PRESET) >/dev/null
	git ls-files 'src/*.cpp' | xargs clang-tidy -p $(BUILD_DIR) --quiet

clean:
	rm -rf build
