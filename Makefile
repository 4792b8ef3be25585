# Convenience targets; each calls a script in scripts/ that installs what it needs.
.PHONY: run test bench fuzz format

run:
	./scripts/run.sh

test:
	./scripts/test.sh

bench:
	./scripts/bench.sh

fuzz:
	./scripts/fuzz.sh $(SECONDS)

format:
	git ls-files '*.h' '*.cpp' | xargs clang-format -i
