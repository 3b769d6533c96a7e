package io.lmbridge.local.runner;

import de.kherud.llama.LlamaModel;

import java.util.Optional;

/**
 * A runner's loaded model and what every generation on it shares.
 *
 * @param templateTools how the model writes tool calls when tools go through its template (the
 *     {@code auto} plan, and a template that renders them); empty when they do not
 */
record ServedModel(LlamaModel model, RunnerSpec spec, SchemaGrammars grammars, Optional<ToolSyntax> templateTools,
                   TokenStreams streams) {
}
