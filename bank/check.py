#!/usr/bin/env python3
"""Quick checker for bank/*.toml files, for authors (no Rust build needed).

The authoritative validation is the Rust test `bank_is_valid`; this mirrors
its rules so a person editing a file gets feedback in a second.
Usage: python3 bank/check.py [files...]   (default: every bank/*.toml)
"""
import collections, glob, math, re, sys, tomllib

LEVELS = ("beginner", "intermediate", "advanced")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

def check(path, seen):
    errs = []
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except Exception as e:  # noqa: BLE001
        return [f"{path}: not valid TOML: {e}"]
    for key in ("slug", "name", "position", "questions"):
        if key not in data:
            errs.append(f"{path}: missing top-level `{key}`")
    if errs:
        return errs
    per_level = {lvl: 0 for lvl in LEVELS}
    for i, q in enumerate(data["questions"]):
        where = f"{path}: question #{i + 1} ({q.get('slug', '?')})"
        extra = set(q) - {"slug", "level", "prompt", "answer", "key_points", "mistakes", "follow_ups"}
        if extra:
            errs.append(f"{where}: unknown fields {sorted(extra)}")
        slug = q.get("slug", "")
        if not SLUG.match(slug) or len(slug) > 80:
            errs.append(f"{where}: slug must be lowercase words joined by '-' (max 80)")
        if slug in seen:
            errs.append(f"{where}: slug already used in {seen[slug]}")
        seen[slug] = path
        lvl = q.get("level")
        if lvl not in LEVELS:
            errs.append(f"{where}: level must be one of {LEVELS}")
        else:
            per_level[lvl] += 1
        prompt = q.get("prompt", "").strip()
        if not (10 <= len(prompt) <= 400):
            errs.append(f"{where}: prompt must be 10..400 characters")
        words = len(q.get("answer", "").split())
        most = 300 if lvl == "advanced" else 250
        if not (80 <= words <= most):
            errs.append(f"{where}: answer has {words} words, must be 80..{most}")
        mistakes = q.get("mistakes", [])
        if len(mistakes) > 3 or any(not (10 <= len(m.strip()) <= 300) for m in mistakes):
            errs.append(f"{where}: at most 3 common mistakes, each 10..300 characters")
        follow_ups = q.get("follow_ups", [])
        if len(follow_ups) > 3:
            errs.append(f"{where}: at most 3 follow-ups")
        for f in follow_ups:
            if set(f) - {"prompt", "answer"}:
                errs.append(f"{where}: a follow-up has only `prompt` and `answer`")
            if not (10 <= len(f.get("prompt", "").strip()) <= 400):
                errs.append(f"{where}: follow-up prompt must be 10..400 characters")
            fw = len(f.get("answer", "").split())
            if not (20 <= fw <= 150):
                errs.append(f"{where}: follow-up answer has {fw} words, must be 20..150")
        if q.get("answer", "").count("```") % 2:
            errs.append(f"{where}: unbalanced ``` code fence")
        kps = q.get("key_points", [])
        if not (3 <= len(kps) <= 6):
            errs.append(f"{where}: {len(kps)} key points, must be 3..6")
        for kp in kps:
            if not (3 <= len(kp.strip()) <= 200):
                errs.append(f"{where}: key point must be 3..200 characters: {kp!r}")
    for lvl, n in per_level.items():
        if n == 0:
            errs.append(f"{path}: no {lvl} question")
    return errs

# Two questions whose prompt and answer together are this similar (cosine
# of TF-IDF word vectors, the mean of prompt and answer) are near-duplicates.
# Calibrated on the bank before the clean-up: the four known duplicate pairs
# scored 0.44-0.68, the closest distinct pair 0.38.
SIMILARITY_LIMIT = 0.42
STOP = set("""a an the and or of to in on for with is are be by it its as at this that what how
why when which you your do does can would should from into than then there their they we our
not no""".split())

def _words(text):
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP and len(w) > 1]

def _tfidf(docs):
    df = collections.Counter()
    for d in docs:
        df.update(set(d))
    out = []
    for d in docs:
        v = {w: c * math.log(len(docs) / df[w]) for w, c in collections.Counter(d).items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({w: x / norm for w, x in v.items()})
    return out

def _cos(a, b):
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())

def near_duplicates(questions):
    """(score, slug, slug) for every pair at or above SIMILARITY_LIMIT."""
    prompts = _tfidf([_words(q.get("prompt", "")) for q in questions])
    answers = _tfidf([_words(q.get("answer", "")) for q in questions])
    found = []
    for i in range(len(questions)):
        for j in range(i + 1, len(questions)):
            s = 0.5 * _cos(prompts[i], prompts[j]) + 0.5 * _cos(answers[i], answers[j])
            if s >= SIMILARITY_LIMIT:
                found.append((s, questions[i].get("slug"), questions[j].get("slug")))
    return found

# A key point is one claim a candidate can tick. Two clauses joined by a
# semicolon, or a list of three or more things that is not a list of
# examples ("such as a, b and c"), is several claims.
_LIST3 = re.compile(r"[^,;]+,[^,;]+,(?:[^,;]+,)*\s*(?:and|or)\s", re.I)
_EXAMPLES = re.compile(r"\b(such as|like|e\.g\.|including|for example|from)\b", re.I)

def bundled(key_point):
    if ";" in key_point:
        return True
    m = _LIST3.search(key_point)
    return bool(m) and not _EXAMPLES.search(key_point[: m.end()])

def follow_up_originality(questions, max_run=12):
    """The shared originality tool reads a question's string fields only;
    follow-ups are tables, so their text is checked here with its code."""
    import importlib.util, pathlib
    tool = pathlib.Path(__file__).resolve().parent.parent.parent / "shared" / "tools" / "originality.py"
    if not tool.exists():
        return []
    spec = importlib.util.spec_from_file_location("originality", tool)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    prints = mod.load_prints()
    errs = []
    for q in questions:
        for f in q.get("follow_ups", []):
            for field in ("prompt", "answer"):
                for length, excerpt in mod.runs(f.get(field, ""), prints):
                    if length >= max_run:
                        errs.append(f"{q.get('slug')}: follow-up {field} shares {length} words with an outside page: {excerpt}")
    return errs

def main():
    files = sys.argv[1:] or sorted(glob.glob("bank/*.toml"))
    seen, errs, total = {}, [], 0
    for p in files:
        errs += check(p, seen)
        try:
            with open(p, "rb") as f:
                total += len(tomllib.load(f).get("questions", []))
        except Exception:  # noqa: BLE001
            pass
    everything = []
    for p in files:
        try:
            with open(p, "rb") as f:
                everything += tomllib.load(f).get("questions", [])
        except Exception:  # noqa: BLE001
            pass
    for s, a, b in near_duplicates(everything):
        errs.append(f"near-duplicate questions ({s:.2f}): {a} / {b}: merge them or make them clearly different")
    errs += follow_up_originality(everything)
    for q in everything:
        for kp in q.get("key_points", []):
            if bundled(kp):
                errs.append(f"{q.get('slug')}: key point joins several claims, split it: {kp!r}")
    for e in errs:
        print(e)
    print(f"{len(files)} files, {total} questions, {len(errs)} problems")
    sys.exit(1 if errs else 0)

if __name__ == "__main__":
    main()
