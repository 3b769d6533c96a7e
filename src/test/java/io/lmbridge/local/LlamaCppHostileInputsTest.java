package io.lmbridge.local;

import io.lmbridge.config.LlamaEngine;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.LocalEngines;
import io.lmbridge.testkit.LocalGateway;
import io.lmbridge.testkit.TinyGguf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inputs that aborted the runner of java-llama.cpp 4.2.0, and others built to break a C++ engine:
 * schemas its grammar converter cannot take, broken grammars and templates inputs, absurd sampling
 * values and counts, streamed and not. Each gets an answer, a 400 saying what is wrong, or, where the
 * grammar cannot hold the model to every rule of a schema ({@code not}, say), the 502 that says its
 * answer did not match; and the runner process that served the first request serves the last one.
 */
class LlamaCppHostileInputsTest {

  private static LocalGateway local;
  private static Http http;

  @BeforeAll
  static void start() throws Exception {
    LocalEngines.assumeAvailable(LlamaEngine.LLAMA_CPP);
    Path models = Files.createTempDirectory("lmbridge-models");
    TinyGguf.write(models, "tiny.gguf");
    TinyGguf.write(models, "tiny-tools.gguf", TinyGguf.TOOLS_TEMPLATE);
    local = LocalGateway.start(models, new JsonObject().put("context_size", 512).put("slots", 2)
        .put("engine", LlamaEngine.LLAMA_CPP.configName()));
    http = local.http();
  }

  @AfterAll
  static void stop() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  void noInputKillsTheRunnerOrGetsAnUnexplainedError() {
    long pid = loaded("tiny");
    long toolsPid = loaded("tiny-tools");

    for (Map.Entry<String, JsonObject> hostile : hostileRequests().entrySet()) {
      for (boolean stream : new boolean[] {false, true}) {
        JsonObject body = hostile.getValue().copy().put("stream", stream);
        Http.Reply reply = http.post("/v1/chat/completions", body);
        String name = hostile.getKey() + (stream ? " streamed" : "");
        assertThat(reply.status()).as(name).isIn(200, 400, 502);
        if (reply.status() == 400) {
          assertThat(reply.error().getString("message")).as(name).isNotBlank();
        } else if (reply.status() == 502) {
          assertThat(reply.error().getString("code")).as(name).isIn("invalid_tool_call", "invalid_structured_output");
        } else if (stream) {
          // A stream that started ends whole, or with the error event of an answer that did not match.
          assertThat(reply.body().toString()).as(name).satisfiesAnyOf(
              text -> assertThat(text).endsWith("data: [DONE]\n\n").doesNotContain("\"error\""),
              text -> assertThat(text).containsAnyOf("invalid_tool_call", "invalid_structured_output"));
        }
      }
    }

    assertThat(loaded("tiny")).isEqualTo(pid);
    assertThat(loaded("tiny-tools")).isEqualTo(toolsPid);
    assertThat(http.post("/v1/chat/completions", chat("tiny")).status()).isEqualTo(200);
  }

  private static Map<String, JsonObject> hostileRequests() {
    Map<String, JsonObject> requests = new LinkedHashMap<>();
    Map<String, JsonObject> schemas = new LinkedHashMap<>();
    schemas.put("$ref to a missing target", new JsonObject().put("$ref", "#/$defs/nothing"));
    schemas.put("$ref to itself", new JsonObject().put("$defs", new JsonObject().put("a",
        new JsonObject().put("$ref", "#/$defs/a"))).put("$ref", "#/$defs/a"));
    schemas.put("not", new JsonObject().put("not", new JsonObject().put("type", "string")));
    schemas.put("items: false", new JsonObject().put("type", "array").put("items", false));
    schemas.put("minimum 1e308", new JsonObject().put("type", "number").put("minimum", 1e308));
    schemas.put("integer between 1e308 and 1e308", new JsonObject().put("type", "integer").put("minimum", 1e308)
        .put("maximum", 1e308));
    schemas.put("lookbehind pattern", new JsonObject().put("type", "string").put("pattern", "(?<=a)b"));
    schemas.put("unclosed pattern", new JsonObject().put("type", "string").put("pattern", "[a-"));
    schemas.put("back-reference pattern", new JsonObject().put("type", "string").put("pattern", "(a)\\1"));
    schemas.put("a million repetitions", new JsonObject().put("type", "string").put("pattern", "a{1000000}"));
    schemas.put("minLength 1e8", new JsonObject().put("type", "string").put("minLength", 100_000_000));
    schemas.put("minItems 1e8", new JsonObject().put("type", "array").put("minItems", 100_000_000)
        .put("items", new JsonObject().put("type", "integer")));
    schemas.put("empty anyOf", new JsonObject().put("anyOf", new JsonArray()));
    schemas.put("empty enum", new JsonObject().put("enum", new JsonArray()));
    schemas.put("unknown type", new JsonObject().put("type", "banana"));
    schemas.put("unknown format", new JsonObject().put("type", "string").put("format", "date-time-zone"));
    JsonObject deep = new JsonObject().put("type", "string");
    for (int i = 0; i < 200; i++) {
      deep = new JsonObject().put("type", "object").put("properties", new JsonObject().put("a", deep));
    }
    schemas.put("200 levels deep", deep);
    schemas.forEach((name, schema) -> {
      requests.put("response_format: " + name, chat("tiny").put("response_format", new JsonObject()
          .put("type", "json_schema").put("json_schema", new JsonObject().put("name", "x").put("schema", schema))));
      for (String model : new String[] {"tiny", "tiny-tools"}) {
        requests.put("tool parameters on " + model + ": " + name, chat(model).put("tool_choice", "required")
            .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function",
                new JsonObject().put("name", "f").put("parameters", new JsonObject().put("type", "object")
                    .put("properties", new JsonObject().put("a", schema)))))));
      }
    });
    requests.put("a grammar that does not parse", chat("tiny").put("grammar", "root ::= ("));
    requests.put("a grammar of nothing", chat("tiny").put("grammar", "root ::= \"\""));
    requests.put("n of a million", chat("tiny").put("n", 1_000_000));
    requests.put("n_probs of a billion", chat("tiny").put("n_probs", 1_000_000_000));
    requests.put("unknown samplers", chat("tiny").put("samplers", new JsonArray().add("nope")));
    requests.put("absurd mirostat", chat("tiny").put("mirostat", 2).put("mirostat_tau", 1e308)
        .put("mirostat_eta", -1));
    requests.put("absurd dry", chat("tiny").put("dry_multiplier", 1e308)
        .put("dry_sequence_breakers", new JsonArray().add("")));
    requests.put("n_keep of a billion", chat("tiny").put("n_keep", 1_000_000_000));
    requests.put("a slot that does not exist", chat("tiny").put("id_slot", 99));
    requests.put("logit bias on no token", chat("tiny").put("logit_bias", new JsonObject().put("999999999", 100)));
    requests.put("ten thousand stop strings", chat("tiny").put("stop", new JsonArray(java.util.Collections
        .nCopies(10_000, "a"))));
    requests.put("a seed beyond 64 bits", chat("tiny").put("seed", Long.MAX_VALUE));
    requests.put("enable_thinking as a string", chat("tiny").put("chat_template_kwargs",
        new JsonObject().put("enable_thinking", "yes")));
    requests.put("call arguments that are not JSON", chat("tiny-tools").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hi"))
        .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", "c1").put("type", "function").put("function",
                new JsonObject().put("name", "f").put("arguments", "{not json")))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "c1").put("content", "x"))));
    requests.put("a tool result with no call", chat("tiny-tools").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "nope").put("content", "x"))));
    return requests;
  }

  private static JsonObject chat(String model) {
    return new JsonObject().put("model", "lmbridge:" + model).put("max_tokens", 8)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  /** The runner's pid, loading the model first. */
  private static long loaded(String model) {
    return http.post("/v1/llama/models/load", new JsonObject().put("model", model)).json().getLong("pid");
  }
}
