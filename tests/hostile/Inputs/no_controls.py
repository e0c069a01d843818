#!/usr/bin/env python3
"""no_controls.py < OUTPUT: exit 1 if OUTPUT holds a byte or character a terminal acts on (C0
controls other than tab and line feed, DEL, C1 controls, bidirectional overrides); else echo it."""
import sys

data = sys.stdin.buffer.read()
text = data.decode("utf-8", "replace")
bad = sorted({hex(ord(c)) for c in text
              if (ord(c) < 0x20 and c not in "\t\n") or 0x7f <= ord(c) <= 0x9f
              or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069})
sys.stdout.write(text)
if bad:
    sys.exit(f"no_controls.py: output holds control characters {', '.join(bad)}")
