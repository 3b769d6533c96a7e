package io.lmbridge.local.runner;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;

import java.util.List;

/** Images sent to a model that cannot see: refused with a 400 naming the first image part. */
public final class ImageInput {

  private ImageInput() {
  }

  /** @param why why this model takes no images, and what would let it */
  public static void refuse(ChatRequest request, String why) {
    for (int i = 0; i < request.messages().size(); i++) {
      List<ContentPart> content = request.messages().get(i).content();
      for (int part = 0; part < content.size(); part++) {
        if (content.get(part) instanceof ContentPart.Image) {
          throw ApiError.invalidRequest("this local model cannot take images: " + why,
              "messages[" + i + "].content[" + part + "]").exception();
        }
      }
    }
  }
}
