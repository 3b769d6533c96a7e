package io.lmbridge.provider;

import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.DataUrl;
import io.lmbridge.chat.Message;

import java.util.List;
import java.util.Map;

/** The bytes of every image in a request, by URL, for the providers that take images inline. */
public record InlineImages(Map<String, DataUrl> byUrl) {

  public static final InlineImages NONE = new InlineImages(Map.of());

  public InlineImages {
    byUrl = Map.copyOf(byUrl);
  }

  public DataUrl of(ContentPart.Image image) {
    DataUrl inline = byUrl.get(image.url());
    if (inline == null) {
      throw new IllegalStateException("image not inlined before translation: " + image.url());
    }
    return inline;
  }

  /** The request with every image as a {@code data:} URL, for upstreams that take those but fetch nothing. */
  public ChatRequest applyTo(ChatRequest request) {
    if (byUrl.isEmpty()) {
      return request;
    }
    List<Message> messages = request.messages().stream().map(message -> new Message(message.role(),
        message.content().stream().map(part -> part instanceof ContentPart.Image image
            ? new ContentPart.Image(of(image).toUrl(), image.detail(), image.cacheControl()) : part).toList(),
        message.name(), message.toolCalls(), message.toolCallId(), message.reasoning(), message.reasoningSignature()))
        .toList();
    return request.withMessages(messages);
  }
}
