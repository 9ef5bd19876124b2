"""Writes a copy of a Clerk Backend API OpenAPI spec that keeps only the operations
clerk-server implements, so that schemathesis tests exactly those.

It also drops the `paginated` query parameter of the three lists that have it: with
`paginated=true` Clerk (and clerk-server) answer `{"data":[...],"total_count":N}`, which the
spec does not describe (it declares only the bare array). The envelope is tested by the
Rust suites; leaving the parameter in would only report that known gap on every run.

Usage: trim_spec.py <in.json> <out.json>
"""

import json
import re
import sys
from pathlib import Path

# The operations of the specs that clerk-server serves have one home: the table of their
# declared statuses in crates/clerk-server/src/bapi/declared/table.rs, whose unit test checks it
# against both specs. Read them from there, so a route added to the server is fuzzed here
# once it is in that table.
DECLARED_RS = Path(__file__).resolve().parents[2] / "crates/clerk-server/src/bapi/declared/table.rs"


def implemented() -> set:
    """(method, path) of every operation in declared.rs's DECLARED table, lowercase method."""
    source = DECLARED_RS.read_text(encoding="utf-8")
    table = source[source.index("pub(crate) const DECLARED") :]
    table = table[: table.index("];")]
    found = re.findall(r'\(\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)"', table)
    if not found:
        sys.exit(f"no operations found in {DECLARED_RS}")
    return {(method.lower(), path) for method, path in found}


METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def without_paginated(spec: dict, operation: dict) -> dict:
    """The operation without a `paginated` query parameter (see the module docs)."""
    parameters = operation.get("parameters")
    if parameters is None:
        return operation

    def is_paginated(parameter: dict) -> bool:
        ref = parameter.get("$ref", "")
        if ref.startswith("#/components/parameters/"):
            parameter = spec["components"]["parameters"][ref.rsplit("/", 1)[1]]
        return parameter.get("name") == "paginated" and parameter.get("in") == "query"

    return {**operation, "parameters": [p for p in parameters if not is_paginated(p)]}


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        spec = json.load(f)
    served = implemented()
    paths = {}
    for path, item in spec["paths"].items():
        kept = {
            key: without_paginated(spec, value) if key in METHODS else value
            for key, value in item.items()
            if key not in METHODS or (key, path) in served
        }
        if any(key in METHODS for key in kept):
            paths[path] = kept
    spec["paths"] = paths
    with open(target, "w", encoding="utf-8") as f:
        json.dump(spec, f)
    kept = sum(1 for item in paths.values() for key in item if key in METHODS)
    print(f"{source}: kept {kept} operations", file=sys.stderr)


if __name__ == "__main__":
    main()
