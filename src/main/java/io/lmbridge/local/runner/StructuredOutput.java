package io.lmbridge.local.runner;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ApiException;
import io.lmbridge.chat.ResponseFormat;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * JSON output for {@code response_format}, by {@code llama.structured_mode}: {@code strict} constrains
 * decoding with a grammar made from the schema (a schema that does not convert is refused), {@code auto}
 * uses the grammar when the schema converts and the instruction alone when not, {@code prompt} only
 * instructs. All three validate the result against the schema, and an answer that does not parse or
 * match, a truncated one included, is an error, never passed off as valid. {@code off} passes through.
 */
final class StructuredOutput {

  private static final String SCHEMA_PARAM = "response_format.json_schema.schema";

  private final JsonObject schema;
  private final String grammar;

  private StructuredOutput(JsonObject schema, String grammar) {
    this.schema = schema;
    this.grammar = grammar;
  }

  static Optional<StructuredOutput> of(ResponseFormat format, String mode, SchemaGrammars grammars) {
    if (format == null || format.type() == ResponseFormat.Type.TEXT || "off".equals(mode)) {
      return Optional.empty();
    }
    JsonObject schema = format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null
        ? format.schema() : new JsonObject().put("type", "object");
    String grammar = "prompt".equals(mode) ? null : grammarOf(grammars, schema, "strict".equals(mode));
    return Optional.of(new StructuredOutput(schema, grammar));
  }

  private static String grammarOf(SchemaGrammars grammars, JsonObject schema, boolean required) {
    try {
      return grammars.grammar(schema, SCHEMA_PARAM);
    } catch (ApiException invalid) {
      throw invalid;
    } catch (RuntimeException unsupported) {
      if (required) {
        throw ApiError.invalidRequest("the local engine cannot turn this JSON schema into a grammar ("
            + unsupported.getMessage() + "); simplify it, or set llama.structured_mode to auto",
            SCHEMA_PARAM).exception();
      }
      return null;
    }
  }

  /** The grammar to decode with, or null to rely on the instruction. */
  String grammar() {
    return grammar;
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
    String mismatch = SchemaGrammars.mismatch(schema, value);
    return mismatch == null ? null : invalid("the answer does not match the schema: " + mismatch);
  }

  private static ApiError invalid(String problem) {
    return new ApiError(502, "server_error", "local model: " + problem, null, "invalid_structured_output", null);
  }
}
