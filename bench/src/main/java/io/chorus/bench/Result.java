package io.chorus.bench;

import io.vertx.core.json.JsonObject;

/** A scenario's outcome: machine-readable for --json, and the human summary. */
record Result(String scenario, JsonObject json, String text) {}
