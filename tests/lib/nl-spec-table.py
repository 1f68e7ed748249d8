#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn the netlink spec (Documentation/netlink/nguard.yaml) into the flat
table ng-nl-fuzz reads (tests/tools/nl-fuzz.c), so that the fuzzer follows
the spec as it grows. tests/lib/initramfs.sh puts the table into every test
image as /tests/nguard-spec.txt.

Usage: nl-spec-table.py SPEC.yaml > TABLE

One record per line, fields separated by single spaces, "-" for none:
  family NAME VERSION
  set NAME MAXID
  attr SET NAME ID TYPE MIN MAX MASK MINLEN MAXLEN NESTSET MULTI
  op NAME VALUE do|dump FLAGS SET ATTRS
TYPE is the spec's (u8..u64, s8..s64, string, binary, nest, flag, pad,
unused). MIN/MAX are the spec's checks; an attribute of an enum (not
flags) definition without its own check takes the enum's range (what YNL
generates as the attribute's policy), one of a flags definition a MASK
of the flags' bits. FLAGS is a comma list of the operation's flags
(admin-perm, ...). ATTRS is a comma list of the request's attribute names
(of SET), "-" when the request takes none. Operations without do or dump
(notifications) are left out.
"""
import sys

import yaml

INT_TYPES = {'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64'}


def die(msg):
    print(f"nl-spec-table: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 2:
        die("usage: nl-spec-table.py SPEC.yaml")
    with open(sys.argv[1], encoding='utf-8') as f:
        spec = yaml.safe_load(f)

    consts = {}
    enums = {}          # name -> ('enum', lo, hi) or ('flags', mask)
    for d in spec.get('definitions', []):
        if d['type'] == 'const':
            consts[d['name']] = d['value']
        elif d['type'] in ('enum', 'flags'):
            start = d.get('value-start', 0)
            vals = []
            for i, e in enumerate(d['entries']):
                v = e.get('value') if isinstance(e, dict) else None
                vals.append(v if v is not None else start + i)
            if d['type'] == 'enum':
                enums[d['name']] = ('enum', min(vals), max(vals))
            else:
                # flags: entry i is bit (value-start + i)
                enums[d['name']] = ('flags', sum(1 << v for v in vals))

    def num(v):
        if v is None:
            return None
        if isinstance(v, str):
            if v in consts:
                return consts[v]
            if v.startswith(('s', 'u')) and v[1:].endswith('-max'):
                die(f"check value {v!r} is not supported")
            return int(v, 0)
        return int(v)

    def field(v):
        return '-' if v is None else str(v)

    out = [f"# generated from {sys.argv[1]} by tests/lib/nl-spec-table.py"]
    out.append(f"family {spec['name']} {spec.get('version', 1)}")
    sets = {}
    for s in spec['attribute-sets']:
        if 'subset-of' in s:
            die(f"attribute set {s['name']}: subset-of is not supported")
        attrs = []
        nxt = 1
        for a in s['attributes']:
            aid = a.get('value', nxt)
            nxt = aid + 1
            attrs.append((aid, a))
        sets[s['name']] = attrs
        out.append(f"set {s['name']} {max(aid for aid, _ in attrs)}")
        for aid, a in attrs:
            t = a['type']
            chk = a.get('checks', {}) or {}
            lo, hi, mask = num(chk.get('min')), num(chk.get('max')), None
            en = a.get('enum')
            if en is not None and t in INT_TYPES:
                if en not in enums:
                    die(f"{s['name']}.{a['name']}: unknown enum {en!r}")
                e = enums[en]
                if a.get('enum-as-flags') or e[0] == 'flags':
                    mask = e[1] if e[0] == 'flags' else \
                        sum(1 << v for v in range(e[1], e[2] + 1))
                else:
                    lo = e[1] if lo is None else lo
                    hi = e[2] if hi is None else hi
            minlen = num(chk.get('min-len'))
            maxlen = num(chk.get('max-len'))
            if 'exact-len' in chk:
                minlen = maxlen = num(chk['exact-len'])
            nest = a.get('nested-attributes')
            if t == 'nest' and not nest:
                die(f"{s['name']}.{a['name']}: nest without nested-attributes")
            out.append(' '.join([
                'attr', s['name'], a['name'], str(aid), t, field(lo), field(hi),
                field(mask), field(minlen), field(maxlen), field(nest),
                '1' if a.get('multi-attr') else '0']))

    ops = spec['operations']
    nxt = 1
    for o in ops['list']:
        val = o.get('value', nxt)
        nxt = val + 1
        flags = ','.join(o.get('flags', [])) or '-'
        for kind in ('do', 'dump'):
            if kind not in o:
                continue
            req = (o[kind] or {}).get('request') or {}
            names = req.get('attributes') or []
            aset = o.get('attribute-set')
            if aset not in sets:
                die(f"operation {o['name']}: unknown attribute set {aset!r}")
            known = {a['name'] for _, a in sets[aset]}
            for n in names:
                if n not in known:
                    die(f"operation {o['name']}: {n!r} is not in set {aset}")
            out.append(' '.join(['op', o['name'], str(val), kind, flags, aset,
                                 ','.join(names) or '-']))
    print('\n'.join(out))


if __name__ == '__main__':
    main()
