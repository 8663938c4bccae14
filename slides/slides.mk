# slides/slides.mk -- the lecture decks; included by the top Makefile.
#
#   make slides          every slides/NN-name.md to build/slides/NN-name.html
#                        (self-contained) and build/slides/NN-name.pdf
#   make check-slides    the preprocessor's tests, then every deck built, its
#                        first slide rendered to build/slides/NN-name.001.png
#                        and checked (not blank; the HTML holds the deck's
#                        text; nothing is loaded from the network)
#
# How a deck is built:
#   1. slides/include.py expands `<!-- include: FILE NAME -->` directives into
#      code blocks copied from the sources (build/slides/NN-name.md), and
#      writes a .d file so a deck is rebuilt when a source it shows changes.
#      An include that no longer resolves fails the build.
#   2. Marp CLI (npm, pinned in slides/package-lock.json) turns that into
#      HTML; for PDF it drives Debian's Chromium (CHROME_PATH).
#   3. pdftoppm (Debian's poppler-utils) renders the PDF's first page.
# slides/deps.sh installs both when missing (apt-get as root, else it
# prints the apt-get line; `npm ci` when slides/node_modules is stale).
#
# Variables: SLIDES_SOLUTIONS=1 shows the reference solutions in the code
# of every deck (by default a deck shows the code as its lab's handout has
# it, exercises open). CHROME_PATH=... uses another Chromium.
#
# Works from the repository root; does not change the includer's default
# goal.

SLIDES_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

SLIDES_PYTHON := /usr/bin/python3
SLIDES_OUT    := build/slides
SLIDES_DECKS  := $(sort $(wildcard slides/[0-9][0-9]-*.md))
SLIDES_NAMES  := $(notdir $(SLIDES_DECKS:.md=))
SLIDES_MD     := $(SLIDES_NAMES:%=$(SLIDES_OUT)/%.md)
SLIDES_HTML   := $(SLIDES_NAMES:%=$(SLIDES_OUT)/%.html)
SLIDES_PDF    := $(SLIDES_NAMES:%=$(SLIDES_OUT)/%.pdf)
SLIDES_PNG    := $(SLIDES_NAMES:%=$(SLIDES_OUT)/%.001.png)

SLIDES_SOLUTIONS ?=
SLIDES_INCLUDE_FLAGS := $(if $(filter-out 0,$(SLIDES_SOLUTIONS)),--solutions)

# Marp starts Chromium through puppeteer-core, whose defaults already turn
# off background networking, sync, default apps and the first-run page.
# Marp adds --no-sandbox by itself when run as root; CHROME_NO_SANDBOX=1
# says so for every user (CI containers often lack user namespaces), and
# CHROME_DISABLE_GPU=1 adds --disable-gpu (there is no GPU, and no display).
CHROME_PATH ?= /usr/bin/chromium
SLIDES_MARP := CHROME_PATH=$(CHROME_PATH) CHROME_NO_SANDBOX=1 CHROME_DISABLE_GPU=1 \
               slides/node_modules/.bin/marp \
               --config-file slides/marp.config.js --browser chrome \
               --browser-path $(CHROME_PATH) --browser-timeout 120
SLIDES_THEME := slides/tidepool.css slides/marp.config.js

# Quiet unless V=1, like the kernel's build; Marp's own log goes to a
# .log file beside each output and is shown when Marp fails.
ifeq ($(V),1)
SLIDES_SAY =
else
SLIDES_SAY = @printf '  %-7s %s\n' $(1) $(2);
endif
# One Marp run converts every deck that is out of date, into its HTML or
# its PDF beside the deck's build/slides/NN-name.md: Marp then starts one
# Chromium for all of them, where a run per deck started one each (nine
# decks: 12 CPU seconds for the PDFs against 44, 4 for the HTML against
# 14). A deck is out of date when its output is missing or older than its
# source or the theme; the outputs left as they were are touched, so that
# make sees the whole group up to date. A warning fails the build too: a
# theme Marp cannot find, say, would silently give slides in its default
# look. Marp's log is build/slides/marp-html.log (-pdf.log), shown when
# Marp fails.
# $(1): html or pdf; $(2): Marp's options for it.
SLIDES_STALE = for md in $(SLIDES_MD); do out=$${md%.md}.$(1); \
                 for dep in $$md $(SLIDES_THEME); do \
                   if [ ! -e $$out ] || [ $$dep -nt $$out ]; then echo $$md; break; fi; \
                 done; \
               done
SLIDES_BATCH = $(if $(SLIDES_SAY),@)decks=$$($(SLIDES_STALE)); log=$(SLIDES_OUT)/marp-$(1).log; \
    if [ -n "$$decks" ]; then \
      $(if $(SLIDES_SAY),for md in $$decks; do printf '  %-7s %s\n' MARP $${md%.md}.$(1); done;) \
      $(SLIDES_MARP) $(2) $$decks >$$log 2>&1 && \
      ! grep -qE '^\[ *(WARN|ERROR) *\]' $$log || \
      { cat $$log; for md in $$decks; do rm -f $${md%.md}.$(1); done; exit 1; }; \
    fi; \
    touch $(SLIDES_NAMES:%=$(SLIDES_OUT)/%.$(1))

.PHONY: slides check-slides slides-deps test-slides-include

slides: $(SLIDES_HTML) $(SLIDES_PDF)    ## build the lecture decks to HTML and PDF (build/slides/)

check-slides: test-slides-include $(SLIDES_HTML) $(SLIDES_PDF) $(SLIDES_PNG) ## build the decks and check the first page of each is not blank
	$(SLIDES_PYTHON) -B slides/check.py $(SLIDES_NAMES:%=slides/%.md)

# The dependencies: cheap when present. Order-only below, so that being
# checked does not make every deck out of date.
slides-deps:
	@CHROME_PATH=$(CHROME_PATH) sh slides/deps.sh

test-slides-include: slides-deps
	$(SLIDES_PYTHON) -B -m pytest -p no:cacheprovider -q slides/tests

$(SLIDES_OUT)/%.md: slides/%.md slides/include.py
	@mkdir -p $(@D)
	$(call SLIDES_SAY,INCLUDE,$@)$(SLIDES_PYTHON) -B slides/include.py $(SLIDES_INCLUDE_FLAGS) $< $@ --deps $@.d

$(SLIDES_HTML) &: $(SLIDES_MD) $(SLIDES_THEME) | slides-deps
	$(call SLIDES_BATCH,html,)

$(SLIDES_PDF) &: $(SLIDES_MD) $(SLIDES_THEME) | slides-deps
	$(call SLIDES_BATCH,pdf,--pdf --pdf-outlines)

# The first slide as a picture, rendered from the PDF by poppler's
# pdftoppm: it checks the PDF a lecturer projects, and costs a fraction
# of a second where a second Chromium run cost about 4 CPU seconds a deck.
# Scaled to 1280 pixels wide, the height shows the page's aspect ratio.
$(SLIDES_OUT)/%.001.png: $(SLIDES_OUT)/%.pdf | slides-deps
	$(call SLIDES_SAY,PDFTOPPM,$@)pdftoppm -png -f 1 -l 1 -singlefile -scale-to-x 1280 \
	    -scale-to-y -1 $< $(basename $@)

# build/slides/NN-name.md is an intermediate file: keep it (it is what Marp
# saw, and the .d files name it).
.SECONDARY: $(SLIDES_MD)

-include $(SLIDES_MD:=.d)

.DEFAULT_GOAL := $(SLIDES_SAVED_DEFAULT_GOAL)
