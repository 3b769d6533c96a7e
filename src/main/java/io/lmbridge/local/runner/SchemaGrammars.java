package io.lmbridge.local.runner;

import de.kherud.llama.LlamaModel;
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
 * Grammars from JSON schemas, by llama.cpp's own converter, and the check of what a model wrote
 * against them. The converter ends the whole process on a schema it cannot read (a C++ exception
 * the binding does not catch), so a schema is first checked against the JSON Schema meta-schema,
 * and one that is not a schema is refused with a 400.
 */
final class SchemaGrammars {

  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
  private static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
      .setBaseUri("https://lmbridge.local/").setOutputFormat(OutputFormat.Basic);

  private final Validator metaSchema;

  SchemaGrammars(Vertx vertx) {
    metaSchema = SchemaRepository.create(OPTIONS).preloadMetaSchema(vertx.fileSystem(), Draft.DRAFT202012)
        .validator(META_SCHEMA);
  }

  /** The schema's complaints about {@code value}, or null when it matches. */
  static String mismatch(JsonObject schema, Object value) {
    // A copy: JsonSchema.of marks the object it is given with its base URI, and this one is the request's.
    OutputUnit result = Validator.create(JsonSchema.of(schema.copy()), OPTIONS).validate(value);
    return result.getValid() ? null : String.valueOf(result.getErrors());
  }

  /** @param param where the schema sits in the client's request, for the error */
  String grammar(JsonObject schema, String param) {
    OutputUnit check = metaSchema.validate(schema);
    if (!check.getValid()) {
      throw ApiError.invalidRequest("not a valid JSON Schema: " + check.getErrors(), param).exception();
    }
    return LlamaModel.jsonSchemaToGrammar(schema.encode());
  }
}
