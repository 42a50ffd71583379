#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every test of the project, in pipeline order.
#   1. userspace harnesses (tools/testing/*, listed in tooling/userspace-tests)
#   2. the kernel and the build checks (kcompile, the out-of-tree module
#      and DKMS), its style, the exported series and the docs build,
#   3. static guest programs, 4. the initramfs,
#   5. the lanes (tooling/lanes/*.lane; LANES=... picks a subset)
# Prints each stage's time and ends with "N passed, N failed, N skipped".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
repo=$(dirname "$here")
out=${OUT:-$repo/out}
flavour=${FLAVOUR:-debug}
fragments=("$here/config/base.config" "$here/config/$flavour.config")
# The longest lanes (tcg and bochs-vmx-full: the KVM selftests) start first.
lanes=${LANES:-$(cd "$here/lanes" && ls ./*.lane | sed 's|^\./||; s|\.lane$||' |
		 sort -t- -k1,1 | awk '$0 == "tcg" || $0 == "bochs-vmx-full" { print; next }
		 { rest = rest $0 "\n" } END { printf "%s", rest }' | tr '\n' ' ')}
# LANE_CHECK in a lane file: "full" leaves the lane out of `make check`
# (too long for its budget) and puts it into `make check-full`
# (CHECK_FULL=1); "manual" leaves it out of both (a quicker variant of a
# full lane, for `make lane`).  LANES=... runs exactly the lanes named.
if [[ -z ${LANES:-} ]]; then
	kept=
	for lane in $lanes; do
		case $(lane_var "$here/lanes/$lane.lane" LANE_CHECK) in
		manual) continue ;;
		full) [[ ${CHECK_FULL:-0} = 1 ]] || continue ;;
		esac
		kept+="$lane "
	done
	lanes=$kept
fi
passed=0 failed=0 skipped=0
t0=$(date +%s)

stage() {
	local name=$1 start rc
	shift
	start=$(date +%s)
	echo "=== stage $name"
	"$@"
	rc=$?
	echo "=== stage $name: $(( $(date +%s) - start ))s$([[ $rc -ne 0 ]] && echo ", rc $rc")"
	return $rc
}

finish() {
	echo "=== total: $(( $(date +%s) - t0 ))s"
	echo "$passed passed, $failed failed, $skipped skipped"
	[[ $failed -eq 0 ]]
	exit $?
}

abort() {
	echo "check: $1: stopping" >&2
	failed=$((failed + 1))
	finish
}

count_ktap() {	# count top-level KTAP results of a log
	local log=$1 p f s
	p=$(grep -cE '^ok [0-9]+' "$log")
	s=$(grep -cE '^ok [0-9]+ .*# *SKIP' "$log")
	f=$(grep -cE '^not ok [0-9]+' "$log")
	echo "$((p - s)) $f $s"
}

userspace_tests() {
	local dir log p f s rc
	mkdir -p "$out/userspace"
	while read -r dir; do
		case "$dir" in ''|'#'*) continue ;; esac
		log=$out/userspace/$(echo "$dir" | tr / _).log
		# No MAKEFLAGS: `make OUT=dir check` must not override the
		# harness's own OUT variable.
		MAKEFLAGS= make -s -C "$out/src/$dir" check > "$log" 2>&1
		rc=$?
		read -r p f s < <(count_ktap "$log")
		if [[ $rc -ne 0 && $f -eq 0 ]]; then
			f=1
			echo "not ok $dir # make check exited $rc"
			tail -20 "$log"
		fi
		grep -E '^not ok' "$log" | sed "s|^|$dir: |"
		grep -E '^bench: ' "$log"
		echo "# $dir: $p passed, $f failed, $s skipped (log: $log)"
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	done < "$here/userspace-tests"
}

record() {	# record one case: record NAME RC [LOG]
	if [[ $2 -eq 0 ]]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "not ok $1"
		[[ -n ${3:-} ]] && tail -30 "$3" | sed 's/^/#   /'
	fi
}

# The software TDX module's engine must stay buildable as kernel code, and
# KVM without private memory and the TDX host core (tooling/kvm-noprivmem.sh),
# and KVM as Debian's modules (tooling/kvm-exports.sh).
kernel_compile_checks() {
	local log=$out/userspace/kcompile-tdx-swmod.log
	MAKEFLAGS= make -s -C "$out/src/tools/testing/tdx-swmod" kcompile \
		KDIR="$out/build-$flavour" > "$log" 2>&1
	record "kcompile tdx-swmod" $? "$log"
	log=$out/userspace/kcompile-kvm-noprivmem.log
	"$here/kvm-noprivmem.sh" "$out" "$flavour" > "$log" 2>&1
	record "kcompile kvm without private memory and the TDX host core" $? "$log"
	grep -h '^kvm-noprivmem:' "$log"
	log=$out/userspace/kvm-exports.log
	"$here/kvm-exports.sh" "$out" "$flavour" > "$log" 2>&1
	record "kvm as modules uses only exported symbols" $? "$log"
	grep -h '^kvm-exports:' "$log"
}

# The out-of-tree module: warning-free against the stock headers, and
# through DKMS in a throwaway tree (tooling/oot-check.sh).
oot_checks() {
	local log=$out/userspace/oot-check.log name

	"$here/oot-check.sh" "$out" > "$log" 2>&1
	while read -r name; do
		record "$name" 0
	done < <(sed -n 's/^ok //p' "$log")
	while read -r name; do
		record "$name" 1 "$log"
	done < <(sed -n 's/^not ok //p' "$log")
	grep -q '^ok \|^not ok ' "$log" || record "oot checks" 1 "$log"
}

# checkpatch on every patch and on every new kernel source file.
style_checks() {
	local f log=$out/userspace/checkpatch.log n=0
	: > "$log"
	for f in $(sed 's/#.*//' "$repo/patches/series"); do
		"$out/src/scripts/checkpatch.pl" --no-tree -q "$repo/patches/$f" >> "$log" 2>&1
		record "checkpatch $f" $? "$log"
		n=$((n + 1))
	done
	for f in $(cd "$repo" && git ls-files -- arch mm virt include drivers kernel lib |
		   grep -E '\.[ch]$'); do
		"$out/src/scripts/checkpatch.pl" --no-tree -q -f "$repo/$f" >> "$log" 2>&1
		record "checkpatch $f" $? "$log"
		n=$((n + 1))
	done
	echo "# checkpatch: $n files (log: $log)"
}

# The exported patch series applies to the base with git am and gives the
# assembled tree, and checkpatch --strict finds nothing unjustified.
series_check() {
	local log=$out/userspace/series.log
	python3 "$here/series.py" verify --out "$out" > "$log" 2>&1
	record "series: git am onto the base reproduces the assembled tree" $? "$log"
	tail -1 "$log"
}

# The documentation builds with no Sphinx warning beyond the base's.
docs_check() {
	local log=$out/userspace/docs.log
	"$here/docs.sh" "$out" > "$log" 2>&1
	record "docs: Sphinx build without new warnings" $? "$log"
	tail -1 "$log"
}

# Debian's configurations (generic and cloud) plus the project's fragment
# keep every option the project needs, and every object the project adds
# or patches compiles warning-free under Debian's generic configuration.
debconfig_check() {
	local fl log
	for fl in generic cloud; do
		log=$out/userspace/debconfig-$fl.log
		if [[ $fl = generic ]]; then
			"$here/debconfig.sh" "$out" $fl compile > "$log" 2>&1
		else
			"$here/debconfig.sh" "$out" $fl config > "$log" 2>&1
		fi
		record "debconfig: $fl" $? "$log"
		tail -1 "$log"
	done
}

# The cloud packages unpack where Debian expects their files (check-full).
deb_install_check() {
	local log=$out/userspace/deb-install.log

	"$here/deb.sh" "$out" cloud install-test > "$log" 2>&1
	record "deb: cloud packages install" $? "$log"
}

# The libvirt example validates against libvirt's schema (its passthrough
# arguments are run by our QEMU in the tcg lane, qemu_libvirt_args).
libvirt_checks() {
	local f log=$out/userspace/libvirt-xml.log
	: > "$log"
	for f in "$repo"/Documentation/virt/kvm/*-libvirt.xml; do
		virt-xml-validate "$f" domain >> "$log" 2>&1 &&
			"$here/libvirt-args.sh" "$f" >> "$log" 2>&1
		record "virt-xml-validate $(basename "$f")" $? "$log"
	done
}

# Our QEMU patches, with QEMU's own checkpatch (the source is there once
# the progs stage built QEMU).
qemu_style_checks() {
	local f log=$out/userspace/qemu-checkpatch.log
	: > "$log"
	[[ -x $out/qemu/src/scripts/checkpatch.pl ]] ||
		{ echo "# qemu checkpatch: no QEMU source (not built)"; return 0; }
	for f in $(sed 's/#.*//' "$repo/qemu/series"); do
		"$out/qemu/src/scripts/checkpatch.pl" --no-signoff -q \
			"$repo/qemu/$f" >> "$log" 2>&1
		record "qemu checkpatch $f" $? "$log"
	done
}

# Print a finished lane's report and add up its result.
lane_collect() {
	local lane=$1 p f s
	cat "$out/lanes-log/$lane.out"
	# Benchmarks run by the guest print "bench: " lines into the KTAP log.
	grep -hE '^[[:space:]]*bench: ' "$out/lanes/$lane/ktap.log" 2>/dev/null |
		sed 's/^[[:space:]]*//'
	if [[ -f $out/lanes/$lane/result ]]; then
		read -r p f s < "$out/lanes/$lane/result"
	else
		p=0 f=1 s=0
		echo "not ok $lane # lane did not produce a result"
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

# Lanes run LANE_JOBS (default 2) at a time: most of a lane is a
# single-threaded kernel boot or kmemleak scan under TCG, so two share the
# machine's cores well.  Reports are printed in lane order as they finish.
run_lanes() {
	local jobs=${LANE_JOBS:-2} lane i next=0
	local -a order=() pids=()

	mkdir -p "$out/lanes-log"
	for lane in $lanes; do
		order+=("$lane")
	done
	for i in "${!order[@]}"; do
		while (( $(jobs -rp | wc -l) >= jobs )); do
			wait -n
		done
		"$here/run-lane.sh" "$out" "$flavour" "${order[i]}" \
			> "$out/lanes-log/${order[i]}.out" 2>&1 &
		pids[i]=$!
		# Report every lane, in order, that has finished by now.
		while (( next < i )) && ! kill -0 "${pids[next]}" 2>/dev/null; do
			wait "${pids[next]}"
			lane_collect "${order[next]}"
			next=$((next + 1))
		done
	done
	for (( ; next < ${#order[@]}; next++ )); do
		wait "${pids[next]}"
		lane_collect "${order[next]}"
	done
}

stage deps "$here/deps.sh" || abort "installing dependencies failed"
stage assemble python3 "$here/assemble.py" --out "$out" || abort "assembling the tree failed"
stage userspace userspace_tests
stage kernel "$here/kbuild.sh" "$out" "$flavour" "${fragments[@]}" ||
	abort "kernel build failed"
stage kcompile kernel_compile_checks
stage oot oot_checks
stage style style_checks
stage series series_check
stage docs docs_check
stage debconfig debconfig_check
stage libvirt libvirt_checks
stage progs "$here/guest-progs.sh" "$out" "$flavour" || abort "building guest programs failed"
stage qemu-style qemu_style_checks
stage initramfs "$here/initramfs.sh" "$out" "$flavour" || abort "building the initramfs failed"
# Lanes that boot another flavour (LANE_FLAVOUR, e.g. the Bochs lane):
# its kernel, programs and initramfs too.
for other in $(for lane in $lanes; do lane_flavour "$here/lanes/$lane.lane"; done | sort -u); do
	[[ $other = "$flavour" ]] && continue
	stage "kernel-$other" "$here/kbuild.sh" "$out" "$other" \
		"$here/config/base.config" "$here/config/$other.config" ||
		abort "kernel build ($other) failed"
	stage "progs-$other" "$here/guest-progs.sh" "$out" "$other" ||
		abort "building guest programs ($other) failed"
	stage "initramfs-$other" "$here/initramfs.sh" "$out" "$other" ||
		abort "building the initramfs ($other) failed"
done
# The packaged kernel's lane (deb-cloud, make check-full only): build the
# packages and check their install first.
if [[ " $lanes " = *" deb-cloud "* ]]; then
	stage deb-cloud "$here/deb.sh" "$out" cloud build ||
		abort "building the cloud packages failed"
	stage deb-install deb_install_check
fi
stage lanes run_lanes
finish
