# grading/grading.mk -- the grader's part of the build; included by the top
# Makefile (-include grading/grading.mk).
#
# Provides
#   GRADE_JOBS   "-n N" (pytest-xdist) for `make grade -jN` / `make grade JOBS=N`,
#                empty for one job. The grade recipe appends it to pytest's
#                arguments. Every test's QEMU runs in its own temp dir with no
#                TCP port, so workers share nothing.
#   debug        `make debug TEST=name`: run one graded test's QEMU command
#                paused under GDB (tools/debug-test.py).

# -jN is make's own flag: make never passes it to a recipe as a variable, but
# while recipes run MAKEFLAGS holds it (" -j2 --jobserver-auth=3,4"; plain
# "-j" for unlimited jobs, which becomes xdist's "auto"; -j1 or no -j: serial).
# GNU make 4.3 adds -j to MAKEFLAGS only after parsing, so GRADE_JOBS must be
# expanded late, in the recipe: '=', not ':='. JOBS=N wins over -j.
grade_jflag = $(lastword $(filter -j%,$(MAKEFLAGS)))
grade_njobs = $(if $(JOBS),$(JOBS),$(if $(grade_jflag),$(or $(patsubst -j%,%,$(grade_jflag)),auto),1))
# --dist loadgroup: tests marked xdist_group(name) run in one worker (lab 5
# keeps its SMP boots off each other's cores; lab 6 shares one booted
# guest per module); the others are spread as before.
GRADE_JOBS  = $(if $(filter-out 0 1,$(grade_njobs)),-n $(grade_njobs) --dist loadgroup)

# make debug TEST=name [N=k] [GDB_BATCH="gdb args"]. TEST, GDB_BATCH reach
# the script through the environment, so quotes and brackets in them survive.
.PHONY: debug
debug: export TIDEPOOL_DEBUG_TEST = $(TEST)
debug: export TIDEPOOL_DEBUG_GDB_ARGS = $(GDB_BATCH)
debug: kernel                           ## run one graded test's QEMU paused under GDB (TEST=name [N=k])
	@$(PYTHON) -B tools/debug-test.py --kernel $(KERNEL) $(if $(N),--index $(N))

# ---- a whole class (tools/grade-class.py, docs/grading-a-class.md)
# make grade-class SUBMISSIONS=DIR LAB=n [JOBS=k] [GRADE_CLASS_ARGS=...]:
# each entry of DIR unpacked, built and graded in its own bubblewrap
# sandbox; results in build/grade-class/labN/ (gradebook.csv, report.html,
# students/NAME/{log.txt,results.json}). Run again to resume.
.PHONY: grade-class test-grade-class
grade-class:                            ## grade SUBMISSIONS=DIR (one entry per student) for LAB=n, sandboxed, JOBS=k at once
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade-class SUBMISSIONS=DIR LAB=n [JOBS=k]"; exit 2; }
	$(PYTHON) tools/grade-class.py $(SUBMISSIONS) --lab $(LAB) --jobs $(or $(JOBS),2) $(GRADE_CLASS_ARGS)

# The hostile fixtures (grading/class/make_fixtures.py) graded as one
# batch with make check's tight limits: two submissions at a time, so it
# is safe under make -j2 (it uses the two cores itself).
test-grade-class:                       ## the class grader against hostile submissions (needs root, bwrap)
	$(PYTHON) -B -m pytest -c grading/pytest.ini grading/class/test_grade_class.py grading/class/test_classroom.py grading/class/test_first_make.py -q

# Gradescope's autograder zip (tools/gradeclass/gradescope.py): setup.sh,
# run_autograder and the trusted grading/; test-gradescope runs it in a
# bubblewrap root laid out like Gradescope's container.
.PHONY: gradescope test-gradescope
gradescope:                             ## write build/gradescope-labN.zip (LAB=n) for Gradescope's autograder
	$(PYTHON) tools/gradeclass/gradescope.py --lab $(LAB) --out build/gradescope-lab$(LAB).zip

test-gradescope:                        ## run the Gradescope zip on lab 1's solution and handout; check results.json's schema
	$(PYTHON) -B -m pytest -c grading/pytest.ini grading/class/test_gradescope.py -q
