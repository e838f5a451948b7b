#!/usr/bin/env python3
"""Check a ballot's election record (计票记录) from scratch: python verify_record.py record.json

Independent on purpose: it imports nothing of the app, only the standard library,
pysodium (libsodium's ristretto255 operations) and record_group.py next to it (the group
and the proof checks; copy both), and re-implements the few protocol checks
from the published description (verifier/README.md), so a bug or a change in the app's
code cannot make a forged record pass. It prints each check and exits 1 with a message
naming the first thing wrong.
"""

import argparse
import hashlib
import json
import math
import multiprocessing
import os
import sys

# The one module next to this file (also under `python -I`, which leaves the script's
# directory off sys.path).
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from record_group import (  # noqa: E402
    IDENTITY,
    G,
    Invalid,
    add,
    at_index,
    canonical,
    challenge,
    equality_ok,
    gmul,
    keys,
    lagrange,
    listof,
    mul,
    num,
    point,
    scalar,
    spelled,
    sub,
    zero_one_ok,
)

FORMAT = "shuzhi-pingyi/election-record/v3"


def check_tellers(record, ballot):
    tellers = keys(record["tellers"], {"n", "k", "published"}, "tellers")
    n, k = tellers["n"], tellers["k"]
    if not (isinstance(n, int) and isinstance(k, int) and 1 <= k <= n):
        raise Invalid("tellers: need 1 <= k <= n")
    published = listof(tellers["published"], n, "tellers.published")
    commitments = {}
    for entry in published:
        entry = keys(entry, {"index", "commitments", "proof", "ephemeral"}, "teller")
        i = entry["index"]
        where = f"teller {i}"
        if not isinstance(i, int) or not 1 <= i <= n or i in commitments:
            raise Invalid(f"{where}: index missing, out of range or repeated")
        cs = [point(p, f"{where} commitment") for p in listof(entry["commitments"], k, where)]
        point(entry["ephemeral"], f"{where} ephemeral key")
        proof = keys(entry["proof"], {"c", "s"}, f"{where} proof")
        c, s = scalar(proof["c"], where), scalar(proof["s"], where)
        try:
            u = sub(gmul(s), mul(c, cs[0]))
        except ValueError:
            u = None
        if u is None or challenge("coefficient-knowledge", ballot, n, k, i, *cs, cs[0], u) != c:
            raise Invalid(f"{where}: the proof of knowledge of its key does not check")
        commitments[i] = cs
    joint = IDENTITY
    for i in sorted(commitments):
        joint = add(joint, commitments[i][0])
    if point(record["joint_key"], "joint key") != joint:
        raise Invalid("joint key: not the sum of the tellers' constant commitments")
    print(f"OK  {n} tellers' public keys and proofs; joint key = their sum (any {k} can count)")
    return joint, commitments, k


def sheet_proofs(job):
    """Every proof of one sheet (run in a worker process); returns its ciphertexts."""
    name, sheet, h, ballot, layout = job
    cts = []
    for i, subject in enumerate(sheet["subjects"]):
        where = f"{name} subject {i + 1}"
        total_a, total_b, row = IDENTITY, IDENTITY, []
        for j, slot in enumerate(subject["slots"]):
            at = f"{where} slot {j + 1}"
            # The proof's multiplications a^c0 and b^c0 check both points as point() does
            # (libsodium refuses an encoding that is not canonical or of no point, and
            # a product that is the identity, which a^c0 is when a is),
            # so they are checked apart only to name one when the proof fails.
            a, b = spelled(slot["a"], f"{at}.a"), spelled(slot["b"], f"{at}.b")
            proof = [scalar(slot[x], f"{at}.{x}") for x in ("c0", "c1", "s0", "s1")]
            if not zero_one_ok(h, a, b, *proof, (h, ballot, i, j)):
                point(slot["a"], f"{at}.a"), point(slot["b"], f"{at}.b")
                raise Invalid(f"{at}: the proof that it holds 0 or 1 does not check")
            total_a, total_b = add(total_a, a), add(total_b, b)
            row.append((a, b))
        c, s = scalar(subject["c"], f"{where}.c"), scalar(subject["s"], f"{where}.s")
        if not equality_ok("subject-sums-to-1", h, total_a, sub(total_b, G), c, s, (h, ballot, i)):
            raise Invalid(f"{where}: the proof of exactly one choice does not check")
        cts.append(row)
    return cts


def check_groups(record, ballot):
    """The voter groups that voted on the web (with at least one sheet), in tally order,
    each with the id its sheets' proofs are bound to, and how many of each were recorded
    as voted. (Which id belongs to which group is the app's convention, which
    tools/verify_ballot.py checks against the groups' names and weights.)"""
    groups = listof(record["groups"], None, "groups")
    ids, names = {}, []
    for number, entry in enumerate(groups, start=1):
        entry = keys(entry, {"name", "ballot"}, f"group {number}")
        name, sheet_id = entry["name"], entry["ballot"]
        if not isinstance(name, str) or name in ids:
            raise Invalid(f"group {number}: name missing or repeated")
        if not isinstance(sheet_id, str) or sheet_id in ids.values():
            raise Invalid(f"group {name}: sheet ballot id missing or repeated")
        if not sheet_id.startswith(ballot):
            raise Invalid(f"group {name}: sheet ballot id is not of this ballot")
        ids[name] = sheet_id
        names.append(name)
    participations = keys(record["participations"], set(names), "participations")
    for name in names:
        if not isinstance(participations[name], int) or participations[name] < 0:
            raise Invalid(f"participations of {name}: not a count")
    return names, ids, participations


def check_sheets(record, ballot, h, layout, groups, jobs):
    """First the cheap checks in order (shape, trackers, groups, nothing twice), then the
    proofs, sheet by sheet on `jobs` processes; the first failure in sheet order is
    reported. Returns the summed ciphertexts, group after group."""
    names, ids, participations = groups
    sheets = listof(record["sheets"], None, "sheets")
    per_group = {name: 0 for name in names}
    for number, entry in enumerate(sheets, start=1):
        group = keys(entry, {"tracker", "sheet", "group"}, f"sheet {number}")["group"]
        if group not in ids:
            raise Invalid(f"sheet {number}: voter group {group!r} does not vote on the web")
        per_group[group] += 1
    for group in names:
        if per_group[group] != participations[group]:
            raise Invalid(
                f"sheets of {group}: {per_group[group]} sheets but "
                f"{participations[group]} recorded as voted"
            )
    trackers, seen, work, owners = set(), {}, [], []
    for number, entry in enumerate(sheets, start=1):
        sheet, name = entry["sheet"], f"sheet {number} ({str(entry['tracker'])[:12]})"
        if hashlib.sha256(canonical(sheet).encode()).hexdigest() != entry["tracker"]:
            raise Invalid(f"{name}: tracker is not the SHA-256 of the sheet")
        if entry["tracker"] in trackers:
            raise Invalid(f"{name}: the same sheet appears twice")
        trackers.add(entry["tracker"])
        keys(sheet, {"ballot", "subjects"}, name)
        if sheet["ballot"] != ids[entry["group"]]:
            raise Invalid(f"{name}: made for another ballot or voter group than {entry['group']}")
        for i, subject in enumerate(listof(sheet["subjects"], len(layout), name)):
            where = f"{name} subject {i + 1}"
            subject = keys(subject, {"slots", "c", "s"}, where)
            for j, slot in enumerate(listof(subject["slots"], layout[i], where)):
                at = f"{where} slot {j + 1}"
                slot = keys(slot, {"a", "b", "c0", "c1", "s0", "s1"}, at)
                if slot["a"] in seen:  # one hex spelling per point: the rest fail to parse
                    raise Invalid(f"{at}: ciphertext copied from {seen[slot['a']]}")
                seen[slot["a"]] = at
        work.append((name, sheet, h, sheet["ballot"], layout))
        owners.append(names.index(entry["group"]))
    if jobs > 1 and len(work) > 1:
        with multiprocessing.Pool(jobs) as pool:
            verified = list(pool.imap(sheet_proofs, work, chunksize=4))
    else:
        verified = [sheet_proofs(job) for job in work]
    tally = [[(IDENTITY, IDENTITY)] * n for _ in names for n in layout]
    for owner, cts in zip(owners, verified, strict=True):
        for i, row in enumerate(cts):
            r = owner * len(layout) + i
            for j, (a, b) in enumerate(row):
                tally[r][j] = (add(tally[r][j][0], a), add(tally[r][j][1], b))
    counted = ", ".join(f"{g} {participations[g]}" for g in names)
    print(f"OK  {len(sheets)} sheets = participations per voter group ({counted}); "
          "every tracker, every proof, each sheet bound to its group; "
          "no sheet or ciphertext twice")  # fmt: skip
    return tally


def check_tally(record, tally, rows):
    """`rows`: the tally's layout, the subjects' repeated once per voter group."""
    published = listof(record["tally"], len(rows), "tally")
    for i, row in enumerate(published):
        for j, ct in enumerate(listof(row, rows[i], f"tally row {i + 1}")):
            ct = keys(ct, {"a", "b"}, f"tally row {i + 1} slot {j + 1}")
            if (point(ct["a"], "tally"), point(ct["b"], "tally")) != tally[i][j]:
                raise Invalid(f"tally row {i + 1} slot {j + 1}: not the sum of its group's sheets")
    print("OK  summed ciphertexts = the sums of each voter group's sheets")


def check_decryption(record, ballot, h, commitments, k, tally, layout):
    decryptions = listof(record["decryptions"], None, "decryptions")
    if not layout:  # nobody voted on the web: no sum, nothing to decrypt
        if decryptions:
            raise Invalid("decryptions: there is no web sheet to decrypt")
        print("OK  no web sheet, so no decryption")
        return []
    points = {}
    for entry in decryptions:
        entry = keys(entry, {"teller", "partial"}, "decryption")
        t = entry["teller"]
        if t not in commitments or t in points:
            raise Invalid(f"decryption by teller {t}: unknown or repeated teller")
        key = IDENTITY
        for cs in commitments.values():
            key = add(key, at_index(cs, t))
        rows = listof(entry["partial"], len(layout), f"teller {t}")
        points[t] = []
        for i, row in enumerate(rows):
            points[t].append([])
            for j, part in enumerate(listof(row, layout[i], f"teller {t} subject {i + 1}")):
                at = f"teller {t} subject {i + 1} slot {j + 1}"
                part = keys(part, {"d", "c", "s"}, at)
                d, c, s = point(part["d"], at), scalar(part["c"], at), scalar(part["s"], at)
                a = tally[i][j][0]
                if not equality_ok("partial-decryption", a, key, d, c, s, (h, ballot, i, j, t)):
                    raise Invalid(f"{at}: the proof of correct decryption does not check")
                points[t][i].append(d)
    if len(points) < k:
        raise Invalid(f"decryptions: {len(points)} tellers decrypted, {k} are needed")
    used = sorted(points)[:k]
    weights = lagrange(used)
    voters = len(record["sheets"])
    step = math.isqrt(voters) + 1
    baby, p = {}, IDENTITY
    for x in range(step):
        baby[p] = x
        p = add(p, G)
    giant = gmul(num(step))
    counts = []
    for i, n in enumerate(layout):
        counts.append([])
        for j in range(n):
            ax = IDENTITY
            for t in used:
                ax = add(ax, mul(weights[t], points[t][i][j]))
            p, found = sub(tally[i][j][1], ax), None
            for q in range(step + 1):
                if p in baby and q * step + baby[p] <= voters:
                    found = q * step + baby[p]
                    break
                p = sub(p, giant)
            if found is None:
                raise Invalid(
                    f"subject {i + 1} option {j + 1}: decrypts to no count of 0..{voters}"
                )
            counts[i].append(found)
    print(f"OK  {len(points)} tellers' partial decryptions and proofs (tellers {used} combined)")
    return counts


def check_counts(record, electronic, layout, subjects, groups):
    """`electronic`: the decrypted rows, group after group."""
    published = keys(record["counts"], {"electronic", "total"}, "counts")
    by_group = keys(published["electronic"], set(groups), "electronic counts")
    n = len(layout)
    for g, group in enumerate(groups):
        for i, name in enumerate(subjects):
            got = listof(by_group[group], n, f"electronic counts of {group}")[i]
            if got != electronic[g * n + i]:
                raise Invalid(f"{name}: electronic counts of {group} {got} "
                              f"but its sheets decrypt to {electronic[g * n + i]}")  # fmt: skip
    paper = listof(record["paper"], None, "paper")
    for i, name in enumerate(subjects):
        total = [
            sum(electronic[g * n + i][j] for g in range(len(groups))) for j in range(layout[i])
        ]
        for entry in paper:
            row = listof(listof(entry["counts"], len(layout), "paper")[i], layout[i], "paper")
            if not all(isinstance(x, int) and x >= 0 for x in row):
                raise Invalid(f"{name}: paper counts must be non-negative integers")
            total = [x + y for x, y in zip(total, row, strict=True)]
        if published["total"][i] != total:
            raise Invalid(
                f"{name}: total counts {published['total'][i]} but electronic + paper = {total}"
            )
    print(
        f"OK  counts: electronic = the decryption per voter group, "
        f"total = electronic + {len(paper)} paper count(s)"
    )


def verify(record, jobs=1):
    keys(record, {"format", "ballot", "subjects", "tellers", "joint_key", "groups",
                  "participations", "sheets", "tally", "decryptions", "paper", "counts"},
         "record")  # fmt: skip
    if record["format"] != FORMAT:
        raise Invalid(f"record: format is not {FORMAT}")
    ballot = record["ballot"]
    subjects = listof(record["subjects"], None, "subjects")
    layout = [len(listof(s.get("options"), None, "subject options")) for s in subjects]
    names = [f"subject {i + 1} ({s.get('name', '')})" for i, s in enumerate(subjects)]
    h, commitments, k = check_tellers(record, ballot)
    groups = check_groups(record, ballot)
    tally = check_sheets(record, ballot, h, layout, groups, jobs)
    rows = layout * len(groups[0])
    check_tally(record, tally, rows)
    electronic = check_decryption(record, ballot, h, commitments, k, tally, rows)
    check_counts(record, electronic, layout, names, groups[0])


def main(argv):
    parser = argparse.ArgumentParser(description="Check a ballot's election record (计票记录).")
    parser.add_argument("record", help="the record, a JSON file")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1,
        help="processes checking sheets' proofs (default: one per CPU)",
    )  # fmt: skip
    args = parser.parse_args(argv[1:])
    try:
        with open(args.record, encoding="utf-8") as f:
            record = json.load(f)
        verify(record, max(args.jobs, 1))
    except Invalid as error:
        print(f"FAIL  {error}")
        return 1
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        print(f"FAIL  unreadable or malformed record ({type(error).__name__}: {error})")
        return 1
    print("PASS  the record is consistent: every figure recomputed from the sheets")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
