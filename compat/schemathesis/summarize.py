"""Summarises a schemathesis NDJSON report: one line per distinct failure (operation,
check, response status, Clerk error code), with a count and one example request.

Usage: summarize.py <report.ndjson>
"""

import base64
import collections
import json
import sys


def error_code(response):
    content = (response or {}).get("content") or {}
    raw = content.get("$base64")
    if raw is None:
        return ""
    try:
        body = json.loads(base64.b64decode(raw))
        return body["errors"][0]["code"]
    except (ValueError, KeyError, IndexError, TypeError):
        return "(not a Clerk error)"


def main() -> None:
    seen = collections.OrderedDict()
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            recorder = finished["recorder"]
            for case_id, checks in recorder.get("checks", {}).items():
                interaction = recorder.get("interactions", {}).get(case_id) or {}
                request = interaction.get("request") or {}
                response = interaction.get("response") or {}
                case = recorder["cases"][case_id]["value"]
                scenario = (case.get("meta") or {}).get("phase", {}).get("data", {}) or {}
                for check in checks:
                    if check["status"] != "failure":
                        continue
                    key = (
                        case["method"] + " " + case["path"],
                        check["name"],
                        response.get("status_code"),
                        error_code(response),
                    )
                    if key not in seen:
                        message = check["failure_info"]["failure"].get("message", "")
                        seen[key] = [0, request, scenario.get("description", ""), message]
                    seen[key][0] += 1
    for (op, check, status, code), (count, request, scenario, message) in seen.items():
        body = (request.get("body") or {}).get("$base64")
        body = base64.b64decode(body)[:200] if body else b""
        print(f"{count:4} {op} | {check} | {status} {code} | {scenario}")
        print(f"       {request.get('method')} {request.get('uri')} {body!r}")
        print("       " + message.replace("\n", " ")[:300])
    print(f"{len(seen)} distinct failures")


if __name__ == "__main__":
    main()
