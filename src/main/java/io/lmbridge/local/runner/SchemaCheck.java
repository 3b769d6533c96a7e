package io.lmbridge.local.runner;

import io.lmbridge.chat.ApiError;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;

/**
 * JSON Schema on the gateway's side of a local model: a schema a request gives must be one (checked
 * against the meta-schema, before any engine turns it into a grammar), and what a model wrote is
 * checked against the schema it was asked for (a grammar bounds the text, not every rule of a
 * schema, and an answer that was only instructed is bound by nothing).
 */
public final class SchemaCheck {

  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
  private static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri("https://lmbridge.local/").setOutputFormat(OutputFormat.Basic);

  private final Validator metaSchema;

  public SchemaCheck(Vertx vertx) {
    metaSchema = SchemaRepository.create(OPTIONS).preloadMetaSchema(vertx.fileSystem(), Draft.DRAFT202012)
        .validator(META_SCHEMA);
  }

  /**
   * Refuses, with a 400 naming where it sits, what is not a JSON Schema.
   *
   * @param param where the schema sits in the client's request
   */
  void requireSchema(JsonObject schema, String param) {
    OutputUnit check = metaSchema.validate(schema);
    if (!check.getValid()) {
      throw ApiError.invalidRequest("not a valid JSON Schema: " + check.getErrors(), param).exception();
    }
  }

  /** The schema's complaints about {@code value}, or null when it matches. */
  static String mismatch(JsonObject schema, Object value) {
    // A copy: JsonSchema.of marks the object it is given with its base URI, and this one is the request's.
    OutputUnit result = Validator.create(JsonSchema.of(schema.copy()), OPTIONS).validate(value);
    return result.getValid() ? null : String.valueOf(result.getErrors());
  }
}
