# SPDX-License-Identifier: GPL-2.0
#
# Driver for the TDX host enablement overlay.  Nothing here is copied into
# the kernel tree; see README.md.
#
#   make run      build and boot the patched kernel, print the feature status
#   make check    run every test (what .ci/run calls)
#   make help     everything else

OUT      ?= $(CURDIR)/out
LANE     ?= tcg
TOOLING  := $(CURDIR)/tooling
# The kernel flavour: the one LANE names (LANE_FLAVOUR=, e.g. the Bochs
# lane's lighter kernel), else debug.
FLAVOUR  ?= $(or $(shell sed -n 's/^LANE_FLAVOUR=//p' \
		$(TOOLING)/lanes/$(LANE).lane 2>/dev/null),debug)
FRAGMENTS := $(TOOLING)/config/base.config $(TOOLING)/config/$(FLAVOUR).config

export OUT FLAVOUR EXTRA_TESTS QEMU_OPTS KERNEL_CMDLINE LANES

.PHONY: all help run check check-full deps tree kernel progs initramfs guest boot lane \
	tdx-plan series series-bisect docs deb-config deb qemu fault-profile \
	dkms-tarball clean \
	distclean

all: run

help:
	@echo "make run                 build, boot, print the feature status"
	@echo "make check               all tests; ends with 'N passed, N failed, N skipped'"
	@echo "make check-full          make check plus the lanes too long for it (LANE_CHECK=full)"
	@echo "make tree                assemble out/src (base + overlay + patches)"
	@echo "make kernel              tree + configure + build out/build-\$$FLAVOUR"
	@echo "make guest               kernel + static test programs + initramfs"
	@echo "make lane LANE=name      run one lane (tooling/lanes/name.lane)"
	@echo "make boot [CMD='...']    interactive boot (Ctrl-A X quits), or run CMD"
	@echo "make series              export the upstream-style series: \$$OUT/series/patches"
	@echo "make series-bisect       build every prefix of the series (slow)"
	@echo "make docs                Sphinx build of the project's documentation"
	@echo "make fault-profile       private vs shared KVM fault, stage by stage (tracepoints)"
	@echo "make deb [FLAVOUR=cloud] Debian packages of the kernel (Debian's config): \$$OUT/deb/"
	@echo "make deb-config          Debian's config + ours; compile our objects with it"
	@echo "make qemu                build our patched QEMU: \$$OUT/qemu/qemu-system-x86_64"
	@echo "make tdx-plan            build the TDX memory planner tool: \$$OUT/tdx-plan/tdx-plan"
	@echo "make dkms-tarball        the out-of-tree module tdx_host.ko as a DKMS source tarball"
	@echo "knobs: EXTRA_TESTS=dir QEMU_OPTS=... KERNEL_CMDLINE=... LANES='a b'"
	@echo "       FLAVOUR=debug OUT=dir JOBS=n (FLAVOUR defaults to the lane's)"

deps:
	@$(TOOLING)/deps.sh

tree: deps
	@python3 $(TOOLING)/assemble.py --out $(OUT)

kernel: tree
	@$(TOOLING)/kbuild.sh $(OUT) $(FLAVOUR) $(FRAGMENTS)

progs: kernel
	@$(TOOLING)/guest-progs.sh $(OUT) $(FLAVOUR)

initramfs guest: progs
	@$(TOOLING)/initramfs.sh $(OUT) $(FLAVOUR)

run: guest
	@$(TOOLING)/run-lane.sh $(OUT) $(FLAVOUR) $(LANE) run

check:
	@$(TOOLING)/check.sh

check-full:
	@CHECK_FULL=1 $(TOOLING)/check.sh

lane: guest
	@$(TOOLING)/run-lane.sh $(OUT) $(FLAVOUR) $(LANE) check

boot: guest
ifeq ($(CMD),)
	@$(TOOLING)/run-lane.sh $(OUT) $(FLAVOUR) $(LANE) shell
else
	@$(TOOLING)/run-lane.sh $(OUT) $(FLAVOUR) $(LANE) cmd '$(CMD)'
endif

tdx-plan: tree
	@MAKEFLAGS= $(MAKE) -s -C $(OUT)/src/tools/testing/tdx-plan SANITIZE= \
		OUT=$(OUT)/tdx-plan $(OUT)/tdx-plan/tdx-plan
	@echo "tdx-plan: $(OUT)/tdx-plan/tdx-plan"

series: tree
	@python3 $(TOOLING)/series.py verify --out $(OUT)

series-bisect: tree
	@python3 $(TOOLING)/series.py bisect --out $(OUT) --flavour $(FLAVOUR) \
		--from $(or $(FROM),1)

docs: tree
	@$(TOOLING)/docs.sh $(OUT)

deb-config: tree
	@$(TOOLING)/debconfig.sh $(OUT) $(or $(DEBFLAVOUR),generic) compile
# make deb FLAVOUR=cloud (or generic, the default): FLAVOUR names Debian's
# flavour here, not the debug flavour of make kernel.
DEB_FLAVOUR := $(or $(filter generic cloud,$(FLAVOUR)),$(DEBFLAVOUR),generic)
deb: tree
	@$(TOOLING)/deb.sh $(OUT) $(DEB_FLAVOUR) build
	@$(TOOLING)/deb.sh $(OUT) $(DEB_FLAVOUR) install-test

qemu: deps
	@$(TOOLING)/qemu.sh $(OUT)

fault-profile: guest
	@$(TOOLING)/fault-profile.sh $(OUT) $(FLAVOUR)

dkms-tarball: tree
	@echo "dkms-tarball: $$($(TOOLING)/dkms-tarball.sh $(OUT))"

clean:
	rm -rf $(OUT)/build-* $(OUT)/progs-* $(OUT)/initramfs-* $(OUT)/lanes \
		$(OUT)/userspace $(OUT)/stage $(OUT)/tdx-plan \
		$(OUT)/oot $(OUT)/oot-check $(OUT)/tdx-host-*.tar.gz

distclean:
	rm -rf $(OUT)
