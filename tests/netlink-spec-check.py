#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check Documentation/netlink/nguard.yaml against kmod/uapi/nguard.h.

From the spec alone, the C name and value of everything it defines are
derived the way the kernel's YNL generator (tools/net/ynl/ynl-gen-c.py,
--mode uapi) names them: enumerators of every enum and flags definition,
attribute ids of every attribute set with their __*_MAX / *_MAX, command
numbers, constants, multicast group and family defines. A C program that
includes the header prints the value of each of those names, so a missing,
renamed or renumbered enumerator fails to compile or prints a different
value. The other direction: every enumerator and #define of the header must
be derived from the spec, and every named enum must hold exactly the
spec's entries.

With --kmod DIR, the module's attribute policies (struct nla_policy tables,
netlink_range_validation, genl_ops, multicast groups) are read from the
C sources and compared with the spec: which attributes each operation
accepts, their types, ranges and lengths, do/dump and admin-perm.

With --kernel-tree DIR (a kernel source tree with Documentation/netlink and
tools/net/ynl, e.g. extracted from Debian's linux-source-6.12), the spec is
also validated against the kernel's JSON schema for its protocol level, and
with the C-only naming properties removed against the strict genetlink
schema; and the kernel's own ynl-gen-c.py renders the uAPI header from the
spec, which must define the same names with the same values as the real
header (this also cross-checks the naming rules reimplemented here).

Exit status 0 when everything agrees, 1 otherwise; one "ok"/"FAIL" line per
check, details under each FAIL.
"""
import argparse
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    sys.exit("netlink-spec-check: needs PyYAML (Debian: python3-yaml)")

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def c_upper(name):
    return name.upper().replace('-', '_')


def c_lower(name):
    return name.lower().replace('-', '_')


class Report:
    def __init__(self):
        self.failed = 0

    def section(self, title, problems):
        if problems:
            self.failed += 1
            print(f"FAIL {title}: {len(problems)} problem(s)")
            for p in problems[:60]:
                print(f"     {p}")
            if len(problems) > 60:
                print(f"     ... and {len(problems) - 60} more")
        else:
            print(f"ok   {title}")

    def skip(self, title, why):
        print(f"skip {title}: {why}")


# ---------------------------------------------------------------------------
# What the spec defines, named as ynl-gen-c.py names it (Linux 6.12).

class Sym:
    """One C name the spec defines: an enumerator or a #define."""

    def __init__(self, name, value, where, enum=None, kind='int'):
        self.name = name
        self.value = value          # int, or str for string defines
        self.where = where          # human description, for messages
        self.enum = enum            # C enum tag it belongs to, or None
        self.kind = kind            # 'int' or 'str'


class Spec:
    def __init__(self, path):
        with open(path) as f:
            self.yaml = yaml.safe_load(f)
        y = self.yaml
        self.problems = []
        self.name = y['name']
        self.ident = self.name.replace('-', '_')
        self.protocol = y.get('protocol', 'genetlink')
        self.syms = {}
        self.enums = {}             # tag -> [enumerator names] in order
        self.consts = {}            # spec name -> definition
        self.defs = {}              # spec name -> definition (enum/flags)
        self.def_values = {}        # spec name -> {entry name: C value}
        self.sets = {}              # set name -> {attr name: (attr, value)}
        self.set_yaml = {}
        self.ops = {}               # op name -> (yaml, value)
        self._family()
        self._definitions()
        self._attr_sets()
        self._operations()
        self._mcast()
        self._references()

    def add(self, sym):
        if sym.name in self.syms:
            self.problems.append(f"{sym.name} defined twice in the spec "
                                 f"({self.syms[sym.name].where}, {sym.where})")
        self.syms[sym.name] = sym
        if sym.enum:
            self.enums.setdefault(sym.enum, []).append(sym.name)

    def _family(self):
        y = self.yaml
        self.add(Sym(c_upper(y.get('c-family-name', self.name + '_FAMILY_NAME')),
                     self.name, 'family name', kind='str'))
        self.add(Sym(c_upper(y.get('c-version-name', self.name + '_FAMILY_VERSION')),
                     y.get('version', 1), 'family version'))

    def _definitions(self):
        for d in self.yaml.get('definitions', []):
            name = d['name']
            if d.get('header'):
                continue            # defined by some other header
            if d['type'] == 'const':
                self.consts[name] = d
                v = d['value']
                self.add(Sym(c_upper(f"{self.ident}-{name}"), v,
                             f"const {name}", kind='int' if isinstance(v, int) else 'str'))
                continue
            self.defs[name] = d
            if 'enum-name' in d:
                tag = c_lower(d['enum-name']) if d['enum-name'] else None
            else:
                tag = c_lower(f"{self.ident}-{name}")
            pfx = d.get('name-prefix', f"{self.ident}-{name}-")
            entries, prev = [], None
            for e in d['entries']:
                e = {'name': e} if isinstance(e, str) else e
                if 'value' in e:
                    raw = e['value']
                elif prev is not None:
                    raw = prev + 1
                else:
                    raw = d.get('value-start', 0)
                prev = raw
                val = 1 << raw if d['type'] == 'flags' else raw
                entries.append((e['name'], val))
                self.add(Sym(c_upper(pfx + e['name']), val,
                             f"{d['type']} {name}: {e['name']}", enum=tag))
            self.def_values[name] = dict(entries)
            if d.get('render-max'):
                if d['type'] == 'flags':
                    mask = 0
                    for _, v in entries:
                        mask |= v
                    self.add(Sym(c_upper(pfx + 'mask'), mask, f"{name} mask", enum=tag))
                else:
                    last = max(v for _, v in entries)
                    self.add(Sym('__' + c_upper(pfx + 'max'), last + 1,
                                 f"{name} count", enum=tag))
                    self.add(Sym(c_upper(pfx + 'max'), last, f"{name} max", enum=tag))

    def _attr_sets(self):
        by_define = self.yaml.get('max-by-define', False)
        for s in self.yaml['attribute-sets']:
            self.set_yaml[s['name']] = s
            if 'subset-of' in s:
                continue
            if 'name-prefix' in s:
                pfx = s['name-prefix']
            elif s['name'] == self.name:
                pfx = self.ident + '-a-'
            else:
                pfx = f"{self.ident}-a-{s['name']}-"
            tag = c_lower(s['enum-name']) if s.get('enum-name') else None
            attrs, val = {}, 1
            for a in s['attributes']:
                if 'value' in a:
                    val = a['value']
                attrs[a['name']] = (a, val)
                self.add(Sym(c_upper(a.get('name-prefix', pfx) + a['name']), val,
                             f"attribute {s['name']}.{a['name']}", enum=tag))
                val += 1
            last = max(v for _, v in attrs.values())
            self.add(Sym(c_upper(s.get('attr-cnt-name', f"__{pfx}max")), last + 1,
                         f"attribute set {s['name']} count", enum=tag))
            self.add(Sym(c_upper(s.get('attr-max-name', f"{pfx}max")), last,
                         f"attribute set {s['name']} max",
                         enum=None if by_define else tag))
            self.sets[s['name']] = attrs
        for s in self.yaml['attribute-sets']:
            if 'subset-of' in s:
                parent = self.sets.get(s['subset-of'])
                if parent is None:
                    self.problems.append(f"set {s['name']}: subset-of unknown set {s['subset-of']}")
                    continue
                sub = {}
                for a in s['attributes']:
                    if a['name'] not in parent:
                        self.problems.append(f"set {s['name']}: {a['name']} not in {s['subset-of']}")
                    else:
                        sub[a['name']] = parent[a['name']]
                self.sets[s['name']] = sub

    def _operations(self):
        ops = self.yaml['operations']
        if ops.get('enum-model', 'unified') != 'unified' or 'async-prefix' in ops:
            self.problems.append("only the unified operations enum model without "
                                 "async-prefix is supported by this check")
        pfx = c_upper(ops.get('name-prefix', self.name + '-cmd-'))
        tag = c_lower(ops['enum-name']) if ops.get('enum-name') else None
        val = 1
        for o in ops['list']:
            if 'value' in o:
                val = o['value']
            self.ops[o['name']] = (o, val)
            self.add(Sym(pfx + c_upper(o['name']), val, f"operation {o['name']}", enum=tag))
            val += 1
        last = max(v for _, v in self.ops.values())
        by_define = self.yaml.get('max-by-define', False)
        self.add(Sym(c_upper(self.yaml.get('cmd-cnt-name', f"__{pfx}MAX")), last + 1,
                     'operations count', enum=tag))
        self.add(Sym(c_upper(self.yaml.get('cmd-max-name', f"{pfx}MAX")), last,
                     'operations max', enum=None if by_define else tag))

    def _mcast(self):
        self.mcgrps = {}
        for g in self.yaml.get('mcast-groups', {}).get('list', []):
            self.mcgrps[g['name']] = g
            self.add(Sym(c_upper(g.get('c-define-name', f"{self.ident}-mcgrp-{g['name']}")),
                         g['name'], f"multicast group {g['name']}", kind='str'))

    def _references(self):
        p = self.problems
        for sname, s in self.set_yaml.items():
            for a in s['attributes']:
                a = self.sets.get(sname, {}).get(a['name'], (a,))[0]
                where = f"{sname}.{a['name']}"
                if a.get('type') == 'nest' and a.get('nested-attributes') not in self.sets:
                    p.append(f"{where}: nested-attributes {a.get('nested-attributes')!r} "
                             "is no attribute set")
                if 'enum' in a and a['enum'] not in self.defs:
                    p.append(f"{where}: enum {a['enum']!r} is not defined")
        for oname, (o, _) in self.ops.items():
            aset = o.get('attribute-set')
            for mode in ('do', 'dump'):
                for part in ('request', 'reply'):
                    for an in o.get(mode, {}).get(part, {}).get('attributes', []):
                        if aset not in self.sets or an not in self.sets[aset]:
                            p.append(f"operation {oname} {mode} {part}: no attribute "
                                     f"{an!r} in set {aset!r}")
            for an in o.get('event', {}).get('attributes', []):
                if aset not in self.sets or an not in self.sets[aset]:
                    p.append(f"operation {oname} event: no attribute {an!r} in set {aset!r}")
            if 'mcgrp' in o and o['mcgrp'] not in self.mcgrps:
                p.append(f"operation {oname}: unknown multicast group {o['mcgrp']!r}")
        # The header's invariant: NGUARD_STATS_A_<X> == NGUARD_CNT_<X> + first counter.
        cnt, first = self.defs.get('counter'), self.consts.get('stats-a-first-counter')
        if cnt and first and 'stats' in self.sets:
            stats = self.sets['stats']
            for ename, v in self.def_values['counter'].items():
                if ename not in stats:
                    p.append(f"counter {ename} has no stats attribute")
                elif stats[ename][1] != v + first['value']:
                    p.append(f"stats.{ename} = {stats[ename][1]}, counter {ename} + "
                             f"stats-a-first-counter = {v + first['value']}")
            extra = [n for n, (a, _) in stats.items()
                     if a.get('type') not in ('unused', 'pad') and
                     n not in self.def_values['counter']]
            if extra:
                p.append(f"stats attributes without a counter: {', '.join(extra)}")


# ---------------------------------------------------------------------------
# Reading C: the header's enums and defines, values through the compiler.

def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


def parse_header(path):
    """Enums (tag or None -> [enumerators]) and object-like #defines."""
    text = strip_comments(open(path).read())
    text = re.sub(r'\\\n', ' ', text)
    defines = []
    for m in re.finditer(r'^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\(?)', text, re.M):
        if not m.group(2):
            defines.append(m.group(1))
    enums = []
    for m in re.finditer(r'\benum\s+(\w+)?\s*\{(.*?)\}', text, re.S):
        names = []
        for item in m.group(2).split(','):
            item = item.strip()
            if item and not item.startswith('#'):
                names.append(re.match(r'\w+', item).group(0))
        enums.append((m.group(1), names))
    return enums, defines


def compile_values(header, exprs, cc='cc', extra_includes=()):
    """Evaluate C expressions with @header included.

    Returns ({expr: value}, {expr: error}). An expression that does not
    compile (e.g. an undeclared enumerator) is reported, the rest are still
    evaluated: the program is rebuilt without the failing ones.
    """
    exprs = list(dict.fromkeys(exprs))
    values, errors = {}, {}
    tmp = tempfile.mkdtemp(prefix='ng-spec-')
    try:
        pending = list(exprs)
        for _ in range(len(exprs) + 1):
            src = ['#include <stdio.h>', '#include <linux/types.h>']
            src += [f'#include <{i}>' for i in extra_includes]
            src += [f'#include "{os.path.abspath(header)}"',
                    'typedef __u8 u8; typedef __u16 u16; typedef __u32 u32; '
                    'typedef __u64 u64;',
                    'int main(void)', '{']
            lines = {}
            for i, (kind, e) in enumerate(pending):
                line = len(src) + 1
                if kind == 'str':
                    src.append(f'\tprintf("%d s %s\\n", {i}, {e});')
                else:
                    src.append(f'\tif (({e}) < 0) printf("%d i %lld\\n", {i}, (long long)({e}));'
                               f' else printf("%d i %llu\\n", {i}, (unsigned long long)({e}));')
                lines[line] = i
            src += ['\treturn 0;', '}']
            c = os.path.join(tmp, 'probe.c')
            exe = os.path.join(tmp, 'probe')
            with open(c, 'w') as f:
                f.write('\n'.join(src) + '\n')
            r = subprocess.run([cc, '-std=gnu11', '-w', '-o', exe, c],
                               capture_output=True, text=True)
            if r.returncode == 0:
                break
            bad = set()
            for m in re.finditer(r'probe\.c:(\d+):\d+: error: (.*)', r.stderr):
                i = lines.get(int(m.group(1)))
                if i is not None and i not in bad:
                    bad.add(i)
                    errors[pending[i]] = m.group(2)
            if not bad:
                raise RuntimeError(f"probe does not compile:\n{r.stderr}")
            pending = [p for i, p in enumerate(pending) if i not in bad]
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            i, kind, v = line.split(' ', 2)
            values[pending[int(i)]] = int(v) if kind == 'i' else v
    finally:
        shutil.rmtree(tmp)
    return values, errors


def header_vs_spec(spec, header, cc):
    """Both directions between the spec's names and the header's."""
    problems = []
    enums, defines = parse_header(header)
    guard = re.compile(r'^_UAPI_|_H$')
    hdr_names = [n for _, names in enums for n in names] + \
                [d for d in defines if not guard.search(d)]
    probe = [(s.kind, s.name) for s in spec.syms.values()]
    probe += [('int', n) for n in hdr_names if n not in spec.syms]
    values, errors = compile_values(header, probe, cc)

    for s in spec.syms.values():
        key = (s.kind, s.name)
        if key in errors:
            problems.append(f"{s.name} ({s.where}): not in the header ({errors[key]})")
        elif values.get(key) != s.value:
            problems.append(f"{s.name} ({s.where}): header has {values.get(key)!r}, "
                            f"spec says {s.value!r}")

    def sentinel_ok(n):
        # "__X" closing an enum whose count the spec gives as the const X.
        s = spec.syms.get(n[2:]) if n.startswith('__') else None
        return (s is not None and s.where.startswith('const ') and
                values.get(('int', n)) == s.value)

    for n in hdr_names:
        if n not in spec.syms and not sentinel_ok(n):
            problems.append(f"{n}: in the header, not in the spec")

    hdr_enums = {tag: names for tag, names in enums if tag}
    for tag, names in spec.enums.items():
        if tag is None:
            continue
        got = [n for n in hdr_enums.get(tag, []) if not sentinel_ok(n)]
        if tag not in hdr_enums:
            problems.append(f"enum {tag}: not in the header")
        elif got != names:
            missing = [n for n in names if n not in got]
            extra = [n for n in got if n not in names]
            if missing or extra:
                problems.append(f"enum {tag}: members differ (not in the header: "
                                f"{missing or '-'}; not in the spec: {extra or '-'})")
            else:
                i = next(i for i, (x, y) in enumerate(zip(got, names)) if x != y)
                problems.append(f"enum {tag}: order differs from member {i}: header "
                                f"{got[i:i + 3]}..., spec {names[i:i + 3]}...")
    for tag in hdr_enums:
        if tag not in spec.enums:
            problems.append(f"enum {tag}: in the header, no spec definition has this enum-name")
    return problems


# ---------------------------------------------------------------------------
# The module's policies (kmod/*.c) against the spec's request attributes.

NLA_OF = {'u8': 'NLA_U8', 'u16': 'NLA_U16', 'u32': 'NLA_U32', 'u64': 'NLA_U64',
          's8': 'NLA_S8', 's16': 'NLA_S16', 's32': 'NLA_S32', 's64': 'NLA_S64',
          'flag': 'NLA_FLAG', 'binary': 'NLA_BINARY', 'nest': 'NLA_NESTED',
          'string': 'NLA_NUL_STRING', 'uint': 'NLA_UINT', 'sint': 'NLA_SINT'}


def split_top(body, sep=','):
    """Split at @sep outside (), {}, []."""
    out, depth, cur = [], 0, ''
    for ch in body:
        if ch in '({[':
            depth += 1
        elif ch in ')}]':
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur)
            cur = ''
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return [x.strip() for x in out if x.strip()]


def initializer(text, start):
    """The text between the '{' at or after @start and its matching '}'."""
    i = text.index('{', start)
    depth = 0
    for j in range(i, len(text)):
        depth += text[j] == '{'
        depth -= text[j] == '}'
        if depth == 0:
            return text[i + 1:j]
    raise ValueError('unbalanced braces')


def unparen(v):
    while v.startswith('(') and v.endswith(')'):
        v = v[1:-1].strip()
    return v


def designators(body):
    """'.a = x, .b = y' -> {'a': 'x', 'b': 'y'}"""
    out = {}
    for item in split_top(body):
        m = re.match(r'\.(\w+)\s*=\s*(.*)$', item, re.S)
        if m:
            out[m.group(1)] = ' '.join(m.group(2).split())
    return out


class Kmod:
    def __init__(self, kdir):
        self.text = ''
        for f in sorted(os.listdir(kdir)):
            if f.endswith('.c'):
                self.text += strip_comments(open(os.path.join(kdir, f)).read()) + '\n'
        self.text = re.sub(r'\\\n', ' ', self.text)
        self.problems = []
        self.ranges = {}
        for m in re.finditer(r'struct\s+netlink_range_validation\s+(\w+)[^=;]*=', self.text):
            self.ranges[m.group(1)] = designators(initializer(self.text, m.end()))
        self.policies = {}
        for m in re.finditer(r'struct\s+nla_policy\s+(\w+)\s*\[[^\]]*\]\s*(=|;)', self.text):
            entries = {}
            if m.group(2) == '=':
                for item in split_top(initializer(self.text, m.end())):
                    e = re.match(r'\[\s*(\w+)\s*\]\s*=\s*(.*)$', item, re.S)
                    if not e:
                        self.problems.append(f"policy {m.group(1)}: cannot read {item!r}")
                        continue
                    entries[e.group(1)] = ' '.join(e.group(2).split())
            if m.group(1) not in self.policies or entries:
                self.policies[m.group(1)] = entries
        self.macros = {}
        for m in re.finditer(r'^[ \t]*#[ \t]*define[ \t]+(\w+)\(([^)]*)\)(.*)$', self.text, re.M):
            self.macros[m.group(1)] = ([p.strip() for p in m.group(2).split(',')], m.group(3))
        self.ops = self._array('genl_ops')
        self.mcgrps = self._array('genl_multicast_group')

    def _expand(self, item):
        m = re.match(r'(\w+)\s*\((.*)\)$', item, re.S)
        if not m or m.group(1) not in self.macros:
            return item
        params, body = self.macros[m.group(1)]
        args = split_top(m.group(2))
        for p, a in zip(params, args):
            body = re.sub(rf'\b{re.escape(p)}\b', a, body)
        return body.strip()

    def _array(self, struct):
        out = []
        for m in re.finditer(rf'struct\s+{struct}\s+\w+\s*\[\s*\]\s*[^=;]*=', self.text):
            for item in split_top(initializer(self.text, m.end())):
                item = self._expand(item)
                if item.startswith('{'):
                    item = item[1:item.rindex('}')]
                # An #ifdef inside an initializer: keep what it guards.
                item = re.sub(r'#\s*(ifdef|ifndef|if|endif|else)[^\n]*', '', item)
                d = designators(item)
                out.append({k: unparen(v) for k, v in d.items()})
        return out


def policy_entry(km, pname, attr, text):
    """Normalize one nla_policy entry to a dict: type, min, max, len, nested."""
    m = re.match(r'NLA_POLICY_(RANGE|MIN|MAX)\((\w+),\s*(.*)\)$', text)
    if m:
        args = split_top(m.group(3))
        e = {'type': m.group(2)}
        if m.group(1) == 'RANGE':
            e['min'], e['max'] = args
        else:
            e[m.group(1).lower()] = args[0]
        return e
    m = re.match(r'NLA_POLICY_FULL_RANGE\((\w+),\s*&\s*(\w+)\)$', text)
    if m:
        r = km.ranges.get(m.group(2))
        if r is None:
            km.problems.append(f"{pname}[{attr}]: range {m.group(2)} not found")
            return {'type': m.group(1)}
        return {'type': m.group(1), 'min': r.get('min', '0'), 'max': r.get('max')}
    m = re.match(r'NLA_POLICY_NESTED\((\w+)\)$', text)
    if m:
        return {'type': 'NLA_NESTED', 'nested': m.group(1)}
    m = re.match(r'NLA_POLICY_(MAX_LEN|EXACT_LEN|MIN_LEN)\((.*)\)$', text)
    if m:
        key = {'MAX_LEN': 'len', 'EXACT_LEN': 'exact', 'MIN_LEN': 'minlen'}[m.group(1)]
        return {'type': 'NLA_BINARY', key: m.group(2)}
    if text.startswith('{'):
        d = designators(text[1:text.rindex('}')])
        e = {'type': d.pop('type', 'NLA_UNSPEC')}
        if 'len' in d:
            e['len'] = d.pop('len')
        if d:
            km.problems.append(f"{pname}[{attr}]: unhandled fields {sorted(d)}")
        return e
    km.problems.append(f"{pname}[{attr}]: unhandled policy {text!r}")
    return {'type': '?'}


TYPE_RANGE = {'u8': (0, 0xff), 'u16': (0, 0xffff), 'u32': (0, 0xffffffff),
              'u64': (0, 0xffffffffffffffff), 's8': (-0x80, 0x7f),
              's16': (-0x8000, 0x7fff), 's32': (-0x80000000, 0x7fffffff),
              's64': (-0x8000000000000000, 0x7fffffffffffffff)}


def limit_to_number(name):
    if name[0] == 'u' and name.endswith('-min'):
        return 0
    width = int(name[1:-4])
    if name[0] == 's':
        width -= 1
    value = (1 << width) - 1
    if name[0] == 's' and name.endswith('-min'):
        value = -value - 1
    return value


def spec_checks(spec, a):
    """The checks the YNL kernel policy would get for attribute yaml @a."""
    checks = dict(a.get('checks', {}))
    out = {}

    def num(v):
        if isinstance(v, int):
            return v
        if v in spec.consts:
            return spec.consts[v]['value']
        return limit_to_number(v)

    t = a['type']
    if t in TYPE_RANGE:
        lo, hi = TYPE_RANGE[t]
        d = spec.defs.get(a.get('enum'))
        if d and d['type'] == 'enum' and not a.get('enum-as-flags'):
            vals = spec.def_values[a['enum']].values()
            checks.setdefault('min', min(vals))
            checks.setdefault('max', max(vals))
        out['min'] = num(checks['min']) if 'min' in checks else lo
        out['max'] = num(checks['max']) if 'max' in checks else hi
    for k in ('max-len', 'min-len', 'exact-len'):
        if k in checks:
            v = checks[k]
            out[k] = v if isinstance(v, int) else num(v)
    return out


def kmod_vs_spec(spec, km, header, cc):
    exprs = set()
    for p in km.policies.values():
        for attr, text in p.items():
            exprs.add(('int', attr))
    for o in km.ops:
        exprs.add(('int', o.get('cmd', '0')))
    for g in km.mcgrps:
        if 'name' in g:
            exprs.add(('str', g['name']))
    norm = {}
    for pname, p in km.policies.items():
        for attr, text in p.items():
            e = policy_entry(km, pname, attr, text)
            norm[(pname, attr)] = e
            for k in ('min', 'max', 'len', 'exact', 'minlen'):
                if k in e and e[k] is not None:
                    exprs.add(('int', e[k]))
    problems = list(km.problems)
    values, errors = compile_values(header, sorted(exprs), cc,
                                    extra_includes=('linux/if.h',))
    for (kind, e), err in sorted(errors.items()):
        problems.append(f"cannot evaluate {e!r} from kmod/: {err}")

    def val(e):
        return values.get(('int', e))

    def spec_set_by_value(sname):
        return {v: a for a, v in spec.sets[sname].values()}

    def compare_policy(pname, sname, where, request=None):
        """Kernel table @pname against spec set @sname (optionally only @request)."""
        if pname not in km.policies:
            problems.append(f"{where}: policy table {pname} not found")
            return
        by_val = spec_set_by_value(sname)
        accepted = {}
        for attr in km.policies[pname]:
            v = val(attr)
            if v is None:
                continue
            a = by_val.get(v)
            if a is None:
                problems.append(f"{where}: kernel accepts {attr} ({v}), not in set {sname}")
                continue
            accepted[a['name']] = (attr, a, norm[(pname, attr)])
        if request is not None:
            want, got = set(request), set(accepted)
            for n in sorted(want - got):
                problems.append(f"{where}: spec request lists {n}, kernel policy "
                                f"{pname} does not accept it")
            for n in sorted(got - want):
                problems.append(f"{where}: kernel policy {pname} accepts {n}, not "
                                "in the spec request")
        for name, (attr, a, e) in accepted.items():
            here = f"{where}: {sname}.{name} ({attr})"
            want_t = NLA_OF.get(a['type'], '?')
            if a['type'] == 'string' and a.get('checks', {}).get('unterminated-ok'):
                want_t = 'NLA_STRING'
            if e['type'] != want_t:
                problems.append(f"{here}: kernel type {e['type']}, spec {a['type']} ({want_t})")
                continue
            c = spec_checks(spec, a)
            if a['type'] in TYPE_RANGE:
                lo, hi = TYPE_RANGE[a['type']]
                kmin = val(e['min']) if 'min' in e else lo
                kmax = val(e['max']) if 'max' in e else hi
                if (kmin, kmax) != (c['min'], c['max']):
                    problems.append(f"{here}: kernel range {kmin}..{kmax}, spec "
                                    f"{c['min']}..{c['max']}")
            elif a['type'] in ('string', 'binary'):
                klen = val(e['len']) if 'len' in e else None
                if a['type'] == 'binary' and 'exact' in e:
                    if c.get('exact-len') != val(e['exact']):
                        problems.append(f"{here}: kernel exact length {val(e['exact'])}, "
                                        f"spec {c.get('exact-len')}")
                elif klen != c.get('max-len'):
                    problems.append(f"{here}: kernel max length {klen}, spec "
                                    f"max-len {c.get('max-len')}")
            elif a['type'] == 'nest':
                sub = a.get('nested-attributes')
                if 'nested' not in e:
                    problems.append(f"{here}: the kernel does not validate the nest's "
                                    "contents (no NLA_POLICY_NESTED)")
                elif sub in spec.sets:
                    compare_policy(e['nested'], sub, f"{where} > {name}")
        # Checks the spec states for attributes the kernel never accepts here.
        for a, _ in spec.sets[sname].values():
            if a.get('checks') and a['name'] not in accepted and request is None:
                problems.append(f"{where}: spec gives checks for {sname}.{a['name']}, "
                                f"which policy {pname} does not accept")

    kops = {}
    for o in km.ops:
        v = val(o.get('cmd', ''))
        if v is None:
            problems.append(f"genl_ops entry without a known .cmd: {o}")
            continue
        kops[v] = o
    for oname, (o, v) in spec.ops.items():
        modes = [m for m in ('do', 'dump') if m in o]
        if not modes:
            if v in kops:
                problems.append(f"operation {oname} ({v}): the kernel has a handler, "
                                "the spec none")
            continue
        k = kops.pop(v, None)
        if k is None:
            problems.append(f"operation {oname} ({v}): no genl_ops entry in kmod/")
            continue
        for m, field in (('do', 'doit'), ('dump', 'dumpit')):
            if (m in o) != (field in k):
                problems.append(f"operation {oname}: spec {'has' if m in o else 'lacks'} "
                                f"{m}, kernel {'has' if field in k else 'lacks'} .{field}")
        admin = 'admin-perm' in o.get('flags', [])
        if admin != ('GENL_ADMIN_PERM' in k.get('flags', '')):
            problems.append(f"operation {oname}: admin-perm {admin}, kernel flags "
                            f"{k.get('flags', '0')!r}")
        req = []
        for m in modes:
            req += o[m].get('request', {}).get('attributes', [])
        compare_policy(k.get('policy', '?'), o['attribute-set'], f"operation {oname}", req)
    for v, k in kops.items():
        problems.append(f"kernel operation {k.get('cmd')} ({v}) is not in the spec")

    kgroups = {}
    for g in km.mcgrps:
        kgroups[values.get(('str', g.get('name', '')))] = g
    for name, g in spec.mcgrps.items():
        k = kgroups.pop(name, None)
        if k is None:
            problems.append(f"multicast group {name}: not registered by kmod/")
            continue
        admin = 'admin-perm' in g.get('flags', [])
        # NG_EVENTS_GROUP_FLAGS is kmod/compat.h's probed choice between
        # GENL_MCAST_CAP_NET_ADMIN and GENL_UNS_ADMIN_PERM: both admin-only.
        kflags = k.get('flags', '')
        if admin != ('GENL_MCAST_CAP_NET_ADMIN' in kflags or
                     'NG_EVENTS_GROUP_FLAGS' in kflags):
            problems.append(f"multicast group {name}: admin-perm {admin}, kernel flags "
                            f"{k.get('flags', '0')!r}")
    for name in kgroups:
        problems.append(f"multicast group {name!r}: registered by kmod/, not in the spec")
    return problems


# ---------------------------------------------------------------------------
# The kernel's own tools: JSON schema and ynl-gen-c.py.

GENETLINK_C_ONLY = {
    'family': ['c-family-name', 'c-version-name', 'max-by-define', 'cmd-max-name',
               'cmd-cnt-name'],
    'definition': ['enum-name', 'name-prefix'],
    'attribute-set': ['attr-cnt-name', 'attr-max-name'],
    'attribute': ['name-prefix'],
    'mcast-group': ['c-define-name'],
}


def strict_genetlink(y):
    y = copy.deepcopy(y)
    y['protocol'] = 'genetlink'
    for k in GENETLINK_C_ONLY['family']:
        y.pop(k, None)
    for d in y.get('definitions', []):
        for k in GENETLINK_C_ONLY['definition']:
            d.pop(k, None)
    for s in y['attribute-sets']:
        for k in GENETLINK_C_ONLY['attribute-set']:
            s.pop(k, None)
        for a in s['attributes']:
            for k in GENETLINK_C_ONLY['attribute']:
                a.pop(k, None)
    for g in y.get('mcast-groups', {}).get('list', []):
        for k in GENETLINK_C_ONLY['mcast-group']:
            g.pop(k, None)
    return y


def schema_problems(spec_yaml, schema_path):
    import jsonschema
    with open(schema_path) as f:
        schema = yaml.safe_load(f)
    # The kernel's schemas say draft-07 (as https://json-schema.org/draft-07/schema).
    v = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
            for e in sorted(v.iter_errors(spec_yaml), key=lambda e: list(e.absolute_path))]


def ynl_gen_uapi(spec_path, tree, protocol):
    """Render the uAPI header with the kernel's ynl-gen-c.py; its path."""
    tmp = tempfile.mkdtemp(prefix='ng-ynl-')
    os.makedirs(os.path.join(tmp, 'specs'))
    for f in os.listdir(os.path.join(tree, 'Documentation/netlink')):
        if f.endswith('.yaml'):
            shutil.copy(os.path.join(tree, 'Documentation/netlink', f), tmp)
    # ynl-gen-c.py looks for the schema in ../ of the spec, for MAINTAINERS
    # above it, and renders only specs under the kernel's dual license.
    open(os.path.join(tmp, 'MAINTAINERS'), 'w').close()
    text = open(spec_path).read().split('\n', 1)
    lic = '# SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)'
    spec = os.path.join(tmp, 'specs', os.path.basename(spec_path))
    with open(spec, 'w') as f:
        f.write(lic + '\n' + text[1])
    out = os.path.join(tmp, 'generated.h')
    gen = os.path.join(tree, 'tools/net/ynl/ynl-gen-c.py')
    r = subprocess.run([sys.executable, gen, '--mode', 'uapi', '--header',
                        '--spec', spec, '-o', out],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        return None, (r.stdout + r.stderr).strip().splitlines()[-5:], tmp
    return out, None, tmp


def generated_vs(spec, gen_h, header, cc):
    problems = []
    genums, gdefs = parse_header(gen_h)
    guard = re.compile(r'^_UAPI_|_H$')
    gnames = [n for _, ns in genums for n in ns] + [d for d in gdefs if not guard.search(d)]
    ours = set(spec.syms)
    for n in sorted(set(gnames) - ours):
        problems.append(f"ynl-gen-c.py renders {n}, this check does not derive it")
    for n in sorted(ours - set(gnames)):
        problems.append(f"this check derives {n}, ynl-gen-c.py does not render it")
    probe = [(spec.syms[n].kind if n in spec.syms else 'int', n) for n in gnames]
    gv, gerr = compile_values(gen_h, probe, cc)
    hv, herr = compile_values(header, probe, cc)
    for key in probe:
        if key in gerr:
            problems.append(f"generated header: {key[1]}: {gerr[key]}")
        elif key in herr:
            problems.append(f"{key[1]}: rendered by ynl-gen-c.py, not in the header")
        elif gv[key] != hv[key]:
            problems.append(f"{key[1]}: ynl-gen-c.py renders {gv[key]!r}, header has {hv[key]!r}")
    gtags = {t: [n for n in ns if not n.startswith('__') or n in ours] for t, ns in genums if t}
    for t, ns in gtags.items():
        if spec.enums.get(t) != ns and t in spec.enums:
            problems.append(f"enum {t}: ynl-gen-c.py renders {ns}, this check expects {spec.enums[t]}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('header', nargs='?', default=os.path.join(TOP, 'kmod/uapi/nguard.h'),
                    help='uAPI header (default: kmod/uapi/nguard.h)')
    ap.add_argument('--spec', default=os.path.join(TOP, 'Documentation/netlink/nguard.yaml'))
    ap.add_argument('--kmod', metavar='DIR',
                    help='module sources whose policies to compare (e.g. kmod)')
    ap.add_argument('--kernel-tree', metavar='DIR',
                    help='kernel tree with Documentation/netlink and tools/net/ynl')
    ap.add_argument('--cc', default=os.environ.get('CC', 'cc'))
    args = ap.parse_args()

    rep = Report()
    print(f"spec:   {args.spec}\nheader: {args.header}")
    spec = Spec(args.spec)
    rep.section(f"spec is self-consistent ({len(spec.syms)} C names, "
                f"{len(spec.sets)} attribute sets, {len(spec.ops)} operations)",
                spec.problems)
    rep.section("header defines every spec name with the spec's value, and nothing else",
                header_vs_spec(spec, args.header, args.cc))

    if args.kmod:
        km = Kmod(args.kmod)
        rep.section(f"kmod/ policies match the spec ({len(km.ops)} operations, "
                    f"{len(km.policies)} policy tables, {len(km.mcgrps)} multicast groups)",
                    kmod_vs_spec(spec, km, args.header, args.cc))
    else:
        rep.skip("kmod/ policies", "no --kmod")

    if args.kernel_tree:
        tree = args.kernel_tree
        schema = os.path.join(tree, 'Documentation/netlink', spec.protocol + '.yaml')
        try:
            rep.section(f"spec validates against {spec.protocol}.yaml (JSON schema)",
                        schema_problems(spec.yaml, schema))
            if spec.protocol != 'genetlink':
                rep.section("without its C naming properties, against genetlink.yaml",
                            schema_problems(strict_genetlink(spec.yaml),
                                            os.path.join(tree, 'Documentation/netlink/genetlink.yaml')))
        except ImportError:
            rep.section("JSON schema validation", ["needs python3-jsonschema"])
        gen, err, tmp = ynl_gen_uapi(args.spec, tree, spec.protocol)
        try:
            if err:
                rep.section("ynl-gen-c.py renders the uAPI header", err)
            else:
                rep.section("ynl-gen-c.py's header has the real header's names and values",
                            generated_vs(spec, gen, args.header, args.cc))
        finally:
            shutil.rmtree(tmp)
    else:
        rep.skip("kernel schema and ynl-gen-c.py", "no --kernel-tree")

    print("netlink spec check: " + ("FAILED" if rep.failed else "passed"))
    return 1 if rep.failed else 0


if __name__ == '__main__':
    sys.exit(main())
