#!/usr/bin/env python3
"""Writes the seed corpus of cmnet_fuzz_quoting (tests/fuzz/corpus-quoting/): inputs in the
byte layout that cmnet_fuzz_quoting.cpp reads (FuzzedDataProvider strings: a backslash is
doubled, a backslash and another byte end a string; the last byte chooses outbound placement),
each filling the policy's texts and names with the injection corpus's strings
(tests/backends/quoting/Inputs/corpus.cmnet).

  make_quoting_seeds.py OUTPUT_DIR
"""
import hashlib
import os
import sys

# cmnet_fuzz_quoting.cpp's specialCodePoints, in order: byte 0x80 + index stands for each.
SPECIAL = [0x2018, 0x2019, 0x201A, 0x201B, 0x201C, 0x201D, 0x201E, 0x0080, 0x0085, 0x009B, 0x009F,
           0x00A0, 0x2028, 0x2029, 0x202E, 0x2066, 0xFEFF, 0xFFFD, 0xFFFE, 0x10FFFF, 0x0151, 0x0451,
           0x6771, 0x1F525, 0x00FF, 0x0800, 0xFFFF, 0x10000, 0xFF02, 0xFF07, 0x02BC, 0x0027]
NAME_SLOTS = 11
TEXT_SLOTS = 19  # 18 texts and the source file's name

PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
TEXTS = [
    PUNCTUATION,
    "\u2018\u2019\u201a\u201b\u201c\u201d\u201e",
    "tab\there esc\x1b[31m bel\x07 del\x7f nel\x85 ls\u2028 ps\u2029 nl\nend cr\rend",
    "Gy\u0151r \u0451 \u6771\u4eac \U0001f525",
    "\u0451'; Start-Process calc # \u2019; Start-Process calc #",
    "\"; reboot # \\\" ` $(calc) @{x} | rm",
    "\u0451" * 120,
    "\u6771" * 80,
    "\U0001f525" * 60,
    PUNCTUATION + "\u2018\u2019\u201a\u201b\u201c\u201d\u201e" + "Gy\u0151r",
    "# heading\n| a | b |\n- item\n1. one\n<script>x</script> *em* [link](x)",
    "\\",
    "a\\",
    "\"",
    "'",
    "\u2019",
    "?help",
    "x|y",
    "name\nwith line",
]


def text_bytes(text):
    out = bytearray()
    for ch in text:
        cp = ord(ch)
        if cp < 0x80 and cp != 0:
            out.append(cp)
        elif cp in SPECIAL:
            out.append(0x80 + SPECIAL.index(cp))
        else:
            out += bytes([0xA0 + (cp >> 16), (cp >> 8) & 0xFF, cp & 0xFF])
    return bytes(out)


# Each string's most bytes (QuotingCheck.cpp's takeText and nameSlots): a string that long
# ends without a terminator.
TEXT_MAX = [300] * (TEXT_SLOTS - 1) + [200]
NAME_MAX = [32, 32, 64, 64, 64, 237, 237, 237, 22, 22, 22]


def provider_string(data, max_bytes):
    out, count = b"", 0
    for b in data[:max_bytes]:
        out += b"\\\\" if b == 0x5C else bytes([b])
        count += 1
    return out if count == max_bytes else out + b"\\E"


def seed(names, texts, outbound):
    body = b"".join(provider_string(text_bytes(t), m) for t, m in zip(texts, TEXT_MAX))
    body += b"".join(provider_string(n.encode(), m) for n, m in zip(names, NAME_MAX))
    return body + bytes([1 if outbound else 0])


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    defaults = [""] * NAME_SLOTS
    long_names = ["r" * 32, "m" * 32, "H" * 64, "S" * 64, "T" * 64, "h" * 237, "g" * 237, "F" * 237,
                  "z" * 22, "y" * 22, "x" * 1]
    seeds = []
    for shift in range(len(TEXTS)):
        texts = [TEXTS[(shift + i) % len(TEXTS)] for i in range(TEXT_SLOTS)]
        seeds.append(seed(defaults, texts, shift % 2 == 0))
    seeds.append(seed(long_names, TEXTS[:TEXT_SLOTS], True))
    seeds.append(seed(defaults, [""] * TEXT_SLOTS, False))
    for data in seeds:
        with open(os.path.join(out_dir, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
    print(f"{len(seeds)} seeds in {out_dir}")


if __name__ == "__main__":
    main()
