#!/usr/bin/env python3
"""Fails when a file of Sources/ReleaseLinkerCore references a type of a folder it may not use.

The rules are the table in docs/architecture.md (one row per folder: the folders it may use), so the
document and the check cannot drift apart. A type belongs to the folder whose file declares it at the
top level; a name a file declares itself (a nested or private type) shadows the others.

    scripts/check-layers.py [--sources DIR] [--rules FILE]
    scripts/check-layers.py --self-test   # proves the check fails on a wrong reference
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
RULE_ROW = re.compile(r"^\|\s*`(\w+)/`\s*\|\s*([^|]*)\|")
DECLARATION = re.compile(
    r"^(?P<indent>[ \t]*)(?:@\w+(?:\([^)]*\))?\s+)*"
    r"(?:(?:public|internal|package|private|fileprivate|final|indirect|nonisolated)\s+)*"
    r"(?:struct|enum|class|protocol|actor|typealias)\s+(?P<name>[A-Za-z_]\w*)",
    re.M,
)


def read_rules(path):
    rules = {}
    for line in open(path, encoding="utf-8"):
        row = RULE_ROW.match(line)
        if row:
            uses = re.findall(r"`(\w+)/`", row.group(2))
            rules[row.group(1)] = set(uses)
    if not rules:
        sys.exit(f"check-layers: no rule table found in {path}")
    return rules


def code_only(source):
    """The source without comments and string literals, so names in them do not count."""
    source = re.sub(r'"""[\s\S]*?"""', '""', source)
    source = re.sub(r"/\*[\s\S]*?\*/", "", source)
    source = re.sub(r"//[^\n]*", "", source)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', source)


def check(sources, rules):
    files = {}
    owner = {}
    for folder in sorted(os.listdir(sources)):
        path = os.path.join(sources, folder)
        if not os.path.isdir(path):
            continue
        for directory, _, names in os.walk(path):
            for name in sorted(names):
                if name.endswith(".swift"):
                    file = os.path.join(directory, name)
                    code = code_only(open(file, encoding="utf-8").read())
                    files[file] = (folder, code)
                    for match in DECLARATION.finditer(code):
                        if not match.group("indent"):
                            owner.setdefault(match.group("name"), folder)
    problems = []
    for folder in sorted({folder for folder, _ in files.values()} - set(rules)):
        problems.append(f"{folder}/ has no row in docs/architecture.md: say what it may use.")
    for file, (folder, code) in sorted(files.items()):
        own = {match.group("name") for match in DECLARATION.finditer(code)}
        allowed = rules.get(folder, set())
        for name in sorted(set(re.findall(r"\b[A-Z]\w*\b", code)) - own):
            other = owner.get(name)
            if other and other != folder and other not in allowed:
                relative = os.path.relpath(file, sources)
                problems.append(f"{relative} uses {name} of {other}/, which {folder}/ may not use.")
    return problems


def self_test(rules_path):
    """Copies the sources, adds a reference from Base/ up to Jobs/, and expects the check to fail."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = os.path.join(scratch, "ReleaseLinkerCore")
        shutil.copytree(os.path.join(TOP, "Sources", "ReleaseLinkerCore"), copy)
        with open(os.path.join(copy, "Base", "WrongWay.swift"), "w") as file:
            file.write("func wrongWay() { _ = PublishJob.self }\n")
        result = subprocess.run(
            [sys.executable, __file__, "--sources", copy, "--rules", rules_path],
            capture_output=True, text=True)
        if result.returncode == 0 or "WrongWay.swift uses PublishJob of Jobs/" not in result.stdout:
            print("check-layers self-test: a reference from Base/ to Jobs/ was not caught")
            print(result.stdout)
            return 1
        print("check-layers self-test: a reference from Base/ to Jobs/ is caught:")
        print("  " + result.stdout.strip().splitlines()[0])
        return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", default=os.path.join(TOP, "Sources", "ReleaseLinkerCore"))
    parser.add_argument("--rules", default=os.path.join(TOP, "docs", "architecture.md"))
    parser.add_argument("--self-test", action="store_true")
    arguments = parser.parse_args()
    if arguments.self_test:
        return self_test(arguments.rules)
    problems = check(arguments.sources, read_rules(arguments.rules))
    for problem in problems:
        print(problem)
    if problems:
        print(f"check-layers: {len(problems)} reference(s) against docs/architecture.md")
        return 1
    print("check-layers: every folder of ReleaseLinkerCore uses only the folders below it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
