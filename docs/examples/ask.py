#!/usr/bin/env python3
"""Ask the Chorus assistant over plain HTTP and print its answer as it streams (Python 3 standard library only).

    python3 docs/examples/ask.py [base-url] [username] [password] [question]

Registers the user (or logs in when the name is taken), opens a conversation, sends the question with
"ai": true and Accept: text/event-stream, and prints the chunks as they arrive; the stream ends with the answer.
"""
import json
import sys
import urllib.error
import urllib.request

base = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080"
username = sys.argv[2] if len(sys.argv) > 2 else "python_user"
password = sys.argv[3] if len(sys.argv) > 3 else "correct horse battery"
question = sys.argv[4] if len(sys.argv) > 4 else "Tell me about Server-Sent Events."


def call(path, body=None, token=None, accept="application/json"):
    request = urllib.request.Request(base + path, method="POST", data=json.dumps(body or {}).encode(),
                                     headers={"content-type": "application/json", "accept": accept})
    if token:
        request.add_header("authorization", "Bearer " + token)
    return urllib.request.urlopen(request)


credentials = {"username": username, "password": password}
try:
    token = json.load(call("/api/auth/register", credentials))["token"]
except urllib.error.HTTPError as taken:
    if taken.code != 409:
        raise
    token = json.load(call("/api/auth/login", credentials))["token"]
conversation = json.load(call("/api/conversations", {"title": "From Python"}, token))["conversationId"]

with call(f"/api/conversations/{conversation}/messages", {"text": question, "ai": True}, token,
          accept="text/event-stream") as stream:
    event = None
    for raw in stream:  # one line at a time, as the gateway sends them
        line = raw.decode("utf-8").rstrip("\r\n")
        if line.startswith("event: "):
            event = line[len("event: "):]
        elif line.startswith("data: "):
            data = json.loads(line[len("data: "):])
            if event == "ai_response_chunk":
                print(data["delta"], end="", flush=True)
            elif event == "ai_response_complete":
                print()
            elif event in ("ai_response_error", "error"):
                print("\n[error]", data.get("error"), file=sys.stderr)
                sys.exit(1)
