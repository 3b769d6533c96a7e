package io.lmbridge.local.runner;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.openai.ChatCompletionsRequests;
import io.lmbridge.testkit.TinyGguf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tools through a model's own chat template, rendered by real java-llama.cpp in this JVM: what the
 * prompt holds, how the model's call format is found from its template, and how calls written in
 * that format (or in other families' formats) are read back.
 */
class TemplateToolsTest {

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

  @BeforeAll
  static void load() {
    // On first load LlamaLoader deletes every jllama*/llama* file in its temp dir: keep it off /tmp.
    System.setProperty("de.kherud.llama.tmpdir", dir.toString());
    LlamaModel.setLogger(null, (level, message) -> { });
    hermes = load(TinyGguf.write(dir, "hermes.gguf", TinyGguf.TOOLS_TEMPLATE));
    bareJson = load(TinyGguf.write(dir, "bare.gguf", BARE_JSON_TEMPLATE));
  }

  private static LlamaModel load(Path file) {
    return new LlamaModel(new ModelParameters().setModel(file.toString()).setCtxSize(512).enableJinja().disableLog());
  }

  @Test
  void theCallFormatIsReadFromTheTemplate() {
    assertThat(ToolSyntax.of(hermes)).contains(new ToolSyntax("<tool_call>"));
    assertThat(ToolSyntax.of(bareJson)).contains(new ToolSyntax(""));
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
    ToolCalls tools = ToolCalls.of(request, ToolSyntax.of(hermes).orElseThrow()).orElseThrow();

    String prompt = PromptBuilder.withTemplateTools(hermes, request, tools.offered(), null);

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

    assertThat(PromptBuilder.asText(hermes, request, null))
        .isEqualTo("<|im_start|>user\nOne.\n\nTwo.<|im_end|>\n<|im_start|>assistant\n");
  }

  @Test
  void callsAreReadInTheFormatsModelsWrite() {
    ToolSyntax tagged = new ToolSyntax("<tool_call>");
    assertThat(tagged.calls("<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}\n</tool_call>\n"
        + "<tool_call>{\"name\": \"b\", \"arguments\": \"{\\\"y\\\": 2}\"}</tool_call>"))
        .containsExactly(call("a", new JsonObject().put("x", 1)), call("b", "{\"y\": 2}"));
    assertThat(tagged.calls("It is sunny. <tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call>")).isEmpty();
    assertThat(tagged.calls("<tool_call>{\"name\": \"a\", \"argu")).isEmpty();

    ToolSyntax mistral = new ToolSyntax("[TOOL_CALLS]");
    assertThat(mistral.calls("[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {}, \"id\": \"x1\"},"
        + " {\"name\": \"b\", \"arguments\": {}}]"))
        .containsExactly(call("a", new JsonObject()), call("b", new JsonObject()));

    ToolSyntax bare = new ToolSyntax("");
    assertThat(bare.calls("{\"name\": \"a\", \"parameters\": {\"x\": 1}}"))
        .containsExactly(call("a", new JsonObject().put("x", 1)));
    assertThat(bare.calls("{\"tool_calls\": [{\"function\": {\"name\": \"a\", \"arguments\": {}}}]}"))
        .containsExactly(call("a", new JsonObject()));
    assertThat(bare.calls("{\"answer\": 42}")).isEmpty();
    assertThat(bare.calls("Plain text")).isEmpty();
  }

  @Test
  void aStreamIsHeldBackOnlyWhileItMayStillBeACall() {
    ToolSyntax tagged = new ToolSyntax("<tool_call>");
    assertThat(tagged.mightBeCall(" <tool_")).isTrue();
    assertThat(tagged.mightBeCall("<tool_call>{\"na")).isTrue();
    assertThat(tagged.mightBeCall("The weather")).isFalse();

    ToolSyntax bare = new ToolSyntax("");
    assertThat(bare.mightBeCall("  ")).isTrue();
    assertThat(bare.mightBeCall("{\"name")).isTrue();
    assertThat(bare.mightBeCall("Sunny")).isFalse();
  }

  @Test
  void aParsedCallMustNameAnOfferedToolWithMatchingArguments() {
    ChatRequest request = ChatCompletionsRequests.parse(new JsonObject().put("model", "lmbridge:hermes")
        .put("tools", new JsonArray().add(WEATHER)).put("messages", new JsonArray().add(message("user", "Hi"))));
    ToolCalls tools = ToolCalls.of(request, new ToolSyntax("<tool_call>")).orElseThrow();

    assertThat(tools.parse("<tool_call>{\"name\": \"weather\", \"arguments\": {\"city\": \"Rome\"}}</tool_call>"))
        .singleElement().satisfies(parsed -> assertThat(parsed.arguments()).isEqualTo("{\"city\":\"Rome\"}"));
    assertThat(tools.parse("<tool_call>{\"name\": \"weather\", \"arguments\": {\"town\": \"Rome\"}}</tool_call>"))
        .isEmpty();
    assertThat(tools.parse("<tool_call>{\"name\": \"news\", \"arguments\": {}}</tool_call>")).isEmpty();
    assertThat(tools.offered()).isEqualTo(request.tools());
  }

  private static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static JsonObject call(String name, Object arguments) {
    return new JsonObject().put("name", name).put("arguments", arguments);
  }
}
