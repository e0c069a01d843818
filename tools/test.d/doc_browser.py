#!/usr/bin/env python3
"""Open a `cmnetc doc --format=html` report in headless Chromium and check that it works.

- the page logs nothing to the console and raises no error (Chromium's console log, plus an
  error recorder injected into a probe copy of the page);
- the page fetches nothing (no external references; every host name resolves to nothing);
- the diagram is drawn: the SVG is in the DOM with host nodes and connection edges, and has a size;
- the tables sort when a header is clicked;
- a screenshot at 1400x1000 is not blank (many distinct colours, enough non-white pixels).

Usage: doc_browser.py REPORT.html --min-nodes N --min-edges M [--screenshot OUT.png]
"""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
    "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr", "--v=0",
]

# Runs after the report's own script: records errors, measures the diagram, clicks a header.
PROBE = r"""
<script>
(function () {
  var result = { errors: window.__probeErrors || [] };
  var svg = document.querySelector("div.diagram svg");
  result.svg = !!svg;
  result.nodes = svg ? svg.querySelectorAll("g.node").length : 0;
  result.edges = svg ? svg.querySelectorAll("g.edge").length : 0;
  var box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  result.svgWidth = box.width; result.svgHeight = box.height;
  var table = document.querySelector("table.sortable");
  var th = table.querySelector("th");
  function firstCell() { return table.tBodies[0].rows[0].cells[0].textContent.trim(); }
  th.click(); result.ascending = [th.getAttribute("aria-sort"), firstCell()];
  th.click(); result.descending = [th.getAttribute("aria-sort"), firstCell()];
  result.rows = table.tBodies[0].rows.length;
  var pre = document.createElement("pre");
  pre.id = "probe-result";
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
})();
</script>
"""

RECORDER = r"""
<script>
window.__probeErrors = [];
window.addEventListener("error", function (e) { window.__probeErrors.push(String(e.message)); });
(function () {
  var original = console.error;
  console.error = function () { window.__probeErrors.push(Array.prototype.join.call(arguments, " ")); original.apply(console, arguments); };
})();
</script>
"""


def chromium(args, profile):
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        sys.exit("doc-browser: chromium is not installed (apt-get install chromium)")
    cmd = [binary] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile] + args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def console_messages(stderr):
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def png_pixels(path):
    """Decode an 8-bit RGB or RGBA PNG (what Chromium writes) into rows of pixel tuples."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, b""
    width = height = channels = None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise ValueError(f"unsupported PNG: depth {depth} colour {colour} interlace {interlace}")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        filt = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upleft = previous[i - channels] if i >= channels else 0
            if filt == 1:
                line[i] = (line[i] + left) & 255
            elif filt == 2:
                line[i] = (line[i] + up) & 255
            elif filt == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif filt == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else upleft
                line[i] = (line[i] + pred) & 255
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        previous = line
    return width, height, rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--min-nodes", type=int, required=True)
    parser.add_argument("--min-edges", type=int, required=True)
    parser.add_argument("--screenshot", help="keep the screenshot here")
    args = parser.parse_args()
    failures = []
    html = open(args.report, encoding="utf-8").read()

    external = re.findall(r'<(?:link|img|iframe|object|embed)\b|\bsrc\s*=|url\(|@import|(?:href|xlink:href)="(?:https?:)?//',
                          html)
    if external:
        failures.append(f"the report references external resources: {sorted(set(external))}")

    work = tempfile.mkdtemp(prefix="doc-browser-")
    try:
        page = os.path.join(work, "report.html")
        shutil.copy(args.report, page)
        shot = os.path.join(work, "shot.png")
        run = chromium(["--screenshot=" + shot, "--window-size=1400,1000", "file://" + page],
                       os.path.join(work, "profile1"))
        messages = console_messages(run.stderr)
        if messages:
            failures.append("console messages while loading the report:\n  " + "\n  ".join(messages))
        if not os.path.exists(shot):
            failures.append(f"no screenshot (chromium exit {run.returncode}): {run.stderr[-2000:]}")
        else:
            width, height, rows = png_pixels(shot)
            colours = {p for row in rows for p in row}
            ink = sum(1 for row in rows for p in row if p != (255, 255, 255)) / (width * height)
            print(f"doc-browser: screenshot {width}x{height}, {len(colours)} colours, {ink:.1%} non-white")
            if (width, height) != (1400, 1000) or len(colours) < 64 or ink < 0.05:
                failures.append("the screenshot looks blank")
            if args.screenshot:
                shutil.copy(shot, args.screenshot)

        probe = os.path.join(work, "probe.html")
        with open(probe, "w", encoding="utf-8") as f:
            f.write(html.replace("<head>", "<head>" + RECORDER, 1).replace("</body>", PROBE + "</body>", 1))
        run = chromium(["--dump-dom", "file://" + probe], os.path.join(work, "profile2"))
        match = re.search(r'<pre id="probe-result">(.*?)</pre>', run.stdout)
        if not match:
            failures.append(f"the probe did not run (chromium exit {run.returncode}): {run.stderr[-2000:]}")
        else:
            result = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
            print("doc-browser: probe", json.dumps(result, sort_keys=True))
            if result["errors"]:
                failures.append(f"script errors: {result['errors']}")
            if not result["svg"] or result["nodes"] < args.min_nodes or result["edges"] < args.min_edges:
                failures.append(f"the diagram is not drawn: {result['nodes']} nodes, {result['edges']} edges")
            if result["svgWidth"] < 200 or result["svgHeight"] < 100:
                failures.append(f"the diagram has no size: {result['svgWidth']}x{result['svgHeight']}")
            rows = result["rows"]
            if result["ascending"] != ["ascending", "1"] or result["descending"] != ["descending", str(rows)]:
                failures.append(f"sorting by '#' gave {result['ascending']} then {result['descending']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for failure in failures:
        print("doc-browser: FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
