package io.lmbridge.local.runner;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Tool;
import io.lmbridge.config.StructuredMode;
import io.lmbridge.config.StructuredPlan;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a chat request reaches a local model, whichever engine runs it: the turns the template gets,
 * whether tools go through the template, what the gateway adds as system text, what constrains
 * decoding, and what is checked afterwards. {@code llama.structured_plan} and
 * {@code llama.structured_mode} decide it.
 *
 * @param turns         the conversation as the template gets it ({@link ConversationTurns})
 * @param templateTools the tools the template renders itself; empty when they go as text or are not in play
 * @param prompted      tools the gateway reads calls of (described by it, or rendered by a template
 *                      whose engine does not parse calls); empty when none are in play or the engine parses them
 * @param structured    the JSON the answer must be, when no tools are in play
 * @param constraint    what decoding is constrained to (a forced call, or the JSON), or null
 */
public record RequestPlan(List<Message> turns, List<Tool> templateTools, Optional<PromptedTools> prompted,
                          Optional<StructuredOutput> structured, Constraint constraint) {

  /**
   * A schema to make a grammar of.
   *
   * @param param    where it comes from in the client's request, for errors
   * @param required whether a schema that makes no grammar is refused; else decoding goes unconstrained
   */
  public record Constraint(JsonObject schema, String param, boolean required) {
  }

  /** What an engine knows of a model's template. */
  public enum Template {
    /** It renders no tools: the gateway describes them. */
    NO_TOOLS,
    /** It renders tools, and the engine reads the model's calls (llama.cpp's parsers). */
    TOOLS_PARSED_BY_ENGINE,
    /** It renders tools, and the gateway reads the calls in the format the template showed ({@link ToolSyntax}). */
    TOOLS_PARSED_BY_GATEWAY
  }

  /**
   * The plan for a request; a schema in it that is not one (a tool's parameters, the response format's)
   * is refused here, before any engine turns it into a grammar.
   *
   * @param syntax how the template writes a call, for {@link Template#TOOLS_PARSED_BY_GATEWAY}; else ignored
   */
  public static RequestPlan of(ChatRequest request, StructuredMode mode, StructuredPlan plan, Template template,
                               ToolSyntax syntax, SchemaCheck schemas) {
    for (int i = 0; i < request.tools().size(); i++) {
      schemas.requireSchema(PromptedTools.parameters(request.tools().get(i)),
          "tools[" + i + "].function.parameters");
    }
    boolean throughTemplate = plan == StructuredPlan.AUTO && template != Template.NO_TOOLS;
    Optional<PromptedTools> tools = PromptedTools.of(request,
        throughTemplate && template == Template.TOOLS_PARSED_BY_GATEWAY ? syntax : ToolSyntax.TAGGED);
    Optional<StructuredOutput> structured = tools.isPresent() ? Optional.empty()
        : StructuredOutput.of(request.responseFormat(), mode);
    structured.ifPresent(json -> schemas.requireSchema(json.schema(), StructuredOutput.SCHEMA_PARAM));
    String instructions = plan == StructuredPlan.OFF ? null
        : tools.isPresent() ? (throughTemplate ? null : tools.get().plan())
        : structured.map(StructuredOutput::plan).orElse(null);
    Constraint constraint = tools.filter(PromptedTools::forced)
        .map(forced -> new Constraint(forced.callSchema(), "tools", true))
        .orElse(structured.filter(StructuredOutput::constrained)
            .map(json -> new Constraint(json.schema(), StructuredOutput.SCHEMA_PARAM, mode == StructuredMode.STRICT))
            .orElse(null));
    List<Tool> templateTools = throughTemplate ? tools.map(PromptedTools::offered).orElse(List.of()) : List.of();
    if (throughTemplate && template == Template.TOOLS_PARSED_BY_ENGINE && tools.isPresent()) {
      // The engine constrains and parses calls itself, from the tools and tool_choice it is given.
      return new RequestPlan(ConversationTurns.of(request.messages(), null, false), templateTools, Optional.empty(),
          Optional.empty(), null);
    }
    return new RequestPlan(ConversationTurns.of(request.messages(), instructions, !throughTemplate), templateTools,
        tools, structured, constraint);
  }

  /**
   * How tools reach a model, for the model listing ({@code via}): not at all, through its template, or in
   * the gateway's system message (whose calls open with {@code <tool_call>}).
   *
   * @param throughTemplate how calls made through the template are read, or null when tools do not go there
   */
  public static JsonObject toolsListing(StructuredPlan plan, JsonObject throughTemplate) {
    if (plan == StructuredPlan.OFF) {
      return new JsonObject().put("via", "off");
    }
    return throughTemplate != null ? new JsonObject().put("via", "template").mergeIn(throughTemplate)
        : new JsonObject().put("via", "system_message").put("call_opening", ToolSyntax.TAGGED.opening());
  }

  /** The events a client may see, from the engine's: calls read from text, JSON checked (see {@link AnswerChecks}). */
  public Consumer<List<ChatEvent>> checked(Consumer<List<ChatEvent>> emit) {
    return prompted.isEmpty() && structured.isEmpty() ? emit : new AnswerChecks(emit, prompted, structured);
  }
}
