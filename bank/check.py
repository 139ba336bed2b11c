#!/usr/bin/env python3
"""Quick checker for bank/*.toml files, for authors (no Rust build needed).

The authoritative validation is the Rust test `bank_is_valid`; this mirrors
its rules so a person editing a file gets feedback in a second.
Usage: python3 bank/check.py [files...]   (default: every bank/*.toml)
"""
import glob, re, sys, tomllib

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
    for e in errs:
        print(e)
    print(f"{len(files)} files, {total} questions, {len(errs)} problems")
    sys.exit(1 if errs else 0)

if __name__ == "__main__":
    main()
