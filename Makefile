# Responsible-AI course kit: one entry point. `make help` lists the targets.
#
# Everything runs inside .venv (created by `make setup`) so nothing is installed by hand.
# Pins live in requirements.txt; torch is installed first so it is the CPU build.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Offline by default: the kit's models and data ship in packages (see DESIGN in README).
export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1
export MPLBACKEND ?= Agg

A ?=
SUBMISSIONS ?=
WORKERS ?=


.PHONY: validate answers model-answers student-pack mutants-all help setup lab test test-fast lint bench release autograde feedback export workspace progress clean report demo site mutants retrain-assistant retrain-assistant-hierarchy

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'
	@echo "  variables: A=<assignment, e.g. 01_evaluation>  SUBMISSIONS=<folder of student notebooks>  WORKERS=<n>  M=<module, e.g. 03>"

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m raikit.learner.validate_dialog --enable  # Validate's dialog: hints first
	touch $(STAMP)

setup: $(STAMP)  ## create .venv with the pinned environment (idempotent)

lab: setup workspace  ## set up, then open the course in JupyterLab: lessons and my-work (VIEW=instructor shows all)
	MPLBACKEND=module://matplotlib_inline.backend_inline $(BIN)/jupyter lab --ServerApp.root_dir=. \
	  $(if $(filter instructor,$(VIEW)),,--config=learner/jupyter_learner_view.py) \
	  --LabApp.news_url=None --LabApp.extension_manager=readonly \
	  $(if $(filter 0,$(shell id -u)),--allow-root)  # offline: no news feed, no PyPI extension search; containers often run as root

student-pack: setup  ## build what students get -> student-pack/raikit-student/ (+ .zip): no sources or hidden tests
	$(BIN)/raikit-grade student-pack --out student-pack

workspace: setup  ## copy released assignments into my-work/ (never overwrites your work)
	$(BIN)/raikit-grade workspace

validate: setup  ## check one notebook, NB=my-work/03_fairness/03_fairness.ipynb: each failing check's hint first
	@test -n "$(NB)" || { echo "make validate: set NB=<notebook>, e.g. NB=my-work/03_fairness/03_fairness.ipynb"; exit 2; }
	$(BIN)/raikit-progress --notebook $(NB)

answers: setup  ## model answers and mark schemes of M=<module>'s written questions you have attempted
	@test -n "$(M)" || { echo "make answers: set M=<module>, e.g. M=03"; exit 2; }
	$(BIN)/python -m raikit.learner.answers --module $(M)

model-answers: setup  ## regenerate learner/model_answers.json from the sources (instructors, after editing one)
	$(BIN)/python -c "from raikit.learner import answers; print(answers.write())"

progress: setup  ## check your work in my-work/ with nbgrader: visible tests and written answers per module (M=03 for one)
	$(BIN)/raikit-progress $(if $(M),--module $(M))

test: setup lint  ## set up, then lint and run the whole test suite (offline)
	$(BIN)/python -m pytest

test-fast: setup  ## unit tests only (skips notebook execution and nbgrader runs)
	$(BIN)/python -m pytest -m "not slow"

retrain-assistant: setup  ## train the kit assistant again from its corpus (~20 min on 2 cores) -> raikit/assistant_model/
	HF_HUB_OFFLINE=1 $(BIN)/python -m raikit.topics.assistant

retrain-assistant-hierarchy: setup  ## train module 14's instruction-hierarchy variant again (~5-15 min on 1 thread) -> raikit/assistant_model_hierarchy/
	HF_HUB_OFFLINE=1 $(BIN)/python -m raikit.topics.assistant --variant hierarchy

lint: setup  ## ruff over the Python code
	$(BIN)/ruff check raikit graders coursesite tests benchmarks

bench: setup  ## benchmarks: two classes autograded by stock nbgrader vs the kit; every notebook's time and memory
	$(BIN)/python benchmarks/class_autograde.py --assignment 00_orientation
	$(BIN)/python benchmarks/class_autograde.py --assignment 01_evaluation --no-memo
	$(BIN)/python benchmarks/course_timing.py

release: setup  ## generate student versions: all, or A=<assignment>
	$(BIN)/raikit-grade release $(A)

autograde: setup  ## autograde A=<assignment> from SUBMISSIONS=<folder> (or assignments/submitted)
	@test -n "$(A)" || { echo "make autograde: set A=<assignment>, e.g. A=01_evaluation"; exit 2; }
	@# exit status 1 = the class was graded and some submissions need review: the summary above says which
	$(BIN)/raikit-grade autograde $(A) $(if $(SUBMISSIONS),--submissions $(SUBMISSIONS)) $(if $(WORKERS),--workers $(WORKERS)) \
	  || test $$? -eq 1

feedback: setup  ## generate HTML feedback for A=<assignment>
	@test -n "$(A)" || { echo "make feedback: set A=<assignment>, e.g. A=01_evaluation"; exit 2; }
	$(BIN)/raikit-grade feedback $(A)

export: setup  ## all grades with a status per student -> assignments/grades.csv (LAYOUT=canvas|moodle, ROSTER=roster.csv)
	$(BIN)/raikit-grade export --layout $(or $(LAYOUT),long) $(if $(ROSTER),--roster $(ROSTER))

report: setup  ## grade report for A=<assignment>: plots, item analysis, flags, LMS CSV (assignments/reports/A/)
	@test -n "$(A)" || { echo "make report: set A=<assignment>, e.g. A=01_evaluation"; exit 2; }
	$(BIN)/raikit-grade report $(A)

demo: setup  ## grade a synthetic class of 30 and write its report (demo-course/; A=<assignment> to choose)
	$(BIN)/raikit-grade demo $(if $(A),--assignment $(A)) $(if $(WORKERS),--workers $(WORKERS))

mutants: setup  ## mutation analysis of A=<assignment>: grade mutants of its solution, list the survivors (minutes)
	@test -n "$(A)" || { echo "make mutants: set A=<assignment>, e.g. A=02_calibration"; exit 2; }
	$(BIN)/raikit-grade mutants $(A) $(if $(WORKERS),--workers $(WORKERS))

mutants-all: setup  ## every assignment's mutation score against its floor in docs/mutation_scores.json (long)
	@failed=""; for a in $$(ls assignments/source); do \
	  $(BIN)/raikit-grade mutants $$a $(if $(WORKERS),--workers $(WORKERS)) || failed="$$failed $$a"; done; \
	  test -z "$$failed" || { echo "below 90% or below the recorded score:$$failed"; exit 1; }

site: setup  ## execute every lesson into a static HTML site, site/index.html (LESSONS="00 03" for some)
	$(BIN)/raikit-grade site $(if $(LESSONS),--lessons $(LESSONS))

clean:  ## remove generated course files (keeps .venv and my-work/)
	rm -rf assignments/release assignments/autograded assignments/feedback test-artifacts demo-course
