package io.lmbridge.local.runner.javallama;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.openai.ChatCompletionsRequests;
import io.lmbridge.config.StructuredMode;
import io.lmbridge.config.StructuredPlan;
import io.lmbridge.local.runner.RequestPlan;
import io.lmbridge.local.runner.SchemaCheck;
import io.lmbridge.local.runner.ToolSyntax;
import io.lmbridge.testkit.TinyGguf;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tools through a model's own chat template, rendered by real java-llama.cpp in this JVM: what the
 * prompt holds, and how the model's call format is found from its template.
 */
class JavaLlamaTemplateTest {

  /** Writes calls the way Llama 3.1 does: bare JSON with "parameters", no opening tag. */
  private static final String BARE_JSON_TEMPLATE = """
      {%- if tools %}<|im_start|>system
      {{ tools | tojson }}<|im_end|>
      {% endif %}
      {%- for message in messages %}<|im_start|>{{ message.role }}
      {% if message.tool_calls %}{% for call in message.tool_calls %}{"name": "{{ call.function.name }}", \
      "parameters": {{ call.function.arguments | tojson }}}{% endfor %}{% else %}{{ message.content }}{% endif %}<|im_end|>
      {% endfor %}
      {%- if add_generation_prompt %}<|im_start|>assistant
      {% endif %}""";

  private static final JsonObject WEATHER = new JsonObject().put("type", "function").put("function", new JsonObject()
      .put("name", "weather").put("description", "The weather in a city").put("parameters", new JsonObject()
          .put("type", "object").put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
          .put("required", new JsonArray().add("city"))));

  @TempDir
  static Path dir;
  private static LlamaModel hermes;
  private static LlamaModel bareJson;
  private static Vertx vertx;
  private static SchemaCheck schemas;

  @BeforeAll
  static void load() {
    // On first load LlamaLoader deletes every jllama*/llama* file in its temp dir: keep it off /tmp.
    System.setProperty("de.kherud.llama.tmpdir", dir.toString());
    LlamaModel.setLogger(null, (level, message) -> { });
    vertx = Vertx.vertx();
    schemas = new SchemaCheck(vertx);
    hermes = load(TinyGguf.write(dir, "hermes.gguf", TinyGguf.TOOLS_TEMPLATE));
    bareJson = load(TinyGguf.write(dir, "bare.gguf", BARE_JSON_TEMPLATE));
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  private static LlamaModel load(Path file) {
    return new LlamaModel(new ModelParameters().setModel(file.toString()).setCtxSize(512).enableJinja().disableLog());
  }

  @Test
  void theCallFormatIsReadFromTheTemplate() {
    assertThat(ToolSyntax.of(template(hermes))).contains(new ToolSyntax("<tool_call>"));
    assertThat(ToolSyntax.of(template(bareJson))).contains(new ToolSyntax(""));
  }

  @Test
  void toolsCallsAndResultsReachTheTemplateAsItsOwnVariables() {
    ChatRequest request = ChatCompletionsRequests.parse(new JsonObject().put("model", "lmbridge:hermes")
        .put("tools", new JsonArray().add(WEATHER))
        .put("messages", new JsonArray()
            .add(message("system", "Be brief."))
            .add(message("user", "Weather in Paris?"))
            .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
                .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", new JsonObject()
                    .put("name", "weather").put("arguments", "{\"city\":\"Paris\"}")))))
            .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "Sunny"))));
    RequestPlan plan = RequestPlan.of(request, StructuredMode.AUTO, StructuredPlan.AUTO,
        RequestPlan.Template.TOOLS_PARSED_BY_GATEWAY, ToolSyntax.of(template(hermes)).orElseThrow(), schemas);

    String prompt = PromptBuilder.render(hermes, plan.turns(), plan.templateTools());

    assertThat(prompt).startsWith("<|im_start|>system\nBe brief.\n\n# Tools\n")
        .contains("<tools>{\"type\": \"function\", \"function\": {\"name\": \"weather\", \"description\": \"The"
            + " weather in a city\", \"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\":"
            + " \"string\"}}, \"required\": [\"city\"]}}}</tools>")
        .contains("<|im_start|>assistant\n<tool_call>\n{\"name\": \"weather\", \"arguments\": {\"city\": \"Paris\"}}\n"
            + "</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\nSunny\n</tool_response><|im_end|>\n")
        .endsWith("<|im_start|>assistant\n")
        .doesNotContain("You can call these tools");
  }

  @Test
  void consecutiveTurnsOfOneRoleAreJoined() {
    ChatRequest request = ChatCompletionsRequests.parse(new JsonObject().put("model", "lmbridge:hermes")
        .put("messages", new JsonArray().add(message("user", "One.")).add(message("user", "Two."))));

    RequestPlan plan = RequestPlan.of(request, StructuredMode.AUTO, StructuredPlan.AUTO,
        RequestPlan.Template.NO_TOOLS, ToolSyntax.TAGGED, schemas);

    assertThat(PromptBuilder.render(hermes, plan.turns(), plan.templateTools()))
        .isEqualTo("<|im_start|>user\nOne.\n\nTwo.<|im_end|>\n<|im_start|>assistant\n");
  }

  private static ToolSyntax.Template template(LlamaModel model) {
    return (messages, tools, generationPrompt) -> PromptBuilder.render(model, messages, tools, generationPrompt);
  }

  private static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }
}
