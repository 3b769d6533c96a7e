package io.lmbridge.local.runner;

import de.kherud.llama.LlamaModel;

import java.util.Optional;

/**
 * A runner's loaded model and what every generation on it shares.
 *
 * @param templateTools how the model writes tool calls when its template renders tools; empty when it
 *     does not, and then tools are described in a system message
 */
record ServedModel(LlamaModel model, RunnerSpec spec, SchemaGrammars grammars, Optional<ToolSyntax> templateTools,
                   TokenTurns turns) {
}
