#!/usr/bin/env python3
"""Tests of eval/score.py (label reader and matching rules): python3 -m unittest eval/test_score.py"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score  # noqa: E402


LABELS = """
# comment
repository: acme/tool
commit: 0123456789abcdef0123456789abcdef01234567
language: Python
notes: >-
  two lines
  folded
files:
  - path: a.py
  - path: b.py
    note: "a negative: # not a comment"
sites:
  - file: a.py
    line: 10
    request_line: 12
    literal: '/v3/sources'
    method: GET
    operation: GET /v3/sources/{id}
    alternatives: [GET /beta/sources/{id}, 'GET /v2025/sources/{id}']
    via: http
  - file: a.py
    line: 20
    literal: x
    expect: unresolved
    candidates: [POST /v3/access-request-approvals/{approvalId}/approve]
    via: http
  - file: a.py
    line: 30
    literal: y
    expect: unresolved
    optional: true
    via: http
  - file: a.py
    line: 40
    literal: z
    method: GET
    path: /cc/api/app/list
    via: http
"""


def report(file, line, op=None, path=None, resolved=True, via="http", request_line=None):
    method = op.split()[0] if op else "GET"
    r = {"file": file, "line": line, "method": method, "operation": op, "path": path or (op.split(None, 1)[1] if op else None),
         "resolved": resolved, "via": via}
    if request_line:
        r["request_line"] = request_line
    return r


def repo():
    data = score.parse_yaml(LABELS)
    assert not score.validate_label_file("acme+tool", data), score.validate_label_file("acme+tool", data)
    for i, s in enumerate(data["sites"]):
        s["id"] = i
        s.setdefault("expect", "resolved")
        s.setdefault("optional", False)
    return data


class YamlTest(unittest.TestCase):
    def test_subset(self):
        d = score.parse_yaml(LABELS)
        self.assertEqual(d["notes"], "two lines folded")
        self.assertEqual(d["files"][1], {"path": "b.py", "note": "a negative: # not a comment"})
        self.assertEqual(d["sites"][0]["alternatives"], ["GET /beta/sources/{id}", "GET /v2025/sources/{id}"])
        self.assertEqual(d["sites"][0]["line"], 12 - 2)
        self.assertIs(d["sites"][2]["optional"], True)
        self.assertEqual(score.parse_yaml("sites: []\n"), {"sites": []})
        self.assertEqual(score.parse_yaml("a: 'it''s'\n"), {"a": "it's"})

    def test_errors(self):
        with self.assertRaises(score.YamlError):
            score.parse_yaml("a: 1\na: 2\n")
        with self.assertRaises(score.YamlError):
            score.parse_yaml("a:\n  - x\n   - y\n")
        with self.assertRaises(score.YamlError):
            score.parse_yaml("a: 'open\n")

    def test_validation(self):
        d = score.parse_yaml(LABELS)
        d["sites"][0]["operation"] = "POST /v3/sources"
        self.assertTrue(any("disagree" in p for p in score.validate_label_file("acme+tool", d)))
        self.assertTrue(score.validate_label_file("other+name", score.parse_yaml(LABELS)))


class MatchTest(unittest.TestCase):
    def test_request_line_and_alternatives(self):
        r = score.score_repo(repo(), [
            report("a.py", 12, "GET /v3/sources/{sourceId}"),      # at the request line, other param name
            report("a.py", 10, "GET /v2025/sources/{id}"),         # an alternative at the literal line
        ])
        self.assertEqual((r["found"], r["sites"]), (1, 3))
        self.assertEqual((r["correct"], r["false"]), (2, 0))

    def test_unresolved_and_candidates(self):
        r = score.score_repo(repo(), [
            report("a.py", 20, None, "/v3/access-request-approvals/{}/{}", resolved=False),
            report("a.py", 20, "POST /v3/access-request-approvals/{id}/approve"),
            report("a.py", 20, "POST /v3/access-request-approvals/{id}/reject"),  # not a candidate
        ])
        self.assertEqual(r["found"], 1)
        self.assertEqual((r["correct"], r["false"]), (2, 1))
        self.assertEqual(r["wrong"][0][1], "wrong-operation")

    def test_optional_auth_and_other_files(self):
        r = score.score_repo(repo(), [
            report("a.py", 30, None, None, resolved=False),  # optional: neither right nor wrong
            report("a.py", 5, "POST /oauth/token", via="auth"),
            report("c.py", 1, "GET /v3/sources"),            # not a labelled file
        ])
        self.assertEqual((r["found"], r["reports"]), (0, 0))
        self.assertEqual(len(r["missed"]), 3)

    def test_unknown_path_and_false_kinds(self):
        r = score.score_repo(repo(), [
            report("a.py", 40, None, "/cc/api/app/list"),
            report("a.py", 10, None, "/v3/sources/{}", resolved=False),  # unresolved where resolvable
            report("b.py", 3, "GET /v3/sources"),                          # a negative file
        ])
        self.assertEqual(r["found"], 1)
        kinds = sorted(v[1] for v in r["wrong"])
        self.assertEqual(kinds, ["false", "unresolved-at-resolvable"])
        self.assertAlmostEqual(r["precision"], 1 / 3)

    def test_duplicates_are_listed(self):
        rp = repo()
        rp["sites"][0].pop("alternatives")
        r = score.score_repo(rp, [report("a.py", 10, "GET /v3/sources/{id}"), report("a.py", 12, "GET /v3/sources/{id}")])
        self.assertEqual((r["found"], r["correct"], len(r["duplicates"])), (1, 2, 1))

    def test_norm(self):
        self.assertEqual(score.norm_op("get /v3/sources/{sourceId}/?x=1"), "GET /v3/sources/{}")
        self.assertEqual(score.norm_path("/cc/api/source/getAccounts/"), "/cc/api/source/getAccounts")


if __name__ == "__main__":
    unittest.main()
