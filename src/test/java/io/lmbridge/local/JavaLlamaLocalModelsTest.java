package io.lmbridge.local;

import io.lmbridge.config.LlamaEngine;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.TinyGguf;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The local-model suite on the fallback engine, java-llama.cpp 4.2.0, and what it refuses. */
class JavaLlamaLocalModelsTest extends LocalModelsTest {

  @Override
  LlamaEngine engine() {
    return LlamaEngine.JAVA_LLAMA_CPP;
  }

  @Override
  JsonObject toolsThroughTheTemplate() {
    return new JsonObject().put("via", "template").put("call_opening", "<tool_call>");
  }

  /**
   * The gateway reads calls a template renders in the format a probe call shows, and its grammar forces
   * one: the current llama.cpp does both itself (LlamaCppArchitecturesTest).
   */
  @Test
  void aRequiredCallThroughTheToolsTemplateIsReadInItsFormat() {
    assertThat(requiredToolCallRoundTrip("tiny-tools")).isEqualTo(toolsThroughTheTemplate());
  }

  @Test
  void logprobsAndSeveralChoicesAreRefusedWithTheWayToTheCurrentEngine() {
    Http.Reply logprobs = http.post("/v1/chat/completions",
        chat(new JsonObject().put("role", "user").put("content", "hi")).put("logprobs", true));
    assertThat(logprobs.status()).isEqualTo(400);
    assertThat(logprobs.error().getString("param")).isEqualTo("logprobs");
    assertThat(logprobs.error().getString("message")).contains("native/README.md");

    Http.Reply choices = http.post("/v1/chat/completions",
        chat(new JsonObject().put("role", "user").put("content", "hi")).put("n", 2));
    assertThat(choices.status()).isEqualTo(400);
    assertThat(choices.error().getString("param")).isEqualTo("n");
  }

  @Test
  void anArchitectureNewerThanItsLlamaCppIsRefusedByName() {
    TinyGguf.writeArchitectureOnly(Path.of(listed("tiny-chat").getString("path")).getParent(), "Qwen3-14B-Q8_0.gguf",
        "qwen3");

    Http.Reply refused = http.post("/v1/llama/models/load", new JsonObject().put("model", "qwen3-14b"));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.error().getString("message")).contains("java-llama.cpp 4.2.0 (llama.cpp b4916)")
        .contains("'qwen3'").contains("the current llama.cpp engine loads 'qwen3' models");
    assertThat(listed("qwen3-14b").getString("last_error")).contains("'qwen3'");
  }
}
