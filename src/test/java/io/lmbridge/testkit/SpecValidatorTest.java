package io.lmbridge.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed provider schemas compile and do reject what the providers would reject. */
class SpecValidatorTest {

  @Test
  void geminiSchemaRejectsUnknownFieldsAndMisplacedParts() {
    SpecValidator gemini = SpecValidator.load("/specs/gemini-generate-content.schema.json");
    JsonObject valid = new JsonObject().put("contents", new JsonArray().add(new JsonObject().put("role", "user")
        .put("parts", new JsonArray().add(new JsonObject().put("text", "hi")))));
    assertThat(gemini.violations(valid)).isEmpty();
    assertThat(gemini.violations(valid.copy().put("parallel_tool_calls", true))).isNotEmpty();
    assertThat(gemini.violations(new JsonObject().put("contents", new JsonArray().add(new JsonObject()
        .put("parts", new JsonArray().add(new JsonObject().put("image_url", "x"))))))).isNotEmpty();
  }

  @Test
  void ollamaSchemaRejectsMissingFieldsAndWrongShapes() {
    SpecValidator ollama = SpecValidator.load("/specs/ollama-chat.schema.json");
    JsonObject valid = new JsonObject().put("model", "phi4").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hi")));
    assertThat(ollama.violations(valid)).isEmpty();
    assertThat(ollama.violations(new JsonObject().put("model", "phi4"))).isNotEmpty();
    assertThat(ollama.violations(valid.copy().put("format", "yaml"))).isNotEmpty();
    assertThat(ollama.violations(valid.copy().put("messages", new JsonArray()
        .add(new JsonObject().put("role", "robot").put("content", "hi"))))).isNotEmpty();
  }
}
