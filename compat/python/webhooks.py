"""Webhook deliveries of clerk-server checked with verifiers nobody here wrote: the PyPI
`standardwebhooks` package (`Webhook(secret).verify(body, headers)` with the svix-*
headers mapped to webhook-*) and the PyPI `svix` package's `Webhook.verify`.

A receiver on 127.0.0.1 (`http.server` in a thread) is registered through the local
extension `POST /v1/_local/webhooks/endpoints`; a user is created, updated and deleted
through `clerk_backend_api`; every delivery for that user must verify with both
verifiers, carry the event's type and the user's id, and a tampered body (or another
secret) must be refused by both. The server records every event it emits
(`GET /v1/_local/webhooks/messages`): it must have recorded the three user events for
that endpoint, and each message it recorded must arrive."""

import base64
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import standardwebhooks
import svix.webhooks

from harness import call, clerk, email, finish, local

USER_EVENTS = ["user.created", "user.updated", "user.deleted"]
# How long a delivery may take to arrive (the server sends on commit: milliseconds).
DEADLINE_S = 15.0
SIGNED_HEADERS = ["svix-id", "svix-timestamp", "svix-signature", "content-type"]

# Deliveries received, by svix-id (a retry of the same message replaces the first).
received = {}
received_lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name: self.headers.get(name) for name in SIGNED_HEADERS}
        with received_lock:
            received[headers["svix-id"]] = {"headers": headers, "body": body}
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):  # noqa: A002 - quiet: one line per call is ours
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
RECEIVER_URL = f"http://127.0.0.1:{server.server_address[1]}/clerk-webhooks"

state = {}


def standard_headers(svix_headers):
    """The Standard Webhooks names of the svix-* headers."""
    return {
        "webhook-id": svix_headers["svix-id"],
        "webhook-timestamp": svix_headers["svix-timestamp"],
        "webhook-signature": svix_headers["svix-signature"],
    }


def verify_both(delivery, secret):
    """Both verifiers on one delivery; the event standardwebhooks hands back."""
    event = standardwebhooks.Webhook(secret).verify(
        delivery["body"], standard_headers(delivery["headers"])
    )
    svix.webhooks.Webhook(secret).verify(delivery["body"], delivery["headers"])
    return event


def refused(fn, what):
    """Asserts fn() raises the verifier's error; returns its message."""
    try:
        fn()
    except (standardwebhooks.WebhookVerificationError, svix.webhooks.WebhookVerificationError) as err:
        return str(err)
    raise AssertionError(f"{what} was accepted")


def recorded_for(user_id):
    """The user events the server recorded for our endpoint about user_id: [(id, type)]."""
    recorded = []
    for event_type in USER_EVENTS:
        page = local("GET", f"webhooks/messages?event_type={event_type}&limit=100")
        for m in page["data"]:
            if (m["payload"].get("data") or {}).get("id") == user_id and any(
                d["endpoint_id"] == state["endpoint"]["id"] for d in m["deliveries"]
            ):
                recorded.append((m["id"], event_type))
    return recorded


def deliveries_of(messages):
    """Waits until every message of messages has arrived; the deliveries grouped by type."""
    until = time.monotonic() + DEADLINE_S
    while True:
        with received_lock:
            missing = [f"{t} {i}" for i, t in messages if i not in received]
            if not missing:
                by_type = {}
                for i, t in messages:
                    by_type.setdefault(t, []).append(received[i])
                return by_type
        if time.monotonic() > until:
            raise AssertionError(f"waited {DEADLINE_S} s for {', '.join(missing)}")
        time.sleep(0.05)


@call("POST /v1/_local/webhooks/endpoints (a receiver on 127.0.0.1)")
def _():
    endpoint = local(
        "POST",
        "webhooks/endpoints",
        {"url": RECEIVER_URL, "filter_types": USER_EVENTS, "description": "compat/python/webhooks.py"},
    )
    assert endpoint["object"] == "webhook_endpoint"
    assert endpoint["id"].startswith("ep_")
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]+=*", endpoint["secret"]), endpoint["secret"]
    assert endpoint["url"] == RECEIVER_URL
    assert endpoint["filter_types"] == USER_EVENTS
    state["endpoint"] = endpoint
    return endpoint["id"]


@call("users.create, update, delete")
def _():
    user = clerk.users.create(email_address=[email("hook")], first_name="Hook")
    updated = clerk.users.update(user_id=user.id, first_name="Hooked")
    assert updated.first_name == "Hooked"
    deleted = clerk.users.delete(user_id=user.id)
    assert deleted.id == user.id
    state["user"] = user
    return user.id


@call("deliveries: every recorded user event arrives")
def _():
    recorded = recorded_for(state["user"].id)
    types = list(dict.fromkeys(t for _, t in recorded))
    assert types == USER_EVENTS, f"the events the server recorded: {types}"
    state["deliveries"] = deliveries_of(recorded)
    return f"{len(recorded)}: {', '.join(types)}"


@call("every delivery: standardwebhooks and svix Webhook.verify")
def _():
    assert state.get("deliveries"), "no deliveries"
    every = [(t, d) for t, ds in state["deliveries"].items() for d in ds]
    for event_type, delivery in every:
        headers = delivery["headers"]
        assert headers["svix-id"].startswith("msg_"), headers
        assert re.fullmatch(r"\d{10}", headers["svix-timestamp"]), "seconds"
        assert headers["svix-signature"].startswith("v1,"), headers
        assert (headers["content-type"] or "").startswith("application/json"), headers
        event = verify_both(delivery, state["endpoint"]["secret"])
        assert event["type"] == event_type
        assert event["object"] == "event"
        assert event["data"]["id"] == state["user"].id
        assert isinstance(event["timestamp"], int)
        assert event["instance_id"].startswith("ins_")
        if event_type == "user.deleted":
            assert event["data"]["deleted"] is True
        else:
            assert event["data"]["object"] == "user"
            assert event["data"]["email_addresses"][0]["email_address"] == email("hook")
    return f"{len(every)}: {', '.join(state['deliveries'])}"


@call("a tampered body, another secret: refused by both verifiers")
def _():
    delivery = state["deliveries"]["user.created"][0]
    body = delivery["body"].replace(state["user"].id.encode(), b"user_someoneelse")
    assert body != delivery["body"]
    secret = state["endpoint"]["secret"]
    headers = delivery["headers"]
    why = refused(
        lambda: standardwebhooks.Webhook(secret).verify(body, standard_headers(headers)),
        "standardwebhooks of a tampered body",
    )
    refused(lambda: svix.webhooks.Webhook(secret).verify(body, headers), "svix of a tampered body")
    other = "whsec_" + base64.b64encode(bytes([7] * 24)).decode()
    refused(
        lambda: standardwebhooks.Webhook(other).verify(delivery["body"], standard_headers(headers)),
        "standardwebhooks with another secret",
    )
    refused(
        lambda: svix.webhooks.Webhook(other).verify(delivery["body"], headers),
        "svix with another secret",
    )
    return why


@call("DELETE /v1/_local/webhooks/endpoints/{id}")
def _():
    gone = local("DELETE", f"webhooks/endpoints/{state['endpoint']['id']}")
    assert gone["deleted"] is True
    assert gone["id"] == state["endpoint"]["id"]


server.shutdown()
finish()
