#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The Debian 12 packages buddytrace needs. --print: the apt-get line;
# --install: install what is missing when root, else print the line.
# --optional: the same for optional test dependencies (tests that need
# them skip with a message when they are absent): chromium and python3
# render the HTML report headless and look at the screenshot.
PKGS="gcc make pkg-config libtraceevent-dev libtracefs-dev libtracecmd-dev
libzstd-dev libdw-dev libjansson-dev libcmocka-dev zstd trace-cmd"
OPTIONAL_PKGS="chromium python3"
[ "$1" = --optional ] && PKGS=$OPTIONAL_PKGS
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
line="apt-get install -y$missing"
case "$1" in
--print|--optional) echo "$line"; exit 0 ;;
--install)
	[ -z "$missing" ] && exit 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "buddytrace: missing packages; as root run: $line" >&2
		exit 1
	fi
	echo "installing:$missing" >&2
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
	;;
*) echo "usage: deps.sh --print|--install|--optional" >&2; exit 64 ;;
esac
