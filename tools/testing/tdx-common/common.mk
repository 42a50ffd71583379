# SPDX-License-Identifier: GPL-2.0
#
# Makefile fragment shared by the TDX userspace harnesses
# (tools/testing/tdx-*): the compiler flags, the sanitizers, the rules
# that compile the real kernel sources against the shims of
# tools/testing/tdx-common/include, and the sanitized run.
#
# OUT is out unless given on the command line; a harness may add to
# CFLAGS and LDFLAGS after including this file.  It gets:
#   $(OUT)/engine/%.o   software TDX module engine (arch/.../tdx/swmod)
#   $(OUT)/host/%.o     TDX host core files (arch/x86/virt/vmx/tdx)
#   $(OUT)/common/%.o   this directory: ktap.o (KTAP reporting, RNG),
#                       harness.o (a KTAP runner with main(), on ktap.o),
#                       user_plat.o and user_sha.o (the engine's
#                       userspace platform, SHA-384 from libcrypto)
#   $(KTAP_OBJS)        for a harness with its own main()
#   $(HARNESS_OBJS)     for a harness on harness.c's runner
#   $(ENGINE_OBJS)      every engine file, for harnesses that drive it
#   $(PLAT_OBJS)        the userspace platform; link with $(PLAT_LIBS)
#   $(RUN_SANITIZED)    prefix of a test run: leaks checked, first error
#                       aborts
# Kernel sources build with -Werror; the harness's own files do not.

TDX_COMMON := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
TDX_DIR := $(TDX_COMMON)/../../../arch/x86/virt/vmx/tdx
ENGINE_DIR := $(TDX_DIR)/swmod
# Not ?=: the project's top Makefile exports its own OUT (the build
# directory), which must not leak in from the environment.  A command-line
# OUT=dir still wins.
OUT := out

CC ?= gcc
SANITIZE ?= -fsanitize=address,undefined -fno-sanitize-recover=all
# Sanitized builds at -O1; a plain build (SANITIZE=) at -O2.
OPT ?= $(if $(SANITIZE),-O1,-O2)
CFLAGS := -std=gnu11 -g $(OPT) -fno-omit-frame-pointer -Wall -Wextra \
	  -Wno-unused-parameter -Wno-sign-compare \
	  -Wno-address-of-packed-member $(SANITIZE) \
	  -I$(TDX_COMMON)/include -I$(ENGINE_DIR) -I$(TDX_DIR) \
	  -I$(TDX_COMMON) -I.
LDFLAGS := $(SANITIZE) -pthread

ENGINE_SRCS := dispatch.c platform.c fault.c sys_init.c sys_config.c pamt.c \
	       param.c td.c td_mng.c td_md.c td_vp.c sept.c measure.c phymem.c
ENGINE_HDRS := swmod.h swmod_abi.h swmod_state.h swmod_leaves.h \
	       swmod_platform.h swmod_param.h swmod_td.h swmod_dmap.h
ENGINE_OBJS := $(addprefix $(OUT)/engine/,$(ENGINE_SRCS:.c=.o))
PLAT_OBJS := $(OUT)/common/user_plat.o $(OUT)/common/user_sha.o
KTAP_OBJS := $(OUT)/common/ktap.o
HARNESS_OBJS := $(OUT)/common/harness.o $(KTAP_OBJS)
PLAT_LIBS := -lcrypto

# Name printed in harness.c's summary lines.
HARNESS_NAME ?= $(notdir $(CURDIR))

COMMON_HDRS := $(wildcard $(TDX_COMMON)/*.h $(TDX_COMMON)/include/linux/*.h)

$(OUT)/engine/%.o: $(ENGINE_DIR)/%.c $(wildcard $(ENGINE_DIR)/*.h) $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Werror -c -o $@ $<

$(OUT)/host/%.o: $(TDX_DIR)/%.c $(wildcard $(TDX_DIR)/*.h) $(COMMON_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Werror -c -o $@ $<

$(OUT)/common/%.o: $(TDX_COMMON)/%.c $(COMMON_HDRS) $(wildcard $(ENGINE_DIR)/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DHARNESS_NAME='"$(HARNESS_NAME)"' -c -o $@ $<

RUN_SANITIZED := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
