#!/usr/bin/env python3
"""Check a published ballot's election record (计票记录) from scratch:

    python tools/verify_ballot.py record.json

A thin wrapper of verifier/verify_record.py (every proof, sheets = participations per voter
group, each sheet bound to its group, no sheet or ciphertext twice, each group's sums, the
tellers' decryptions, electronic and total counts) that also recomputes each subject's
weighted counts (each group's web and paper counts in its weight), rate, outcome and, under
a score rule (按分值计分), the mean score and the rank with ties, under the ballot's stored
rule, with tools/ballot_rules/, a standalone copy of the app's rule code.

Independent on purpose: it imports nothing of the app and no Django, only the standard
library, pysodium, and what sits next to it (verifier/verify_record.py with
verifier/record_group.py, and the package tools/ballot_rules/; copy them all to check a
record elsewhere). It prints what it
checked and exits 1 naming the first thing wrong. `python manage.py ballot_verify <id>`
runs the same checks on the database.
"""

import contextlib
import hashlib
import io
import json
import sys
from fractions import Fraction
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for _where in (_HERE, _HERE.parent / "verifier"):
    if str(_where) not in sys.path:
        sys.path.insert(0, str(_where))

import ballot_rules as rules  # noqa: E402
import verify_record  # noqa: E402

CORE = (
    "format", "ballot", "subjects", "tellers", "joint_key", "groups", "participations",
    "sheets", "tally", "decryptions", "paper", "counts",
)  # fmt: skip
EXTRA = ("rule", "results")


class Invalid(Exception):
    pass


def _json_number(value: Fraction):
    return int(value) if value.denominator == 1 else round(float(value), 4)


def sheet_ballot_id(ballot: str, group: dict) -> str:
    """As ballots.models.sheet_ballot_id."""
    if group["committee"]:
        return ballot
    label = f"{group['name']}|{Fraction(group['weight'])}".encode()
    return f"{ballot}-group-{hashlib.sha256(label).hexdigest()[:16]}"


def check_results(record: dict) -> str:
    """Rates, scores, ranks and outcomes recomputed from the (already verified) counts and
    the rule: each voter group's own counts are its paper counts, plus the web sheets for
    the committee's group."""
    rule, results = record["rule"], record["results"]
    subjects = record["subjects"]
    if not isinstance(results, list) or len(results) != len(subjects):
        raise Invalid(f"results: expected {len(subjects)} subjects")
    groups = rule["groups"]
    committee = next(g for g in groups if g["committee"])
    weight = {g["name"]: Fraction(g["weight"]) for g in groups}
    paper = {p["group"]: p["counts"] for p in record["paper"]}
    unknown = set(paper) - set(weight)
    if unknown:
        raise Invalid(f"paper counts of a voter group not in the rule: {', '.join(unknown)}")
    web = record["participations"]  # per voter group voting on the web
    unknown = set(web) - set(weight)
    if unknown:
        raise Invalid(f"web votes of a voter group not in the rule: {', '.join(unknown)}")
    # Each group's sheets are bound to an id made from its name and weight (the committee's
    # is the ballot's own): a sheet moved between groups, or a weight changed, fails here.
    for entry in record["groups"]:
        group = next(g for g in groups if g["name"] == entry["name"])
        if entry["ballot"] != sheet_ballot_id(record["ballot"], group):
            raise Invalid(
                f"voter group {entry['name']}: its sheets were not made for its name and "
                f"weight {group['weight']}"
            )
    w_c = weight[committee["name"]]
    c_web = web.get(committee["name"], 0)
    c_issued = rule["eligible"] if c_web or committee["issued"] is None else committee["issued"]
    c_cast = c_web + (committee["returned"] or 0)
    # Any other group: its voting codes (one slip, one ballot) plus paper sheets issued;
    # cast, the codes used plus the paper sheets returned.
    others = [
        g for g in groups
        if not g["committee"] and (g["issued"] is not None or g.get("codes") is not None)
    ]  # fmt: skip

    def own(g, key):
        web_part = (g.get("codes") or 0) if key == "issued" else web.get(g["name"], 0)
        return web_part + (g[key] or 0)

    issued = {
        "committee": Fraction(c_issued),
        "weighted": w_c * c_issued + sum((weight[g["name"]] * own(g, "issued") for g in others), Fraction(0)),
    }  # fmt: skip
    cast = {
        "committee": Fraction(c_cast),
        "weighted": w_c * c_cast + sum((weight[g["name"]] * own(g, "returned") for g in others), Fraction(0)),
    }  # fmt: skip
    spec = rules.RuleSpec.from_json(rule["spec"])
    scores = []
    for i, (subject, result) in enumerate(zip(subjects, results, strict=True)):
        name = f"subject {i + 1} ({subject['name']})"
        options = subject["options"]
        electronic = record["counts"]["electronic"]  # per voter group voting on the web
        weighted = {o: Fraction(0) for o in options}
        per_group: dict[str, dict] = {}  # each voter group's own counts, web and paper
        for group, rows in electronic.items():
            mine_g = per_group.setdefault(group, {o: Fraction(0) for o in options})
            for j, o in enumerate(options):
                weighted[o] += weight[group] * rows[i][j]
                mine_g[o] += rows[i][j]
        for group, counts in paper.items():
            mine_g = per_group.setdefault(group, {o: Fraction(0) for o in options})
            for j, o in enumerate(options):
                weighted[o] += weight[group] * counts[i][j]
                mine_g[o] += counts[i][j]
        mine = per_group.get(committee["name"], {o: Fraction(0) for o in options})
        voting = [
            g for g in groups
            if g["committee"] or g["issued"] is not None or g["name"] in electronic
        ]  # fmt: skip
        tally = rules.Tally(
            weighted=weighted, committee=mine, scale=list(rule["options"]),
            composition=rule["composition"], present=rule["present"], issued=issued, cast=cast,
            groups=tuple(
                rules.GroupCounts(g["name"], weight[g["name"]], per_group.get(g["name"], {}))
                for g in voting
            ),
        )  # fmt: skip
        outcome = rules.apply_spec(spec, rule["outcomes"], tally)
        counts = [_json_number(weighted[o]) for o in options]
        rate = round(float(outcome.rate), 2) if outcome.rate is not None else None
        if result["counts"] != counts:
            raise Invalid(
                f"{name}: published weighted counts {result['counts']} but the record gives {counts}"
            )
        published_rate = float(result["rate"]) if result["rate"] is not None else None
        if published_rate != rate:
            raise Invalid(f"{name}: published rate {result['rate']} but the rule gives {rate}")
        if spec.scored:
            score = round(float(outcome.score), 2) if outcome.score is not None else None
            published = result.get("score")
            published = float(published) if published is not None else None
            if published != score:
                raise Invalid(
                    f"{name}: published score {result.get('score')} but the rule gives {score}"
                )  # noqa: E501
        if result["outcome"] != outcome.label:
            raise Invalid(
                f"{name}: published outcome {result['outcome']} but the rule gives {outcome.label}"
            )
        scores.append(outcome.score)
    if spec.scored:
        for i, (subject, result, rank) in enumerate(
            zip(subjects, results, rules.rank_with_ties(scores), strict=True)
        ):
            if result.get("rank") != rank:
                raise Invalid(
                    f"subject {i + 1} ({subject['name']}): published rank {result.get('rank')}"
                    f" but the scores give {rank} (equal scores tie)"
                )
        return f"results: weighted counts, scores, ranks with ties and outcomes of {len(results)} subject(s) recomputed under the rule ({rule['text']})"  # noqa: E501
    return f"results: weighted counts, rates and outcomes of {len(results)} subject(s) recomputed under the rule ({rule['text']})"  # noqa: E501


def check_paper(record: dict) -> str:
    """Each voter group's paper counts as typed twice (纸质票双人录入): both entries agree
    field by field and are what was counted; returned ≤ issued; per subject the options
    and the invalid sheets add up to the sheets returned. Records of ballots counted
    before double entry have no entries for a group; its counted figures are checked."""
    subjects = record["subjects"]
    paper = {p["group"]: p["counts"] for p in record["paper"]}
    twice = 0
    for g in record["rule"]["groups"]:
        name, entries = g["name"], g.get("paper_entries", [])
        counted = paper.get(name)
        if counted is None:
            if entries or g["issued"] is not None:
                raise Invalid(f"voter group {name}: paper entries or sheets but no paper counts")
            continue
        issued, returned = g["issued"], g["returned"]
        if not (isinstance(issued, int) and isinstance(returned, int) and 0 <= returned <= issued):
            raise Invalid(
                f"voter group {name}: {returned} paper sheets returned of {issued} issued"
            )
        if not entries:
            for i, s in enumerate(subjects):
                if sum(counted[i]) > returned:
                    raise Invalid(
                        f"voter group {name}, subject {i + 1} ({s['name']}): "
                        f"{sum(counted[i])} paper votes but {returned} sheets returned"
                    )
            continue
        if len(entries) != 2:
            raise Invalid(f"voter group {name}: {len(entries)} paper entries, expected 2")
        first, second = entries
        for key in ("issued", "returned", "counts", "invalid"):
            if first[key] != second[key]:
                raise Invalid(f"voter group {name}: the two paper entries differ in {key}")
        if (first["issued"], first["returned"], first["counts"]) != (issued, returned, counted):
            raise Invalid(f"voter group {name}: the counted paper figures are not the entries'")
        for i, s in enumerate(subjects):
            if sum(counted[i]) + first["invalid"][i] != returned:
                raise Invalid(
                    f"voter group {name}, subject {i + 1} ({s['name']}): options "
                    f"{counted[i]} + invalid {first['invalid'][i]} != {returned} returned"
                )
        twice += 1
    return (
        f"paper: {len(paper)} voter group(s) counted, {twice} entered twice and agreeing; "
        "returned ≤ issued, every subject's paper votes add up"
    )


def check(record: dict, jobs: int = 1) -> list[tuple[bool, str]]:
    """Every check as (passed, message), stopping at the first failure."""
    lines: list[tuple[bool, str]] = []
    if not isinstance(record, dict) or set(record) != set(CORE) | set(EXTRA):
        return [(False, f"record: expected exactly the keys {', '.join(sorted(CORE + EXTRA))}")]
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            verify_record.verify({k: record[k] for k in CORE}, jobs)
    except verify_record.Invalid as error:
        lines += [(True, x) for x in out.getvalue().splitlines()]
        return [*lines, (False, str(error))]
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        return [(False, f"malformed record ({type(error).__name__}: {error})")]
    lines += [(True, x.removeprefix("OK").strip()) for x in out.getvalue().splitlines()]
    try:
        lines.append((True, check_paper(record)))
    except Invalid as error:
        return [*lines, (False, str(error))]
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        return [*lines, (False, f"malformed paper counts ({type(error).__name__}: {error})")]
    try:
        lines.append((True, check_results(record)))
    except (Invalid, rules.RuleError) as error:
        lines.append((False, str(error)))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, StopIteration) as error:
        lines.append((False, f"malformed rule or results ({type(error).__name__}: {error})"))
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python tools/verify_ballot.py record.json")
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            record = json.load(f)
    except (OSError, ValueError) as error:
        print(f"FAIL  unreadable record ({error})")
        return 1
    lines = check(record)
    for ok, message in lines:
        print(f"{'OK  ' if ok else 'FAIL'}  {message}")
    if all(ok for ok, _ in lines):
        print("PASS  every figure recomputed from the sheets, the tellers' shares and the rule")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
