# The two commands of the README's quick start, plus their set-up. Each target does every
# installation step it needs (idempotent; heavy parts cached outside the checkout).
.PHONY: demo test setup validate bench

demo: setup
	@bash scripts/with-env.sh node dist/cli/rollcall.js demo

test: setup
	@bash scripts/with-env.sh bash scripts/test.sh

setup:
	@bash scripts/setup.sh

validate: setup
	@bash scripts/with-env.sh node dist/cli/rollcall.js validate users.yaml

bench: setup
	@bash scripts/with-env.sh bash scripts/bench.sh
