package io.lmbridge.ingress.realtime;

import io.vertx.core.MultiMap;

/**
 * The two namings of the Realtime protocol. The GA API says {@code response.output_text.delta} and
 * {@code output_modalities}; the beta, which the original design's client and many deployed clients
 * speak, said {@code response.text.delta} and {@code modalities}.
 */
enum RealtimeDialect {
  GA("response.output_text.delta", "response.output_text.done", "output_modalities", "output_text"),
  BETA("response.text.delta", "response.text.done", "modalities", "text");

  /** The subprotocols by which a client asks for the beta; {@code realtime} alone means GA. */
  private static final String[] BETA_SUBPROTOCOLS = {"openai-realtime-v1", "openai-beta.realtime-v1"};

  final String textDelta;
  final String textDone;
  final String modalitiesField;
  /** The content part type of an assistant's text in an item. */
  final String assistantTextPart;

  RealtimeDialect(String textDelta, String textDone, String modalitiesField, String assistantTextPart) {
    this.textDelta = textDelta;
    this.textDone = textDone;
    this.modalitiesField = modalitiesField;
    this.assistantTextPart = assistantTextPart;
  }

  /** Beta when the client offered a beta subprotocol or sent {@code OpenAI-Beta: realtime=v1}. */
  static RealtimeDialect of(MultiMap handshakeHeaders) {
    String offered = handshakeHeaders.get("Sec-WebSocket-Protocol");
    if (offered != null) {
      for (String protocol : offered.split(",")) {
        for (String beta : BETA_SUBPROTOCOLS) {
          if (protocol.trim().equals(beta)) {
            return BETA;
          }
        }
      }
    }
    String header = handshakeHeaders.get("OpenAI-Beta");
    return header != null && header.contains("realtime=v1") ? BETA : GA;
  }
}
