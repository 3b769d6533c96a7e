package io.lmbridge.local.runner;

import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Role;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.chat.openai.ChatCompletionsRequests;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tools the gateway reads from a local model's text, whichever engine generated it: the formats of
 * the model families, and the checks a call must pass; and the turns templates get.
 */
class PromptedToolsTest {

  private static final JsonObject WEATHER = new JsonObject().put("type", "function").put("function", new JsonObject()
      .put("name", "weather").put("description", "The weather in a city").put("parameters", new JsonObject()
          .put("type", "object").put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
          .put("required", new JsonArray().add("city"))));

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
    PromptedTools tools = PromptedTools.of(request, new ToolSyntax("<tool_call>")).orElseThrow();

    assertThat(tools.parse("<tool_call>{\"name\": \"weather\", \"arguments\": {\"city\": \"Rome\"}}</tool_call>"))
        .singleElement().satisfies(parsed -> assertThat(parsed.arguments()).isEqualTo("{\"city\":\"Rome\"}"));
    assertThat(tools.parse("<tool_call>{\"name\": \"weather\", \"arguments\": {\"town\": \"Rome\"}}</tool_call>"))
        .isEmpty();
    assertThat(tools.parse("<tool_call>{\"name\": \"news\", \"arguments\": {}}</tool_call>")).isEmpty();
    assertThat(tools.offered()).isEqualTo(request.tools());
  }

  @Test
  void consecutiveTurnsOfOneRoleAreJoinedAfterOneSystemTurn() {
    List<Message> turns = ConversationTurns.of(List.of(Message.text(Role.USER, "One."), Message.text(Role.SYSTEM,
        "Be brief."), Message.text(Role.USER, "Two.")), "Answer in JSON.", true);

    assertThat(turns).containsExactly(Message.text(Role.SYSTEM, "Be brief.\n\nAnswer in JSON."),
        Message.text(Role.USER, "One.\n\nTwo."));
  }

  @Test
  void callsAndResultsBecomeTextOnlyForTemplatesThatRenderNoTools() {
    Message call = new Message(Role.ASSISTANT, List.of(), null,
        List.of(new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}")), null, null, null);
    Message result = new Message(Role.TOOL, List.of(new io.lmbridge.chat.ContentPart.Text("Sunny")), null, null,
        "call_1", null, null);

    assertThat(ConversationTurns.of(List.of(call, result), null, true)).containsExactly(
        Message.text(Role.ASSISTANT, "<tool_call>{\"name\":\"weather\",\"arguments\":{\"city\":\"Paris\"}}</tool_call>"),
        Message.text(Role.USER, "<tool_response id=\"call_1\">Sunny</tool_response>"));
    assertThat(ConversationTurns.of(List.of(call, result), null, false)).containsExactly(call, result);
  }

  private static JsonObject message(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static JsonObject call(String name, Object arguments) {
    return new JsonObject().put("name", name).put("arguments", arguments);
  }
}
