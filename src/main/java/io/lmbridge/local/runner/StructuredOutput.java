package io.lmbridge.local.runner;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ResponseFormat;
import io.lmbridge.config.StructuredMode;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * JSON output for {@code response_format}, by {@code llama.structured_mode}: in {@code strict} and
 * {@code auto} a grammar made from the schema constrains decoding (each engine makes it), in
 * {@code prompt} only an instruction describes the schema. All three check the result against the
 * schema, and an answer that does not parse or match, a truncated one included, is an error, never
 * passed off as valid. {@code off} passes through.
 */
final class StructuredOutput {

  static final String SCHEMA_PARAM = "response_format.json_schema.schema";

  private final JsonObject schema;
  private final StructuredMode mode;

  private StructuredOutput(JsonObject schema, StructuredMode mode) {
    this.schema = schema;
    this.mode = mode;
  }

  static Optional<StructuredOutput> of(ResponseFormat format, StructuredMode mode) {
    if (format == null || format.type() == ResponseFormat.Type.TEXT || mode == StructuredMode.OFF) {
      return Optional.empty();
    }
    JsonObject schema = format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null
        ? format.schema() : new JsonObject().put("type", "object");
    return Optional.of(new StructuredOutput(schema, mode));
  }

  JsonObject schema() {
    return schema;
  }

  /** Whether decoding is to be constrained by a grammar made from the schema. */
  boolean constrained() {
    return mode == StructuredMode.STRICT || mode == StructuredMode.AUTO;
  }

  StructuredMode mode() {
    return mode;
  }

  String plan() {
    return "Answer with only a JSON value, no other text, that matches this JSON schema: " + schema.encode();
  }

  /** Null when the answer is valid JSON matching the schema, else the error the client gets. */
  ApiError check(String text, boolean truncated) {
    Object value;
    try {
      value = Json.decodeValue(text.strip());
    } catch (DecodeException e) {
      return invalid(truncated ? "the answer was cut off at max_tokens before its JSON was complete"
          : "the answer is not valid JSON");
    }
    String mismatch = SchemaCheck.mismatch(schema, value);
    return mismatch == null ? null : invalid("the answer does not match the schema: " + mismatch);
  }

  private static ApiError invalid(String problem) {
    return new ApiError(502, "server_error", "local model: " + problem, null, "invalid_structured_output", null);
  }
}
