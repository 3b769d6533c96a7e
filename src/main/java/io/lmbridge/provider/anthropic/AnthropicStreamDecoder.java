package io.lmbridge.provider.anthropic;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.provider.StreamRelay;
import io.lmbridge.provider.UpstreamError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One Anthropic Messages stream in canonical events. Content blocks are numbered across text,
 * thinking and tool use, tool calls among themselves: a tool block's index is mapped, when the block
 * starts, to the call its {@code input_json_delta} fragments belong to.
 */
final class AnthropicStreamDecoder implements StreamRelay.Decoder {

  private static final int OVERLOADED = 503;
  private static final int RATE_LIMITED = 429;
  private static final int BAD_GATEWAY = 502;

  /** Where a tool block's input goes. */
  private sealed interface ToolBlock {
  }

  private record Call(int index) implements ToolBlock {
  }

  /** The JSON output tool, whose input is the answer text. */
  private record Format() implements ToolBlock {
  }

  private final String provider;
  private final String formatTool;
  private final Map<Integer, ToolBlock> toolBlocks = new HashMap<>();
  private final AnthropicResponses.TokenCounts usage = new AnthropicResponses.TokenCounts();
  private int calls;

  AnthropicStreamDecoder(String provider, String formatTool) {
    this.provider = provider;
    this.formatTool = formatTool;
  }

  @Override
  public List<ChatEvent> decode(String event, String data) {
    JsonObject json = new JsonObject(data);
    return switch (json.getString("type", "")) {
      case "message_start" -> {
        usage.add(json.getJsonObject("message").getJsonObject("usage", new JsonObject()));
        yield List.of();
      }
      case "content_block_start" -> start(json.getInteger("index"), json.getJsonObject("content_block"));
      case "content_block_delta" -> delta(toolBlocks.get(json.getInteger("index")), json.getJsonObject("delta"));
      case "message_delta" -> {
        usage.add(json.getJsonObject("usage", new JsonObject()));
        var finish = AnthropicResponses.finishReason(json.getJsonObject("delta").getString("stop_reason"), calls > 0);
        yield finish == null ? List.of(new ChatEvent.UsageReport(usage.toUsage()))
            : List.of(new ChatEvent.Finish(0, finish), new ChatEvent.UsageReport(usage.toUsage()));
      }
      case "error" -> List.of(new ChatEvent.Failure(UpstreamError.of(provider, status(json), Buffer.buffer(data), null)));
      default -> List.of(); // ping, content_block_stop, and events added after this was written
    };
  }

  @Override
  public boolean isLast(String event, String data) {
    return "message_stop".equals(event);
  }

  @Override
  public boolean requiresLastEvent() {
    return true;
  }

  /** Text and thinking blocks start empty; redacted_thinking and server tool blocks have no canonical form. */
  private List<ChatEvent> start(int index, JsonObject block) {
    if (!"tool_use".equals(block.getString("type"))) {
      return List.of();
    }
    if (block.getString("name").equals(formatTool)) {
      toolBlocks.put(index, new Format());
      return List.of();
    }
    Call call = new Call(calls++);
    toolBlocks.put(index, call);
    return List.of(new ChatEvent.ToolCallDelta(0, call.index(), block.getString("id"), block.getString("name"), null));
  }

  /** @param toolBlock the tool block the delta belongs to, or null for any other block */
  private List<ChatEvent> delta(ToolBlock toolBlock, JsonObject delta) {
    return switch (delta.getString("type", "")) {
      case "text_delta" -> text(delta.getString("text"));
      case "thinking_delta" -> delta.getString("thinking", "").isEmpty() ? List.of()
          : List.of(new ChatEvent.ReasoningDelta(0, delta.getString("thinking"), null));
      case "signature_delta" -> List.of(new ChatEvent.ReasoningDelta(0, null, delta.getString("signature")));
      case "input_json_delta" -> arguments(toolBlock, delta.getString("partial_json", ""));
      default -> List.of();
    };
  }

  private static List<ChatEvent> arguments(ToolBlock toolBlock, String fragment) {
    if (fragment.isEmpty() || toolBlock == null) {
      return List.of();
    }
    return toolBlock instanceof Call call ? List.of(new ChatEvent.ToolCallDelta(0, call.index(), null, null, fragment))
        : text(fragment);
  }

  private static List<ChatEvent> text(String text) {
    return text == null || text.isEmpty() ? List.of() : List.of(new ChatEvent.TextDelta(0, text));
  }

  private static int status(JsonObject event) {
    String type = event.getJsonObject("error", new JsonObject()).getString("type", "");
    return switch (type) {
      case "overloaded_error" -> OVERLOADED;
      case "rate_limit_error" -> RATE_LIMITED;
      default -> BAD_GATEWAY;
    };
  }
}
