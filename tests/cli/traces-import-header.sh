#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# buddytrace import on trace.dat files whose header is cut or lies: a
# version 7 file cut inside its compression strings (libtracecmd 1.3 frees
# one of them twice), page sizes of 1 byte and 1 GB, a 3-byte long, an
# unknown version, and a version 6 file claiming 0, 3, 1024 or 2^32-1 CPUs
# (libtracecmd reads past its flyrecord table). The cases are made from the
# corpus traces here rather than stored. Each must give exit 65 and one
# line naming the fault, leave no output behind and raise no sanitizer
# report.
set -u
C="$BT_TOP/traces/corpus"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
v6="$C/markers/trace.dat"
v7="$C/lost/trace.dat"

# patch SRC DST OFFSET OCTAL-BYTES: a copy with bytes overwritten
patch() {
	cp "$1" "$2" && printf "$4" | dd of="$2" bs=1 seek="$3" conv=notrunc \
		2>/dev/null
}

# expect NAME FILE PATTERN: exit 65, one line matching PATTERN
expect() {
	"$BT" import "$2" -o "$T/$1.bt" >/dev/null 2>"$T/$1.err"
	rc=$?
	[ $rc -eq 65 ] || fail "$1: exit $rc: $(head -5 "$T/$1.err")"
	[ "$(wc -l <"$T/$1.err")" -eq 1 ] || fail "$1: $(head -5 "$T/$1.err")"
	grep -q "^buddytrace import: cannot import '$2': $3" "$T/$1.err" ||
		fail "$1: $(cat "$T/$1.err")"
	[ -e "$T/$1.bt" ] && fail "$1: output left behind"
	return 0
}

# version 7: "zstd\0" "1.5.4\0" end at byte 29, the section offset follows
for n in 29 30 33 36; do
	head -c $n "$v7" >"$T/cut$n.dat"
	expect cut$n "$T/cut$n.dat" \
		"trace.dat cut short or damaged: its section offset runs past the end (byte 29 of $n)"
done
head -c 40 "$v7" >"$T/cut40.dat"
expect cut40 "$T/cut40.dat" "trace.dat's first section at byte [0-9]* lies beyond its 40 bytes"
head -c 1000 "$v6" >"$T/cut6.dat"
expect cut6 "$T/cut6.dat" "trace.dat cut short or damaged: its ftrace formats runs past"

# page size (4 bytes at 14), long size (byte 13), version (byte 10)
patch "$v6" "$T/ps1.dat" 14 '\001\000\000\000'
expect ps1 "$T/ps1.dat" "trace.dat header claims a page size of 1 bytes"
patch "$v7" "$T/ps1g.dat" 14 '\000\000\000\100'
expect ps1g "$T/ps1g.dat" "trace.dat header claims a page size of 1073741824 bytes"
patch "$v7" "$T/long.dat" 13 '\003'
expect long "$T/long.dat" "trace.dat header claims byte order 0 and 3-byte longs"
patch "$v6" "$T/ver.dat" 10 '9'
expect ver "$T/ver.dat" "trace.dat version '9' (versions 6 and 7 are read)"

# the CPU count: the 4 bytes before the first "options  " section
off=$(grep -obUa "options  " "$v6" | head -1 | cut -d: -f1)
[ -n "$off" ] || fail "no options section in $v6"
off=$((off - 4))
patch "$v6" "$T/cpus0.dat" $off '\000\000\000\000'
expect cpus0 "$T/cpus0.dat" "trace.dat header claims 0 cpus$"
patch "$v6" "$T/cpusmax.dat" $off '\377\377\377\377'
expect cpusmax "$T/cpusmax.dat" "trace.dat header claims 4294967295 cpus (a .bt holds at most 4096)$"
patch "$v6" "$T/cpus3.dat" $off '\003\000\000\000'
expect cpus3 "$T/cpus3.dat" "trace.dat says the data of cpu 2 starts at byte [0-9]*, inside its header (3 cpus claimed)"
patch "$v6" "$T/cpus1024.dat" $off '\000\004\000\000'
expect cpus1024 "$T/cpus1024.dat" "trace.dat says the data of cpu 0 starts at byte [0-9]*, inside its header (1024 cpus claimed)"

# the untouched files still import: the walk accepts what trace-cmd wrote
for f in "$v6" "$v7"; do
	"$BT" import "$f" -o "$T/ok.bt" 2>"$T/ok.err" ||
		fail "$f: exit $?: $(cat "$T/ok.err")"
done
exit 0
