#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The HTML report is one self-contained file (no script, nothing fetched)
# whose inline SVG charts render in headless Chromium: the screenshot has
# the requested size, each chart band holds drawn pixels, and the series
# colours of the data lines appear. Skipped (after the file checks) when
# chromium or python3 is absent: both are optional test dependencies.
. "$BT_TOP/tests/data/corpus-bt.sh"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "analyze-html: $*"; exit 1; }
bt=$(bt_corpus_bt thp "$t") || { echo "skipped: corpus trace unavailable"; exit 77; }
"$BT" analyze "$bt" --format html -o "$t/report.html" || fail "analyze failed"
h="$t/report.html"
[ "$(grep -c '<svg' "$h")" -eq 5 ] || fail "want 5 charts, got $(grep -c '<svg' "$h")"
grep -qi '<script' "$h" && fail "the report holds a script"
grep -Eqi '(src|href)=' "$h" && fail "the report links to something"
grep -Eo 'https?://[^"'"'"' ]*' "$h" | grep -v '^http://www.w3.org/2000/svg$' |
	grep -q . && fail "the report names a URL"
grep -q '<polyline' "$h" || fail "no data line"
grep -q 'Free pages by order' "$h" || fail "no free-pages chart"
grep -q 'Fragmentation index' "$h" || fail "no fragmentation chart"
command -v chromium >/dev/null || { echo "skipped: chromium not installed (optional)"; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 not installed (optional)"; exit 77; }
timeout 120 chromium --headless --no-sandbox --disable-gpu \
	--disable-background-networking --no-first-run \
	--disable-component-update --disable-sync \
	--user-data-dir="$t/profile" --screenshot="$t/out.png" \
	--window-size=1200,2000 "file://$h" >/dev/null 2>&1
[ -s "$t/out.png" ] || fail "chromium wrote no screenshot"
python3 - "$t/out.png" <<'PY' || fail "screenshot check failed"
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, hdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        hdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
w, h, depth, ctype = hdr[0], hdr[1], hdr[2], hdr[3]
assert (w, h) == (1200, 2000), "size %dx%d" % (w, h)
assert depth == 8 and ctype in (2, 6), "unexpected PNG type"
bpp = 4 if ctype == 6 else 3
raw = zlib.decompress(idat)
stride = w * bpp
rows, prev, i = [], bytearray(stride), 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line

def px(x, y):
    r = rows[y]; return r[x * bpp], r[x * bpp + 1], r[x * bpp + 2]

def near(p, q):
    return all(abs(p[k] - q[k]) < 40 for k in range(3))

# Five charts of 280 px from about y=110: each band must hold ink.
for band in range(5):
    y0 = 120 + band * 288
    ink = sum(1 for y in range(y0, y0 + 250, 2) for x in range(80, 1100, 2)
              if sum(px(x, y)) < 600)
    assert ink > 500, "chart %d looks blank (%d dark pixels)" % (band, ink)
colours = {"blue": (31, 119, 180), "red": (214, 39, 40), "orange": (255, 127, 14)}
for name, c in colours.items():
    n = sum(1 for y in range(100, 1560, 2) for x in range(0, 1200, 2) if near(px(x, y), c))
    assert n > 50, "no %s data pixels (%d)" % (name, n)
print("screenshot ok")
PY
exit 0
