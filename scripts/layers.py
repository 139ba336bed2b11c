#!/usr/bin/env python3
"""Measures the shape of `src/`: imports between files and folders, import
circles, imports that run from a lower layer up to a higher one, the
largest files and the longest functions.

    python3 scripts/layers.py            # the report
    python3 scripts/layers.py --check    # also fail if a rule is broken

The layers, bottom to top (a file may import its own layer and below):
    0 error, platform   the bottom: errors, database, app context, clock, net
    1 the domains       questions, accounts, grading, sessions, history,
                        dashboard, sets, sharing, teams (ordered among themselves
                        by DOMAINS below)
    2 components        islands and shared view pieces
    3 pages, app        the pages and the route table
    4 server            the top: router, listener, page cache, start-up
"""

import re
import sys
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

# Domains in dependency order: each may use the ones before it.
DOMAINS = ["questions", "accounts", "teams", "grading", "sessions",
           "history", "dashboard", "sets", "sharing"]
LAYER = {"error": 0, "platform": 0, "lib": 0, "main": 5}
for i, d in enumerate(DOMAINS):
    LAYER[d] = 1 + i / 100
LAYER.update({"components": 2, "pages": 3, "app": 3, "server": 4})

MAX_FILE_LINES = 600
MAX_FN_LINES = 120
# Upward imports allowed to remain, each named with its reason in the
# README's "How it is built".
MAX_UPWARD = 6

MOD_RE = re.compile(r'^\s*(?:#\[path\s*=\s*"([^"]+)"\]\s*)?(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;', re.M)
PATH_ATTR_RE = re.compile(r'#\[path\s*=\s*"([^"]+)"\]\s*\n\s*(?:#\[[^\]]*\]\s*\n\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;')
PATH_RE = re.compile(r'\b((?:crate|super|self)(?:::\w+)+)')
USE_GROUP_RE = re.compile(r'\buse\s+((?:crate|super|self)(?:::\w+)*)::\{([^;]*)\};', re.S)


def module_tree():
    """Module path (tuple) -> file, walking `mod` declarations from lib.rs."""
    mods = {}

    def walk(path, file):
        mods[path] = file
        text = file.read_text()
        declared = {}
        for m in PATH_ATTR_RE.finditer(text):
            declared[m.group(2)] = (file.parent / m.group(1)).resolve()
        for m in MOD_RE.finditer(text):
            name = m.group(2)
            if name in declared:
                child = declared[name]
            else:
                base = file.parent if file.name in ("mod.rs", "lib.rs", "main.rs") else file.with_suffix("")
                child = base / f"{name}.rs"
                if not child.exists():
                    child = base / name / "mod.rs"
            if child.exists():
                walk(path + (name,), child)

    walk((), SRC / "lib.rs")
    return mods


def rel(file):
    return str(file.relative_to(SRC))


def folder(file):
    parts = Path(rel(file)).parts
    return parts[0].removesuffix(".rs") if parts else ""


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def expand_groups(text):
    """`use a::{b, c::d}` -> the paths a::b, a::c::d (one level of braces)."""
    out = []
    for m in USE_GROUP_RE.finditer(text):
        base = m.group(1)
        inner = re.sub(r"\{[^{}]*\}", "", m.group(2))
        for item in inner.split(","):
            item = item.strip().split(" as ")[0].strip()
            if item and re.fullmatch(r"\w+(::\w+)*", item):
                out.append(f"{base}::{item}")
    return out


def edges(mods):
    by_path = dict(mods)
    result = defaultdict(set)
    for path, file in mods.items():
        text = strip_comments(file.read_text())
        found = PATH_RE.findall(text) + expand_groups(text)
        for p in found:
            segs = p.split("::")
            if segs[0] == "crate":
                target, rest = (), segs[1:]
            else:
                target = path
                # A mod.rs / lib.rs is its module; another file's `super` is
                # the module that declared it.
                rest = segs
                while rest and rest[0] in ("super", "self"):
                    if rest[0] == "super":
                        target = target[:-1]
                    rest = rest[1:]
            best = None
            for i in range(len(rest), -1, -1):
                if target + tuple(rest[:i]) in by_path:
                    best = by_path[target + tuple(rest[:i])]
                    break
            if best is not None and best != file:
                result[file].add(best)
    return result


def sccs(graph, nodes):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    for v in nodes:
        if v not in index:
            strong(v)
    return [c for c in out if len(c) > 1]


def functions(file):
    """(name, lines) of each `fn` and component in the file, by brace depth."""
    lines = file.read_text().splitlines()
    out = []
    fn_re = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(\w+)")
    i = 0
    while i < len(lines):
        m = fn_re.match(lines[i])
        if m:
            depth, started, j = 0, False, i
            while j < len(lines):
                code = re.sub(r'"(\\.|[^"\\])*"', '""', lines[j].split("//")[0])
                if not started and ";" in code and "{" not in code:
                    break
                depth += code.count("{") - code.count("}")
                if "{" in code:
                    started = True
                if started and depth <= 0:
                    break
                j += 1
            if started:
                out.append((m.group(1), j - i + 1))
        i += 1
    return out


def main():
    check = "--check" in sys.argv
    mods = module_tree()
    files = sorted(set(mods.values()))
    graph = edges(mods)

    file_circles = sccs(graph, files)
    fgraph = defaultdict(set)
    for a, bs in graph.items():
        for b in bs:
            if folder(a) != folder(b):
                fgraph[folder(a)].add(folder(b))
    folder_circles = sccs(fgraph, sorted({folder(f) for f in files}))

    upward = []
    for a, bs in sorted(graph.items()):
        for b in sorted(bs):
            la, lb = LAYER.get(folder(a)), LAYER.get(folder(b))
            if la is not None and lb is not None and lb > la:
                upward.append((rel(a), rel(b)))

    big = sorted(((len(f.read_text().splitlines()), rel(f)) for f in files), reverse=True)
    long_fns = sorted(((n, rel(f), name) for f in files for name, n in functions(f)), reverse=True)

    print("largest files:")
    for n, f in big[:8]:
        print(f"  {n:5} {f}")
    print("longest functions:")
    for n, f, name in long_fns[:8]:
        print(f"  {n:5} {name} ({f})")
    print(f"import circles between files: {len(file_circles)}"
          + "".join(f"\n  {len(c)} files: " + ", ".join(sorted(rel(x) for x in c)[:6])
                    + (" …" if len(c) > 6 else "") for c in file_circles))
    print(f"import circles between folders: {len(folder_circles)}"
          + "".join("\n  " + " ↔ ".join(sorted(c)) for c in folder_circles))
    print(f"imports from a lower layer up to a higher one: {len(upward)}")
    for a, b in upward:
        print(f"  {a} -> {b}")

    if check:
        problems = []
        if folder_circles:
            problems.append("an import circle between folders")
        if len(upward) > MAX_UPWARD:
            problems.append(f"{len(upward)} upward imports (at most {MAX_UPWARD})")
        if big and big[0][0] > MAX_FILE_LINES:
            problems.append(f"{big[0][1]} has {big[0][0]} lines (at most {MAX_FILE_LINES})")
        if long_fns and long_fns[0][0] > MAX_FN_LINES:
            problems.append(f"fn {long_fns[0][2]} in {long_fns[0][1]} has {long_fns[0][0]} lines (at most {MAX_FN_LINES})")
        db = (SRC / "platform" / "db" / "mod.rs").read_text()
        macro = db[db.index("macro_rules! domain_queries"):db.index("pub(crate) use domain_queries")]
        listed = set(re.findall(r'#\[path = "([^"]+)"\]', macro))
        formatted = set(re.findall(r'#\[cfg\(any\(\)\)\]\s*#\[path = "([^"]+)"\]', db))
        if listed != formatted:
            problems.append("domain_queries! and the list for cargo fmt in platform/db/mod.rs differ")
        if problems:
            print("layers: " + "; ".join(problems), file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
