package io.lmbridge.local.runner.javallama;

import de.kherud.llama.LlamaModel;
import io.lmbridge.chat.ApiError;
import io.vertx.core.json.JsonObject;

/**
 * Grammars from JSON schemas, by java-llama.cpp's copy of llama.cpp's converter. The converter ends
 * the whole process on a schema it cannot read (a C++ exception the binding does not catch): the
 * {@code RequestPlan} has refused what is not a schema before it gets here.
 */
final class SchemaGrammars {

  private SchemaGrammars() {
  }

  /**
   * @param param    where the schema sits in the client's request, for the error
   * @param required whether a schema the converter cannot handle is refused (else: null, no grammar)
   */
  static String grammar(JsonObject schema, String param, boolean required) {
    try {
      return LlamaModel.jsonSchemaToGrammar(schema.encode());
    } catch (RuntimeException unsupported) {
      if (required) {
        throw ApiError.invalidRequest("the local engine cannot turn this JSON schema into a grammar ("
            + unsupported.getMessage() + "); simplify it, or set llama.structured_mode to auto", param).exception();
      }
      return null;
    }
  }
}
