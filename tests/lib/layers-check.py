#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check kmod/'s layering (Documentation/theory-of-operation.md, "Layers").

Every .c file of the module belongs to one layer below. A file may call
functions of its own layer and of layers below, never of a layer above;
a header declares only functions its own object defines (the object's
.c files: conntab.h covers conntab.c and conntab_evict.c). Functions are
found by name (ng_*), definitions and declarations by a regular
expression, calls by word match: crude, but it needs no compiler and it
fails loudly when a file is missing from the map.

Usage: layers-check.py [KMOD_DIR]   (exit 1 on any violation)
"""
import glob
import os
import re
import sys

LAYERS = [
    ("foundations", ["stats", "log", "lpm", "rules", "srccount", "tracker", "observe"]),
    ("tables", ["conntab", "conntab_evict", "blocktab", "packet"]),
    ("policy", ["policy"]),
    ("reports", ["events"]),
    ("detectors", ["detect"]),
    ("quarantine", ["quarantine"]),
    ("verdict", ["enforce"]),
    ("hooks", ["hooks"]),
    ("policy change", ["rejudge"]),
    ("transactions", ["txn"]),
    ("namespace lifetime", ["netns"]),
    ("interfaces", ["netlink", "policy_nl", "policy_dump_nl", "trace_nl",
                    "txn_nl", "conns_nl", "blocked_nl", "observe_nl", "proc"]),
    ("module", ["main"]),
]
# Objects whose functions span several .c files, and headers that are
# not one object's (module-wide state, compat shims, inline helpers).
OBJECTS = {"conntab": ["conntab", "conntab_evict"]}
SHARED_HEADERS = {"nguard", "compat", "version", "ratelimit", "lpm_shim",
                  "conntab_priv", "conntab_state"}

DEF = re.compile(r'^(?!static)[a-z][^\n;{(]*?\b(ng_[a-z0-9_]+)\([^;]*?\)\s*(?:__[a-z]+\([^)]*\)\s*)*\{',
                 re.M | re.S)
DECL = re.compile(r'^[a-z][^\n;{(]*?\b(ng_[a-z0-9_]+)\([^;{]*\)[^;{]*;', re.M)


def strip_comments(s):
    return re.sub(r'/\*.*?\*/', '', s, flags=re.S)


def main():
    kmod = sys.argv[1] if len(sys.argv) > 1 else "kmod"
    layer_of = {}
    for i, (_, files) in enumerate(LAYERS):
        for f in files:
            layer_of[f] = i
    errors = []
    cfiles = sorted(os.path.basename(p)[:-2] for p in glob.glob(os.path.join(kmod, "*.c")))
    for c in cfiles:
        if c not in layer_of:
            errors.append(f"{c}.c: in no layer (add it to LAYERS in {sys.argv[0]})")
    defined = {}
    for c in cfiles:
        text = strip_comments(open(os.path.join(kmod, c + ".c")).read())
        for m in DEF.finditer(text):
            defined.setdefault(m.group(1), c)
    for c in cfiles:
        if c not in layer_of:
            continue
        text = strip_comments(open(os.path.join(kmod, c + ".c")).read())
        for name, where in defined.items():
            if where == c or where not in layer_of:
                continue
            if layer_of[where] > layer_of[c] and re.search(r'\b' + name + r'\(', text):
                errors.append(f"{c}.c ({LAYERS[layer_of[c]][0]}) calls {name}() of "
                              f"{where}.c ({LAYERS[layer_of[where]][0]}), a layer above")
    for h in sorted(glob.glob(os.path.join(kmod, "*.h"))):
        base = os.path.basename(h)[:-2]
        if base in SHARED_HEADERS:
            continue
        own = set(OBJECTS.get(base, [base]))
        text = strip_comments(open(h).read())
        for m in DECL.finditer(text):
            name = m.group(1)
            where = defined.get(name)
            if where and where not in own:
                errors.append(f"{base}.h declares {name}() of {where}.c")
    for e in errors:
        print("layers: " + e)
    if errors:
        return 1
    print(f"layers: {len(cfiles)} files in {len(LAYERS)} layers, no upward call, "
          f"every header declares only its own object's functions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
