#!/usr/bin/env python3
"""Write the hostile inputs the tests need at test time (big ones are never committed).

  make.py KIND PATH
"""
import random
import sys

kind, path = sys.argv[1], sys.argv[2]
HEADER = "import cm.current_branch;\n"


def write(text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


if kind == "binary":
    rng = random.Random(1)
    with open(path, "wb") as f:
        f.write(bytes(rng.randrange(256) for _ in range(1 << 16)))
elif kind == "latin1":
    with open(path, "wb") as f:
        f.write(b"// caf\xe9 in Latin-1, not UTF-8\nhierarchy h { }\n")
elif kind == "unicode-noise":
    rng = random.Random(2)
    alphabet = "{}();:->=,.*#/\"\\ \n\tabcxyz019\u00e9\u4e2d\U0001F600"
    write("".join(rng.choice(alphabet) for _ in range(1 << 16)))
elif kind == "huge":
    # Sparse: 100 MB on paper, nothing on disk; the size check must reject it unread.
    with open(path, "wb") as f:
        f.truncate(100 << 20)
elif kind == "long-line":
    write(HEADER + "hierarchy h { site A central { host " + "a" * (1 << 20) + " 10.0.0.1 : no_such_role; } }\n")
elif kind == "long-string":
    write('"' + "x" * (1 << 20) + '"\n')
elif kind == "parens":
    write("param x : int = " + "(" * 10000 + "1" + ")" * 10000 + ";\n")
elif kind == "negations":
    write("param x : bool = " + "!" * 10000 + "true;\n")
elif kind == "sum":
    write("param x : int = " + "1 + " * 100000 + "1;\n")
elif kind == "conditional":
    write("param x : int = " + "true ? 1 : " * 10000 + "2;\n")
elif kind == "many-hosts":
    # 100,000 servers in one site over Inputs/catalog.cmnet (copied beside the output), one of
    # them a source every other pulls from: linear work, unless something pairs all with all.
    hosts = "".join(f"    host h{i} 10.{i >> 16}.{(i >> 8) & 255}.{i & 255} : server;\n" for i in range(1, 100001))
    write('import "catalog.cmnet";\nhierarchy h {\n  site A central {\n'
          "    host src 192.168.0.1 : server { source = true; }\n" + hosts + "    clients 172.16.0.0/12;\n  }\n}\n")
elif kind in ("escapes", "escapes-error"):
    # Terminal controls in a comment and an allow reason (OSC retitle, BEL, CSI colour, C1 CSI,
    # a right-to-left override), over Inputs/catalog.cmnet copied beside the output;
    # escapes-error names an unknown endpoint on the reason's line, so a diagnostic quotes it.
    target = "nosuch" if kind == "escapes-error" else "a"
    write('import "catalog.cmnet";\n// comment \x1b[2J\x1b[H\n'
          "hierarchy h {\n  site A central {\n    host a 10.0.0.1 : server;\n    clients 10.1.0.0/16;\n  }\n"
          f'  allow 10.1.0.0/16 -> {target} tcp 9000 "\x1b]0;pwned\x07\x1b[31mred\u009b1m\u202eevil";\n}}\n')
elif kind == "escapes-syntax":
    # Controls before the location on the same line: the caret moves with the escapes.
    write('catalog t.e;\nrole a "\x1b]0;pwned\x07" 5;\n')
else:
    sys.exit(f"make.py: unknown kind {kind}")
