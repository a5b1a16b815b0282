#!/usr/bin/env python3
"""Score `isc-scope-lint calls --format json` against the hand-made labels in eval/labels/.

Python 3 standard library only. Usage (from the repository root):

    eval/fetch.sh                      # checkouts at the recorded commits, in eval/checkouts/
    cargo build --release
    python3 eval/score.py              # recall/precision per repository and overall, misses, false reports
    python3 eval/score.py --check      # validate the labels against the checkouts and the catalog
    python3 eval/score.py --json out.json --repo sailpoint-oss+colab-file-upload-utility

Matching rules (eval/README.md explains them): a report matches a label when it is in the same
file, one of its lines (`line`, `request_line`) equals one of the label's lines, and its
operation (method + path, parameters compared as `{}`) is the label's operation or one of its
`alternatives`. An unresolved report matches a label that expects an unresolved call; a resolved
report also matches such a label when its operation is one of the label's `candidates`.
Reports made through token requests (`via: auth`) are not scored, nor are reports in files
that are not labelled. A label with `optional: true` is not counted when missed, and a report
that matches it is neither right nor wrong.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


# --------------------------------------------------------------------------------------------
# A small YAML reader for the subset the label files use: block mappings and sequences,
# plain/quoted scalars, flow sequences of scalars, `>-`/`|` block scalars, comments.
# --------------------------------------------------------------------------------------------

class YamlError(Exception):
    pass


def _strip_comment(text):
    out, quote = [], None
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            out.append(c)
            if c == quote:
                if quote == "'" and i + 1 < len(text) and text[i + 1] == "'":
                    out.append("'")
                    i += 1
                else:
                    quote = None
            elif c == "\\" and quote == '"' and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
        else:
            if c == "#" and (i == 0 or text[i - 1] in " \t"):
                break
            if c in "'\"" and (not out or "".join(out).strip() == "" or out[-1] in " [,:"):
                quote = c
            out.append(c)
        i += 1
    return "".join(out).rstrip()


def _scalar(text, where):
    t = text.strip()
    if t == "":
        return None
    if t[0] == '"':
        if not t.endswith('"') or len(t) < 2:
            raise YamlError(f"{where}: unterminated string")
        return json.loads(t)
    if t[0] == "'":
        if not t.endswith("'") or len(t) < 2:
            raise YamlError(f"{where}: unterminated string")
        return t[1:-1].replace("''", "'")
    if t[0] == "[":
        if not t.endswith("]"):
            raise YamlError(f"{where}: unterminated flow sequence")
        inner = t[1:-1].strip()
        if not inner:
            return []
        items, cur, quote = [], [], None
        for c in inner:
            if quote:
                cur.append(c)
                if c == quote:
                    quote = None
            elif c in "'\"":
                quote = c
                cur.append(c)
            elif c == ",":
                items.append(_scalar("".join(cur), where))
                cur = []
            else:
                cur.append(c)
        items.append(_scalar("".join(cur), where))
        return items
    if t in ("null", "~"):
        return None
    if t == "true":
        return True
    if t == "false":
        return False
    if re.fullmatch(r"-?\d+", t):
        return int(t)
    return t


def _split_key(text):
    """'key: value' -> (key, value) or None when the text is not a mapping entry."""
    m = re.match(r"^([A-Za-z_][\w-]*)\s*:(\s+(.*))?$", text)
    if not m:
        return None
    return m.group(1), (m.group(3) or "")


def parse_yaml(source, name="<yaml>"):
    raw = source.split("\n")
    lines = []  # (lineno, indent, text)
    for no, line in enumerate(raw, 1):
        if "\t" in line[: len(line) - len(line.lstrip())]:
            raise YamlError(f"{name}:{no}: tab in indentation")
        stripped = _strip_comment(line)
        if stripped.strip() == "" or stripped.strip() == "---":
            lines.append((no, None, ""))
            continue
        lines.append((no, len(stripped) - len(stripped.lstrip()), stripped.strip()))
    pos = 0

    def skip_blank():
        nonlocal pos
        while pos < len(lines) and lines[pos][1] is None:
            pos += 1

    def block_scalar(indent, style, where):
        nonlocal pos
        parts = []
        while pos < len(lines):
            no = lines[pos][0]
            line = raw[no - 1]
            if line.strip() == "":
                parts.append("")
                pos += 1
                continue
            ind = len(line) - len(line.lstrip())
            if ind <= indent:
                break
            parts.append(line.strip())
            pos += 1
        while parts and parts[-1] == "":
            parts.pop()
        if style.startswith(">"):
            return " ".join(p for p in parts if p)
        return "\n".join(parts)

    def value_after_key(rest, indent, where):
        nonlocal pos
        if rest in (">", ">-", "|", "|-"):
            return block_scalar(indent, rest, where)
        if rest != "":
            return _scalar(rest, where)
        skip_blank()
        if pos < len(lines) and lines[pos][1] is not None:
            ind = lines[pos][1]
            if ind > indent or (ind == indent and lines[pos][2].startswith("- ")):
                return parse_block(ind)
        return None

    def parse_block(indent):
        nonlocal pos
        skip_blank()
        if pos >= len(lines):
            return None
        no, ind, text = lines[pos]
        if text.startswith("- ") or text == "-":
            seq = []
            while True:
                skip_blank()
                if pos >= len(lines):
                    break
                no, ind, text = lines[pos]
                if ind != indent or not (text.startswith("- ") or text == "-"):
                    if ind > indent:
                        raise YamlError(f"{name}:{no}: bad indentation")
                    break
                item = text[2:].strip() if text != "-" else ""
                kv = _split_key(item)
                if kv is None:
                    pos += 1
                    seq.append(_scalar(item, f"{name}:{no}"))
                    continue
                # a mapping that starts on the dash line
                lines[pos] = (no, indent + 2, item)
                seq.append(parse_mapping(indent + 2))
            return seq
        return parse_mapping(indent)

    def parse_mapping(indent):
        nonlocal pos
        out = {}
        while True:
            skip_blank()
            if pos >= len(lines):
                break
            no, ind, text = lines[pos]
            if ind < indent:
                break
            if ind > indent:
                raise YamlError(f"{name}:{no}: bad indentation")
            if text.startswith("- "):
                break
            kv = _split_key(text)
            if kv is None:
                raise YamlError(f"{name}:{no}: expected `key: value`, found {text!r}")
            key, rest = kv
            if key in out:
                raise YamlError(f"{name}:{no}: duplicate key {key!r}")
            pos += 1
            out[key] = value_after_key(rest, indent, f"{name}:{no}")
        return out

    result = parse_block(0)
    skip_blank()
    if pos < len(lines):
        raise YamlError(f"{name}:{lines[pos][0]}: unexpected content")
    return result


# --------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------

SITE_KEYS = {
    "file", "line", "request_line", "literal", "method", "operation", "path", "via", "expect",
    "alternatives", "candidates", "optional", "note",
}
TOP_KEYS = {"repository", "commit", "language", "kind", "notes", "files", "sites"}
VIAS = {"http", "sdk", "cli", "workflow", "postman", "http-file"}


def norm_path(path):
    if path is None:
        return None
    p = path.split("?")[0].split("#")[0]
    p = re.sub(r"\{[^}/]*\}", "{}", p)
    if len(p) > 1:
        p = p.rstrip("/")
    return p


def norm_op(op):
    if not op:
        return None
    parts = op.strip().split(None, 1)
    if len(parts) != 2:
        return op.strip().upper()
    return parts[0].upper() + " " + norm_path(parts[1])


def load_labels(directory, only=None):
    repos = []
    for fname in sorted(os.listdir(directory)):
        if not fname.endswith(".yaml"):
            continue
        key = fname[: -len(".yaml")]
        if only and key not in only:
            continue
        path = os.path.join(directory, fname)
        with open(path, encoding="utf-8") as fh:
            data = parse_yaml(fh.read(), path)
        problems = validate_label_file(key, data)
        if problems:
            raise YamlError("\n".join(f"{path}: {p}" for p in problems))
        data["key"] = key
        data["label_file"] = path
        for i, site in enumerate(data.get("sites") or []):
            site["id"] = i
            site.setdefault("expect", "resolved")
            site.setdefault("optional", False)
        repos.append(data)
    return repos


def validate_label_file(key, data):
    problems = []
    if not isinstance(data, dict):
        return ["not a mapping"]
    for k in data:
        if k not in TOP_KEYS:
            problems.append(f"unknown key {k!r}")
    repo = data.get("repository", "")
    if repo.replace("/", "+") != key:
        problems.append(f"repository {repo!r} does not match the file name {key!r}")
    if not re.fullmatch(r"[0-9a-f]{40}", str(data.get("commit", ""))):
        problems.append("commit must be a 40-hex sha")
    files = [f.get("path") for f in (data.get("files") or [])]
    if len(set(files)) != len(files):
        problems.append("a file is listed twice")
    for i, s in enumerate(data.get("sites") or []):
        where = f"site {i} ({s.get('file')}:{s.get('line')})"
        for k in s:
            if k not in SITE_KEYS:
                problems.append(f"{where}: unknown key {k!r}")
        if s.get("file") not in files:
            problems.append(f"{where}: file not listed under files")
        if not isinstance(s.get("line"), int):
            problems.append(f"{where}: line must be an integer")
        if s.get("via") not in VIAS:
            problems.append(f"{where}: via must be one of {sorted(VIAS)}")
        expect = s.get("expect", "resolved")
        if expect not in ("resolved", "unresolved"):
            problems.append(f"{where}: expect must be resolved or unresolved")
        if expect == "resolved":
            if not s.get("method"):
                problems.append(f"{where}: a resolved site needs a method")
            if not s.get("operation") and not s.get("path"):
                problems.append(f"{where}: a resolved site needs an operation (or a path in no spec)")
            if s.get("operation") and not s["operation"].upper().startswith(str(s.get("method", "")).upper() + " "):
                problems.append(f"{where}: operation and method disagree")
        if not s.get("literal"):
            problems.append(f"{where}: literal (text expected on the line) is missing")
    return problems


# --------------------------------------------------------------------------------------------
# Running the finder
# --------------------------------------------------------------------------------------------

def run_finder(binary, checkout):
    cmd = [binary, "calls", "--format", "json", checkout]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}: {proc.stderr.strip()[:2000]}")
    data = json.loads(proc.stdout)
    calls = data.get("calls", []) if isinstance(data, dict) else data
    for c in calls:
        f = c.get("file", "")
        if f.startswith("./"):
            f = f[2:]
        c["file"] = f.replace("\\", "/")
    return calls


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------

def label_key(site):
    if site.get("operation"):
        return norm_op(site["operation"])
    return (str(site.get("method", "")).upper() + " " + norm_path(site.get("path"))) if site.get("path") else None


def report_key(report):
    if report.get("operation"):
        return norm_op(report["operation"])
    if report.get("path") and report.get("method"):
        return str(report["method"]).upper() + " " + norm_path(report["path"])
    return None


def report_lines(r):
    out = {r.get("line")}
    if r.get("request_line"):
        out.add(r["request_line"])
    return out


def site_lines(s):
    out = {s["line"]}
    if s.get("request_line"):
        out.add(s["request_line"])
    return out


def compatible(site, report):
    """How a report relates to a label: 'match', or None."""
    resolved = report.get("resolved", True) and report_key(report) is not None
    rk = report_key(report)
    if site["expect"] == "unresolved":
        if not resolved:
            return "match"
        cands = {norm_op(c) for c in site.get("candidates") or []}
        return "match" if rk in cands else None
    if not resolved:
        return None
    keys = {label_key(site)} | {norm_op(a) for a in site.get("alternatives") or []}
    return "match" if rk in keys else None


def score_repo(repo, reports):
    labelled = {f["path"] for f in repo.get("files") or []}
    sites = repo.get("sites") or []
    by_file = defaultdict(list)
    for s in sites:
        by_file[s["file"]].append(s)
    matched = defaultdict(list)  # site id -> reports
    verdicts = []  # (report, kind, site or None)
    for r in reports:
        if r["file"] not in labelled or r.get("via") == "auth":
            continue
        rl = report_lines(r)
        cands = [s for s in by_file.get(r["file"], []) if rl & site_lines(s) and compatible(s, r)]
        if cands:
            # prefer the label named at the report's own line, then one not yet matched
            cands.sort(key=lambda s: (s["line"] != r.get("line"), len(matched[s["id"]]) > 0, s["id"]))
            s = cands[0]
            dup = len(matched[s["id"]]) > 0 and s["expect"] == "resolved" and not s.get("alternatives")
            matched[s["id"]].append(r)
            verdicts.append((r, "optional" if s["optional"] else ("duplicate" if dup else "correct"), s))
        else:
            same_line = [s for s in by_file.get(r["file"], []) if rl & site_lines(s)]
            kind = "false"
            if same_line and not (r.get("resolved", True) and report_key(r)):
                kind = "unresolved-at-resolvable"
            elif same_line:
                kind = "wrong-operation"
            verdicts.append((r, kind, same_line[0] if same_line else None))
    scored_sites = [s for s in sites if not s["optional"]]
    found = [s for s in scored_sites if matched[s["id"]]]
    missed = [s for s in scored_sites if not matched[s["id"]]]
    correct = [v for v in verdicts if v[1] in ("correct", "duplicate")]
    wrong = [v for v in verdicts if v[1] in ("false", "wrong-operation", "unresolved-at-resolvable")]
    return {
        "repository": repo["repository"],
        "commit": repo["commit"],
        "language": repo.get("language"),
        "labelled_files": len(labelled),
        "sites": len(scored_sites),
        "optional_sites": len(sites) - len(scored_sites),
        "found": len(found),
        "reports": len(correct) + len(wrong),
        "correct": len(correct),
        "false": len(wrong),
        "recall": (len(found) / len(scored_sites)) if scored_sites else None,
        "precision": (len(correct) / (len(correct) + len(wrong))) if (correct or wrong) else None,
        "missed": missed,
        "wrong": wrong,
        "duplicates": [v for v in verdicts if v[1] == "duplicate"],
    }


# --------------------------------------------------------------------------------------------
# Checking the labels
# --------------------------------------------------------------------------------------------

def catalog_name(binary, op, cache):
    if op in cache:
        return cache[op]
    proc = subprocess.run([binary, "catalog", "show", op], capture_output=True, text=True)
    name = None
    if proc.returncode == 0 and proc.stdout:
        name = proc.stdout.split("\n", 1)[0].strip()
    cache[op] = name
    return name


def check_repo(repo, checkout, binary, cache):
    problems = []
    if not os.path.isdir(checkout):
        return [f"no checkout at {checkout} (run eval/fetch.sh)"]
    head = os.path.join(checkout, ".eval-commit")
    if os.path.exists(head):
        with open(head) as fh:
            got = fh.read().strip()
        if got != repo["commit"]:
            problems.append(f"checkout is at {got}, labels are for {repo['commit']}")
    for f in repo.get("files") or []:
        if not os.path.isfile(os.path.join(checkout, f["path"])):
            problems.append(f"{f['path']}: no such file in the checkout")
    texts = {}
    for s in repo.get("sites") or []:
        path = os.path.join(checkout, s["file"])
        if s["file"] not in texts:
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    texts[s["file"]] = fh.read().split("\n")
            except OSError:
                texts[s["file"]] = None
        lines = texts[s["file"]]
        where = f"{s['file']}:{s['line']}"
        if lines is None:
            continue
        if not (1 <= s["line"] <= len(lines)):
            problems.append(f"{where}: line out of range")
            continue
        if s["literal"] not in lines[s["line"] - 1]:
            problems.append(f"{where}: {s['literal']!r} is not on that line: {lines[s['line'] - 1].strip()[:120]!r}")
        rl = s.get("request_line")
        if rl is not None and not (1 <= rl <= len(lines)):
            problems.append(f"{where}: request_line {rl} out of range")
        ops = []
        if s.get("operation"):
            ops.append(("operation", s["operation"]))
        ops += [("alternative", a) for a in s.get("alternatives") or []]
        ops += [("candidate", c) for c in s.get("candidates") or []]
        for kind, op in ops:
            name = catalog_name(binary, op, cache)
            if name is None:
                problems.append(f"{where}: {kind} {op!r} is not in the catalog")
            elif name != op:
                problems.append(f"{where}: {kind} {op!r} is named {name!r} in the catalog")
        if s.get("path") and not s.get("operation"):
            if catalog_name(binary, f"{s.get('method', 'GET')} {s['path']}", cache):
                problems.append(f"{where}: path {s['path']!r} is in the catalog: give its operation")
    return problems


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------

def pct(x):
    return "  n/a " if x is None else f"{100 * x:5.1f}%"


def describe_site(s):
    what = s.get("operation") or (f"{s.get('method')} {s.get('path')}" if s.get("path") else "unresolved")
    if s["expect"] == "unresolved":
        what = "unresolved" + (f" (candidates: {', '.join(s.get('candidates'))})" if s.get("candidates") else "")
    req = f" (request line {s['request_line']})" if s.get("request_line") else ""
    note = f"\n        note: {s['note']}" if s.get("note") else ""
    return f"    line {s['line']}{req}: {what} [{s['via']}]{note}"


def describe_report(r, kind, site):
    op = r.get("operation") or (f"{r.get('method')} {r.get('path')}" if r.get("path") else None)
    if not r.get("resolved", True) or not op:
        op = "unresolved: " + str(r.get("reason") or "")[:100]
    extra = ""
    if kind == "wrong-operation" and site:
        extra = f" (label: {site.get('operation') or site.get('path') or 'unresolved'})"
    if kind == "unresolved-at-resolvable" and site:
        extra = f" (label: {site.get('operation') or site.get('path')})"
    return f"    line {r.get('line')}: {op} [{r.get('via')}] — {kind}{extra}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", default=os.path.join(HERE, "labels"))
    ap.add_argument("--checkouts", default=os.path.join(HERE, "checkouts"))
    ap.add_argument("--bin", default=os.environ.get("ISC_SCOPE_LINT", os.path.join(ROOT, "target", "release", "isc-scope-lint")))
    ap.add_argument("--repo", action="append", help="only this repository (owner+name); repeatable")
    ap.add_argument("--check", action="store_true", help="validate the labels (lines, literals, catalog names) and exit")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--quiet", action="store_true", help="only the figures, not the misses and false reports")
    args = ap.parse_args()

    try:
        repos = load_labels(args.labels, set(args.repo) if args.repo else None)
    except YamlError as e:
        print(f"invalid labels:\n{e}", file=sys.stderr)
        return 2
    if not repos:
        print("no label files", file=sys.stderr)
        return 2
    if not os.path.isfile(args.bin):
        print(f"no binary at {args.bin} (cargo build --release, or --bin)", file=sys.stderr)
        return 2

    if args.check:
        cache, bad = {}, 0
        for repo in repos:
            problems = check_repo(repo, os.path.join(args.checkouts, repo["key"]), args.bin, cache)
            n = len(repo.get("sites") or [])
            print(f"{repo['repository']}: {len(repo.get('files') or [])} files, {n} sites" + (f", {len(problems)} problem(s)" if problems else ", ok"))
            for p in problems:
                print(f"  {p}")
            bad += len(problems)
        return 1 if bad else 0

    results = []
    for repo in repos:
        checkout = os.path.join(args.checkouts, repo["key"])
        if not os.path.isdir(checkout):
            print(f"{repo['repository']}: no checkout at {checkout} (run eval/fetch.sh)", file=sys.stderr)
            return 2
        reports = run_finder(args.bin, checkout)
        results.append(score_repo(repo, reports))

    print(f"{'repository@commit':70} {'lang':12} {'files':>5} {'sites':>5} {'found':>5} {'reports':>7} {'false':>5} {'recall':>7} {'precision':>9}")
    for r in results:
        print(f"{r['repository'] + '@' + r['commit'][:8]:70} {str(r['language'])[:12]:12} {r['labelled_files']:5} {r['sites']:5} {r['found']:5} {r['reports']:7} {r['false']:5} {pct(r['recall']):>7} {pct(r['precision']):>9}")
    tot_sites = sum(r["sites"] for r in results)
    tot_found = sum(r["found"] for r in results)
    tot_rep = sum(r["reports"] for r in results)
    tot_ok = sum(r["correct"] for r in results)
    recalls = [r["recall"] for r in results if r["recall"] is not None]
    precs = [r["precision"] for r in results if r["precision"] is not None]
    overall = {
        "sites": tot_sites, "found": tot_found, "reports": tot_rep, "correct": tot_ok,
        "recall": tot_found / tot_sites if tot_sites else None,
        "precision": tot_ok / tot_rep if tot_rep else None,
        "macro_recall": sum(recalls) / len(recalls) if recalls else None,
        "macro_precision": sum(precs) / len(precs) if precs else None,
    }
    print(f"{'overall (all call sites)':83} {sum(r['labelled_files'] for r in results):5} {tot_sites:5} {tot_found:5} {tot_rep:7} {tot_rep - tot_ok:5} {pct(overall['recall']):>7} {pct(overall['precision']):>9}")
    print(f"{'mean of the repositories':119} {pct(overall['macro_recall']):>7} {pct(overall['macro_precision']):>9}")

    if not args.quiet:
        for r in results:
            if not r["missed"] and not r["wrong"]:
                continue
            print(f"\n== {r['repository']}")
            files = sorted({s["file"] for s in r["missed"]} | {v[0]["file"] for v in r["wrong"]})
            for f in files:
                print(f"  {f}")
                for s in sorted((s for s in r["missed"] if s["file"] == f), key=lambda s: s["line"]):
                    print("   missed" + describe_site(s)[3:])
                for v in sorted((v for v in r["wrong"] if v[0]["file"] == f), key=lambda v: v[0].get("line") or 0):
                    print("   false " + describe_report(*v)[3:])

    if args.json:
        def site_json(s):
            return {k: v for k, v in s.items() if k != "id"}
        out = {"overall": overall, "repositories": [
            {**{k: v for k, v in r.items() if k not in ("missed", "wrong", "duplicates")},
             "missed": [site_json(s) for s in r["missed"]],
             "false_reports": [{"report": v[0], "kind": v[1]} for v in r["wrong"]]} for r in results]}
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=2, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
