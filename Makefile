# The two commands of the README's quick start, plus their set-up. Each target does every
# installation step it needs (idempotent; heavy parts cached outside the checkout).
.PHONY: demo test setup validate bench bench-scale bench-export profile docs

demo: setup
	@bash scripts/with-env.sh bash -c 'PULUMI_HOME="$$ROLLCALL_SCRATCH_PULUMI_HOME" node dist/cli/rollcall.js demo'

# The tests also need tools the demo never uses (actionlint, SeaweedFS): only `make test` builds them.
test:
	@bash scripts/setup.sh --test-tools
	@bash scripts/with-env.sh bash scripts/test.sh

setup:
	@bash scripts/setup.sh

# make validate FILE=path/to/users.yaml checks another file (default: the checkout's users.yaml).
FILE ?= users.yaml
validate: setup
	@bash scripts/with-env.sh node dist/cli/rollcall.js validate "$(abspath $(FILE))"

bench: setup
	@bash scripts/with-env.sh bash scripts/bench.sh

# The scale benchmark (src/tools/bench/scale.ts): N people on both simulators, interleaved with the engine
# floor; figures to bench-results/scale-<date>.{json,md}. e.g. make bench-scale N=100,1000 LATENCY=20
# OPS="no-op preview,remove 10%" measures a subset (the first up always runs); RECORD_AS=NAME records
# its figures in measurements/NAME.json instead of bench-scale.json.
N ?= 100
LATENCY ?= 0
OPS ?=
RECORD_AS ?=
bench-scale: setup
	@bash scripts/with-env.sh node dist/tools/bench/scale.js --people $(N) --latency-ms $(LATENCY) $(if $(OPS),--operations "$(OPS)") $(if $(RECORD_AS),--record-as $(RECORD_AS))

# `rollcall export` of the same organization from the Anypoint simulator (src/tools/bench/export.ts): time and
# Anypoint calls with the role search on and off. e.g. make bench-export N=5000 RECORD_AS=bench-export-5000
bench-export: setup
	@bash scripts/with-env.sh node dist/tools/bench/export.js --people $(N) --latency-ms $(LATENCY) $(if $(RECORD_AS),--record-as $(RECORD_AS))

# Where the program's and providers' CPU and memory go at N people (src/tools/bench/profile.ts): V8 CPU and
# heap profiles of one command after an adopting up. e.g. make profile N=1000 COMMAND=preview
COMMAND ?= preview
profile: setup
	@bash scripts/with-env.sh node dist/tools/bench/profile.js --people $(N) --command $(COMMAND) $(if $(RECORD_AS),--record-as $(RECORD_AS))

# Rewrites the pull-request comment README.md shows from the README's own steps run against the
# simulators (test/docs/getting-started.test.ts); make test fails when the two differ.
docs: setup
	@bash scripts/with-env.sh bash -c 'PULUMI_HOME="$$ROLLCALL_SCRATCH_PULUMI_HOME" ROLLCALL_UPDATE_DOCS=1 npx vitest run test/docs/getting-started.test.ts'
